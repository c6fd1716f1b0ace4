"""Running a coroutine from a synchronous test, whatever ran before it."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own.

    Playwright's sync API (the session-scoped browser of tests/browser) leaves an event
    loop running in the main thread for the rest of the run, and `asyncio.run` refuses
    to start inside one; a fresh thread has no loop, so tests pass in any order.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
