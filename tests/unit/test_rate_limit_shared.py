"""The chat's flood limits shared through a real Redis: what several web replicas would see."""

from __future__ import annotations

import uuid

import pytest
import redis
import redis.asyncio as aioredis

from bot.entrypoints.web.rate_limit import SharedChatLimits
from tests.support.aio import run_coroutine
from tests.support.databases import REDIS, require_redis


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def prefix() -> str:
    require_redis()
    name = f"test-chat-limit-{uuid.uuid4().hex[:8]}"
    yield name
    plain = redis.Redis(*REDIS)
    for key in plain.scan_iter(f"{name}:*"):
        plain.delete(key)
    plain.close()


def replica(prefix: str, clock: Clock, conversation: int, address: int, port: int = REDIS[1]) -> SharedChatLimits:
    client = aioredis.Redis(host=REDIS[0], port=port, socket_timeout=0.5, socket_connect_timeout=0.5)
    return SharedChatLimits(client, conversation, address, prefix=prefix, clock=clock)


def admit_all(calls: list[tuple[SharedChatLimits, str, str]]) -> list:
    async def run() -> list:
        verdicts = [await limits.admit(sender, address) for limits, sender, address in calls]
        for limits in {id(c[0]): c[0] for c in calls}.values():
            await limits.close()
        return verdicts

    return run_coroutine(run())


def test_two_replicas_share_one_conversation_limit(prefix) -> None:
    clock = Clock()
    one, two = replica(prefix, clock, 3, 0), replica(prefix, clock, 3, 0)
    verdicts = admit_all([(one, "conv-a", "10.0.0.1"), (two, "conv-a", "10.0.0.1"), (one, "conv-a", "10.0.0.1"),
                          (two, "conv-a", "10.0.0.1"), (one, "conv-b", "10.0.0.1")])
    assert [v.allowed for v in verdicts] == [True, True, True, False, True]
    assert 0 < verdicts[3].retry_after <= 60


def test_the_window_slides_and_refusals_do_not_count(prefix) -> None:
    clock = Clock()
    limits = replica(prefix, clock, 2, 0)

    async def run() -> list[bool]:
        seen = []
        for at in (0, 10, 20, 30, 61, 65, 71):
            clock.now = 1_700_000_000.0 + at
            seen.append((await limits.admit("conv", "addr")).allowed)
        await limits.close()
        return seen

    # 0 and 10 allowed; 20 and 30 refused (not counted); at 61 the first has left the window, at 71 the second.
    assert run_coroutine(run()) == [True, True, False, False, True, False, True]


def test_an_address_limit_refusal_does_not_use_up_the_conversation(prefix) -> None:
    clock = Clock()
    limits = replica(prefix, clock, 2, 2)
    verdicts = admit_all([(limits, "conv-1", "school"), (limits, "conv-2", "school"), (limits, "conv-3", "school"),
                          (limits, "conv-3", "home")])
    assert [v.allowed for v in verdicts] == [True, True, False, True]


def test_redis_keys_hold_no_conversation_id_or_address_and_expire(prefix) -> None:
    clock = Clock()
    admit_all([(replica(prefix, clock, 5, 5), "conv-secret-123", "192.0.2.44")])
    plain = redis.Redis(*REDIS)
    keys = [k.decode() for k in plain.scan_iter(f"{prefix}:*")]
    assert len(keys) == 2 and not any("conv-secret-123" in k or "192.0.2.44" in k for k in keys)
    assert all(0 < plain.ttl(k) <= 60 for k in keys)
    plain.close()


def test_without_redis_each_replica_counts_alone_and_says_so(prefix, caplog) -> None:
    clock = Clock()
    limits = replica(prefix, clock, 2, 0, port=1)  # nothing listens there
    verdicts = admit_all([(limits, "conv", "addr")] * 3)
    assert [v.allowed for v in verdicts] == [True, True, False]  # still limited, by this process
    assert "Redis unavailable" in caplog.text and "conv" not in caplog.text.replace("conversation", "")
