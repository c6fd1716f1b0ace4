"""Repositories: the only code that writes queries against `cases` and `deliveries`."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.selectable import Subquery

from bot.case_records import DEAD, IN_FLIGHT, PENDING, URGENCIES, Case, Delivery
from bot.storage.orm import case_claims, cases, deliveries, destinations

_URGENCY_ORDER = case({u: i for i, u in enumerate(URGENCIES)}, value=cases.c.urgency, else_=len(URGENCIES))


class CaseListing(NamedTuple):
    """One row of the adviser list: the case and where its delivery stands."""

    case: Case
    delivery_state: str | None


class CaseRepository:
    """Cases by reference, and the adviser list in urgency-then-age order."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, new_case: Case) -> None:
        """Insert now, so a duplicate reference fails here and the delivery's FK target exists."""
        self._session.add(new_case)
        self._session.flush()

    def get(self, reference: str) -> Case | None:
        return self._session.execute(select(Case).where(cases.c.reference == reference)).scalar_one_or_none()

    def list(self, urgency: str | None = None, status: str | None = None) -> list[CaseListing]:
        """Urgent first, then priority, then routine; oldest first within each."""
        latest = latest_deliveries()
        query = (
            select(Case, latest.c.state)
            .outerjoin(latest, latest.c.case_reference == cases.c.reference)
            .order_by(_URGENCY_ORDER, cases.c.created_at, cases.c.id)
        )
        if urgency:
            query = query.where(cases.c.urgency == urgency)
        if status:
            query = query.where(cases.c.status == status)
        return [CaseListing(row[0], row[1]) for row in self._session.execute(query)]


    def escalation_candidates(self, adviceline_id: str, limit: int = 100) -> list[str]:
        """Open cases held by another destination that escalation must look at: a dead job to
        it (unclaimed), the destination gone from the directory with a job to it not delivered,
        or urgent and unclaimed. `bot.delivery.escalation` decides; this only narrows the search."""
        to_holder = and_(
            deliveries.c.case_reference == cases.c.reference, deliveries.c.destination_id == cases.c.destination_id
        )
        unclaimed = ~exists().where(case_claims.c.case_reference == cases.c.reference)
        dead = exists().where(to_holder, deliveries.c.state == DEAD)
        undelivered = exists().where(to_holder, deliveries.c.state.in_((PENDING, IN_FLIGHT, DEAD)))
        gone = ~exists().where(destinations.c.id == cases.c.destination_id)
        query = (
            select(cases.c.reference)
            .where(
                cases.c.destination_id.is_not(None),
                cases.c.destination_id != adviceline_id,
                cases.c.status != "closed",
                or_(and_(dead, unclaimed), and_(gone, undelivered), and_(cases.c.urgency == "urgent", unclaimed)),
            )
            .order_by(cases.c.id)
            .limit(limit)
        )
        return list(self._session.execute(query).scalars())


class DeliveryRepository:
    """Delivery jobs: lookup, listing, and the locked queries the worker claims with."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, delivery: Delivery) -> None:
        self._session.add(delivery)
        self._session.flush()

    def get(self, reference: str, *, lock: bool = False) -> Delivery | None:
        """The case's newest job (a case passed on or escalated has several; see `for_case`)."""
        query = (
            select(Delivery)
            .where(deliveries.c.case_reference == reference)
            .order_by(deliveries.c.id.desc())
            .limit(1)
        )
        return self._session.execute(_locked(query, skip=False) if lock else query).scalar_one_or_none()

    def get_by_id(self, delivery_id: int, *, lock: bool = False) -> Delivery | None:
        query = select(Delivery).where(deliveries.c.id == delivery_id)
        return self._session.execute(_locked(query, skip=False) if lock else query).scalar_one_or_none()

    def for_case(self, reference: str, *, lock: bool = False) -> list[Delivery]:
        """Every job of a case, oldest first."""
        query = select(Delivery).where(deliveries.c.case_reference == reference).order_by(deliveries.c.id)
        return list(self._session.execute(_locked(query, skip=False) if lock else query).scalars())

    def find(self, reference: str, destination_id: str, channel: str) -> Delivery | None:
        query = select(Delivery).where(
            deliveries.c.case_reference == reference,
            deliveries.c.destination_id == destination_id,
            deliveries.c.channel == channel,
        )
        return self._session.execute(query).scalar_one_or_none()

    def list(self, state: str | None = None) -> list[Delivery]:
        query = select(Delivery).order_by(deliveries.c.urgency_rank, deliveries.c.created_at, deliveries.c.id)
        if state:
            query = query.where(deliveries.c.state == state)
        return list(self._session.execute(query).scalars())

    def dead(self) -> list[Delivery]:
        return self.list(DEAD)

    def next_due(self, now: datetime) -> Delivery | None:
        """The most urgent, oldest job that is due, locked (SKIP LOCKED on PostgreSQL)."""
        query = (
            select(Delivery)
            .where(_due(now))
            .order_by(deliveries.c.urgency_rank, deliveries.c.created_at, deliveries.c.id)
            .limit(1)
        )
        return self._session.execute(_locked(query)).scalar_one_or_none()

    def expired(self, now: datetime, cutoff: datetime, limit: int = 100) -> list[Delivery]:
        """Unfinished jobs not being sent right now whose max-age clock started before `cutoff`."""
        too_old = or_(
            and_(deliveries.c.requeued_at.is_(None), deliveries.c.created_at < cutoff),
            deliveries.c.requeued_at < cutoff,
        )
        query = select(Delivery).where(_claimable(now), too_old).order_by(deliveries.c.id).limit(limit)
        return list(self._session.execute(_locked(query)).scalars())


def latest_deliveries() -> Subquery:
    """Each case's newest delivery job (case_reference, state), for one row per case in lists."""
    newest = select(func.max(deliveries.c.id).label("id")).group_by(deliveries.c.case_reference).subquery()
    return (
        select(deliveries.c.case_reference, deliveries.c.state)
        .join(newest, newest.c.id == deliveries.c.id)
        .subquery("latest_delivery")
    )


def _due(now: datetime) -> ColumnElement:
    """Pending and its retry time has come, or in flight under a lease that has run out."""
    return or_(
        and_(deliveries.c.state == PENDING, deliveries.c.next_attempt_at <= now),
        and_(deliveries.c.state == IN_FLIGHT, deliveries.c.locked_until <= now),
    )


def _claimable(now: datetime) -> ColumnElement:
    """Pending, or in flight under a lease that has run out (its worker died)."""
    return or_(
        deliveries.c.state == PENDING,
        and_(deliveries.c.state == IN_FLIGHT, deliveries.c.locked_until <= now),
    )


def _locked(query: Select, *, skip: bool = True) -> Select:
    """Row locks for concurrent workers on PostgreSQL (skipping rows another worker holds).

    SQLite has no row locks; it ignores this and is serialised by BEGIN IMMEDIATE.
    """
    return query.with_for_update(skip_locked=skip, of=deliveries)
