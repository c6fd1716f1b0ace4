"""PostgreSQL goes down and comes back while members are mid-intake and the workers deliver.

Members who write during the outage are told plainly to try again in a moment,
with the AdviceLine's contacts; when they do, after the database is back, their
intake carries on. No case is lost or stored twice, every case reaches the
adviser webhook once, and no process needs restarting.

This stops the machine's PostgreSQL for a few seconds (other tests using it at
that moment would see the outage too) and always starts it again.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

from tests.support.conversations import TRY_AGAIN, Member
from tests.support.databases import ADMIN_URL
from tests.support.replies import texts
from tests.support.stack import Stack
from tests.support.stacks import delivery_state, stored_cases, wait_until_delivered

pytestmark = pytest.mark.faults

ADVICELINE = "0345 811 8111"
MEMBERS = 6
OUTAGE_SECONDS = 4


def pg_ctl(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        timeout=120,
        capture_output=True,
    )


def postgres_up() -> bool:
    try:
        psycopg2.connect(ADMIN_URL, connect_timeout=2).close()
    except psycopg2.OperationalError:
        return False
    return True


def wait_for_postgres(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not postgres_up():
        if time.monotonic() > deadline:
            raise AssertionError(f"PostgreSQL did not come back within {seconds}s")
        time.sleep(0.5)


@contextmanager
def outage() -> Iterator[None]:
    """PostgreSQL stopped for the block; started again afterwards whatever happens."""
    if not Path("/etc/postgresql").is_dir():
        pytest.skip("no local PostgreSQL cluster to restart (pg_ctlcluster)")
    pg_ctl("stop")
    try:
        yield
    finally:
        if not postgres_up():
            pg_ctl("start")
        wait_for_postgres(60)


def staggered_intake(member: Member, delay: float) -> str:
    time.sleep(delay)
    return member.intake()


def test_postgres_restart_loses_nothing_and_members_are_told_to_try_again(production_stack: Stack) -> None:
    stack = production_stack
    run = uuid.uuid4().hex[:8]
    members = [Member(stack, f"pg-{run}-{i}", patience=120) for i in range(MEMBERS)]
    probe = Member(stack, f"pg-probe-{run}")
    with ThreadPoolExecutor(MEMBERS) as pool:
        futures = [pool.submit(staggered_intake, m, 1.5 * i) for i, m in enumerate(members)]
        time.sleep(5)  # the first members have sent their cases; the workers are delivering
        with outage():
            said_during = [texts(probe.say("hello", replica)) for replica in (0, 1)]
            time.sleep(OUTAGE_SECONDS)
        references = [f.result(timeout=600) for f in futures]

    # During the outage: a clear message, with the AdviceLine, from both replicas.
    for said in said_during:
        assert TRY_AGAIN in said and ADVICELINE in said, said
    # After it: answered normally, with no manual step.
    for replica in (0, 1):
        assert TRY_AGAIN not in texts(probe.say("hello", replica))
    assert all(proc.poll() is None for proc in stack.procs.values()), "a process died"

    senders = [m.sender for m in members]
    assert sorted(c.reference for c in stored_cases(stack, senders)) == sorted(references)
    assert len(set(references)) == MEMBERS
    assert wait_until_delivered(stack, references) == dict.fromkeys(references, 1)
    deadline = time.monotonic() + 60  # a send cut off by the outage is settled once its lease runs out
    while any(delivery_state(stack, r)[0] != "delivered" for r in references) and time.monotonic() < deadline:
        time.sleep(1)
    assert {r: delivery_state(stack, r)[0] for r in references} == dict.fromkeys(references, "delivered")
    print(f"members told to try again during the outage: {sum(m.try_again_replies for m in members)} times")
