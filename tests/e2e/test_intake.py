"""Case intake conversations against the running servers, through to the adviser webhook."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from bot.intake.prompts import PROMPTS
from bot.settings import SPEC_DIR
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork
from tests.support.conversations import ACCUSED as ACCUSED_ANSWERS
from tests.support.replies import buttons, dump, texts
from tests.support.stack import Stack

SCHEMA = Draft202012Validator(json.loads((SPEC_DIR / "handoff-v1.schema.json").read_text()), format_checker=FormatChecker())
REFERENCE = re.compile(r"case reference is ([A-Z0-9-]+);")

TARGETED_ANSWERS = [
    ("description", "Some Year 11s made a fake Instagram account using my photo and name."),
    ("platforms", "Instagram"),
    ("occurred_on", "not sure"),
    ("posted_by", "A pupil or pupils"),
    ("still_online", "yes"),
    ("evidence_kept", "yes"),
    ("feels_unsafe", "no"),
    ("role", "teaching assistant"),
    ("workplace", "Riverside Primary"),
    ("has_rep", "no"),
    ("work_area", "SV2 4QQ"),  # a postcode in the fictional Southvale branch's area
    ("consent_share", "yes"),
    ("consent_transcript", "no"),
    ("name", "Alex Morgan"),
    ("contact", "alex.morgan@example.org"),
    ("membership_number", "123456"),
]


SOUTHVALE = "Who will help: Southvale NEU branch."


def without_place(answers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The AdviceLine needs no area: leaders and urgent cases are not asked where they work."""
    return [(field, answer) for field, answer in answers if field != "work_area"]


def asked(replies: list[dict[str, Any]], field: str) -> bool:
    return PROMPTS[field]["text"] in texts(replies)


