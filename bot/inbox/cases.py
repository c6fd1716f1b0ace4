"""What an adviser does with cases in the inbox: list, read, export, move along.

Every call writes its audit entry in the same transaction as what it read or
changed, so there is no view or change without a record of who did it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.case_records import CASE_STATUSES, PENDING, URGENCIES, Case, Delivery
from bot.clock import utc_now
from bot.delivery.outbox import enqueue_for
from bot.directory.model import Destination, Directory
from bot.inbox import audit
from bot.inbox.model import DEFAULT_DESTINATION, Adviser, CaseClaim
from bot.inbox.workflow import CLAIMED, NEW, NotAllowed, check_transition, next_statuses
from bot.unit_of_work import UnitOfWork
from bot.vocabulary import CASE_TYPE, ROUTE

if TYPE_CHECKING:
    from bot.storage.inbox_repository import InboxRow

DESTINATION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ROUTES = ROUTE.values
CASE_TYPES = CASE_TYPE.values


@dataclass(frozen=True)
class CaseFilters:
    """The list's filters; a value outside the schema's vocabulary is dropped, not an error.

    `destination` narrows an admin's list to one destination; it never widens an
    adviser's, whose scope always wins (`list_cases`).
    """

    urgency: str | None = None
    route: str | None = None
    status: str | None = None
    case_type: str | None = None
    destination: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> CaseFilters:
        allowed = {"urgency": URGENCIES, "route": ROUTES, "status": CASE_STATUSES, "case_type": CASE_TYPES}
        values = {name: query.get(name) for name in allowed}
        destination = query.get("destination")
        return cls(
            **{name: v if v in allowed[name] else None for name, v in values.items()},
            destination=destination if isinstance(destination, str) and DESTINATION_ID.match(destination) else None,
        )

    def describe(self) -> str | None:
        """'urgency=urgent status=new' for the audit log, or None when unfiltered."""
        shown = [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name)]
        return " ".join(shown) or None


@dataclass(frozen=True)
class CaseView:
    """One case as the case page shows it: the stored payload plus its handling,
    who has it, and where it could be passed on to."""

    case: Case
    payload: dict[str, Any]
    delivery: Delivery | None
    claim: CaseClaim | None
    destination: Destination | None = None
    pass_on_targets: tuple[Destination, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)

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


class PassOnRefused(ValueError):
    """A pass-on that cannot be done as asked (no reason, unknown or same destination);
    the message is safe to show."""


def case_destination_id(case: Case) -> str:
    return case.destination_id or DEFAULT_DESTINATION


def _visible(uow: UnitOfWork, actor: Adviser, reference: str, *, lock: bool = False) -> Case | None:
    """The case if `actor` may see it. Another destination's case is None, exactly like a
    reference that does not exist, so an account cannot learn which references exist."""
    found = uow.inbox_cases.lock(reference) if lock else uow.cases.get(reference)
    if found is None or not actor.may_see(found.destination_id):
        return None
    return found


def _refuse_unseen(uow: UnitOfWork, actor: Adviser, reference: str, what: str, now: datetime) -> None:
    """Record a miss before the caller raises LookupError. The caller answers both
    kinds alike; the audit log (admins only) tells an unknown reference from another
    destination's case."""
    if uow.cases.get(reference) is not None:
        audit.record(uow, now, actor.email, audit.ACCESS_DENIED, reference, f"{what}: another destination's case")
    elif what == "view":
        audit.record(uow, now, actor.email, audit.CASE_VIEWED, reference, "not found")
    else:
        audit.record(uow, now, actor.email, audit.ACCESS_DENIED, reference, f"{what}: not found")
    uow.commit()


def list_cases(
    uow: UnitOfWork, actor: Adviser, filters: CaseFilters, now: datetime | None = None
) -> list[InboxRow]:
    """The cases of the actor's destination (every case for an admin)."""
    with uow:
        rows = uow.inbox_cases.list(
            urgency=filters.urgency,
            route=filters.route,
            status=filters.status,
            case_type=filters.case_type,
            destination=actor.scope or filters.destination,
        )
        audit.record(uow, now or utc_now(), actor.email, audit.LIST_VIEWED, detail=filters.describe())
        uow.commit()
    return rows


