"""What an adviser does with cases in the inbox: list, read, export, move along.

Every call writes its audit entry in the same transaction as what it read or
changed, so there is no view or change without a record of who did it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from bot.inbox import audit
from bot.inbox.model import Adviser, CaseClaim
from bot.inbox.workflow import CLAIMED, NEW, NotAllowed, check_transition, next_statuses
from bot.storage.clock import utc_now
from bot.storage.inbox_repository import InboxRow
from bot.storage.model import CASE_STATUSES, URGENCIES, Case, Delivery
from bot.storage.uow import SqlUnitOfWork
from bot.vocabulary import CASE_TYPE, ROUTE

ROUTES = ROUTE.values
CASE_TYPES = CASE_TYPE.values


@dataclass(frozen=True)
class CaseFilters:
    """The list's filters; a value outside the schema's vocabulary is dropped, not an error."""

    urgency: str | None = None
    route: str | None = None
    status: str | None = None
    case_type: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> CaseFilters:
        allowed = {"urgency": URGENCIES, "route": ROUTES, "status": CASE_STATUSES, "case_type": CASE_TYPES}
        values = {name: query.get(name) for name in allowed}
        return cls(**{name: v if v in allowed[name] else None for name, v in values.items()})

    def describe(self) -> str | None:
        """'urgency=urgent status=new' for the audit log, or None when unfiltered."""
        shown = [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name)]
        return " ".join(shown) or None


@dataclass(frozen=True)
class CaseView:
    """One case as the case page shows it: the stored payload plus its handling."""

    case: Case
    payload: dict[str, Any]
    delivery: Delivery | None
    claim: CaseClaim | None

    @property
    def claimed_by(self) -> str | None:
        return self.claim.adviser_email if self.claim else None

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return next_statuses(self.case.status)

    @property
    def transcript(self) -> list[dict[str, Any]]:
        """The conversation, only where the member agreed to include it."""
        consent = self.payload.get("consent") or {}
        if not consent.get("include_transcript"):
            return []
        return list(self.payload.get("transcript") or [])


def list_cases(
    uow: SqlUnitOfWork, actor: Adviser, filters: CaseFilters, now: datetime | None = None
) -> list[InboxRow]:
    with uow:
        rows = uow.inbox_cases.list(
            urgency=filters.urgency, route=filters.route, status=filters.status, case_type=filters.case_type
        )
        audit.record(uow, now or utc_now(), actor.email, audit.LIST_VIEWED, detail=filters.describe())
        uow.commit()
    return rows


def view_case(uow: SqlUnitOfWork, actor: Adviser, reference: str, now: datetime | None = None) -> CaseView:
    """Raises LookupError for an unknown reference (the attempt is logged too)."""
    with uow:
        found = uow.cases.get(reference)
        view = CaseView(found, found.payload_dict, uow.deliveries.get(reference), uow.claims.get(reference)) if found else None
        audit.record(uow, now or utc_now(), actor.email, audit.CASE_VIEWED, reference, None if found else "not found")
        uow.commit()
    if view is None:
        raise LookupError(reference)
    return view


def export_case(uow: SqlUnitOfWork, actor: Adviser, reference: str, now: datetime | None = None) -> dict[str, Any]:
    """The stored handoff-v1 payload, exactly as the webhook received it."""
    with uow:
        found = uow.cases.get(reference)
        if found is None:
            raise LookupError(reference)
        audit.record(uow, now or utc_now(), actor.email, audit.CASE_EXPORTED, reference)
        uow.commit()
        return found.payload_dict


def change_status(
    uow: SqlUnitOfWork, actor: Adviser, reference: str, target: str, now: datetime | None = None
) -> str:
    """Move a case on; returns its previous status.

    Raises LookupError, InvalidTransition (not a move the workflow has) or
    NotAllowed (someone else's claim); a refusal is logged before it is raised.
    """
    now = now or utc_now()
    with uow:
        found = uow.inbox_cases.lock(reference)
        if found is None:
            raise LookupError(reference)
        claim = uow.claims.get(reference)
        try:
            check_transition(found.status, target, actor, claim.adviser_email if claim else None)
        except NotAllowed:
            audit.record(uow, now, actor.email, audit.ACCESS_DENIED, reference, f"{found.status} -> {target}")
            uow.commit()
            raise
        previous = found.status
        _update_claim(uow, claim, reference, target, actor, now)
        found.set_status(target)
        audit.record(uow, now, actor.email, audit.STATUS_CHANGED, reference, f"{previous} -> {target}")
        uow.commit()
    return previous


def _update_claim(
    uow: SqlUnitOfWork, claim: CaseClaim | None, reference: str, target: str, actor: Adviser, now: datetime
) -> None:
    """Claiming records who took the case; releasing it forgets them."""
    if target == CLAIMED:
        if claim is None:
            uow.claims.add(CaseClaim(reference, actor.email, now))
        else:
            claim.adviser_email, claim.claimed_at = actor.email, now
    elif target == NEW and claim is not None:
        uow.claims.remove(claim)