def answer_all(stack: Stack, sender: str, start: str, answers: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Start an intake and answer every question, checking each is the one expected."""
    replies = stack.chat(sender, start)
    for field, answer in answers:
        assert asked(replies, field), f"expected the {field} question, got {dump(replies)}"
        replies = stack.chat(sender, answer)
    return replies


def send(stack: Stack, sender: str) -> tuple[str, list[dict[str, Any]]]:
    replies = stack.chat(sender, "/confirm_send")
    match = REFERENCE.search(texts(replies))
    assert match, dump(replies)
    return match.group(1), replies


def test_accused_happy_path_reaches_the_adviser_exactly_once(stack, sender):
    readback = answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS)
    said = texts(readback)
    assert "Here's what I'll send" in said and "Hillside Academy" in said and "+447700900123" in said
    assert f"{SOUTHVALE} You said there's an NEU rep at your workplace; the NEU's list doesn't name them" in said
    assert "- Where your workplace is: Southvale" in said
    assert {"Send", "Change an answer", "Cancel", "Use the AdviceLine instead"} <= set(buttons(readback))
    reference, closing = send(stack, sender)
    said = texts(closing)
    assert "I've sent your case to Southvale NEU branch" in said and "0345 811 8111" in said
    assert "01632 960202 or office@southvale-neu.example.org" in said  # how to reach them, from the directory
    assert "If you're in danger, call 999." in said and "will contact you" not in said
    payload = stack.wait_for_handoff(reference)
    assert list(SCHEMA.iter_errors(payload)) == []
    assert payload["case_type"] == "accused" and payload["member"]["name"] == "Sam Lee"
    assert payload["process"]["stage"] == "investigation" and payload["urgency"] == "priority"
    assert payload["route"] == "local_branch" and payload["schema_version"] == "1.1"
    assert payload["destination"] == {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}
    assert payload["consent"]["include_transcript"] is True
    assert any(line["text"] == "Hillside Academy" for line in payload["transcript"])
    assert [p["reference"] for p in stack.received()].count(reference) == 1
    # Sending again (a double click) creates nothing new.
    again = texts(stack.chat(sender, "/confirm_send"))
    assert "already been sent" in again
    shown = stack.cli("cases", "show", reference)
    assert shown.returncode == 0 and "Sam Lee" in shown.stdout


def test_webhook_outage_then_recovery_delivers_once(stack, sender):
    """The receiver fails its first two POSTs: whichever cases met them were retried, and each case came once.

    The stack is shared, so cases from earlier tests (the browser tests seed some, one
    older than the delivery max age) may be the ones that meet the outage; the test
    looks at every delivery once none is waiting, not at the first one received.
    """
    answer_all(stack, sender, "I've been accused over a facebook post", ACCUSED_ANSWERS)
    reference, _ = send(stack, sender)
    stack.wait_for_handoff(reference)
    # The receiver is every webhook of the stack (the AdviceLine's and Southvale's); email
    # notices go to the stack's SMTP server instead.
    deliveries = [d for d in settled_deliveries(stack) if d.channel == "webhook"]
    # A case passed on (tests/e2e/test_destinations.py) has a webhook job per destination, and
    # the one receiver keeps it once (same Idempotency-Key): compare the cases, not the jobs.
    delivered_jobs = [d for d in deliveries if d.state == "delivered"]
    delivered = sorted({d.case_reference for d in delivered_jobs})
    assert sorted(p["reference"] for p in stack.received()) == delivered, "a case was lost or delivered twice"
    assert reference in delivered
    dead = [(d.case_reference, d.last_error) for d in deliveries if d.state == "dead"]
    too_old = ("older than the max age", "not delivered within")
    assert all(any(words in (error or "") for words in too_old) for _, error in dead), dead  # never for the outage
    failed_posts = sum(d.attempts for d in deliveries) - len(delivered_jobs)
    assert failed_posts >= 2, [(d.case_reference, d.state, d.attempts) for d in deliveries]


def settled_deliveries(stack: Stack, seconds: float = 60) -> list:
    """Every delivery in the stack's database, once none is waiting for a (re)try."""
    deadline = time.monotonic() + seconds
    while True:
        with SqlUnitOfWork(session_factory_for(stack.database_url)) as uow:
            deliveries = uow.deliveries.list()
        waiting = [(d.case_reference, d.state) for d in deliveries if d.state not in ("delivered", "dead")]
        if not waiting:
            return deliveries
        assert time.monotonic() < deadline, f"still waiting after {seconds}s: {waiting}"
        time.sleep(0.5)


def test_targeted_member_gets_signposts_and_a_priority_case(stack, sender):
    readback = answer_all(stack, sender, "pupils made a fake instagram of me", TARGETED_ANSWERS)
    assert f"{SOUTHVALE} You said there's no NEU rep at your workplace." in texts(readback)
    assert "- Where your workplace is: SV2 4QQ (SV2)" in texts(readback)
    reference, closing = send(stack, sender)
    said = texts(closing)
    assert "0344 381 4772" in said and "helpline@saferinternet.org.uk" in said and "remove tag" in said
    assert said.index("screenshots") < said.index("report it to the platform"), "a copy first, then reporting"
    payload = stack.wait_for_handoff(reference)
    assert payload["urgency"] == "priority" and "targeted material still online" in payload["urgency_reasons"]
    assert payload["incident"]["others_involved"] == ["pupil"] and "transcript" not in payload
    assert payload["member"]["email"] == "alex.morgan@example.org"


def test_invalid_answers_are_explained_then_a_way_out(stack, sender):
    replies = answer_all(stack, sender, "a parent has complained about my instagram post", ACCUSED_ANSWERS[:2])
    assert asked(replies, "occurred_on")
    first = stack.chat(sender, "banana")
    assert asked(first, "occurred_on") and "Skip" not in buttons(first)
    second = stack.chat(sender, "purple monkey")
    assert "Skip" in buttons(second), dump(second)
    skipped = stack.chat(sender, "skip")
    assert asked(skipped, "process_stage")


def test_bad_contact_details_are_re_asked_and_adviceline_offered(stack, sender):
    replies = answer_all(stack, sender, "can i speak to someone", [
        ("description", "It's a bit complicated, I'd rather explain it to a person on the phone."),
        ("role", "teacher"), ("workplace", "Oak School"), ("has_rep", "not sure"), ("work_area", "Southvale"),
        ("consent_share", "yes"), ("consent_transcript", "no"), ("name", "Jo"),
    ])
    assert asked(replies, "contact")
    first = stack.chat(sender, "ring me on 12345")
    assert asked(first, "contact")
    second = stack.chat(sender, "my email is jo at home")
    assert asked(second, "contact") and "0345 811 8111" in texts(second), dump(second)
    fixed = stack.chat(sender, "+44 7700 900456")
    assert asked(fixed, "membership_number")


def test_a_question_mid_form_is_answered_and_the_question_repeated(stack, sender):
    replies = answer_all(stack, sender, "I've been called to a disciplinary about my TikTok", ACCUSED_ANSWERS[:3])
    assert asked(replies, "process_stage")
    replies = stack.chat(sender, "Should I accept friend requests from parents?")
    said = texts(replies)
    assert "parents" in said.lower() and "Source:" in said and asked(replies, "process_stage"), dump(replies)


def test_the_answers_already_given_reach_the_adviser(stack, sender):
    """Topics answered before and during the intake are listed in the handoff, once each."""
    before = texts(stack.chat(sender, "Can I accept a friend request from a pupil?"))
    assert "Source:" in before
    replies = answer_all(stack, sender, "I've been called to a disciplinary about my TikTok", ACCUSED_ANSWERS[:3])
    replies = stack.chat(sender, "Should I accept friend requests from parents?")
    assert asked(replies, "process_stage"), dump(replies)
    for field, answer in ACCUSED_ANSWERS[3:]:
        assert asked(replies, field), f"expected the {field} question, got {dump(replies)}"
        replies = stack.chat(sender, answer)
    reference, _ = send(stack, sender)
    payload = stack.wait_for_handoff(reference)
    assert payload["guidance_given"] == ["learners_as_friends", "parents_as_friends"]


def test_stop_mid_form_discards_everything(stack, sender):
    answer_all(stack, sender, "pupils are posting videos of me on tiktok", TARGETED_ANSWERS[:5])
    stopped = texts(stack.chat(sender, "stop"))
    assert "deleted what you entered" in stopped and "Nothing has been sent" in stopped
    after = stack.chat(sender, "/confirm_send")
    assert "nothing waiting to be sent" in texts(after)


def test_correction_at_the_readback(stack, sender):
    answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS)
    choose = stack.chat(sender, "/change_answer")
    assert "Which answer would you like to change?" in texts(choose) and "Workplace" in buttons(choose)
    assert asked(stack.chat(sender, "Workplace"), "workplace")
    readback = texts(stack.chat(sender, "Meadow Lane School"))
    assert "Workplace: Meadow Lane School" in readback and "Hillside Academy" not in readback
    reference, _ = send(stack, sender)
    assert stack.wait_for_handoff(reference)["member"]["workplace"] == "Meadow Lane School"


