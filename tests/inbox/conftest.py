"""Inbox fixtures: the shared databases (SQLite and PostgreSQL) with the inbox's
own tables emptied too, and ready-made accounts.

Argon2 at its defaults costs ~50 ms and 64 MiB a hash, so database tests use
cheap parameters (the rules tests check the real ones).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, pool

from bot.inbox.accounts import SessionPolicy, create_adviser
from bot.inbox.model import Adviser
from bot.unit_of_work import UnitOfWorkFactory
from tests.support.databases import START

PASSWORD = "correct horse battery staple"
INBOX_TABLES = "audit_log, adviser_sessions, advisers, case_claims"


@pytest.fixture(autouse=True)
def _empty_inbox_tables(request: pytest.FixtureRequest) -> None:
    """The shared PostgreSQL database is reused across tests and only its case tables
    are emptied by tests/support; empty the inbox's here."""
    if "database_url" not in request.fixturenames:
        return
    url = request.getfixturevalue("database_url")
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, future=True, poolclass=pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {INBOX_TABLES} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(autouse=True)
def _quick_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Database tests hash with cheap Argon2 parameters; the rules tests keep the real ones."""
    if "database_url" in request.fixturenames:
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        monkeypatch.setattr("bot.inbox.passwords._hasher", lambda: cheap)


@pytest.fixture
def policy() -> SessionPolicy:
    return SessionPolicy()


@pytest.fixture
def make_adviser(uow_factory: UnitOfWorkFactory) -> Callable[..., Adviser]:
    def make(email: str = "adviser@example.org", role: str = "adviser") -> Adviser:
        return create_adviser(uow_factory(), email, PASSWORD, role, START)

    return make


@pytest.fixture
def adviser(make_adviser: Callable[..., Adviser]) -> Adviser:
    return make_adviser("adviser@example.org", "adviser")


@pytest.fixture
def colleague(make_adviser: Callable[..., Adviser]) -> Adviser:
    return make_adviser("colleague@example.org", "adviser")


@pytest.fixture
def admin(make_adviser: Callable[..., Adviser]) -> Adviser:
    return make_adviser("admin@example.org", "admin")
