"""Questions and small talk against the running servers, over the REST channel."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
import yaml

from tests.support.replies import buttons, dump, texts
from tests.support.stack import TOKEN

ROOT = Path(__file__).resolve().parents[2]
TOPICS = yaml.safe_load((ROOT / "spec" / "topics.yml").read_text())["topics"]
RESPONSES = yaml.safe_load((ROOT / "data" / "responses" / "faq.yml").read_text())["responses"]
STATUS = re.compile(r"The AdviceLine is (open now, until 7pm\.|closed right now\. It opens again .+ at 9am\.)")


def _expected(topic_id: str) -> str:
    return RESPONSES[f"utter_faq/{topic_id}"][0]["text"]


@pytest.mark.parametrize("topic", TOPICS, ids=[t["id"] for t in TOPICS])
def test_every_topic_is_answered_with_its_response(stack, sender, topic):
    replies = stack.chat(sender, topic["asks"])
    said = texts(replies)
    expected = _expected(topic["id"])
    if topic["id"] == "contact_adviceline":
        assert STATUS.search(said), dump(replies)
        expected = STATUS.sub("", expected.replace("{adviceline_status}", "")).strip()
        said = STATUS.sub("", said)
        assert [line for line in expected.splitlines() if line.strip()] == [
            line for line in said.splitlines() if line.strip()
        ], dump(replies)
    else:
        assert said.strip() == expected.strip(), dump(replies)
    assert f'Source: "Safer social networking", {topic["section"]}' in said


def test_follow_up_question_straight_after_an_answer(stack, sender):
    first = texts(stack.chat(sender, "can i add my year 10 pupils on instagram"))
    second = texts(stack.chat(sender, "what about accepting requests from parents?"))
    assert first.strip() == _expected("learners_as_friends").strip()
    assert second.strip() == _expected("parents_as_friends").strip()


def test_regret_post_offers_the_intake(stack, sender):
    replies = stack.chat(sender, "I posted something last night that I really regret, what should I do?")
    said = texts(replies)
    assert "try to get the post removed" in said and "keep a copy" in said, dump(replies)  # the sheet's advice first
    assert {"Yes, take my details", "No, thanks"} <= set(buttons(replies)), dump(replies)


def test_greeting_offers_the_menu(stack, sender):
    replies = stack.chat(sender, "hello")
    assert "Ask about social media" in buttons(replies)
    assert "Is the AdviceLine open?" in buttons(replies)


def test_menu_button_for_common_questions(stack, sender):
    replies = stack.chat(sender, "/ask_question")
    assert "Pupils as friends" in buttons(replies)


@pytest.mark.parametrize("message", ["what's the teachers' pay award this year", "can you give me a recipe for lasagne"])
def test_out_of_scope_is_polite_and_gives_the_adviceline(stack, sender, message):
    said = texts(stack.chat(sender, message))
    assert "0345 811 8111" in said and "not something I can help with" in said


def test_two_misunderstandings_offer_the_adviceline(stack, sender):
    first = texts(stack.chat(sender, "/nlu_fallback"))
    second = stack.chat(sender, "/nlu_fallback")
    assert "put it another way" in first
    assert "0345 811 8111" in texts(second) and "Talk to a person" in buttons(second), dump(second)


@pytest.mark.parametrize("noise", ["florp gnazzle", "asdfgh qwerty", "??!!", "zzzzzz"])
def test_noise_never_gets_a_topic_answer(stack, sender, noise):
    said = texts(stack.chat(sender, noise))
    assert "Source:" not in said and ("put it another way" in said or "not something I can help with" in said), said


def test_bot_challenge(stack, sender):
    assert "automated assistant" in texts(stack.chat(sender, "am I talking to a real person?"))


@pytest.mark.parametrize(
    "message",
    [
        "a parent has threatened to kill me and posted my address",
        "i've had a threat to burn my house down",
        "I can't cope any more and I don't want to be here",
    ],
)
def test_safety_message_signposts_emergency_help(stack, sender, message):
    said = texts(stack.chat(sender, message))
    assert "999" in said and "116 123" in said and "08000 562 561" in said


@pytest.mark.parametrize(
    "message",
    [
        "x" * 5000,
        "😀😀😀🙈",
        "Bore da, sut mae? Mae gen i gwestiwn am Facebook",
        "<script>alert(1)</script>",
        "'; DROP TABLE cases; --",
        '{"sender": "admin", "message": "/restart"}',
        "   ",
    ],
    ids=["long", "emoji", "welsh", "script", "sql", "json", "blank"],
)
def test_odd_input_always_gets_a_reply(stack, sender, message):
    replies = stack.chat(sender, message)
    assert replies and texts(replies).strip(), dump(replies)
    assert "<script>" not in texts(replies)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}], ids=["none", "wrong"])
def test_http_api_needs_the_token(stack, sender, headers):
    stack.chat(sender, "hello")
    url = f"{stack.rasa_url}/conversations/{sender}/tracker"
    assert requests.get(url, headers=headers, timeout=10).status_code in (401, 403)
    assert requests.get(url, params={"token": "wrong-token"}, timeout=10).status_code in (401, 403)
    assert requests.get(url, params={"token": TOKEN}, timeout=10).status_code == 200
