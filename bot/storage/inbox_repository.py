"""Repositories for the adviser inbox: the only code that queries its tables.

Kept apart from `repository.py` (cases and the delivery outbox) so the two
halves can change independently; both are bound to the same unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.case_records import Case
from bot.inbox.model import DEFAULT_DESTINATION, Adviser, AdviserSession, AuditEntry, CaseClaim
from bot.storage.orm import adviser_sessions, advisers, audit_log, case_claims, cases
from bot.storage.repository import _URGENCY_ORDER, latest_deliveries


def case_destination() -> ColumnElement:
    """The destination a case is with; cases from before the directory are the AdviceLine's."""
    return func.coalesce(cases.c.destination_id, DEFAULT_DESTINATION)


class InboxRow(NamedTuple):
    """One row of the inbox list: the case, its delivery state, and who claimed it."""

    case: Case
    delivery_state: str | None
    claimed_by: str | None


class AdviserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, adviser: Adviser) -> None:
        """Insert now, so a duplicate email fails here rather than at commit."""
        self._session.add(adviser)
        self._session.flush()

    def get(self, adviser_id: int) -> Adviser | None:
        return self._session.get(Adviser, adviser_id)

    def by_email(self, email: str) -> Adviser | None:
        query = select(Adviser).where(advisers.c.email == email)
        return self._session.execute(query).scalar_one_or_none()

    def list(self) -> list[Adviser]:
        return list(self._session.execute(select(Adviser).order_by(advisers.c.email)).scalars())


class AdviserSessionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, signed_in: AdviserSession) -> None:
        self._session.add(signed_in)
        self._session.flush()

    def by_token_hash(self, token_hash: str) -> AdviserSession | None:
        query = select(AdviserSession).where(adviser_sessions.c.token_hash == token_hash)
        return self._session.execute(query).scalar_one_or_none()

    def remove(self, signed_in: AdviserSession) -> None:
        self._session.delete(signed_in)
        self._session.flush()

    def remove_for(self, adviser_id: int) -> int:
        """Sign an account out everywhere (it was disabled)."""
        result = self._session.execute(delete(adviser_sessions).where(adviser_sessions.c.adviser_id == adviser_id))
        return result.rowcount

    def remove_stale(self, now: datetime, idle_since: datetime) -> int:
        """Delete sessions past their absolute expiry or idle since before `idle_since`."""
        stale = or_(adviser_sessions.c.expires_at <= now, adviser_sessions.c.last_seen_at <= idle_since)
        return self._session.execute(delete(adviser_sessions).where(stale)).rowcount


class CaseClaimRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, reference: str) -> CaseClaim | None:
        query = select(CaseClaim).where(case_claims.c.case_reference == reference)
        return self._session.execute(query).scalar_one_or_none()

    def add(self, claim: CaseClaim) -> None:
        self._session.add(claim)
        self._session.flush()

    def remove(self, claim: CaseClaim) -> None:
        self._session.delete(claim)
        self._session.flush()


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, entry: AuditEntry) -> None:
        self._session.add(entry)

    def latest(self, limit: int = 200, case_reference: str | None = None) -> list[AuditEntry]:
        """Newest first."""
        query = select(AuditEntry).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
        if case_reference:
            query = query.where(audit_log.c.case_reference == case_reference)
        return list(self._session.execute(query).scalars())

    def count_since(self, actor: str, action: str, since: datetime) -> int:
        query = select(func.count()).where(
            audit_log.c.actor == actor, audit_log.c.action == action, audit_log.c.at >= since
        )
        return int(self._session.execute(query).scalar_one())


class InboxCaseRepository:
    """The inbox list: urgent first, then priority, then routine; oldest first within each."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def list(
        self,
        *,
        urgency: str | None = None,
        route: str | None = None,
        status: str | None = None,
        case_type: str | None = None,
        destination: str | None = None,
    ) -> list[InboxRow]:
        """`destination`: only the cases routed there (a NULL destination is the AdviceLine's)."""
        latest = latest_deliveries()
        query = (
            select(Case, latest.c.state, case_claims.c.adviser_email)
            .outerjoin(latest, latest.c.case_reference == cases.c.reference)
            .outerjoin(case_claims, case_claims.c.case_reference == cases.c.reference)
            .order_by(_URGENCY_ORDER, cases.c.created_at, cases.c.id)
        )
        for column, value in (
            (cases.c.urgency, urgency),
            (cases.c.route, route),
            (cases.c.status, status),
            (cases.c.case_type, case_type),
            (case_destination(), destination),
        ):
            if value:
                query = query.where(column == value)
        return [InboxRow(*row) for row in self._session.execute(query)]

    def lock(self, reference: str) -> Case | None:
        """The case, row-locked on PostgreSQL so two advisers cannot claim it at once
        (SQLite's BEGIN IMMEDIATE already serialises writers)."""
        query = select(Case).where(cases.c.reference == reference).with_for_update(of=cases)
        return self._session.execute(query).scalar_one_or_none()
