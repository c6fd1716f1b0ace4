"""Retry delays: exponential backoff with full jitter.

Full jitter (a uniform delay between 0 and the exponential ceiling) spreads
retries from many jobs after a receiver outage, so they do not all arrive
together when it comes back.
"""

from __future__ import annotations

import random


def backoff_ceiling(attempt: int, base: float, cap: float) -> float:
    """`base * 2**(attempt-1)`, at most `cap`; attempt counts from 1."""
    exponent = min(max(attempt - 1, 0), 62)  # big enough to hit any cap, small enough not to overflow
    return min(cap, base * 2.0**exponent)


def backoff_delay(
    attempt: int,
    base: float,
    cap: float,
    rng: random.Random | None = None,
    retry_after: float | None = None,
) -> float:
    """Seconds to wait before the next attempt.

    A receiver's Retry-After is honoured as a lower bound, but never beyond
    `cap`: a busy receiver must not hold back an urgent case for hours.
    """
    delay = (rng or random).uniform(0.0, backoff_ceiling(attempt, base, cap))
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay
