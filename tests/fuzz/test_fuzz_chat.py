"""Thousands of hostile or odd messages to the running assistant, in and out of the intake:
no crash, no 5xx, every message answered, and the databases intact afterwards.

Each Hypothesis example is a handful of messages sent at once to different
conversations over both Rasa replicas: new conversations, and conversations in
the middle of an intake (restarted whenever a message has ended one).
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.intake.prompts import PROMPTS
from bot.storage.engine import make_engine, session_factory_for
from bot.storage.orm import cases, deliveries
from bot.storage.tracker_events import events
from bot.storage.uow import SqlUnitOfWork
from rasa_addons.rest import MAX_MESSAGE_CHARS
from tests.fuzz.strategies import fuzz_settings, hostile_messages
from tests.support.conversations import OTHER_START
from tests.support.replies import texts
from tests.support.stack import Stack

pytestmark = pytest.mark.fuzz

BATCH = 6  # messages per example, sent together
EXAMPLES = 300  # about 1,900 messages, three to four minutes on 2 cores
TURNS_PER_INTAKE = 20
QUESTIONS = {p["text"] for p in PROMPTS.values()}


class Conversations:
    """A pool of conversations: some new for each message, some kept inside an intake.

    An intake conversation is replaced after `TURNS_PER_INTAKE` messages, as a member's
    would end: Rasa rebuilds a session's whole history on every turn, so one endless
    conversation would make each message slower than the last.
    """

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.in_intake = [self._new_intake() for _ in range(BATCH // 2)]
        self.sent = 0

    @staticmethod
    def _new_intake() -> dict[str, Any]:
        return {"sender": f"fuzz-intake-{uuid.uuid4().hex[:12]}", "asking": False, "turns": 0}

    def post(self, sender: str, message: str, replica: int) -> requests.Response:
        self.sent += 1
        return self.stack.post(sender, message, replica, timeout=120)

    def send(self, index: int, message: str) -> tuple[str, requests.Response]:
        replica = (index + self.sent) % 2
        if index % 2 == 0:
            return message, self.post(f"fuzz-{uuid.uuid4().hex[:12]}", message, replica)
        slot = index // 2
        conversation = self.in_intake[slot]
        if conversation["turns"] >= TURNS_PER_INTAKE:
            conversation = self.in_intake[slot] = self._new_intake()
        if not conversation["asking"]:
            started = self.post(conversation["sender"], OTHER_START, replica)
            assert started.status_code == 200
            conversation["asking"] = asks_a_question(started.json())
        reply = self.post(conversation["sender"], message, replica)
        conversation["turns"] += 1
        if reply.status_code == 200:
            conversation["asking"] = asks_a_question(reply.json())
        return message, reply


def asks_a_question(replies: list[dict[str, Any]]) -> bool:
    said = texts(replies)
    return any(question in said for question in QUESTIONS)


def check(message: str, reply: requests.Response) -> None:
    shown = repr(message[:80])
    assert reply.status_code < 500, f"HTTP {reply.status_code} for {shown}"
    if len(message) > MAX_MESSAGE_CHARS:
        assert reply.status_code == 413, shown
        return
    assert reply.status_code == 200, f"HTTP {reply.status_code} for {shown}: {reply.text[:200]}"
    body: list[dict[str, Any]] = reply.json()
    assert body and all(item.get("text") or item.get("buttons") for item in body), f"no answer to {shown}"


def counts(stack: Stack) -> dict[str, int]:
    with SqlUnitOfWork(session_factory_for(stack.database_url)) as uow:
        found = {
            "cases": uow.session.execute(select(func.count()).select_from(cases)).scalar_one(),
            # a case has one job per channel of its destination (issue 13): count the cases with jobs
            "cases with jobs": uow.session.execute(select(func.count(deliveries.c.case_reference.distinct()))).scalar_one(),
        }
        for row in uow.cases.list():
            json.loads(row.case.payload)  # every stored case is still readable
    return found


def tracker_intact(stack: Stack) -> int:
    engine = make_engine(stack.tracker_store_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(events.c.data)).scalars().all()
    finally:
        engine.dispose()
    for data in rows:
        json.loads(data)
    return len(rows)


@pytest.mark.timeout(900)
def test_hostile_messages_are_all_answered(production_stack: Stack) -> None:
    stack = production_stack
    before = counts(stack)
    pool = Conversations(stack)

    @fuzz_settings(EXAMPLES)
    @given(st.lists(hostile_messages, min_size=BATCH, max_size=BATCH))
    def run(batch: list[str]) -> None:
        with ThreadPoolExecutor(len(batch)) as threads:
            for message, reply in threads.map(lambda pair: pool.send(*pair), enumerate(batch)):
                check(message, reply)

    run()
    print(f"{pool.sent} messages sent")
    assert pool.sent >= 1800

    after = counts(stack)
    assert after["cases"] >= before["cases"] and after["cases"] == after["cases with jobs"]
    assert tracker_intact(stack) > 0
    assert all(proc.poll() is None for proc in stack.procs.values()), "a server died"
