"""Fixtures shared across test folders: databases (SQLite and PostgreSQL), payloads, a fake
clock, a real SMTP server, the laptop stack (e2e and browser tests share one) and the production-mode stack of
the fault and fuzz tests."""

import pytest

from tests.support.databases import (  # noqa: F401 - re-exported as fixtures
    clock,
    database_url,
    empty_database_url,
    make_payload,
    postgres_database,
    uow_factory,
)
from tests.support.smtp import smtp_server, tls_smtp_server  # noqa: F401 - re-exported as fixtures (a real SMTP server)
from tests.support.stacks import production_stack, stack  # noqa: F401 - re-exported as fixtures (one of each per run)


def pytest_configure(config: pytest.Config) -> None:
    # Slow tests against the production topology; scripts/test.sh runs them in their own step.
    config.addinivalue_line("markers", "faults: fault tests on the production topology (tests/faults)")
    config.addinivalue_line("markers", "fuzz: hostile input to the running servers (tests/fuzz)")
