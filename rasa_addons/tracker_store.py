"""Rasa's own tracker stores, with three things the product needs added.

- **Erasure on request.** When `action_delete_my_data` has run in a turn, the
  store does not append that turn: it erases every stored event of the
  conversation (all sessions) and keeps only a fresh session holding what came
  after the action (its confirmation). An action cannot do this itself: Rasa
  saves the whole tracker again after the action returns. Each erasure is
  recorded in the audit log (`bot.erasure`) first; if that fails, nothing is
  erased and the turn fails, so the member is asked to try again.
- **All-or-nothing turns.** A turn marked failed (`rasa_addons.turns`) is not
  saved, and a database error while reading or saving marks the turn failed
  instead of letting Rasa carry on with an empty conversation.
- **PostgreSQL restarts.** The SQL store's connections are checked before use
  (`pool_pre_ping`), so a restarted database costs no member a failed message
  once it is back, and SQL parameters (which hold message text) are kept out of
  error messages and logs.

Configured in endpoints.yml (in memory) and endpoints.production.yml (SQL).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.clock import utc_now
from bot.erasure import record_conversation_erasure
from bot.settings import get_settings
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork
from rasa_addons.turns import fail_turn, turn_failed

log = logging.getLogger(__name__)

ERASE_ACTION = "action_delete_my_data"


def erasure_requested(tracker: DialogueStateTracker) -> list[Event] | None:
    """The events after `action_delete_my_data` if it ran in the latest turn, else None."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, ActionExecuted) and event.action_name == ERASE_ACTION:
            return events[index:]
    return None


def erased_tracker(tracker: DialogueStateTracker, tail: list[Event]) -> DialogueStateTracker:
    """A fresh session holding only what followed the erasing action (its reply, the listen).

    The session starts no later than its first event: the SQL store rebuilds
    a conversation from the latest `session_started` onwards, by timestamp.
    """
    start = min(event.timestamp for event in tail)
    kept = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=start),
        SessionStarted(timestamp=start),
        *tail[1:],
    ]
    return DialogueStateTracker.from_events(tracker.sender_id, kept, slots=tracker.slots.values())


def audit_erasure(events: int, case_reference: str | None) -> bool:
    """Record the member's request in the case database's audit log; False if that failed."""
    try:
        sessions = session_factory_for(get_settings().database_url)
        record_conversation_erasure(SqlUnitOfWork(sessions), utc_now(), events, case_reference)
    except SQLAlchemyError as exc:
        log.error("erasure not recorded in the audit log (%s); conversation left as it was", type(exc).__name__)
        return False
    return True


def _skip_failed_turn() -> bool:
    if turn_failed():
        log.info("turn failed: conversation left as it was before the message")
        return True
    return False


class ErasingInMemoryTrackerStore(InMemoryTrackerStore):
    """Rasa's in-memory store (one process, a laptop) with erasure and all-or-nothing turns."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        if _skip_failed_turn():
            return
        tail = erasure_requested(tracker)
        if tail is not None:
            stored = await self.retrieve_full_tracker(tracker.sender_id)
            if not audit_erasure(len(stored.events) if stored else 0, tracker.get_slot("case_reference")):
                fail_turn("audit log")
                return
            tracker = erased_tracker(tracker, tail)
        await super().save(tracker)


class ResilientSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (PostgreSQL in production) with erasure, all-or-nothing
    turns and connections that survive a database restart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url))
        self.sessionmaker = sessionmaker(bind=self.engine)
        # Operators look for this line: if the module cannot be imported, Rasa silently uses memory.
        log.info("conversations are stored in %s (SQL tracker store)", url.render_as_string(hide_password=True))

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        return await self._guarded(super().retrieve(sender_id), "read")

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        return await self._guarded(super().retrieve_full_tracker(conversation_id), "read")

    async def save(self, tracker: DialogueStateTracker) -> None:
        if _skip_failed_turn():
            return
        tail = erasure_requested(tracker)
        if tail is None:
            await self._guarded(super().save(tracker), "save")
        else:
            await self._guarded(self._erase(tracker, tail), "erase")

    async def _guarded(self, work: Any, what: str) -> Any:
        """A database error fails the turn (the member is asked to try again) instead of
        Rasa falling back to an empty in-memory conversation."""
        try:
            return await work
        except SQLAlchemyError as exc:
            fail_turn("tracker store")
            log.error("tracker store %s failed (%s)", what, type(exc).__name__)
            return None

    async def _erase(self, tracker: DialogueStateTracker, tail: list[Event]) -> None:
        """Audit, then delete every stored event of the conversation and store the fresh session."""
        fresh = erased_tracker(tracker, tail)
        with self.session_scope() as session:
            rows = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id)
            if not audit_erasure(rows.count(), tracker.get_slot("case_reference")):
                fail_turn("audit log")
                return
            rows.delete(synchronize_session=False)
            for event in fresh.events:
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        log.info("conversation erased at the member's request")

    def _row(self, sender_id: str, event: Event) -> Any:
        """One `events` row, exactly as SQLTrackerStore.save writes it."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
