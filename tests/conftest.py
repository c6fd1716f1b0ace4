"""Fixtures shared across test folders: databases (SQLite and PostgreSQL), payloads, a fake clock."""

from tests.support.databases import (  # noqa: F401 - re-exported as fixtures
    clock,
    database_url,
    empty_database_url,
    make_payload,
    postgres_database,
    uow_factory,
)
