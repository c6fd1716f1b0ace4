"""What a message means while a guided form is asking a question."""

from __future__ import annotations

import pytest

from bot.intake.flow import FIELDS
from bot.intake.turns import Turn, classify_turn


def turn(text: str, intent: str | None, confidence: float, field: str, case_type: str | None, answer_ok: bool) -> Turn:
    """classify_turn as the intake calls it for `field`."""
    return classify_turn(
        text, intent, confidence, free_text=FIELDS[field].free_text, answer_ok=answer_ok,
        case_type=case_type, asking_description=field == "description",
    )


@pytest.mark.parametrize("text", ["stop", "Cancel", "forget it", "never mind!", "STOP PLEASE"])
def test_explicit_stop_words_always_stop(text):
    assert turn(text, "deny", 0.99, "police_involved", "accused", answer_ok=False) == Turn("stop")


@pytest.mark.parametrize(
    "text,intent,confidence,field,case_type,answer_ok,expected",
    [
        # a valid answer beats a guessed intent
        ("no", "stop", 0.9, "police_involved", "accused", True, Turn("answer")),
        ("I don't want to do this any more", "stop", 0.93, "description", "accused", True, Turn("stop")),
        ("I want to stop them posting about me, they put up a video of me in class and it has thousands of views",
         "stop", 0.85, "description", "targeted", True, Turn("answer")),
        ("sam.lee@example.org", "stop", 0.97, "name", "accused", True, Turn("answer")),
        ("I'd rather not do this now", "stop", 0.9, "workplace", "accused", True, Turn("stop")),
        # catalogue questions
        ("can I accept friend requests from parents", "faq", 0.9, "process_stage", "accused", False, Turn("question")),
        ("Can I add pupils on Facebook?", "faq", 0.95, "description", "accused", True, Turn("question")),
        ("I added a pupil on Facebook", "faq", 0.95, "description", "accused", True, Turn("answer")),
        ("Can I add pupils on Facebook?", "faq", 0.75, "description", "accused", True, Turn("answer")),
        ("whatever", "faq", 0.5, "process_stage", "accused", False, Turn("answer")),
        # 'ring me on 12345' may look like an AdviceLine question to the NLU; it is a (bad) answer
        ("ring me on 12345", "faq", 1.0, "contact", "other", False, Turn("answer")),
        ("how do I contact the adviceline", "faq", 0.95, "contact", "other", False, Turn("question")),
        # changes of track
        ("actually pupils made a fake account of me", "report_targeted", 0.9, "process_stage", "accused", False,
         Turn("switch", "targeted")),
        ("I've been suspended over a post", "report_accused", 0.95, "description", "other", True, Turn("switch", "accused")),
        ("they made a fake account", "report_targeted", 0.95, "description", "accused", True, Turn("answer")),
        # from "talk to a person", only words that name such a situation change the track
        ("Parents are posting abusive comments about me", "report_targeted", 0.9, "description", "other", True,
         Turn("switch", "targeted")),
        ("It's a bit complicated, I'd rather explain it to a person on the phone.", "report_accused", 0.86,
         "description", "other", True, Turn("answer")),
        ("I need some help with something at work", "report_targeted", 0.9, "description", "other", True, Turn("answer")),
        ("pupils posted a video", "report_targeted", 0.95, "still_online", "targeted", False, Turn("answer")),
    ],
)
def test_classify_turn(text, intent, confidence, field, case_type, answer_ok, expected):
    assert turn(text, intent, confidence, field, case_type, answer_ok) == expected


def test_no_switching_outside_the_intake():
    got = classify_turn("pupils made a fake account of me", "report_targeted", 0.99, free_text=False, answer_ok=False)
    assert got == Turn("answer")