def view_case(uow: UnitOfWork, actor: Adviser, reference: str, now: datetime | None = None) -> CaseView:
    """Raises LookupError for an unknown reference or another destination's case (logged too)."""
    now = now or utc_now()
    with uow:
        found = _visible(uow, actor, reference)
        if found is None:
            _refuse_unseen(uow, actor, reference, "view", now)
            raise LookupError(reference)
        directory = uow.directory.directory()
        current = directory.get(case_destination_id(found)) or (
            directory.adviceline if case_destination_id(found) == DEFAULT_DESTINATION else None
        )
        known = _with_adviceline(directory)
        targets = tuple(d for d in known if d.id != case_destination_id(found))
        view = CaseView(
            found,
            found.payload_dict,
            uow.deliveries.get(reference),
            uow.claims.get(reference),
            current,
            targets,
            tuple(uow.deliveries.for_case(reference)),
            {d.id: d.name for d in known},
        )
        audit.record(uow, now, actor.email, audit.CASE_VIEWED, reference)
        uow.commit()
    return view


def export_case(uow: UnitOfWork, actor: Adviser, reference: str, now: datetime | None = None) -> dict[str, Any]:
    """The stored handoff payload, exactly as the webhook received it."""
    now = now or utc_now()
    with uow:
        found = _visible(uow, actor, reference)
        if found is None:
            _refuse_unseen(uow, actor, reference, "export", now)
            raise LookupError(reference)
        audit.record(uow, now, actor.email, audit.CASE_EXPORTED, reference)
        uow.commit()
        return found.payload_dict


def change_status(
    uow: UnitOfWork, actor: Adviser, reference: str, target: str, now: datetime | None = None
) -> str:
    """Move a case on; returns its previous status.

    Raises LookupError (unknown, or another destination's), InvalidTransition (not a
    move the workflow has) or NotAllowed (someone else's claim); a refusal is logged
    before it is raised.
    """
    now = now or utc_now()
    with uow:
        found = _visible(uow, actor, reference, lock=True)
        if found is None:
            _refuse_unseen(uow, actor, reference, "status", now)
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
    uow: UnitOfWork, claim: CaseClaim | None, reference: str, target: str, actor: Adviser, now: datetime
) -> None:
    """Claiming records who took the case; releasing it forgets them."""
    if target == CLAIMED:
        if claim is None:
            uow.claims.add(CaseClaim(reference, actor.email, now))
        else:
            claim.adviser_email, claim.claimed_at = actor.email, now
    elif target == NEW and claim is not None:
        uow.claims.remove(claim)


# --- passing a case on to another destination --------------------------------------------

MAX_REASON_LENGTH = 160


def pass_on(
    uow: UnitOfWork, actor: Adviser, reference: str, destination_id: str, reason: str, now: datetime | None = None
) -> Destination:
    """Hand the case to another destination of the directory, with a reason.

    In one transaction: the case's destination changes (so the old destination's
    accounts get 404 for it from now on), it is new again with no claim (the new
    destination takes it from the start), the stored payload's `destination` names
    the new one (what its webhook receives), a delivery job per channel of the new
    destination is queued (`enqueue_for`), and the audit log records who, from
    where, to where and why. Raises LookupError, NotAllowed (claimed by someone
    else) or PassOnRefused.
    """
    now = now or utc_now()
    reason = " ".join((reason or "").split())
    if not reason:
        raise PassOnRefused("say why the case is being passed on")
    if len(reason) > MAX_REASON_LENGTH:
        raise PassOnRefused(f"keep the reason under {MAX_REASON_LENGTH} characters")
    with uow:
        found = _visible(uow, actor, reference, lock=True)
        if found is None:
            _refuse_unseen(uow, actor, reference, "pass on", now)
            raise LookupError(reference)
        target = _with_adviceline_get(uow.directory.directory(), destination_id)
        if target is None:
            raise PassOnRefused("that destination is not in the directory")
        if target.id == case_destination_id(found):
            raise PassOnRefused("the case is already with that destination")
        claim = uow.claims.get(reference)
        if claim is not None and claim.adviser_email != actor.email and not actor.is_admin:
            audit.record(uow, now, actor.email, audit.ACCESS_DENIED, reference, f"pass on to {target.id}")
            uow.commit()
            raise NotAllowed(f"this case is claimed by {claim.adviser_email}")
        move_case(uow, found, target, actor.email, audit.PASSED_ON, reason, now)
        uow.commit()
    return target


