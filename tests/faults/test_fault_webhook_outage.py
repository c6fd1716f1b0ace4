"""The adviser webhook is down for the first deliveries, then back: every case arrives
exactly once, urgent before priority before routine.

A real delivery worker process on a real PostgreSQL database, against a webhook
served here that answers 503 (with Retry-After, as a well-behaved receiver under
maintenance does) to the first attempt at every case and records every POST.
The cases arrive together, routine ones first, so the order the adviser sees
comes from the worker's urgency order, not from arrival.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.case_records import Delivery
from bot.clock import utc_now
from bot.delivery.signing import IDEMPOTENCY_HEADER, verify
from bot.storage.engine import session_factory_for
from bot.storage.migrate import upgrade
from bot.storage.services import case_from_payload
from bot.storage.uow import SqlUnitOfWork
from tests.support.databases import build_payload, temporary_postgres_database
from tests.support.stack import ROOT, SECRET, base_env

pytestmark = pytest.mark.faults

RETRY_AFTER = 2  # seconds; with DELIVERY_BACKOFF_MAX_SECONDS=2 every retry waits exactly this
CASES = [  # (reference, urgency), in the order they are stored
    ("NEU-ROUT01", "routine"),
    ("NEU-ROUT02", "routine"),
    ("NEU-PRIO01", "priority"),
    ("NEU-ROUT03", "routine"),
    ("NEU-URGE01", "urgent"),
    ("NEU-PRIO02", "priority"),
    ("NEU-URGE02", "urgent"),
]


class AdviserWebhook:
    """Down (503 + Retry-After) for its first `down_for` POSTs, then up; records every POST."""

    def __init__(self, down_for: int) -> None:
        self.down_for = down_for
        self.posts: list[tuple[str, int]] = []  # (reference, status) in arrival order
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/handoffs"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        webhook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = webhook.answer(body, self.headers)
                self.send_response(status)
                if status == 503:
                    self.send_header("Retry-After", str(RETRY_AFTER))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        return Handler

    def answer(self, body: bytes, headers: Any) -> int:
        if not verify(body, dict(headers.items()), SECRET, now=time.time()).ok:
            return 401
        reference = json.loads(body)["reference"]
        assert headers.get(IDEMPOTENCY_HEADER) == reference
        with self._lock:
            status = 503 if len(self.posts) < self.down_for else 201
            self.posts.append((reference, status))
        return status

    def delivered(self) -> list[str]:
        with self._lock:
            return [reference for reference, status in self.posts if status == 201]

    def __enter__(self) -> AdviserWebhook:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def store_together(url: str) -> None:
    """All cases and their delivery jobs in one transaction: due at the same moment."""
    now = utc_now()
    with SqlUnitOfWork(session_factory_for(url)) as uow:
        for reference, urgency in CASES:
            case = case_from_payload(build_payload(reference, urgency=urgency, created_at=now))
            uow.cases.add(case)
            uow.deliveries.add(Delivery.new(reference, urgency, now))
        uow.commit()


def delivery_states(url: str) -> dict[str, tuple[str, int]]:
    with SqlUnitOfWork(session_factory_for(url)) as uow:
        return {d.case_reference: (d.state, d.attempts) for d in uow.deliveries.list()}


def wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds}s")


def test_webhook_down_for_the_first_deliveries_then_back(tmp_path: Path) -> None:
    with temporary_postgres_database("neu_fault_webhook") as url, AdviserWebhook(down_for=len(CASES)) as webhook:
        upgrade(url)
        env = base_env(url, 0) | {
            "HANDOFF_WEBHOOK_URL": webhook.url,
            "DELIVERY_BACKOFF_MAX_SECONDS": str(RETRY_AFTER),
        }
        log = (ROOT / "results" / "fault-logs").joinpath("webhook-worker.log")
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w") as out:
            worker = subprocess.Popen([sys.executable, "-m", "bot.entrypoints.worker"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            time.sleep(1.0)  # the worker is polling an empty outbox
            store_together(url)
            wait_for(lambda: len(webhook.delivered()) == len(CASES), 60, "every case delivered")
            time.sleep(1.0)  # anything sent twice would show up now
        finally:
            worker.terminate()
            worker.wait(timeout=20)
        posts = list(webhook.posts)
        states = delivery_states(url)

    urgency_order = [ref for ref, _ in sorted(CASES, key=lambda c: ("urgent", "priority", "routine").index(c[1]))]
    first_attempts = [ref for ref, status in posts if status == 503]
    assert first_attempts == urgency_order, "while the webhook was down, the worker still tried the most urgent first"
    assert webhook.delivered() == urgency_order, "once it was back, cases arrived urgent first"
    assert Counter(webhook.delivered()) == Counter(ref for ref, _ in CASES), "each case delivered exactly once"
    assert len(posts) == 2 * len(CASES), f"one failed and one successful POST per case, got {posts}"
    assert states == {ref: ("delivered", 2) for ref, _ in CASES}
