"""Exponential backoff with full jitter: grows, stays under the cap, honours Retry-After."""

from __future__ import annotations

import random
import statistics

from bot.delivery.backoff import backoff_ceiling, backoff_delay


def test_ceiling_doubles_until_the_cap() -> None:
    assert [backoff_ceiling(n, 2.0, 60.0) for n in range(1, 8)] == [2, 4, 8, 16, 32, 60, 60]
    assert backoff_ceiling(10_000, 2.0, 300.0) == 300.0  # no overflow on absurd attempt counts


def test_full_jitter_stays_within_zero_and_the_ceiling() -> None:
    rng = random.Random(42)
    for attempt in range(1, 15):
        for _ in range(200):
            delay = backoff_delay(attempt, 2.0, 300.0, rng)
            assert 0.0 <= delay <= backoff_ceiling(attempt, 2.0, 300.0) <= 300.0


def test_delays_grow_with_attempts() -> None:
    rng = random.Random(1)
    means = [statistics.mean(backoff_delay(n, 1.0, 1000.0, rng) for _ in range(400)) for n in range(1, 8)]
    assert means == sorted(means)
    assert means[-1] > 10 * means[0]


def test_seeded_random_makes_delays_reproducible() -> None:
    first = [backoff_delay(n, 2.0, 300.0, random.Random(9)) for n in range(1, 6)]
    second = [backoff_delay(n, 2.0, 300.0, random.Random(9)) for n in range(1, 6)]
    assert first == second


def test_retry_after_is_a_floor_but_never_beyond_the_cap() -> None:
    rng = random.Random(3)
    assert backoff_delay(1, 1.0, 300.0, rng, retry_after=45) >= 45
    assert backoff_delay(1, 1.0, 300.0, rng, retry_after=3600) == 300.0
