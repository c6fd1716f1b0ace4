"""Sending a prepared case: its handoff payload, validated, stored with its delivery jobs.

The case was prepared (built, triaged, routed, given its reference) by
`bot.intake.prepare.prepare_case`, the same preparation the read-back showed; this
builds and validates the payload (1.1, with its destination) and records it with its
outbox jobs in one transaction (`record_case` owns it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.directory.model import Destination
from bot.handoff import build_payload, validate_payload
from bot.intake.prepare import PreparedCase
from bot.storage.services import record_case
from bot.triage import Triage
from bot.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Submission:
    reference: str
    triage: Triage
    payload: dict[str, Any]
    created: bool
    destination: Destination


def submit(uow: UnitOfWork, prepared: PreparedCase, now: datetime) -> Submission:
    """Store the prepared case. Idempotent on its reference: sending it again stores nothing new."""
    payload = build_payload(
        prepared.case, prepared.triage, prepared.reference, now, prepared.consent_given_at or now, prepared.destination
    )
    validate_payload(payload)
    created = record_case(uow, payload, now)
    return Submission(prepared.reference, prepared.triage, payload, created, prepared.destination)
