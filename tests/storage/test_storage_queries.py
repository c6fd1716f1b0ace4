"""Repository queries: the adviser list order, lookups, and the worker's due/expired queries."""

from __future__ import annotations

from datetime import timedelta

from bot.storage import record_case


def _seed(uow_factory, make_payload, clock, rows: list[tuple[str, str, int]]) -> None:
    """rows: (reference, urgency, minutes after clock start)."""
    for reference, urgency, minutes in rows:
        created = clock.now + timedelta(minutes=minutes)
        record_case(uow_factory(), make_payload(reference, urgency=urgency, created_at=created), now=created)


def test_cases_list_is_urgency_then_oldest_first(uow_factory, make_payload, clock) -> None:
    _seed(
        uow_factory,
        make_payload,
        clock,
        [
            ("NEU-ROUT01", "routine", 0),
            ("NEU-URGE02", "urgent", 30),
            ("NEU-PRIO01", "priority", 10),
            ("NEU-URGE01", "urgent", 20),
            ("NEU-ROUT02", "routine", 5),
        ],
    )
    with uow_factory() as uow:
        listing = uow.cases.list()
    assert [row.case.reference for row in listing] == [
        "NEU-URGE01",
        "NEU-URGE02",
        "NEU-PRIO01",
        "NEU-ROUT01",
        "NEU-ROUT02",
    ]
    assert {row.delivery_state for row in listing} == {"pending"}


def test_cases_list_filters(uow_factory, make_payload, clock) -> None:
    _seed(uow_factory, make_payload, clock, [("NEU-URGE01", "urgent", 0), ("NEU-ROUT01", "routine", 1)])
    with uow_factory() as uow:
        uow.cases.get("NEU-ROUT01").set_status("closed")
        uow.commit()
    with uow_factory() as uow:
        urgent = [r.case.reference for r in uow.cases.list(urgency="urgent")]
        closed = [r.case.reference for r in uow.cases.list(status="closed")]
        none = uow.cases.list(urgency="urgent", status="closed")
    assert urgent == ["NEU-URGE01"]
    assert closed == ["NEU-ROUT01"]
    assert none == []


def test_get_by_reference(uow_factory, make_payload, clock) -> None:
    _seed(uow_factory, make_payload, clock, [("NEU-GET001", "priority", 0)])
    with uow_factory() as uow:
        assert uow.cases.get("NEU-GET001").urgency == "priority"
        assert uow.cases.get("NEU-NOPE01") is None
        assert uow.deliveries.get("NEU-GET001").state == "pending"
        assert uow.deliveries.get("NEU-NOPE01") is None


def test_deliveries_list_by_state(uow_factory, make_payload, clock) -> None:
    _seed(uow_factory, make_payload, clock, [("NEU-DEAD01", "routine", 0), ("NEU-LIVE01", "urgent", 0)])
    with uow_factory() as uow:
        uow.deliveries.get("NEU-DEAD01").mark_dead(clock(), 400, "HTTP 400 Bad Request")
        uow.commit()
    with uow_factory() as uow:
        assert [d.case_reference for d in uow.deliveries.list()] == ["NEU-LIVE01", "NEU-DEAD01"]
        assert [d.case_reference for d in uow.deliveries.dead()] == ["NEU-DEAD01"]
        assert [d.case_reference for d in uow.deliveries.list("pending")] == ["NEU-LIVE01"]


def test_next_due_prefers_urgent_then_oldest_and_skips_future_retries(
    uow_factory, make_payload, clock
) -> None:
    _seed(
        uow_factory,
        make_payload,
        clock,
        [
            ("NEU-ROUT01", "routine", 0),
            ("NEU-URGE01", "urgent", 2),
            ("NEU-URGE02", "urgent", 1),
        ],
    )
    now = clock.advance(600)
    with uow_factory() as uow:
        first = uow.deliveries.next_due(now)
        assert first.case_reference == "NEU-URGE02"
        first.schedule_retry(now, now + timedelta(minutes=5), 503, "HTTP 503")
        uow.commit()
    with uow_factory() as uow:
        assert uow.deliveries.next_due(now).case_reference == "NEU-URGE01"
        assert uow.deliveries.next_due(now + timedelta(minutes=6)).case_reference == "NEU-URGE02"


def test_in_flight_jobs_are_due_only_after_their_lease(uow_factory, make_payload, clock) -> None:
    _seed(uow_factory, make_payload, clock, [("NEU-LEASE1", "routine", 0)])
    now = clock()
    with uow_factory() as uow:
        uow.deliveries.next_due(now).claim(now, now + timedelta(seconds=60))
        uow.commit()
    with uow_factory() as uow:
        assert uow.deliveries.next_due(now + timedelta(seconds=59)) is None
        assert uow.deliveries.next_due(now + timedelta(seconds=60)).state == "in_flight"


def test_expired_counts_age_from_enqueue_or_last_requeue(uow_factory, make_payload, clock) -> None:
    _seed(uow_factory, make_payload, clock, [("NEU-OLD001", "routine", 0), ("NEU-NEW001", "routine", 60)])
    now = clock.advance(3 * 3600)
    cutoff = now - timedelta(hours=2.5)
    with uow_factory() as uow:
        assert [d.case_reference for d in uow.deliveries.expired(now, cutoff)] == ["NEU-OLD001"]
        old = uow.deliveries.get("NEU-OLD001")
        old.mark_dead(now, None, "too old")
        old.requeue(now)
        uow.commit()
    with uow_factory() as uow:
        assert uow.deliveries.expired(now, cutoff) == []


def test_datetimes_come_back_aware_utc(uow_factory, make_payload, clock) -> None:
    _seed(uow_factory, make_payload, clock, [("NEU-TZ0001", "routine", 0)])
    with uow_factory() as uow:
        job = uow.deliveries.get("NEU-TZ0001")
        case = uow.cases.get("NEU-TZ0001")
    for value in (job.created_at, job.next_attempt_at, job.updated_at, case.created_at):
        assert value.utcoffset() == timedelta(0)
    assert job.created_at == clock()
