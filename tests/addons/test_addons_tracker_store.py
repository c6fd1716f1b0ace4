"""The tracker stores' additions, on Rasa's real classes: erasure, all-or-nothing turns,
and a database failure failing the turn instead of silently starting afresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import select

from bot.erasure import CONVERSATION_ERASED
from bot.settings import get_settings
from bot.storage.engine import session_factory_for
from bot.storage.migrate import upgrade
from bot.storage.orm import audit_log
from bot.storage.uow import SqlUnitOfWork
from rasa_addons.tracker_store import (
    ErasingInMemoryTrackerStore,
    ResilientSQLTrackerStore,
    erasure_requested,
)
from rasa_addons.turns import begin_turn, current_turn
from tests.support.aio import run_coroutine

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, delete_my_data, inform]
slots:
  case_reference:
    type: any
    mappings: [{type: custom}]
  workplace:
    type: any
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hi}]
actions: [action_delete_my_data]
"""
)


@pytest.fixture
def case_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade(url)
    yield url
    get_settings.cache_clear()


def erasures(url: str) -> list[tuple[str, str | None, str | None]]:
    with SqlUnitOfWork(session_factory_for(url)) as uow:
        rows = uow.session.execute(select(audit_log.c.actor, audit_log.c.case_reference, audit_log.c.detail).where(audit_log.c.action == CONVERSATION_ERASED))
        return [tuple(r) for r in rows]


def conversation(sender: str = "member-1") -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start", timestamp=1.0),
            SessionStarted(timestamp=1.0),
            ActionExecuted("action_listen", timestamp=1.0),
            UserUttered("I work at Hillside Academy", {"name": "inform"}, timestamp=2.0),
            SlotSet("workplace", "Hillside Academy", timestamp=2.0),
            SlotSet("case_reference", "NEU-ABC123", timestamp=2.0),
            BotUttered("Thanks", timestamp=2.1),
            ActionExecuted("action_listen", timestamp=2.1),
        ],
        slots=DOMAIN.slots,
    )
    return tracker


def ask_to_forget(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """As Rasa logs a custom action: its ActionExecuted, then its events, whose bot
    messages were made (and timestamped) before the ActionExecuted was."""
    for event in [
        UserUttered("delete what I told you", {"name": "delete_my_data"}, timestamp=3.0),
        ActionExecuted("action_delete_my_data", timestamp=3.1),
        BotUttered("Done: I've cleared what you told me in this conversation.", timestamp=3.05),
        SlotSet("workplace", None, timestamp=3.1),
        ActionExecuted("action_listen", timestamp=3.2),
    ]:
        tracker.update(event)
    return tracker


def texts_of(tracker: DialogueStateTracker) -> str:
    return " ".join(getattr(e, "text", "") or "" for e in tracker.events)


def run(coroutine):
    return run_coroutine(coroutine)


def test_erasure_is_spotted_only_in_the_latest_turn() -> None:
    tracker = ask_to_forget(conversation())
    tail = erasure_requested(tracker)
    assert tail is not None and tail[0].action_name == "action_delete_my_data"
    tracker.update(UserUttered("hello again", {"name": "greet"}, timestamp=4.0))
    assert erasure_requested(tracker) is None
    assert erasure_requested(conversation()) is None


@pytest.mark.parametrize("kind", ["memory", "sql"])
def test_a_member_erases_the_stored_conversation(kind: str, case_db: str, tmp_path: Path) -> None:
    store = (
        ErasingInMemoryTrackerStore(DOMAIN)
        if kind == "memory"
        else ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    )
    run(store.save(conversation()))
    tracker = run(store.retrieve("member-1"))
    run(store.save(ask_to_forget(tracker)))

    kept = run(store.retrieve_full_tracker("member-1"))
    assert "Hillside" not in texts_of(kept) and "delete what I told you" not in texts_of(kept)
    assert "I've cleared what you told me" in texts_of(kept)
    assert kept.get_slot("workplace") is None and kept.get_slot("case_reference") is None
    assert [type(e).__name__ for e in kept.events][:2] == ["ActionExecuted", "SessionStarted"]
    actor, reference, detail = erasures(case_db)[0]
    assert (actor, reference) == ("member", "NEU-ABC123") and "member-1" not in detail
    # The next turn is stored normally on top of the fresh session.
    kept.update(UserUttered("hi", {"name": "greet"}, timestamp=5.0))
    run(store.save(kept))
    assert [e.text for e in run(store.retrieve("member-1")).events if isinstance(e, UserUttered)] == ["hi"]


def test_a_failed_turn_is_not_saved(tmp_path: Path) -> None:
    store = ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    run(store.save(conversation()))

    async def failed_turn() -> None:
        turn = begin_turn()
        turn.fail("action failed")
        tracker = await store.retrieve("member-1")
        tracker.update(UserUttered("Riverside Primary", {"name": "inform"}, timestamp=9.0))
        await store.save(tracker)

    run(failed_turn())
    assert "Riverside" not in texts_of(run(store.retrieve("member-1")))


def test_a_database_failure_fails_the_turn_instead_of_starting_afresh(tmp_path: Path) -> None:
    store = ResilientSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    run(store.save(conversation()))
    store.engine.dispose()
    store.sessionmaker.configure(bind=_broken_engine())

    async def turn() -> tuple[object, list[str]]:
        begin_turn()
        found = await store.retrieve("member-1")
        await store.save(conversation())
        return found, current_turn().failures

    found, failures = run(turn())
    assert found is None and failures == ["tracker store"]


def _broken_engine():
    from sqlalchemy import create_engine

    return create_engine("sqlite:////nonexistent-dir/never/tracker.db", future=False)