def move_case(
    uow: UnitOfWork, case: Case, target: Destination, actor: str | None, action: str, reason: str, now: datetime
) -> None:
    """Give `case` to `target` in the caller's transaction (pass-on, and escalation with
    actor None): its destination changes, so the old destination's accounts lose it; it is
    new again without a claim; the stored payload's `destination` names `target` (what its
    webhook receives, schema 1.1); a job per channel of `target` is queued; audited as
    `action` with "old -> new: reason". The old destination's jobs still waiting are
    stopped (dead, with why), so it is not sent a case that is no longer its own."""
    old = case_destination_id(case)
    _stop_unsent(uow, case.reference, old, f"not sent: the case went to {target.id} ({reason})"[:200], now)
    claim = uow.claims.get(case.reference)
    if claim is not None:
        uow.claims.remove(claim)
    old_name = (uow.directory.get(old) or Destination(old, "", old)).name
    case.destination_id = target.id
    case.set_status(NEW)
    case.payload = _with_destination(case.payload_dict, target, old_name)
    enqueue_for(uow, case.reference, target, now)
    audit.record(uow, now, actor, action, case.reference, f"{old} -> {target.id}: {reason}")


def _stop_unsent(uow: UnitOfWork, reference: str, destination_id: str, why: str, now: datetime) -> None:
    for job in uow.deliveries.for_case(reference):
        if job.destination_id == destination_id and job.state == PENDING:
            job.mark_dead(now, job.last_status_code, why)


SENT_TO = "Sent to: "


def _with_destination(payload: dict[str, Any], destination: Destination, old_name: str) -> str:
    """The payload as the new destination receives it: schema 1.1, naming it, and the
    summary's "Sent to:" line (bot.handoff) saying where it came from."""
    lines = str(payload.get("summary_text", "")).split("\n")
    moved = f"{SENT_TO}{destination.name} (passed on from {old_name})"
    at = next((n for n, line in enumerate(lines) if line.startswith(SENT_TO)), None)
    if at is None:
        lines.insert(min(3, len(lines)), moved)
    else:
        lines[at] = moved
    payload = {**payload, "schema_version": "1.1", "destination": destination.as_payload(), "summary_text": "\n".join(lines)}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def _with_adviceline(directory: Directory) -> tuple[Destination, ...]:
    """The directory's destinations; an empty directory still has the AdviceLine."""
    return directory.destinations if directory.get(directory.adviceline.id) else (directory.adviceline, *directory.destinations)


def _with_adviceline_get(directory: Directory, destination_id: str) -> Destination | None:
    return next((d for d in _with_adviceline(directory) if d.id == destination_id), None)


# --- the directory as the inbox shows it ---------------------------------------------------


def destination_names(uow: UnitOfWork) -> dict[str, str]:
    """Destination id -> name, for the list's headings and the admin's "With" column."""
    with uow:
        return {d.id: d.name for d in _with_adviceline(uow.directory.directory())}


def read_directory(uow: UnitOfWork, actor: Adviser, now: datetime) -> tuple[Destination, ...]:
    """The whole directory, for admins only (a refusal is audited, like the audit log's)."""
    return audit.admin_read(uow, actor, now, "directory", audit.DIRECTORY_VIEWED, lambda: uow.directory.all())
