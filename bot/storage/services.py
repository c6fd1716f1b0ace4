"""Use cases over the unit of work: record a handed-off case, retry dead letters."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.case_records import DEAD, Case, urgency_rank
from bot.clock import parse_timestamp, utc_now
from bot.delivery.outbox import enqueue_for
from bot.directory.model import Destination
from bot.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

REQUIRED_FIELDS = ("reference", "urgency", "route", "case_type", "created_at")


def record_case(uow: UnitOfWork, payload: Mapping[str, Any], now: datetime | None = None) -> bool:
    """Store the case and its pending delivery jobs in one transaction (the outbox).

    The jobs are one per channel of the payload's destination (schema 1.1), looked
    up in the directory; a payload without one, or naming a destination the
    directory no longer has, goes to the AdviceLine.

    Returns True when stored, False when a case with this reference already
    exists (a replayed action, or a concurrent caller that won the race) —
    the caller can treat both as success. Raises ValueError for a payload
    missing the fields storage relies on.
    """
    new_case = case_from_payload(payload)
    now = now or utc_now()
    with uow:
        if uow.cases.get(new_case.reference) is not None:
            return False
        try:
            destination = _destination_of(uow, payload)
            new_case.destination_id = destination.id
            uow.cases.add(new_case)
            enqueue_for(uow, new_case.reference, destination, now)
            uow.commit()
        except IntegrityError:
            uow.rollback()
            if uow.cases.get(new_case.reference) is None:
                raise
            return False
    log.info("case %s recorded (%s), delivery pending", new_case.reference, new_case.urgency)
    return True


def _destination_of(uow: UnitOfWork, payload: Mapping[str, Any]) -> Destination:
    wanted = (payload.get("destination") or {}).get("id")
    directory = uow.directory.directory()
    found = directory.get(wanted) if wanted else None
    if wanted and found is None:
        log.warning("destination %s is not in the directory; the AdviceLine gets the case", wanted)
    return found or directory.adviceline


def case_from_payload(payload: Mapping[str, Any]) -> Case:
    """The columns are copies of payload fields, so listing needs no JSON parsing."""
    missing = [name for name in REQUIRED_FIELDS if not payload.get(name)]
    if missing:
        raise ValueError(f"handoff payload is missing {', '.join(missing)}")
    urgency_rank(payload["urgency"])  # rejects an unknown urgency before anything is written
    return Case(
        reference=payload["reference"],
        case_type=payload["case_type"],
        urgency=payload["urgency"],
        route=payload["route"],
        created_at=parse_timestamp(payload["created_at"]),
        payload=json.dumps(payload, sort_keys=True, separators=(",", ":")),
        conversation_id=payload.get("conversation_id"),
        safety_concern=bool(payload.get("safety_concern", False)),
    )


def retry_dead(uow: UnitOfWork, reference: str, now: datetime | None = None) -> None:
    """Put a case's dead deliveries back in the queue. Raises LookupError / InvalidTransition."""
    with uow:
        jobs = uow.deliveries.for_case(reference, lock=True)
        if not jobs:
            raise LookupError(reference)
        dead = [job for job in jobs if job.state == DEAD]
        if not dead:
            jobs[-1].requeue(now or utc_now())  # raises InvalidTransition, naming its state
        for job in dead:
            job.requeue(now or utc_now())
        uow.commit()
    log.info("delivery %s requeued by operator", reference)


def retry_all_dead(uow: UnitOfWork, now: datetime | None = None) -> list[str]:
    """Requeue every dead delivery; returns their references."""
    now = now or utc_now()
    with uow:
        dead = uow.deliveries.dead()
        for delivery in dead:
            delivery.requeue(now)
        uow.commit()
    references = [d.case_reference for d in dead]
    log.info("%d dead deliveries requeued by operator", len(references))
    return references


def set_case_status(uow: UnitOfWork, reference: str, status: str) -> None:
    """Advisers track their handling of a case. Raises LookupError / InvalidTransition."""
    with uow:
        found = uow.cases.get(reference)
        if found is None:
            raise LookupError(reference)
        found.set_status(status)
        uow.commit()
