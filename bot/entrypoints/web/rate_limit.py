"""How many chat messages one conversation, or one network address, may send per minute.

A person typing, or pressing reply buttons, sends a few messages a minute; a script
can send thousands, and each one costs the Rasa server real CPU. The address limit is
generous because a whole school may reach us from one address.

Counts live in the web-app process (`ChatLimits`) unless CHAT_LIMITS_REDIS_URL names
a Redis (`SharedChatLimits`), which several web replicas then share, so the limit
stays the limit however many replicas run. If that Redis fails, each replica falls
back to its own counts rather than refusing members or letting floods through.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

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

    async def admit(self, sender: str, address: str) -> Verdict:
        return self.check(sender, address)

    async def close(self) -> None:
        """Nothing to release (the same interface as SharedChatLimits)."""

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


class Limits(Protocol):
    async def admit(self, sender: str, address: str) -> Verdict:
        """Whether this message may go to the assistant (and if so, count it)."""

    async def close(self) -> None: ...


# Both windows checked, then both counted only if both allow, in one atomic step.
# KEYS: the conversation's window, the address's; ARGV: now, window (s), the two limits, a unique member.
_ADMIT = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local limits = {tonumber(ARGV[3]), tonumber(ARGV[4])}
local wait = 0
for i = 1, 2 do
  if limits[i] > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
    if redis.call('ZCARD', KEYS[i]) >= limits[i] then
      local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
      wait = math.max(wait, tonumber(oldest[2]) + window - now)
    end
  end
end
if wait > 0 then return tostring(wait) end
for i = 1, 2 do
  if limits[i] > 0 then
    redis.call('ZADD', KEYS[i], now, ARGV[5])
    redis.call('EXPIRE', KEYS[i], math.ceil(window))
  end
end
return '0'
"""


class SharedChatLimits:
    """The same two windows, kept in Redis so every web replica counts together.

    Keys hold a hash of the conversation id and of the address, never the values
    themselves, and expire a window after the last message.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        conversation: int,
        address: int,
        *,
        window: float = WINDOW_SECONDS,
        prefix: str = "neu:chat-limit",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client, self._script = client, client.register_script(_ADMIT)
        self.limits, self.window, self.prefix, self.clock = (conversation, address), window, prefix, clock
        self.fallback = ChatLimits.per_minute(conversation, address)

    @classmethod
    def from_url(cls, url: str, conversation: int, address: int) -> SharedChatLimits:
        client = aioredis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(client, conversation, address)

    async def admit(self, sender: str, address: str) -> Verdict:
        if max(self.limits) <= 0:
            return Verdict(True)
        keys = [self._key("c", sender), self._key("a", address)]
        now = self.clock()
        try:
            wait = float(await self._script(keys=keys, args=[now, self.window, *self.limits, f"{now:.6f}-{uuid.uuid4().hex[:8]}"]))
        except RedisError as exc:
            log.warning("chat limits: Redis unavailable (%s); counting in this process", type(exc).__name__)
            return self.fallback.check(sender, address)
        return Verdict(True) if wait <= 0 else Verdict(False, round(wait, 1))

    def _key(self, kind: str, value: str) -> str:
        return f"{self.prefix}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"

    async def close(self) -> None:
        await self._client.close()