def test_declined_consent_keeps_nothing(stack, sender):
    answers = ACCUSED_ANSWERS[:10] + [("consent_share", "no")]
    replies = answer_all(stack, sender, "HR have started an investigation into my facebook", answers)
    said = texts(replies)
    assert "haven't stored anything" in said and "0345 811 8111" in said
    assert not asked(replies, "name")
    assert "nothing waiting to be sent" in texts(stack.chat(sender, "/confirm_send"))


def test_safety_message_mid_form_signposts_and_flags_the_case(stack, sender):
    replies = answer_all(stack, sender, "parents are slagging me off in a facebook group", TARGETED_ANSWERS[:4])
    assert asked(replies, "still_online")
    replies = stack.chat(sender, "one of them said they know where I live and will come round and hurt me")
    said = texts(replies)
    assert "999" in said and "116 123" in said and "08000 562 561" in said
    assert asked(replies, "still_online")
    rest = without_place(TARGETED_ANSWERS[4:])  # urgent now: the AdviceLine, which needs no area
    for field, answer in rest:
        assert asked(replies, field), dump(replies)
        replies = stack.chat(sender, answer)
    assert "Who will help: NEU AdviceLine. Because it's urgent, it goes to the AdviceLine." in texts(replies)
    reference, _ = send(stack, sender)
    payload = stack.wait_for_handoff(reference)
    assert payload["safety_concern"] is True and payload["urgency"] == "urgent"


