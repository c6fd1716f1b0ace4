"""CONVERSATION_IDLE_MINUTES, read by the running Rasa server: an idle conversation starts
afresh (a half-finished intake is forgotten), a lively one carries on."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from tests.support.conversations import ACCUSED, ACCUSED_START, Member, asks
from tests.support.stack import MODEL, ROOT, Stack, launch

pytestmark = pytest.mark.faults
IDLE_SECONDS = 6


@pytest.fixture(scope="module")
def quick_expiry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make test` (or `make train`) first.")
    tmp = tmp_path_factory.mktemp("expiry")
    stack = launch(
        tmp, ROOT / "results" / "e2e-logs" / "expiry", database_url=f"sqlite:///{tmp / 'cases.sqlite3'}",
        extra_env={"CONVERSATION_IDLE_MINUTES": str(IDLE_SECONDS / 60)},
    )
    try:
        Member(stack, "warm-up", replicas=(0,)).say("hello")  # TensorFlow's first run is slow
        yield stack
    finally:
        stack.stop()


def test_an_idle_conversation_forgets_the_half_finished_intake(quick_expiry: Stack) -> None:
    member = Member(quick_expiry, f"idle-{uuid.uuid4().hex[:8]}", replicas=(0,))
    assert asks(member.say(ACCUSED_START), "description")
    assert asks(member.say(ACCUSED[0][1]), "platforms")  # a quick answer carries on
    time.sleep(IDLE_SECONDS + 2)
    after = member.say(ACCUSED[1][1])
    assert not asks(after, "occurred_on")  # not taken as the intake's next answer
    assert asks(member.say(ACCUSED_START), "description")  # a new intake starts from the top


def test_a_conversation_within_the_idle_time_carries_on(quick_expiry: Stack) -> None:
    member = Member(quick_expiry, f"lively-{uuid.uuid4().hex[:8]}", replicas=(0,))
    assert asks(member.say(ACCUSED_START), "description")
    time.sleep(IDLE_SECONDS / 3)
    assert asks(member.say(ACCUSED[0][1]), "platforms")
    time.sleep(IDLE_SECONDS / 3)
    assert asks(member.say(ACCUSED[1][1]), "occurred_on")
