"""The case database, as the settings name it, for the actions that write to it."""

from __future__ import annotations

from bot.settings import get_settings
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork


def case_database() -> SqlUnitOfWork:
    """A new unit of work; engines and their pools are shared per URL, so this is cheap."""
    return SqlUnitOfWork(session_factory_for(get_settings().database_url))
