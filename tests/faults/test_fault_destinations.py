"""Delivery per destination under faults, with a real delivery worker process on a real
PostgreSQL database (a temporary one; PostgreSQL itself is not restarted):

- the branch's mail server is down, then refuses for a while (451), then is back: the
  notice arrives exactly once, the case stays with the branch, nothing is escalated;
- a branch is removed from the directory (`bot.entrypoints.cli directory import`, as an office would)
  while its case is still waiting to be delivered to it: the case is escalated to the
  AdviceLine, audited, delivered there once, and nothing more is sent to the old branch.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.clock import utc_now
from bot.delivery.escalation import ESCALATED
from bot.directory.services import import_directory
from bot.storage.engine import session_factory_for
from bot.storage.migrate import upgrade
from bot.storage.services import record_case
from bot.storage.uow import SqlUnitOfWork
from tests.faults.test_fault_webhook_outage import AdviserWebhook
from tests.support.databases import build_payload, temporary_postgres_database
from tests.support.smtp import SmtpTestServer
from tests.support.stack import ROOT, SECRET, base_env

pytestmark = pytest.mark.faults

DIRECTORY = """\
adviceline:
  name: NEU AdviceLine
branches:
  - id: branch-northtown
    name: Northtown NEU branch
    areas: [Northtown]
    email: cases@northtown.example.org
  - id: branch-southvale
    name: Southvale NEU branch
    areas: [Southvale]
    webhook:
      url: {southvale}
      secret_env: FAULT_SOUTHVALE_SECRET
"""
NORTHTOWN = {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
SOUTHVALE = {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}


def uow(url: str) -> SqlUnitOfWork:
    return SqlUnitOfWork(session_factory_for(url))


def wait_for(condition: Callable[[], Any], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds}s")


def jobs(url: str, reference: str) -> dict[tuple[str, str], tuple[str, int]]:
    with uow(url) as unit:
        return {(j.destination_id, j.channel): (j.state, j.attempts) for j in unit.deliveries.for_case(reference)}


def holder_and_escalations(url: str, reference: str) -> tuple[str | None, list[str]]:
    with uow(url) as unit:
        escalations = [e.detail for e in unit.audit.latest(50, reference) if e.action == ESCALATED]
        return unit.cases.get(reference).destination_id, escalations


def store(url: str, reference: str, destination: dict[str, str]) -> None:
    payload = build_payload(reference, route="local_branch", created_at=utc_now(), schema_version="1.1", destination=destination)
    assert record_case(uow(url), payload)


@contextmanager
def worker(url: str, name: str, **env: str) -> Iterator[None]:
    environment = base_env(url, 0) | {
        "DELIVERY_BACKOFF_BASE_SECONDS": "0.5",
        "DELIVERY_BACKOFF_MAX_SECONDS": "1",
        "DELIVERY_POLL_SECONDS": "0.2",
        "DELIVERY_MAX_ATTEMPTS": "50",
        "FAULT_SOUTHVALE_SECRET": SECRET,
        **env,
    }
    log = ROOT / "results" / "fault-logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot.entrypoints.worker"], cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.timeout(180)
def test_smtp_down_then_refusing_then_back_delivers_the_notice_once(tmp_path: Path) -> None:
    smtp = SmtpTestServer()  # its port is chosen; it is not listening yet: down
    with temporary_postgres_database("neu_fault_smtp") as url, AdviserWebhook(down_for=0) as adviceline:
        upgrade(url)
        import_directory(uow(url), DIRECTORY.format(southvale="http://127.0.0.1:9/handoffs"), utc_now())
        with worker(url, "smtp-worker", HANDOFF_WEBHOOK_URL=adviceline.url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port)):
            store(url, "NEU-SMTP01", NORTHTOWN)
            wait_for(lambda: jobs(url, "NEU-SMTP01")[("branch-northtown", "email")][1] >= 2, 60, "two attempts while down")
            smtp.refuse(451)
            smtp.start()
            wait_for(lambda: smtp.refused >= 1 or jobs(url, "NEU-SMTP01")[("branch-northtown", "email")][1] >= 4, 60,
                     "an attempt refused with 451")
            assert smtp.messages == []
            smtp.accept()
            wait_for(lambda: jobs(url, "NEU-SMTP01")[("branch-northtown", "email")][0] == "delivered", 60, "the notice delivered")
            time.sleep(2.0)  # a second copy would show up now
        smtp.stop()
        state, attempts = jobs(url, "NEU-SMTP01")[("branch-northtown", "email")]
        holder, escalations = holder_and_escalations(url, "NEU-SMTP01")
    assert [m.message["X-NEU-Case-Reference"] for m in smtp.messages] == ["NEU-SMTP01"], "exactly once"
    assert state == "delivered" and attempts >= 3
    assert holder == "branch-northtown" and escalations == [], "a mail server that came back is not a dead delivery"
    assert adviceline.posts == []


@pytest.mark.timeout(180)
def test_a_branch_removed_while_its_case_is_pending_is_escalated_not_lost(tmp_path: Path) -> None:
    with (
        temporary_postgres_database("neu_fault_removed") as url,
        AdviserWebhook(down_for=10**6) as southvale,  # answers 503: the job keeps waiting
        AdviserWebhook(down_for=0) as adviceline,
    ):
        upgrade(url)
        import_directory(uow(url), DIRECTORY.format(southvale=southvale.url), utc_now())
        env = base_env(url, 0)
        with worker(url, "removed-worker", HANDOFF_WEBHOOK_URL=adviceline.url):
            store(url, "NEU-GONE01", SOUTHVALE)
            wait_for(lambda: len(southvale.posts) >= 2, 60, "Southvale's webhook tried and failing")
            without_southvale = tmp_path / "without-southvale.yml"
            without_southvale.write_text(DIRECTORY.split("  - id: branch-southvale")[0])
            imported = subprocess.run(
                [sys.executable, "-m", "bot.entrypoints.cli", "directory", "import", str(without_southvale), "--by", "office"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
            )
            assert imported.returncode == 0, imported.stderr
            wait_for(lambda: adviceline.delivered() == ["NEU-GONE01"], 60, "the case delivered to the AdviceLine")
            tried_before = len(southvale.posts)
            time.sleep(3.0)  # nothing more to the old branch, nothing twice to the AdviceLine
        holder, escalations = holder_and_escalations(url, "NEU-GONE01")
        states = jobs(url, "NEU-GONE01")
    assert holder == "adviceline"
    assert escalations and escalations[0].startswith("branch-southvale -> adviceline: ")
    assert states[("adviceline", "webhook")] == ("delivered", 1)
    assert states[("branch-southvale", "webhook")][0] == "dead"
    assert len(southvale.posts) == tried_before, "nothing sent to a branch no longer in the directory"
    assert adviceline.delivered() == ["NEU-GONE01"], "delivered to the AdviceLine exactly once"
