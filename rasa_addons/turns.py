"""One member message as one all-or-nothing turn.

The REST channel opens a `Turn` for each message (a context variable, so it
follows the request through Rasa's processor on the same asyncio task). When
anything the turn depends on fails — the tracker store, an action on the
action server — the failure is noted on the turn. The tracker store then does
not save the turn, so the conversation stays exactly as it was before the
message, and the channel tells the member to try again in a moment.

Rasa catches action failures itself and carries on without the action's
events; the only sign of it is the error it logs, so `ActionFailureWatch`
listens for that record.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# What rasa.core.processor logs (with the traceback) when an action fails (custom or Rasa's own).
ACTION_FAILURE_PREFIX = "Encountered an exception while running action"
PROCESSOR_LOGGER = "rasa.core.processor"


@dataclass
class Turn:
    """What went wrong while handling one message, if anything."""

    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    def fail(self, reason: str) -> None:
        if reason not in self.failures:
            self.failures.append(reason)


_current: ContextVar[Turn | None] = ContextVar("neu_current_turn", default=None)


def begin_turn() -> Turn:
    turn = Turn()
    _current.set(turn)
    return turn


def current_turn() -> Turn | None:
    """The turn being handled on this task; None outside the REST channel (e.g. Rasa's HTTP API)."""
    return _current.get()


def turn_failed() -> bool:
    turn = _current.get()
    return turn is not None and turn.failed


def fail_turn(reason: str) -> None:
    turn = _current.get()
    if turn is not None:
        turn.fail(reason)


class ActionFailureWatch(logging.Filter):
    """Marks the current turn failed when Rasa reports a custom action failure. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith(ACTION_FAILURE_PREFIX):
            fail_turn("action failed")
        return True


_watch = ActionFailureWatch()


def watch_action_failures() -> None:
    """Idempotent: install the filter on Rasa's processor logger once per process."""
    logger = logging.getLogger(PROCESSOR_LOGGER)
    if _watch not in logger.filters:
        logger.addFilter(_watch)
