"""Run the synchronous core (SQLAlchemy, Argon2) off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")


async def blocking(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A slow database write or a password hash must not stall the chat proxy."""
    return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args, **kwargs))
