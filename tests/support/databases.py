"""Database, payload and clock fixtures, shared through tests/conftest.py.

Databases: every storage test runs on SQLite (a fresh file) and PostgreSQL (one
uniquely named database per session, every table emptied before each test by
`empty_all_tables`). If PostgreSQL
is unreachable those cases skip, unless REQUIRE_POSTGRES=1 makes that a failure.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.clock import UTC
from bot.directory.services import SAMPLE_FILE
from bot.directory.yaml_file import parse_directory
from bot.settings import SPEC_DIR
from bot.storage.engine import make_engine, make_session_factory
from bot.storage.migrate import upgrade
from bot.storage.orm import metadata
from bot.storage.uow import SqlUnitOfWork
from bot.unit_of_work import UnitOfWorkFactory

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday morning
SCHEMA = json.loads((SPEC_DIR / "handoff-v1.schema.json").read_text())
SAMPLE_DESTINATIONS = parse_directory(SAMPLE_FILE.read_text(encoding="utf-8"), str(SAMPLE_FILE))


class FakeClock:
    """An injectable clock: tests move time instead of sleeping."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


# --- payloads ----------------------------------------------------------------


def build_payload(
    reference: str = "NEU-TEST01",
    *,
    urgency: str = "routine",
    route: str = "adviceline",
    case_type: str = "targeted",
    created_at: datetime = START,
    **overrides: Any,
) -> dict[str, Any]:
    """A complete handoff-v1 payload written out by hand (no bot.handoff dependency)."""
    payload: dict[str, Any] = {
        "schema_version": "1",
        "reference": reference,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "conversation_id": f"conv-{reference.lower()}",
        "case_type": case_type,
        "urgency": urgency,
        "urgency_reasons": ["threats of violence mentioned"] if urgency == "urgent" else [],
        "route": route,
        "route_reason": "The AdviceLine handles online abuse of members directly.",
        "member": {
            "name": "Sam Example",
            "membership_number": "A1234567",
            "email": "sam@example.org",
            "phone": "+447700900123",
            "preferred_contact": "phone",
            "role": "class teacher",
            "is_leader": False,
            "workplace": "Example Primary School",
            "has_workplace_rep": True,
        },
        "incident": {
            "description": "A parent posted a photo of me with abusive comments in a town group.",
            "platforms": ["Facebook"],
            "occurred_on": "2025-02-28",
            "others_involved": ["parent"],
            "still_online": True,
            "evidence_kept": True,
        },
        "safety_concern": urgency == "urgent",
        "consent": {
            "share_with_union": True,
            "given_at": created_at.isoformat(),
            "include_transcript": False,
        },
        "guidance_given": ["report_content"],
        "summary_text": "Class teacher targeted by a parent's abusive Facebook post; still online, evidence kept.",
    }
    payload.update(overrides)
    return payload


def validated(payload: dict[str, Any]) -> dict[str, Any]:
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(payload)]
    assert not errors, f"test payload is not valid handoff-v1: {errors}"
    return payload


@pytest.fixture
def make_payload() -> Callable[..., dict[str, Any]]:
    """`make_payload("NEU-ABC123", urgency="urgent")` -> a schema-checked payload dict."""

    def make(reference: str = "NEU-TEST01", **kwargs: Any) -> dict[str, Any]:
        return validated(build_payload(reference, **kwargs))

    return make


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- databases ---------------------------------------------------------------


def _postgres_unavailable(exc: Exception) -> None:
    reason = f"PostgreSQL not reachable at {ADMIN_URL} ({type(exc).__name__})"
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}, and REQUIRE_POSTGRES=1")
    pytest.skip(f"{reason}; set REQUIRE_POSTGRES=1 to fail instead")


@contextmanager
def temporary_postgres_database(prefix: str = "neu_bot_test") -> Iterator[str]:
    """CREATE a uniquely named database, yield its URL, DROP it (even if tests failed)."""
    admin = create_engine(
        ADMIN_URL,
        future=True,
        isolation_level="AUTOCOMMIT",
        poolclass=pool.NullPool,
        connect_args={"connect_timeout": 3},
    )
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as exc:
        admin.dispose()
        _postgres_unavailable(exc)
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One migrated PostgreSQL database for the whole session."""
    with temporary_postgres_database() as url:
        upgrade(url)
        yield url


def empty_all_tables(url: str) -> None:
    """Delete every row of every table the ORM declares (`bot.storage.orm.metadata`), so a
    table added later is emptied too. Tables that point at others go first (foreign keys)."""
    engine = create_engine(url, future=True, poolclass=pool.NullPool)
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


def seed_sample_directory(url: str) -> None:
    """The fictional sample directory (directory/sample.yml), as `make run` loads it into an
    empty database; written directly, so no audit entry is added to what tests count."""
    engine = make_engine(url)
    with SqlUnitOfWork(make_session_factory(engine)) as uow:
        if not uow.directory.all():
            uow.directory.replace(SAMPLE_DESTINATIONS)
            uow.commit()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database on each backend: no cases, and the fictional sample directory."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
        upgrade(url)
    else:
        url = request.getfixturevalue("postgres_database")
        empty_all_tables(url)
    seed_sample_directory(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'empty.sqlite3'}"
        return
    with temporary_postgres_database("neu_bot_migrate") as url:
        yield url


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[UnitOfWorkFactory]:
    """A fresh unit of work per call, over one engine for the test."""
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    yield lambda: SqlUnitOfWork(sessions)
    engine.dispose()


REDIS = (os.environ.get("TEST_REDIS_HOST", "127.0.0.1"), int(os.environ.get("TEST_REDIS_PORT", "6379")))


def require_redis() -> None:
    """Skip (or fail with REQUIRE_POSTGRES=1, which asks for the production services) without Redis."""
    try:
        socket.create_connection(REDIS, timeout=3).close()
    except OSError as exc:
        reason = f"Redis not reachable at {REDIS[0]}:{REDIS[1]} ({type(exc).__name__})"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}, and REQUIRE_POSTGRES=1")
        pytest.skip(reason)
