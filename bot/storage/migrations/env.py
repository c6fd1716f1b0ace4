"""Alembic environment for the case store.

The database URL comes from, in order: a `url` (or an open `connection`) put in
`config.attributes` by `bot.storage.migrate`, `alembic -x url=...`, a
`sqlalchemy.url` in alembic.ini (left empty there on purpose), and finally
`bot.settings` (DATABASE_URL, default SQLite under var/).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection

from bot.settings import get_settings
from bot.storage.engine import ensure_sqlite_directory, make_engine, normalise_url
from bot.storage.orm import metadata

# Any 64-bit constant works: it keeps two processes starting together from migrating at once.
PG_MIGRATION_LOCK = 7_424_130_551

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    x_args = context.get_x_argument(as_dictionary=True)
    return str(
        config.attributes.get("url")
        or x_args.get("url")
        or config.get_main_option("sqlalchemy.url")
        or get_settings().database_url
    )


def configure(connection: Connection) -> None:
    """SQLite gets batch mode (table rebuilds) and, thanks to the engine's explicit
    BEGIN IMMEDIATE, a real transaction around the whole upgrade."""
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,
        transactional_ddl=True if sqlite else None,
        compare_type=True,
    )


def run_with(connection: Connection) -> None:
    configure(connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
        context.run_migrations()


def run_migrations_offline() -> None:
    url = normalise_url(database_url())
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=url.get_backend_name() == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        run_with(given)
        return
    url = database_url()
    ensure_sqlite_directory(url)
    engine = make_engine(url, sqlite_foreign_keys=False, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_with(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
