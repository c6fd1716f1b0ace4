"""Driving rasa-sdk actions directly: trackers shaped like the ones Rasa 3.6 sends, and a runner.

Fixtures: `tracker` (the factory below), `run` (an action -> `Result`), `answers`
(complete answers per track), `case_store` / `stored_cases` (a migrated SQLite file).

`make_tracker(...)` builds a `rasa_sdk.Tracker` whose slots default to None for every
slot in domain.yml. With `ask="<field>"` it is a form turn: the member's text is also the
requested slot's value, and a SlotSet for it follows the user event, as Rasa's
`action_extract_slots` leaves it (`Tracker.slots_to_validate()` reads those).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from tests.support.aio import run_coroutine
from tests.support.answers import ANSWERS, MEMBER  # noqa: F401 - used by the tests through this module

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text())
SLOT_NAMES = [*DOMAIN["slots"], "requested_slot"]
TIMESTAMP = 1_795_000_000.0  # a fixed time for events (November 2026)

def parse_data(text: str, intent: str | None, confidence: float, topic: str | None) -> dict[str, Any]:
    """The NLU result for one message, as Rasa puts it in `latest_message` and the user event."""
    data: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [],
    }
    if topic:
        data["response_selector"] = {
            "faq": {"response": {"intent_response_key": f"faq/{topic}", "confidence": confidence}}
        }
    return data


def user_event(text: str, intent: str | None = "unclear", confidence: float = 0.5, topic: str | None = None) -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": TIMESTAMP,
        "text": text,
        "parse_data": parse_data(text, intent, confidence, topic),
        "input_channel": "rest",
    }


def bot_event(text: str, utter_action: str | None = None) -> dict[str, Any]:
    """What the assistant said; Rasa records the response's name for a response from domain.yml."""
    metadata = {"utter_action": utter_action} if utter_action else {}
    return {"event": "bot", "timestamp": TIMESTAMP, "text": text, "data": {}, "metadata": metadata}


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str | None = "unclear",
    confidence: float = 0.5,
    topic: str | None = None,
    *,
    ask: str | None = None,
    history: list[dict[str, Any]] | None = None,
    sender_id: str = "conv-test-1",
) -> Tracker:
    """A tracker whose latest message is `text`; `ask` makes it a turn of case_form asking that slot."""
    values = dict.fromkeys(SLOT_NAMES)
    values.update(slots or {})
    message = parse_data(text, intent, confidence, topic)
    events = [*(history or []), user_event(text, intent, confidence, topic)]
    active_loop: dict[str, Any] = {}
    if ask:
        values["requested_slot"] = ask
        values[ask] = text
        events.append(SlotSet(ask, text))
        active_loop = {"name": "case_form"}
    return Tracker(sender_id, values, message, events, False, None, active_loop, "action_listen")


@dataclass
class Result:
    """What an action did: the events it returned and the messages it uttered."""

    events: list[dict[str, Any]]
    messages: list[dict[str, Any]]

    @property
    def slots(self) -> dict[str, Any]:
        """The final value of every slot the events set (later events win)."""
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    @property
    def button_titles(self) -> list[str]:
        return [b["title"] for m in self.messages for b in m.get("buttons") or []]


def run_action(action: Action, tracker: Tracker) -> Result:
    """Run an action as the action server would."""
    dispatcher = CollectingDispatcher()
    events = run_coroutine(action.run(dispatcher, tracker, DOMAIN))
    return Result(events, dispatcher.messages)


@pytest.fixture
def tracker() -> Callable[..., Tracker]:
    return make_tracker


@pytest.fixture
def run() -> Callable[[Action, Tracker], Result]:
    return run_action


@pytest.fixture
def domain() -> dict[str, Any]:
    return DOMAIN


@pytest.fixture
def answers() -> dict[str, dict[str, Any]]:
    """Complete answers for each track (fresh copies), ready for the read-back."""
    return {track: dict(values) for track, values in ANSWERS.items()}


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file holding the fictional sample directory, copied for each test."""
    from bot.storage.migrate import upgrade
    from tests.support.databases import seed_sample_directory

    path = tmp_path_factory.mktemp("template") / "cases.sqlite3"
    upgrade(f"sqlite:///{path}")
    seed_sample_directory(f"sqlite:///{path}")
    return path


@pytest.fixture(autouse=True)
def case_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_template: Path) -> Iterator[str]:
    """DATABASE_URL pointing at a migrated SQLite file with the sample directory (every action test
    has one: the read-back and the place question read the directory); settings cache cleared."""
    from bot.settings import get_settings

    path = tmp_path / "cases.sqlite3"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture
def stored_cases(case_store: str) -> Callable[[], dict[str, dict[str, Any]]]:
    """`stored_cases()`: every stored case's payload by reference (read through the unit of work)."""
    from bot.storage.engine import session_factory_for
    from bot.storage.uow import SqlUnitOfWork

    def payloads() -> dict[str, dict[str, Any]]:
        with SqlUnitOfWork(session_factory_for(case_store)) as uow:
            return {row.case.reference: row.case.payload_dict for row in uow.cases.list()}

    return payloads


@pytest.fixture(name="bot_event")
def bot_event_fixture() -> Callable[..., dict[str, Any]]:
    """`bot_event(text, utter_action)`: an earlier reply for `history`."""
    return bot_event


@pytest.fixture(name="user_event")
def user_event_fixture() -> Callable[..., dict[str, Any]]:
    """`user_event(text, intent, confidence)`: an earlier member message for `history`."""
    return user_event