def test_a_leader_is_routed_to_the_adviceline(stack, sender):
    answers = [(f, "headteacher" if f == "role" else a) for f, a in without_place(ACCUSED_ANSWERS)]
    readback = texts(answer_all(stack, sender, "a governor complained about my linkedin post", answers))
    assert "Who will help: NEU AdviceLine." in readback and "manage" in readback
    reference, _ = send(stack, sender)
    payload = stack.wait_for_handoff(reference)
    assert payload["member"]["is_leader"] is True and payload["route"] == "adviceline"


def test_suspended_member_is_urgent(stack, sender):
    answers = [(f, "I've been suspended" if f == "process_stage" else a) for f, a in without_place(ACCUSED_ANSWERS)]
    answer_all(stack, sender, "I've been suspended over a facebook post", answers)
    reference, _ = send(stack, sender)
    payload = stack.wait_for_handoff(reference)
    assert payload["urgency"] == "urgent" and payload["route"] == "adviceline"
    assert "member suspended" in payload["urgency_reasons"]


def test_member_can_choose_the_adviceline_instead(stack, sender):
    answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS)
    readback = texts(stack.chat(sender, "/prefer_adviceline"))
    assert "Who will help: NEU AdviceLine. You asked for the AdviceLine." in readback
    reference, _ = send(stack, sender)
    payload = stack.wait_for_handoff(reference)
    assert payload["route"] == "adviceline" and payload["destination"]["id"] == "adviceline"


def test_several_areas_get_buttons_and_not_sure_goes_to_the_adviceline(stack, sender):
    answers = [(f, "North" if f == "work_area" else a) for f, a in ACCUSED_ANSWERS]
    at_place = answers[: [f for f, _ in answers].index("work_area") + 1]
    replies = answer_all(stack, sender, "my head wants a meeting about a tweet", at_place)
    assert "Which one is it?" in texts(replies) and buttons(replies) == ["Northtown", "Northam", "Not sure"], dump(replies)
    replies = stack.chat(sender, "not sure")
    assert asked(replies, "consent_share"), dump(replies)
    for field, answer in answers[len(at_place):]:
        assert asked(replies, field), dump(replies)
        replies = stack.chat(sender, answer)
    assert "Who will help: NEU AdviceLine. You weren't sure where your workplace is" in texts(replies)
    reference, _ = send(stack, sender)
    payload = stack.wait_for_handoff(reference)
    assert payload["destination"]["id"] == "adviceline" and payload["route"] == "adviceline"


def test_changing_track_mid_form(stack, sender):
    replies = answer_all(stack, sender, "my head wants a meeting about a tweet", ACCUSED_ANSWERS[:3])
    assert asked(replies, "process_stage")
    replies = stack.chat(sender, "actually it's that pupils have made a fake instagram account pretending to be me")
    assert asked(replies, "posted_by"), dump(replies)


@pytest.mark.parametrize("start", ["pupils made a fake Instagram of me", "can I speak to someone"])
def test_starts_are_recognised_mid_conversation(stack, sender, start):
    stack.chat(sender, "can I accept a friend request from a pupil?")
    replies = stack.chat(sender, start)
    assert asked(replies, "description") and "stop" in texts(replies), dump(replies)
