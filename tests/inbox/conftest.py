"""Inbox fixtures: ready-made accounts over the shared databases (SQLite and PostgreSQL,
emptied before each test by tests/support/databases.py).

Argon2 at its defaults costs ~50 ms and 64 MiB a hash, so database tests use
cheap parameters (the rules tests check the real ones).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.inbox.accounts import SessionPolicy, create_adviser
from bot.inbox.model import Adviser
from bot.unit_of_work import UnitOfWorkFactory
from tests.support.advisers import PASSWORD, cheap_hasher
from tests.support.databases import START


@pytest.fixture(autouse=True)
def _quick_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Database tests hash with cheap Argon2 parameters; the rules tests keep the real ones."""
    if "database_url" in request.fixturenames:
        cheap = cheap_hasher()
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
