"""200 members complete an intake at the same time, spread over both Rasa replicas:
200 cases stored, 200 delivered once each, and no turn lost to a lock."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.conversations import Member
from tests.support.stack import Stack
from tests.support.stacks import LogWatch, stored_cases, wait_until_delivered

pytestmark = pytest.mark.faults

CONVERSATIONS = 200
CLIENTS = 24  # members typing at once; the rest wait their turn in the pool


@pytest.mark.timeout(1200)
def test_200_intakes_in_parallel(production_stack: Stack) -> None:
    stack = production_stack
    watch = LogWatch(stack)
    run = uuid.uuid4().hex[:8]
    # Half the members start on each replica, and every member alternates between them.
    members = [Member(stack, f"many-{run}-{i}", replicas=(i % 2, 1 - i % 2), timeout=120) for i in range(CONVERSATIONS)]
    started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS) as pool:
        references = list(pool.map(lambda m: m.intake(), members))
    took = time.monotonic() - started

    assert len(set(references)) == CONVERSATIONS
    assert sum(m.try_again_replies for m in members) == 0, "some turns failed"
    stored = stored_cases(stack, [m.sender for m in members])
    assert sorted(c.reference for c in stored) == sorted(references)
    assert wait_until_delivered(stack, references, seconds=180) == dict.fromkeys(references, 1)

    logged = watch.new_text()
    assert "LockError" not in logged and "Could not acquire lock" not in logged
    assert "turn not completed" not in logged
    turns = sum(m.turns for m in members)
    print(f"{CONVERSATIONS} intakes, {turns} messages in {took:.0f}s ({turns / took:.1f} messages/s)")
