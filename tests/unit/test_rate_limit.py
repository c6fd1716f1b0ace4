"""The chat's flood limits: a sliding window per conversation and per address."""

from __future__ import annotations

from bot.entrypoints.web.rate_limit import MAX_KEYS, ChatLimits, SlidingWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_up_to_the_limit_in_a_minute_then_refused_with_when_to_retry() -> None:
    clock = Clock()
    window = SlidingWindow(3, 60, clock)
    for second in (0, 10, 20):
        clock.now = 1000 + second
        assert window.check("conv").allowed
    clock.now = 1030
    refused = window.check("conv")
    assert not refused.allowed and refused.retry_after == 30.0


def test_the_window_slides_and_refusals_do_not_count() -> None:
    clock = Clock()
    window = SlidingWindow(2, 60, clock)
    assert window.check("conv").allowed and window.check("conv").allowed
    for _ in range(5):
        assert not window.check("conv").allowed  # hammering does not extend the wait
    clock.now += 60.0
    assert window.check("conv").allowed


def test_zero_means_no_limit() -> None:
    window = SlidingWindow(0, 60, Clock())
    assert all(window.check("conv").allowed for _ in range(10_000))


def test_keys_are_counted_apart_and_memory_stays_bounded() -> None:
    clock = Clock()
    window = SlidingWindow(1, 60, clock)
    assert window.check("a").allowed and window.check("b").allowed
    assert not window.check("a").allowed
    for i in range(MAX_KEYS + 50):
        window.check(f"k{i}")
    assert len(window._seen) == MAX_KEYS


def test_a_message_needs_both_the_conversation_and_the_address_allowance() -> None:
    clock = Clock()
    limits = ChatLimits(SlidingWindow(2, 60, clock), SlidingWindow(3, 60, clock))
    assert limits.check("member-1", "10.0.0.1").allowed
    assert limits.check("member-1", "10.0.0.1").allowed
    assert not limits.check("member-1", "10.0.0.1").allowed  # this conversation: 2 a minute
    assert limits.check("member-2", "10.0.0.1").allowed  # another member at the same school
    assert not limits.check("member-3", "10.0.0.1").allowed  # the address: 3 a minute
    assert limits.check("member-4", "10.0.0.2").allowed


def test_a_message_refused_for_its_address_does_not_use_up_the_conversations_allowance() -> None:
    clock = Clock()
    limits = ChatLimits(SlidingWindow(2, 60, clock), SlidingWindow(1, 60, clock))
    assert limits.check("member-1", "10.0.0.1").allowed
    for _ in range(3):
        assert not limits.check("member-2", "10.0.0.1").allowed  # the school's address is full
    assert limits.check("member-2", "10.0.0.2").allowed  # on another network: both of its 2 still there
    assert limits.check("member-2", "10.0.0.3").allowed
    assert not limits.check("member-2", "10.0.0.4").allowed
