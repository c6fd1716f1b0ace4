"""Telling English from other languages (bot.language): never an English speaker told otherwise."""

from __future__ import annotations

import pytest

from bot.language import NOT_ENGLISH, NOT_ENGLISH_WELSH, guess_language, not_english_replies, vocabulary_of

KNOWN = vocabulary_of([
    "can i accept a friend request from a pupil on facebook", "my head wants a meeting about my post",
    "how do i untag myself", "what should our policy say", "hello thanks bye yes no",
])


@pytest.mark.parametrize(
    "text",
    [
        "can i accept a friend request from a pupil",
        "yr 9 added me on insta lol wat do i do",  # text-speak, words the model never saw
        "jklm",
        "hello",
        "ok sure",
        "Fotos of me on insta ok?",
        "",
        "👍",
        "12345",
    ],
)
def test_english_and_noise_count_as_english(text):
    assert guess_language(text, KNOWN).english


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Mae disgybl wedi anfon cais ffrind ataf ar Facebook, beth ddylwn i ei wneud?", "cy"),
        ("Czy mogę przyjąć zaproszenie do znajomych od ucznia na Facebooku?", "pl"),
        ("¿Puedo aceptar una solicitud de amistad de un alumno?", "es"),
        ("هل يمكنني قبول طلب صداقة من طالب على فيسبوك؟", "ar"),
        ("我可以在微信上加学生家长为好友吗？", "zh"),
    ],
)
def test_other_languages_are_recognised(text, language):
    guess = guess_language(text, KNOWN)
    assert not guess.english and guess.language == language


def test_welsh_gets_a_welsh_reply_too():
    assert not_english_replies("cy") == [NOT_ENGLISH, NOT_ENGLISH_WELSH]
    assert not_english_replies("pl") == [NOT_ENGLISH]
    assert "0345 811 8111" in NOT_ENGLISH and "0345 811 8111" in NOT_ENGLISH_WELSH
