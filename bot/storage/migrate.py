"""Bring a database to the latest schema; the run command calls `upgrade()` at start-up.

Safe to call every time and from several processes at once: Alembic does
nothing at head, PostgreSQL upgrades take an advisory lock, and SQLite
upgrades run in one `BEGIN IMMEDIATE` transaction.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from bot.storage.engine import ensure_sqlite_directory, normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL) -> Config:
    """An in-memory Alembic config; it does not read alembic.ini or touch logging."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = _url_string(url)
    config.attributes["configure_logger"] = False
    return config


def upgrade(url: str | URL, revision: str = "head") -> None:
    """Migrate `url` (the entry point says which database) to `revision`, creating var/ if needed."""
    config = alembic_config(url)
    ensure_sqlite_directory(config.attributes["url"])
    command.upgrade(config, revision)


def downgrade(url: str | URL, revision: str = "base") -> None:
    """For tests and emergencies: the case store is the source of truth, so back it up first."""
    command.downgrade(alembic_config(url), revision)


def _url_string(url: str | URL) -> str:
    return normalise_url(url).render_as_string(hide_password=False)
