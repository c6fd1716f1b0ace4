"""The case store: cases and their delivery jobs, written together (an outbox).

The action layer needs only::

    from bot.storage import SqlUnitOfWork, record_case, session_factory_for
    sessions = session_factory_for(settings.database_url)   # once per process
    created = record_case(SqlUnitOfWork(sessions), payload)  # False if already stored
"""

from bot.case_records import Case, Delivery, InvalidTransition
from bot.storage.engine import make_engine, make_session_factory, session_factory_for
from bot.storage.repository import CaseListing
from bot.storage.services import (
    record_case,
    retry_all_dead,
    retry_dead,
    set_case_status,
)
from bot.storage.uow import SqlUnitOfWork, uow_factory

__all__ = [
    "Case",
    "CaseListing",
    "Delivery",
    "InvalidTransition",
    "SqlUnitOfWork",
    "make_engine",
    "make_session_factory",
    "record_case",
    "retry_all_dead",
    "retry_dead",
    "session_factory_for",
    "set_case_status",
    "uow_factory",
]
