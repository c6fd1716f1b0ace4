"""The wiring of one process, done once by its entry point: settings, database, logging.

Cosmic Python's `bootstrap.py`: an entry point (bot/entrypoints/, the action server,
devtools) calls `bootstrap()` once and hands what it returns to the code it runs, so
the domain under bot/ never reads the environment itself. What the domain needs
from the settings (the UK nation for working days, a database's sessions) it gets
as arguments; the nation is also set as the calendar's default here, for the few
callers that do not pass one (see `bot.uk_calendar.set_default_nation`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import sessionmaker

from bot.settings import Settings, get_settings
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork
from bot.uk_calendar import set_default_nation

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


@dataclass(frozen=True)
class Wiring:
    """What a process runs on: its settings and the session factory of its database."""

    settings: Settings
    sessions: sessionmaker

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions)


def configure_logging(level: str) -> None:
    """One log format for every process; message text and personal fields are never logged at INFO."""
    logging.basicConfig(level=level, format=LOG_FORMAT)


def bootstrap(
    settings: Settings | None = None, *, database_url: str | None = None, configure_logs: bool = True
) -> Wiring:
    """Read the settings (unless given), configure logging and the calendar, open the database's sessions.

    The engine is created lazily by SQLAlchemy on first use, so bootstrapping a process
    that never touches the database costs nothing.
    """
    settings = settings if settings is not None else get_settings()
    if configure_logs:
        configure_logging(settings.log_level)
    set_default_nation(settings.uk_nation)
    return Wiring(settings, session_factory_for(database_url or settings.database_url))
