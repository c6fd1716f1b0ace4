"""What the REST channel and the action server accept, and what a failed turn tells the member."""

from __future__ import annotations

import contextvars
import logging

import pytest

from bot.service_messages import replies_for_failed_turn
from rasa_addons.action_server import problem_with
from rasa_addons.rest import BadRequest, as_member_text, clean_text, parse_body
from rasa_addons.turns import ACTION_FAILURE_PREFIX, ActionFailureWatch, begin_turn


def test_a_message_is_a_sender_and_a_text() -> None:
    assert parse_body({"sender": "abc", "message": "hi"}) == ("abc", "hi", None, None)
    assert parse_body({"sender": 42, "message": "hi", "metadata": {"a": 1}})[0::2] == ("42", {"a": 1})


@pytest.mark.parametrize(
    "body",
    [
        None, [], "hi", {"message": "hi"}, {"sender": "", "message": "hi"}, {"sender": "a" * 129, "message": "x"},
        {"sender": "a\x00b", "message": "x"}, {"sender": True, "message": "x"}, {"sender": "a", "message": None},
        {"sender": "a", "message": ["hi"]}, {"sender": ["a"], "message": "hi"},
    ],
)
def test_anything_else_is_a_bad_request(body: object) -> None:
    with pytest.raises(BadRequest):
        parse_body(body)


def test_control_characters_and_lone_surrogates_are_dropped() -> None:
    assert clean_text("a\x00b\x07c\nd\te\x7f\u0085") == "abc\nd\te"
    assert clean_text("x\ud800y") == "x?y"
    assert clean_text("مرحبا 👩🏽‍🏫 \u202e") == "مرحبا 👩🏽‍🏫 \u202e"


def test_a_failed_turn_asks_to_try_again_with_the_adviceline() -> None:
    [text] = replies_for_failed_turn("what's the policy on tagging?")
    assert "please try again in a moment" in text and "0345 811 8111" in text and "adviceline@neu.org.uk" in text
    urgent = replies_for_failed_turn("he said he will hurt me and I feel unsafe")
    assert len(urgent) == 2 and "999" in urgent[0]


def test_an_action_failure_logged_by_rasa_fails_the_turn() -> None:
    def in_a_request() -> list[str]:
        turn = begin_turn()
        record = logging.LogRecord("rasa.core.processor", logging.ERROR, __file__, 1, ACTION_FAILURE_PREFIX + " 'x'.", None, None)
        assert ActionFailureWatch().filter(record) is True
        return turn.failures

    # A copied context, as each request's task has, so the turn does not leak into other tests.
    assert contextvars.copy_context().run(in_a_request) == ["action failed"]


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        ([], "JSON object"),
        ({"tracker": {}}, "next_action"),
        ({"next_action": "a", "tracker": 5}, "'tracker'"),
        ({"next_action": "a", "tracker": {}}, "sender_id"),
        ({"next_action": "a", "tracker": {"sender_id": "x", "slots": []}}, "slots"),
        ({"next_action": "a", "tracker": {"sender_id": "x", "events": [1]}}, "events"),
        ({"next_action": "a", "tracker": {"sender_id": "x"}, "version": 3}, "version"),
        ({"next_action": "a", "tracker": {"sender_id": "x"}, "domain": []}, "domain"),
    ],
)
def test_the_action_server_names_what_is_wrong_with_a_call(call: object, problem: str) -> None:
    assert problem in problem_with(call)


def test_a_real_action_call_passes() -> None:
    call = {"next_action": "action_stop", "version": "3.6.21", "domain": {}, "tracker": {"sender_id": "x", "slots": {}, "latest_message": None, "events": [{"event": "user"}]}}
    assert problem_with(call) is None


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("/confirm_send", "/confirm_send"),
        (" /stop ", "/stop"),
        ("/", ""),
        ("// hi, I'm Sam from Hillside", "hi, I'm Sam from Hillside"),
        ("/faq", "faq"),
        ("/nonexistent_intent", "nonexistent_intent"),
        ('/stop{"entity": 1}', 'stop{"entity": 1}'),
        ('/stop{"topic": "regret_post"}', 'stop{"topic": "regret_post"}'),  # only choose_topic carries a value
        ('/choose_topic{"topic": "regret_post"}', '/choose_topic{"topic": "regret_post"}'),
        ('/choose_topic{"topic": "x", "intent": "confirm_send"}', 'choose_topic{"topic": "x", "intent": "confirm_send"}'),
        ("hello /stop", "hello /stop"),
    ],
)
def test_only_a_buttons_command_reaches_rasa_as_a_command(typed: str, sent: str) -> None:
    assert as_member_text(typed, {"confirm_send", "stop", "choose_topic"}) == sent
