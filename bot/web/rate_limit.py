"""How many chat messages one conversation, or one network address, may send per minute.

A person typing, or pressing reply buttons, sends a few messages a minute; a script
can send thousands, and each one costs the Rasa server real CPU. The address limit is
generous because a whole school may reach us from one address. Counts are kept per
web-app process (with several replicas the effective limit is a multiple; the point
is to stop floods, not to meter members).
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 60.0
MAX_KEYS = 20_000  # oldest keys are forgotten beyond this, so memory stays bounded


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: float = 0.0  # seconds until a message would be accepted again


class SlidingWindow:
    """At most `limit` events per key in any `window` seconds (0 = no limit)."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def check(self, key: str, *, count: bool = True) -> Verdict:
        """Whether one more event for `key` is allowed; counted if so (and `count`), never if refused."""
        if self.limit <= 0:
            return Verdict(True)
        now = self.clock()
        times = self._seen.pop(key, None) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        self._seen[key] = times  # most recently used last
        if len(times) >= self.limit:
            return Verdict(False, round(times[0] + self.window - now, 1))
        if not count:
            return Verdict(True)
        times.append(now)
        while len(self._seen) > MAX_KEYS:
            self._seen.popitem(last=False)
        return Verdict(True)


@dataclass
class ChatLimits:
    """One window per conversation and one per client address; both must allow a message."""

    per_conversation: SlidingWindow
    per_address: SlidingWindow

    @classmethod
    def per_minute(cls, conversation: int, address: int) -> ChatLimits:
        return cls(SlidingWindow(conversation), SlidingWindow(address))

    def check(self, sender: str, address: str) -> Verdict:
        """A message is counted against both windows only if both allow it."""
        pairs = ((self.per_conversation, sender), (self.per_address, address))
        for window, key in pairs:
            verdict = window.check(key, count=False)
            if not verdict.allowed:
                return verdict
        for window, key in pairs:
            window.check(key)
        return Verdict(True)
