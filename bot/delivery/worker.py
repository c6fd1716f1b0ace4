"""The outbox worker: claims due delivery jobs and sends each by its channel to its destination.

A job is one case for one destination (bot.directory) over one channel: the
destination's signed webhook, or an email notice (bot.delivery.channels). After
the sends, an escalation pass hands to the AdviceLine any case whose destination
cannot or does not take it (bot.delivery.escalation).

Each job goes through three short transactions — claim (state in_flight,
attempts + 1, a lease), send (no transaction open), complete (delivered /
retry later / dead) — so a slow webhook never holds a lock. If a worker dies
between claim and complete, the lease runs out and any worker sends the job
again; the receiver dedupes on the Idempotency-Key, so that is still one case.

    python -m bot.entrypoints.worker            # run until SIGTERM / Ctrl-C
    python -m bot.entrypoints.worker --once     # one pass, for cron or debugging
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.case_records import DEAD, DELIVERED, IN_FLIGHT, Case, Delivery
from bot.clock import utc_now
from bot.delivery.backoff import backoff_delay
from bot.delivery.channels import ChannelSender, Job, Sender
from bot.delivery.client import DeliveryOutcome, WebhookClient
from bot.delivery.escalation import escalate_due
from bot.directory.model import ADVICELINE_ID, DEFAULT_ADVICELINE, WEBHOOK, Destination
from bot.settings import Settings
from bot.storage.engine import session_factory_for
from bot.storage.uow import uow_factory
from bot.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("bot.delivery.worker")  # not __main__ under `python -m`

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ClaimedJob:
    """A job this worker holds; `attempt` fences completion against a lease takeover."""

    reference: str
    attempt: int
    payload: dict[str, Any]
    delivery_id: int | None = None
    channel: str = WEBHOOK
    destination: Destination = DEFAULT_ADVICELINE


class DeliveryWorker:
    """Claims, sends and settles delivery jobs, most urgent and oldest first."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        client: Sender,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        sleep: Callable[[float], object] | None = None,
        rng: random.Random | None = None,
        batch_size: int = 50,
        channels: ChannelSender | None = None,
    ) -> None:
        self._uow = uow_factory
        self._client = client
        # `client` is the AdviceLine's webhook (HANDOFF_WEBHOOK_URL) when the directory gives none.
        self._channels = channels or ChannelSender(settings, client)
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._batch_size = batch_size
        self._stop = threading.Event()
        self._max_age = timedelta(hours=settings.delivery_max_age_hours)
        # The lease must outlast one send (connect + read timeouts) or a live worker loses its job.
        lease = max(settings.delivery_lease_seconds, 2 * settings.handoff_timeout_seconds + 5)
        self._lease = timedelta(seconds=lease)

    @classmethod
    def from_settings(cls, settings: Settings, sessions: Callable[[], Any] | None = None) -> DeliveryWorker:
        """The worker its entry point wires: the webhook client from the settings, the given sessions."""
        client = WebhookClient(
            settings.handoff_webhook_url,
            settings.handoff_webhook_secret,
            settings.handoff_timeout_seconds,
        )
        return cls(uow_factory(sessions or session_factory_for(settings.database_url)), client, settings)

    def run_once(self, limit: int | None = None) -> int:
        """One pass: expire over-age jobs, send up to `limit` due jobs, then escalate what must
        go to the AdviceLine. Returns the jobs handled (escalations queue jobs for the next pass)."""
        handled = self.expire_old_jobs()
        for _ in range(limit or self._batch_size):
            if self._stop.is_set():
                break
            job = self.claim_next()
            if job is None:
                break
            self.complete(job, self.send(job))
            handled += 1
        self.escalate()
        return handled

    def send(self, job: ClaimedJob) -> DeliveryOutcome:
        """One attempt, by the job's channel, to its destination."""
        return self._channels.send(Job(job.reference, job.channel, job.payload), job.destination)

    def escalate(self) -> int:
        """Cases a destination cannot or does not take go to the AdviceLine (audited)."""
        settings = self._settings
        escalated = escalate_due(self._uow(), self._clock(), settings.escalate_after_working_hours, settings.uk_nation)
        return len(escalated)

    def run_forever(self, stop_event: threading.Event | None = None) -> None:
        """Poll until `stop_event` is set; the job being sent is finished first."""
        if stop_event is not None:
            self._stop = stop_event
        log.info("delivery worker started (poll every %.1fs)", self._settings.delivery_poll_seconds)
        while not self._stop.is_set():
            if self._safe_run_once() < self._batch_size:
                self._wait(self._settings.delivery_poll_seconds)
        log.info("delivery worker stopped")

    def expire_old_jobs(self) -> int:
        """Jobs older than the max age go to dead unsent; an operator can still retry them."""
        now = self._clock()
        with self._uow() as uow:
            expired = uow.deliveries.expired(now, now - self._max_age)
            for delivery in expired:
                error = f"not delivered within {self._settings.delivery_max_age_hours:g} hours"
                delivery.mark_dead(now, delivery.last_status_code, error)
            uow.commit()
        for delivery in expired:
            _log_result(delivery, logging.WARNING)
        return len(expired)

    def claim_next(self) -> ClaimedJob | None:
        """Take the most urgent due job (pending, or in flight with a lapsed lease)."""
        while True:
            now = self._clock()
            with self._uow() as uow:
                delivery = uow.deliveries.next_due(now)
                if delivery is None:
                    return None
                case = uow.cases.get(delivery.case_reference)
                payload = _load_payload(case.payload if case else None)
                destination = _destination_of(uow, delivery.destination_id)
                unsendable = self._unsendable(delivery, payload) or (
                    None if destination else f"{delivery.destination_id} is no longer in the directory"
                ) or _not_its_holder(delivery, case)
                if unsendable:  # park it where an operator will see it
                    delivery.mark_dead(now, delivery.last_status_code, unsendable)
                    payload = None
                else:
                    delivery.claim(now, now + self._lease)
                uow.commit()
            if payload is not None and destination is not None:
                log.info(
                    "delivery %s in_flight %s to %s attempt=%d",
                    delivery.case_reference, delivery.channel, delivery.destination_id, delivery.attempts,
                )
                return ClaimedJob(
                    delivery.case_reference, delivery.attempts, payload, delivery.id, delivery.channel, destination
                )
            _log_result(delivery, logging.ERROR)

    def complete(self, job: ClaimedJob, outcome: DeliveryOutcome) -> None:
        """Record the outcome, unless another worker has taken the job over meanwhile."""
        now = self._clock()
        with self._uow() as uow:
            if job.delivery_id is None:
                delivery = uow.deliveries.get(job.reference, lock=True)
            else:
                delivery = uow.deliveries.get_by_id(job.delivery_id, lock=True)
            if delivery is None or delivery.state != IN_FLIGHT or delivery.attempts != job.attempt:
                log.warning(
                    "delivery %s attempt=%d: lease lost, result not recorded", job.reference, job.attempt
                )
                return
            self._settle(delivery, outcome, now)
            uow.commit()
        _log_result(delivery, logging.WARNING if delivery.state == DEAD else logging.INFO)

    def stop(self) -> None:
        self._stop.set()

    def _unsendable(self, delivery: Delivery, payload: dict[str, Any] | None) -> str | None:
        """Why a due job must not be sent again, if it must not."""
        if payload is None:
            return "stored payload is missing or unreadable"
        if delivery.state == IN_FLIGHT and delivery.attempts >= self._settings.delivery_max_attempts:
            # Every attempt ended with the worker gone mid-send: probably this job kills it.
            return f"no result after {delivery.attempts} attempts (worker stopped mid-send)"
        return None

    def _settle(self, delivery: Delivery, outcome: DeliveryOutcome, now: datetime) -> None:
        settings = self._settings
        if outcome.result == "delivered":
            delivery.mark_delivered(now, outcome.status_code)
        elif outcome.result == "dead":
            delivery.mark_dead(now, outcome.status_code, outcome.error)
        elif delivery.attempts >= settings.delivery_max_attempts:
            delivery.mark_dead(
                now, outcome.status_code, f"{outcome.error}; gave up after {delivery.attempts} attempts"
            )
        elif delivery.is_expired(now, self._max_age):
            delivery.mark_dead(now, outcome.status_code, f"{outcome.error}; older than the max age")
        else:
            delay = backoff_delay(
                delivery.attempts,
                settings.delivery_backoff_base_seconds,
                settings.delivery_backoff_max_seconds,
                self._rng,
                outcome.retry_after,
            )
            delivery.schedule_retry(now, now + timedelta(seconds=delay), outcome.status_code, outcome.error)

    def _safe_run_once(self) -> int:
        """A database outage must not kill the worker; it retries after the poll interval."""
        try:
            return self.run_once()
        except Exception as exc:  # the loop must survive anything, e.g. a database outage
            log.error(
                "delivery pass failed (%s); retrying",
                type(exc).__name__,
                exc_info=log.isEnabledFor(logging.DEBUG),
            )
            return 0

    def _wait(self, seconds: float) -> None:
        if self._sleep is not None:
            self._sleep(seconds)
        else:
            self._stop.wait(seconds)


