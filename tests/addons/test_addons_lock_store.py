"""Two replicas' lock stores on one real Redis take one conversation's messages strictly in turn."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_addons.lock_store import AtomicRedisLockStore
from tests.support.databases import REDIS, require_redis

MESSAGES_PER_REPLICA = 40


@pytest.fixture
def replicas() -> Iterator[list[AtomicRedisLockStore]]:
    require_redis()
    prefix = "t" + uuid.uuid4().hex[:8]
    config = EndpointConfig(REDIS[0], port=REDIS[1], db=5, key_prefix=prefix, type="rasa_addons.lock_store.AtomicRedisLockStore")
    stores = [LockStore.create(config) for _ in range(2)]
    yield stores
    stores[0].red.flushdb()


class Conversation:
    """Counts how many turns are inside the lock at once, and how many failed to get it."""

    def __init__(self) -> None:
        self.inside = 0
        self.most_inside = 0
        self.turns = 0
        self.lock_errors = 0
        self._guard = threading.Lock()

    def enter(self) -> None:
        with self._guard:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)

    def leave(self) -> None:
        with self._guard:
            self.inside -= 1
            self.turns += 1


async def replica_turns(store: LockStore, sender: str, seen: Conversation) -> None:
    async def turn() -> None:
        try:
            async with store.lock(sender, lock_lifetime=30, wait_time_in_seconds=0.005):
                seen.enter()
                await asyncio.sleep(0.002)
                seen.leave()
        except LockError:
            seen.lock_errors += 1

    await asyncio.gather(*(turn() for _ in range(MESSAGES_PER_REPLICA)))


def run_two_replicas(stores: list[AtomicRedisLockStore], sender: str) -> Conversation:
    seen = Conversation()
    threads = [threading.Thread(target=asyncio.run, args=(replica_turns(s, sender, seen),)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return seen


def test_the_configuration_builds_the_atomic_store_with_rasas_settings(replicas: list[AtomicRedisLockStore]) -> None:
    store = replicas[0]
    assert isinstance(store, AtomicRedisLockStore)
    assert store.red.connection_pool.connection_kwargs["db"] == 5
    assert store.key_prefix.endswith(":lock:")


def test_messages_to_both_replicas_at_once_are_all_taken_one_at_a_time(replicas: list[AtomicRedisLockStore]) -> None:
    sender = f"together-{uuid.uuid4().hex[:8]}"
    seen = run_two_replicas(replicas, sender)
    assert seen.lock_errors == 0
    assert seen.turns == 2 * MESSAGES_PER_REPLICA
    assert seen.most_inside == 1
    assert replicas[0].get_lock(sender) is None  # the last turn out removed the lock


def test_a_ticket_can_be_returned_while_another_is_being_issued(replicas: list[AtomicRedisLockStore]) -> None:
    """The interleaving that lost a message with Rasa's own store, made deterministic."""
    first, second = replicas
    sender = f"interleave-{uuid.uuid4().hex[:8]}"
    mine = first.issue_ticket(sender, 30)
    theirs = second.issue_ticket(sender, 30)
    first.cleanup(sender, mine)
    lock = second.get_lock(sender)
    assert lock is not None and not lock.is_locked(theirs)
    second.cleanup(sender, theirs)
    assert second.get_lock(sender) is None
