"""A process dies mid-intake: the member is told to try again, nothing they said is lost or
doubled, and the conversation carries on where it was.

Each test restarts what it killed, so the shared production stack is whole again.
"""

from __future__ import annotations

import json
import uuid

import pytest

from tests.support.conversations import ACCUSED, ACCUSED_START, TRY_AGAIN, Member, asks
from tests.support.replies import texts
from tests.support.stack import Stack
from tests.support.stacks import stored_cases, tracker_rows, wait_until_delivered

pytestmark = pytest.mark.faults

ADVICELINE = "0345 811 8111"


def finish(member: Member, replies, answers) -> str:
    """Answer the remaining questions, checking each, then Send."""
    for question, typed in answers:
        assert asks(replies, question), f"expected the {question} question, got {texts(replies)[:300]}"
        replies = member.say(typed)
    assert "Here's what I'll send" in texts(replies)
    return member.send_case()


def user_texts(stack: Stack, sender: str) -> list[str]:
    return [json.loads(r["data"])["text"] for r in tracker_rows(stack, sender) if r["type_name"] == "user"]


def test_action_server_killed_mid_intake_then_restarted(production_stack: Stack) -> None:
    stack = production_stack
    member = Member(stack, f"actions-down-{uuid.uuid4().hex[:8]}", replicas=(0,))  # Rasa 0 talks to "actions"
    replies = member.answer(ACCUSED_START, ACCUSED[:6])
    question, typed = ACCUSED[6]
    assert asks(replies, question)

    stack.kill("actions")
    try:
        down = texts(member.say(typed))
        assert TRY_AGAIN in down and ADVICELINE in down, down
    finally:
        stack.restart("actions")

    # The answer sent while the action server was down left no trace; sent again, it continues the form.
    replies = member.say(typed)
    assert asks(replies, ACCUSED[7][0]), texts(replies)
    reference = finish(member, replies, ACCUSED[7:])
    assert user_texts(stack, member.sender).count(typed) == 1
    assert [c.reference for c in stored_cases(stack, [member.sender])] == [reference]
    assert wait_until_delivered(stack, [reference]) == {reference: 1}


def test_a_rasa_replica_killed_mid_conversation_the_other_carries_on(production_stack: Stack) -> None:
    stack = production_stack
    member = Member(stack, f"replica-down-{uuid.uuid4().hex[:8]}", replicas=(1,))
    replies = member.answer(ACCUSED_START, ACCUSED[:5])

    stack.kill("rasa-1")  # SIGKILL: no clean shutdown, no goodbye to the stores
    try:
        member.use(0)
        reference = finish(member, replies, ACCUSED[5:])
    finally:
        stack.restart("rasa-1")

    assert member.try_again_replies == 0
    cases = stored_cases(stack, [member.sender])
    assert [c.reference for c in cases] == [reference]
    assert json.loads(cases[0].payload)["incident"]["platforms"] == ["X (Twitter)"]  # answered on the dead replica
    assert wait_until_delivered(stack, [reference]) == {reference: 1}
    assert len(user_texts(stack, member.sender)) == len(ACCUSED) + 2
