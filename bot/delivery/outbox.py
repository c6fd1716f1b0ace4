"""The outbox: which delivery jobs a case gets for a destination.

Recording a case, passing it on and escalating it all enqueue through here, so
every destination is reached by each of its channels exactly once per case.
"""

from __future__ import annotations

from datetime import datetime

from bot.case_records import Delivery
from bot.directory.model import ADVICELINE, WEBHOOK, Destination
from bot.unit_of_work import UnitOfWork


def delivery_channels(destination: Destination) -> tuple[str, ...]:
    """The destination's channels; the AdviceLine always has its webhook, which is
    HANDOFF_WEBHOOK_URL when the directory gives it none (as before the directory)."""
    channels = destination.channels
    if destination.kind == ADVICELINE and WEBHOOK not in channels:
        return (WEBHOOK, *channels)
    return channels


def enqueue_for(uow: UnitOfWork, case_reference: str, destination: Destination, now: datetime) -> list[Delivery]:
    """One pending job per channel of `destination`, in the caller's transaction.

    Idempotent: a job that already exists for the same case, destination and channel
    is kept as it is (and returned), whatever its state. Raises LookupError for an
    unknown case.
    """
    case = uow.cases.get(case_reference)
    if case is None:
        raise LookupError(case_reference)
    jobs = []
    for channel in delivery_channels(destination):
        existing = uow.deliveries.find(case_reference, destination.id, channel)
        if existing is None:
            existing = Delivery.new(case_reference, case.urgency, now, destination.id, channel)
            uow.deliveries.add(existing)
        jobs.append(existing)
    return jobs