def _destination_of(uow: UnitOfWork, destination_id: str) -> Destination | None:
    """The job's destination as the directory has it now; the AdviceLine always exists."""
    directory = uow.directory.directory()
    found = directory.get(destination_id)
    if found is None and destination_id == ADVICELINE_ID:
        return directory.adviceline
    return found


def _not_its_holder(delivery: Delivery, case: Case | None) -> str | None:
    """A job to a destination that no longer has the case (passed on, escalated) is never
    sent, even retried by an operator: the case's details are no longer theirs to see."""
    holder = (case.destination_id if case else None) or ADVICELINE_ID
    if case is not None and delivery.destination_id != holder:
        return f"not sent: the case is now with {holder}"
    return None


def _load_payload(text: str | None) -> dict[str, Any] | None:
    try:
        payload = json.loads(text) if text else None
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def _log_result(delivery: Delivery, level: int) -> None:
    """References, states, codes and counts only — never payload content."""
    log.log(
        level,
        "delivery %s %s status=%s attempt=%d channel=%s destination=%s%s",
        delivery.case_reference,
        delivery.state,
        delivery.last_status_code,
        delivery.attempts,
        delivery.channel,
        delivery.destination_id,
        f" error={delivery.last_error}" if delivery.last_error and delivery.state != DELIVERED else "",
    )
