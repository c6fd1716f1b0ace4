"""Engines and sessions from a database URL: SQLite for a laptop, PostgreSQL in production."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalise_url(url: str | URL) -> URL:
    """Accept the `postgres://` spelling some hosts hand out."""
    parsed = make_url(url)
    if parsed.drivername == "postgres":
        parsed = parsed.set(drivername="postgresql")
    return parsed


def make_engine(url: str | URL, *, sqlite_foreign_keys: bool = True, **kwargs: Any) -> Engine:
    """A 2.0-style engine with the per-backend settings the outbox relies on.

    Bound parameters are hidden from error messages and logs: they carry payloads.

    `sqlite_foreign_keys=False` is for migrations only: Alembic's batch mode
    rebuilds SQLite tables, and dropping a parent table with foreign keys on
    would cascade-delete its children.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, sqlite_foreign_keys, **kwargs)
    return create_engine(parsed, future=True, pool_pre_ping=True, hide_parameters=True, **kwargs)


def ensure_sqlite_directory(url: str | URL) -> None:
    """Create the folder of a file-based SQLite database (default `var/`) if missing."""
    parsed = normalise_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def make_session_factory(engine: Engine) -> sessionmaker:
    """Sessions that keep loaded values after commit, so results outlive the unit of work."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def session_factory_for(url: str | URL) -> sessionmaker:
    """Sessions for a URL, sharing one engine (and pool) per URL for the life of the process.

    Callers that only hold a URL (the action server on every submission, the CLI)
    can call this freely without opening a new connection pool each time.
    """
    return _cached_session_factory(normalise_url(url).render_as_string(hide_password=False))


@lru_cache(maxsize=8)
def _cached_session_factory(url: str) -> sessionmaker:
    return make_session_factory(make_engine(url))


def _sqlite_engine(url: URL, foreign_keys: bool, **kwargs: Any) -> Engine:
    """SQLite in WAL mode with foreign keys on and every transaction `BEGIN IMMEDIATE`.

    pysqlite defers BEGIN until the first write, so two processes could both read
    a due job and both claim it. Taking the write lock at the start of every
    transaction (waiting up to the busy timeout) makes claim and insert-if-absent
    atomic across the bot, the worker and the CLI. This is SQLAlchemy's
    documented recipe for "serializable" SQLite.
    """
    engine = create_engine(url, future=True, hide_parameters=True, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        if url.database and url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
