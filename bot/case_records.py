"""The stored case and its delivery job: plain domain classes with their state rules.

They live in the domain, not in `bot.storage`: the ORM (`bot.storage.orm`) maps these
classes imperatively and so depends on them, never the reverse. The rules for moving a
job between states live here, where they can be read and tested without a
database, and the worker and CLI cannot put a job into a state it cannot leave.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.vocabulary import CASE_STATUS, DELIVERY_STATE, URGENCY

URGENCIES = URGENCY.values  # most urgent first: the inbox sorts by this order
CASE_STATUSES = CASE_STATUS.values

PENDING, IN_FLIGHT, DELIVERED, DEAD = DELIVERY_STATE.values
DELIVERY_STATES = DELIVERY_STATE.values

MAX_ERROR_LENGTH = 200


class InvalidTransition(ValueError):
    """A delivery or case was asked to move to a state its rules forbid."""


def urgency_rank(urgency: str) -> int:
    """0 for urgent, 1 for priority, 2 for routine: the order jobs are sent in."""
    try:
        return URGENCIES.index(urgency)
    except ValueError:
        raise ValueError(f"unknown urgency {urgency!r}") from None


def short_error(text: str | None) -> str | None:
    """Trim an error for storage; callers pass only status words, never content."""
    if text is None:
        return None
    return text[:MAX_ERROR_LENGTH]


@dataclass(eq=False)
class Case:
    """A handed-off case as the adviser inbox sees it; `payload` is handoff-v1 JSON."""

    reference: str
    case_type: str
    urgency: str
    route: str
    created_at: datetime
    payload: str
    conversation_id: str | None = None
    safety_concern: bool = False
    status: str = "new"
    # The directory entry that has the case (None: an older case, the AdviceLine's).
    destination_id: str | None = None
    id: int | None = None

    @property
    def payload_dict(self) -> dict[str, Any]:
        """The handoff payload as a dict (the stored JSON is the source of truth)."""
        return json.loads(self.payload)

    def set_status(self, status: str) -> None:
        """Advisers move cases along new -> claimed -> contacted -> closed (any order)."""
        if status not in CASE_STATUSES:
            raise InvalidTransition(f"status must be one of {', '.join(CASE_STATUSES)}")
        self.status = status


@dataclass(eq=False)
class Delivery:
    """The outbox job that POSTs one case to the adviser webhook.

    `attempts` counts claims, not responses: a worker that crashes mid-send has
    still used an attempt, so a payload that crashes workers cannot loop forever.
    It also fences a slow worker whose lease expired out of overwriting the
    result of the worker that took the job over.
    """

    case_reference: str
    urgency_rank: int
    created_at: datetime
    next_attempt_at: datetime
    updated_at: datetime
    state: str = PENDING
    attempts: int = 0
    locked_until: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    requeued_at: datetime | None = None
    # Where it goes (bot.directory) and how: "webhook" or "email".
    destination_id: str = "adviceline"
    channel: str = "webhook"
    id: int | None = None

    @classmethod
    def new(
        cls, reference: str, urgency: str, now: datetime, destination_id: str = "adviceline", channel: str = "webhook"
    ) -> Delivery:
        """A pending job, due at once."""
        rank = urgency_rank(urgency)
        return cls(
            reference,
            rank,
            created_at=now,
            next_attempt_at=now,
            updated_at=now,
            destination_id=destination_id,
            channel=channel,
        )

    @property
    def age_from(self) -> datetime:
        """When the max-age clock started: enqueue time, or the last manual retry."""
        return self.requeued_at or self.created_at

    def is_expired(self, now: datetime, max_age: timedelta) -> bool:
        """Too old to be worth sending automatically; an operator can still retry it."""
        return now - self.age_from > max_age

    def claim(self, now: datetime, lease_until: datetime) -> None:
        """Take the job for one send; the lease lets another worker retake it after a crash."""
        if self.state not in (PENDING, IN_FLIGHT):
            raise InvalidTransition(f"cannot claim a {self.state} delivery")
        self.state = IN_FLIGHT
        self.attempts += 1
        self.locked_until = lease_until
        self.updated_at = now

    def mark_delivered(self, now: datetime, status_code: int | None) -> None:
        self._settle(DELIVERED, now, status_code, None)
        self.delivered_at = now

    def schedule_retry(self, now: datetime, at: datetime, status_code: int | None, error: str | None) -> None:
        self._settle(PENDING, now, status_code, error)
        self.next_attempt_at = at

    def mark_dead(self, now: datetime, status_code: int | None, error: str | None) -> None:
        self._settle(DEAD, now, status_code, error)

    def requeue(self, now: datetime) -> None:
        """Operator retry of a dead letter: a fresh set of attempts and a fresh age clock."""
        if self.state != DEAD:
            raise InvalidTransition(f"only dead deliveries can be retried; this one is {self.state}")
        self.state = PENDING
        self.attempts = 0
        self.next_attempt_at = now
        self.requeued_at = now
        self.locked_until = None
        self.updated_at = now

    def _settle(self, state: str, now: datetime, status_code: int | None, error: str | None) -> None:
        if self.state == DELIVERED:
            raise InvalidTransition("a delivered job is final")
        self.state = state
        self.locked_until = None
        self.last_status_code = status_code
        self.last_error = short_error(error)
        self.updated_at = now


@dataclass(eq=False)
class CaseCount:
    """How many cases of one kind arrived in one month: what the union keeps after
    retention or erasure has deleted the cases themselves. No personal data.

    `month` is "YYYY-MM" in UK time, the calendar the union reports in.
    """

    month: str
    case_type: str
    urgency: str
    route: str
    count: int = 0
    id: int | None = None
