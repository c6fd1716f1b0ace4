"""Rasa's Redis lock store, with each change to a conversation's lock made atomically.

Rasa 3.6's `RedisLockStore` reads a conversation's ticket lock, changes it and
writes it back in three separate Redis calls. Two replicas doing that at the
same moment overwrite each other: when one finishes a turn while the other
takes a ticket for the next message, the ticket can vanish with the deleted
lock, and the second message fails with "Could not acquire lock" (the member is
asked to try again). Here every read-change-write runs under a short Redis
mutex for that conversation (redis-py's `Lock`: SET NX with expiry, released by
a script), so tickets are issued and served strictly in turn across replicas.
Listed as `lock_store` in endpoints.production.yml, with the same settings as
Rasa's own `redis` type.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

MUTEX_PREFIX = "mutex:"
MUTEX_EXPIRY_SECONDS = 5.0  # a replica that dies holding the mutex blocks others this long at most
MUTEX_WAIT_SECONDS = 5.0  # then Rasa's LockError, and the member is asked to try again


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis ticket locks; issuing, refreshing and returning a ticket are atomic per conversation."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    @contextmanager
    def _exclusive(self, conversation_id: str) -> Iterator[None]:
        name = MUTEX_PREFIX + self.key_prefix + conversation_id
        with self.red.lock(name, timeout=MUTEX_EXPIRY_SECONDS, blocking_timeout=MUTEX_WAIT_SECONDS):
            yield

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._exclusive(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._exclusive(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Return the ticket; delete the lock only if no other ticket is waiting, in one step."""
        with self._exclusive(conversation_id):
            lock = self.get_lock(conversation_id)
            if lock is None:
                return
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                self.save_lock(lock)
            else:
                self.delete_lock(conversation_id)
