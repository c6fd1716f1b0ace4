"""The running stacks, one of each per test session: the laptop stack shared by tests/e2e
and tests/browser, and the production-mode stack shared by tests/faults and tests/fuzz
(fixtures, registered in tests/conftest.py), and what their stores hold. How a stack is
started and driven is tests/support/stack.py.

The production stack:
Two Rasa replicas (endpoints.production.yml: PostgreSQL tracker store, Redis lock
store), two action servers (replica i talks to action server i), two delivery
workers, the web chat and inbox, the local webhook receiver, and the case database
on PostgreSQL: the topology of docs/deployment.md on one machine. Tests that stop a process start it
again before they finish, so the next test finds the stack whole.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from sqlalchemy import select

from bot.storage.engine import make_engine, session_factory_for
from bot.storage.tracker_events import events
from bot.storage.uow import SqlUnitOfWork
from tests.support.databases import require_redis, temporary_postgres_database
from tests.support.stack import MODEL, ROOT, Stack, launch

# The laptop stack's receiver answers its first POSTs 503 (the production stack's, none).
LAPTOP_RECEIVER_FAILS_FIRST = 2


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Laptop mode: in-memory conversations, SQLite cases (or E2E_DATABASE_URL)."""
    if not MODEL.exists():
        pytest.fail("No trained model: run `make test` (or `make train`) first.")
    tmp = tmp_path_factory.mktemp("stack")
    database_url = os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{tmp / 'cases.sqlite3'}"
    # The webhook fails twice before it recovers: every test's delivery rides through retries.
    receiver_args = ("--fail-first", str(LAPTOP_RECEIVER_FAILS_FIRST))
    started = launch(tmp, ROOT / "results" / "e2e-logs", database_url=database_url, receiver_args=receiver_args)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def sender() -> str:
    """A conversation id of its own for each test, so no test sees another's conversation."""
    return f"e2e-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def production_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make test` (or `make train`) first.")
    require_redis()
    tmp = tmp_path_factory.mktemp("production")
    with ExitStack() as cleanup:
        cases = cleanup.enter_context(temporary_postgres_database("neu_fault_cases"))
        tracker = cleanup.enter_context(temporary_postgres_database("neu_fault_tracker"))
        stack = launch(
            tmp,
            ROOT / "results" / "fault-logs",
            database_url=cases,
            tracker_store_url=tracker,
            rasa_replicas=2,
            action_replicas=2,
            workers=2,
            web=True,
            # A worker cut off mid-send (e.g. by a database restart) is replaced within seconds.
            extra_env={"DELIVERY_LEASE_SECONDS": "15"},
        )
        cleanup.callback(stack.stop)
        yield stack


# --- what the stores hold -----------------------------------------------------------------


def stored_cases(stack: Stack, conversation_ids: list[str] | None = None) -> list[Any]:
    """Cases in the case database (optionally only those from these conversations)."""
    with SqlUnitOfWork(session_factory_for(stack.database_url)) as uow:
        found = [row.case for row in uow.cases.list()]
    if conversation_ids is not None:
        wanted = set(conversation_ids)
        found = [c for c in found if c.conversation_id in wanted]
    return found


def delivery_state(stack: Stack, reference: str) -> tuple[str, int] | None:
    with SqlUnitOfWork(session_factory_for(stack.database_url)) as uow:
        delivery = uow.deliveries.get(reference)
    return (delivery.state, delivery.attempts) if delivery else None


def tracker_rows(stack: Stack, sender: str) -> list[dict[str, Any]]:
    """The conversation's rows in Rasa's SQL tracker store, oldest first."""
    assert stack.tracker_store_url
    engine = make_engine(stack.tracker_store_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(events).where(events.c.sender_id == sender).order_by(events.c.id)).mappings()
            return [dict(row) for row in rows]
    finally:
        engine.dispose()


def wait_until_delivered(stack: Stack, references: list[str], seconds: float = 120) -> dict[str, int]:
    """Wait until the receiver holds every reference; returns how many times it holds each."""
    deadline = time.monotonic() + seconds
    while True:
        held = Counter(p["reference"] for p in stack.received())
        if all(held[r] for r in references) or time.monotonic() > deadline:
            return {r: held[r] for r in references}
        time.sleep(0.5)


class LogWatch:
    """What the stack's processes logged since this watch was made (for 'no lock errors')."""

    def __init__(self, stack: Stack) -> None:
        assert stack.logs is not None
        self.logs = stack.logs
        self.offsets = {path: path.stat().st_size for path in self.logs.glob("*.log")}

    def new_text(self) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            with path.open("rb") as handle:
                handle.seek(self.offsets.get(path, 0))
                parts.append(handle.read().decode("utf-8", "replace"))
        return "\n".join(parts)
