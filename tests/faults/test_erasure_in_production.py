"""Erasure against the production stores: a member's own request in the chat, and an
adviser's `cases erase`, each removing the conversation from Rasa's PostgreSQL
tracker store and each recorded in the audit log."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from bot.erasure import CASE_ERASED, CONVERSATION_ERASED
from bot.storage.engine import session_factory_for
from bot.storage.orm import audit_log
from bot.storage.uow import SqlUnitOfWork
from tests.support.conversations import ACCUSED, ACCUSED_START, OTHER, Member
from tests.support.replies import texts
from tests.support.stack import Stack
from tests.support.stacks import stored_cases, tracker_rows, wait_until_delivered

pytestmark = pytest.mark.faults


def audit_entries(stack: Stack, action: str) -> list[dict]:
    with SqlUnitOfWork(session_factory_for(stack.database_url)) as uow:
        rows = uow.session.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))
        return [dict(r) for r in rows.mappings()]


def stored_text(stack: Stack, sender: str) -> str:
    return "\n".join(r["data"] or "" for r in tracker_rows(stack, sender))


def test_a_member_deletes_what_they_told_the_assistant(production_stack: Stack) -> None:
    stack = production_stack
    member = Member(stack, f"forget-{uuid.uuid4().hex[:8]}")
    readback = member.answer(ACCUSED_START, ACCUSED)  # at the read-back, before Send
    assert "Here's what I'll send" in texts(readback)
    assert "Hillside Academy" in stored_text(stack, member.sender)
    before = len(audit_entries(stack, CONVERSATION_ERASED))

    said = texts(member.say("please delete everything i've said"))
    assert "cleared what you told me" in said

    stored = stored_text(stack, member.sender)
    for typed in ["Hillside Academy", "school trip", ACCUSED_START, "please delete everything"]:
        assert typed not in stored
    kinds = [r["type_name"] for r in tracker_rows(stack, member.sender)]
    assert kinds[:2] == ["action", "session_started"] and "user" not in kinds
    entries = audit_entries(stack, CONVERSATION_ERASED)
    assert len(entries) == before + 1 and entries[-1]["actor"] == "member"
    assert member.sender not in (entries[-1]["detail"] or "")
    # The conversation carries on from a clean slate: nothing is waiting to be sent.
    assert "nothing waiting to be sent" in texts(member.say("/confirm_send"))


def test_an_adviser_erases_a_case_and_its_conversation(production_stack: Stack) -> None:
    stack = production_stack
    member = Member(stack, f"erase-{uuid.uuid4().hex[:8]}")
    reference = member.intake("can I speak to someone", OTHER)
    assert wait_until_delivered(stack, [reference]) == {reference: 1}
    assert tracker_rows(stack, member.sender)

    erased = stack.cli("cases", "erase", reference, "--by", "Jo Adviser", "--reason", "member asked by phone")
    assert erased.returncode == 0, erased.stderr
    assert "stored events erased from the tracker store" in erased.stdout
    assert stored_cases(stack, [member.sender]) == [] and tracker_rows(stack, member.sender) == []
    entry = audit_entries(stack, CASE_ERASED)[-1]
    assert (entry["actor"], entry["case_reference"]) == ("Jo Adviser", reference)
    assert "Jo Patel" not in json.dumps(entry, default=str)  # the member's name is nowhere in the audit log
