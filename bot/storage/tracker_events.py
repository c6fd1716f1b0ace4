"""Rasa's SQL tracker store, seen from our side: its `events` table, for retention and erasure.

Rasa owns and creates this table (`rasa.core.tracker_store.SQLTrackerStore`);
we only delete rows from it. It is described here with its own MetaData, so
Alembic never tries to manage it. One row per conversation event; `timestamp`
is Unix seconds (float); a conversation is all rows with one `sender_id`, and
a session starts at each `session_started` row.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, and_, delete, func, inspect, or_, select
from sqlalchemy.engine import Engine

from bot.storage.engine import make_engine, normalise_url

SESSION_STARTED = "session_started"

tracker_metadata = MetaData()

events = Table(
    "events",
    tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


class TrackerEvents:
    """Deletes conversation events from the tracker store's database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def exists(self) -> bool:
        """False until a Rasa server has created the table (nothing to delete then)."""
        return inspect(self._engine).has_table(events.name)

    def count(self, sender_id: str | None = None) -> int:
        query = select(func.count()).select_from(events)
        if sender_id is not None:
            query = query.where(events.c.sender_id == sender_id)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def erase_conversation(self, sender_id: str) -> int:
        """Every stored event of one conversation, all sessions. Returns rows deleted."""
        if not self.exists():
            return 0
        with self._engine.begin() as conn:
            return int(conn.execute(delete(events).where(events.c.sender_id == sender_id)).rowcount)

    def prune(self, cutoff: datetime, *, dry_run: bool = False) -> int:
        """Delete events older than `cutoff`, whole sessions at a time.

        A conversation whose latest event is older than the cutoff goes entirely.
        In a conversation still in use, events older than the cutoff go only if
        they belong to an earlier session, so the live session stays whole and
        Rasa can still rebuild it.
        """
        if not self.exists():
            return 0
        condition = _prunable(cutoff.timestamp())
        with self._engine.begin() as conn:
            if dry_run:
                return int(conn.execute(select(func.count()).select_from(events).where(condition)).scalar_one())
            return int(conn.execute(delete(events).where(condition)).rowcount)


def _prunable(cutoff: float):
    later = events.alias("later")
    newer_event_exists = (
        select(later.c.id)
        .where(later.c.sender_id == events.c.sender_id, later.c.timestamp >= cutoff)
        .exists()
    )
    newer_session_started = (
        select(later.c.id)
        .where(
            later.c.sender_id == events.c.sender_id,
            later.c.type_name == SESSION_STARTED,
            later.c.timestamp > events.c.timestamp,
        )
        .exists()
    )
    return and_(events.c.timestamp < cutoff, or_(~newer_event_exists, newer_session_started))


@lru_cache(maxsize=4)
def tracker_events_for(url: str) -> TrackerEvents:
    """One engine per tracker-store URL for the life of the process."""
    return TrackerEvents(make_engine(normalise_url(url)))
