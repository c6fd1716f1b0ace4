"""Rendering responses with live values, and checking action replies, inside the Rasa server."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.adviceline import live_status_line
from rasa_addons import action_replies
from rasa_addons.nlg import LiveResponseGenerator
from tests.support.aio import run_coroutine

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load([str(ROOT / "domain.yml"), str(ROOT / "data" / "responses")])


def render(nlg: NaturalLanguageGenerator, name: str, **kwargs) -> str:
    tracker = DialogueStateTracker.from_events("conv-nlg", [], slots=DOMAIN.slots)
    return run_coroutine(nlg.generate(name, tracker, "rest", **kwargs))["text"]


@pytest.mark.parametrize("endpoints_file", ["endpoints.yml", "endpoints.production.yml"])
def test_both_configurations_use_the_live_generator(endpoints_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACTION_ENDPOINT_URL", "ACTION_SERVER_TOKEN", "TRACKER_STORE_URL", "REDIS_HOST", "REDIS_PORT",
                 "REDIS_PASSWORD", "REDIS_LOCK_DB", "LOCK_STORE_KEY_PREFIX"):
        monkeypatch.setenv(name, "1")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / endpoints_file))
    assert isinstance(NaturalLanguageGenerator.create(endpoints.nlg, DOMAIN), LiveResponseGenerator)


def test_the_adviceline_answer_says_whether_it_is_open_right_now() -> None:
    text = render(LiveResponseGenerator(domain=DOMAIN), "utter_faq/contact_adviceline")
    assert live_status_line() in text
    assert "{adviceline_status}" not in text and "None" not in text
    assert "0345 811 8111" in text


def test_a_value_passed_by_an_action_is_kept() -> None:
    text = render(LiveResponseGenerator(domain=DOMAIN), "utter_faq/contact_adviceline", adviceline_status="CHOSEN.")
    assert "CHOSEN." in text


def test_other_responses_are_rendered_exactly_as_rasa_would() -> None:
    live, plain = LiveResponseGenerator(domain=DOMAIN), NaturalLanguageGenerator.create(None, DOMAIN)
    for name in ("utter_faq/learners_as_friends", "utter_greet", "utter_menu"):
        assert render(live, name) == render(plain, name)


GOOD = {"events": [{"event": "slot", "name": "role", "value": "teacher"}], "responses": [{"text": "hi"}]}
BAD = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "not a list"},
]


def test_the_cached_check_accepts_what_rasas_accepts() -> None:
    assert action_replies.validate_action_result(None, GOOD) is True
    assert action_replies.validate_action_result(None, {}) is True


@pytest.mark.parametrize("reply", BAD)
def test_the_cached_check_refuses_what_rasas_refuses_with_its_message(reply: dict) -> None:
    original = RemoteAction._validate_action_result
    with pytest.raises(ValidationError) as rasas:
        original(RemoteAction("action_x", None), dict(reply))
    with pytest.raises(ValidationError) as ours:
        action_replies.validate_action_result(None, dict(reply))
    assert ours.value.message == rasas.value.message


def test_installing_replaces_rasas_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action_replies.install()
    assert RemoteAction._validate_action_result is action_replies.validate_action_result
