"""Two Rasa replicas on one PostgreSQL tracker store and one Redis lock store serve
one conversation as if they were one server."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.conversations import ACCUSED, ACCUSED_START, Member
from tests.support.replies import texts
from tests.support.stack import Stack
from tests.support.stacks import stored_cases, tracker_rows, wait_until_delivered

pytestmark = pytest.mark.faults


def test_messages_alternating_between_replicas_make_one_case(production_stack: Stack) -> None:
    member = Member(production_stack, f"replicas-{uuid.uuid4().hex[:10]}", replicas=(0, 1))
    # Every answer goes to the other replica from the question it answers; Member.intake
    # checks that each reply asks the question that follows the previous answer.
    reference = member.intake(ACCUSED_START, ACCUSED)
    assert member.try_again_replies == 0

    cases = stored_cases(production_stack, [member.sender])
    assert [c.reference for c in cases] == [reference]
    assert wait_until_delivered(production_stack, [reference]) == {reference: 1}
    payload = json.loads(cases[0].payload)
    assert payload["member"]["workplace"] == "Hillside Academy" and payload["process"]["stage"] == "investigation"

    # Pressing Send again, on either replica, adds nothing.
    for replica in (0, 1):
        assert "already been sent" in texts(member.say("/confirm_send", replica))
    assert [c.reference for c in stored_cases(production_stack, [member.sender])] == [reference]

    # Both replicas wrote the one conversation, turn by turn, to the shared tracker store.
    users = [r for r in tracker_rows(production_stack, member.sender) if r["type_name"] == "user"]
    assert len(users) == len(ACCUSED) + 4  # start, the answers, Send, Send twice more


def test_simultaneous_messages_to_both_replicas_are_taken_in_turn(production_stack: Stack) -> None:
    """The Redis lock store makes the replicas take one conversation's messages one at a time,
    so neither turn is lost or interleaved with the other (rasa_addons/lock_store.py: Rasa's own
    store could lose a ticket when the replicas changed the lock at the same moment)."""
    member = Member(production_stack, f"together-{uuid.uuid4().hex[:10]}")
    member.say("hi", replica=0)
    questions = [
        ("Can I accept a friend request from a pupil?", "Should I check my privacy settings?"),
        ("Can parents be my friends online?", "How do I untag myself on Facebook?"),
        ("I regret a post, what should I do?", "Who do I contact at the NEU?"),
        ("Can I post photos of my class?", "Is anything online private?"),
    ]
    with ThreadPoolExecutor(2) as pool:
        for pair in questions:  # each pair sent at the same moment, one to each replica
            replies = list(pool.map(lambda args: member.say(*args), zip(pair, (0, 1), strict=True)))
            assert all(texts(r) for r in replies)
    assert member.try_again_replies == 0

    rows = tracker_rows(production_stack, member.sender)
    kinds = [r["type_name"] for r in rows]
    users = [i for i, kind in enumerate(kinds) if kind == "user"]
    assert len(users) == 1 + 2 * len(questions)
    # Each message's turn (its bot replies) is complete before the next message is taken in.
    for start, end in zip(users, [*users[1:], len(kinds)], strict=True):
        assert "bot" in kinds[start:end], kinds
    said = sorted(json.loads(rows[i]["data"])["text"] for i in users[1:])
    assert said == sorted(q for pair in questions for q in pair)
