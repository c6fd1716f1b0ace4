"""The case database, as the settings name it, for the actions that write to it."""

from __future__ import annotations

from actions import config
from bot.directory.model import Directory
from bot.directory.services import load_directory
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork


def case_database() -> SqlUnitOfWork:
    """A new unit of work; engines and their pools are shared per URL, so this is cheap."""
    return SqlUnitOfWork(session_factory_for(config.settings().database_url))


def directory() -> Directory:
    """The directory as stored now (one short read), for matching a workplace's place."""
    return load_directory(case_database())
