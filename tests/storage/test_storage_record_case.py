"""record_case: the case and its delivery job are written together, once per reference."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.case_records import Delivery
from bot.storage import SqlUnitOfWork, record_case
from bot.storage.orm import cases, deliveries
from bot.storage.repository import DeliveryRepository
from bot.unit_of_work import UnitOfWorkReentered


def _counts(uow_factory) -> tuple[int, int]:
    with uow_factory() as uow:
        n_cases = uow.session.execute(select(func.count()).select_from(cases)).scalar_one()
        n_jobs = uow.session.execute(select(func.count()).select_from(deliveries)).scalar_one()
    return n_cases, n_jobs


def test_records_the_case_and_a_pending_delivery(uow_factory, make_payload, clock) -> None:
    payload = make_payload("NEU-ABC123", urgency="urgent")

    assert record_case(uow_factory(), payload, now=clock()) is True

    with uow_factory() as uow:
        case = uow.cases.get("NEU-ABC123")
        job = uow.deliveries.get("NEU-ABC123")
    assert case is not None and job is not None
    assert (case.urgency, case.route, case.case_type, case.status) == (
        "urgent",
        "adviceline",
        "targeted",
        "new",
    )
    assert case.conversation_id == "conv-neu-abc123" and case.safety_concern is True
    assert case.created_at == datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
    assert case.payload_dict == payload
    assert (job.state, job.attempts, job.urgency_rank) == ("pending", 0, 0)
    assert job.next_attempt_at == job.created_at == clock()


def test_same_reference_twice_is_one_case_and_one_delivery(uow_factory, make_payload) -> None:
    payload = make_payload("NEU-TWICE1")
    assert record_case(uow_factory(), payload) is True
    assert record_case(uow_factory(), payload) is False
    assert _counts(uow_factory) == (1, 1)


def test_a_uow_can_be_reused_one_transaction_after_another(uow_factory, make_payload) -> None:
    uow = uow_factory()
    assert record_case(uow, make_payload("NEU-REUSE1")) is True
    assert record_case(uow, make_payload("NEU-REUSE2")) is True
    with uow:
        assert uow.cases.get("NEU-REUSE2") is not None
    assert _counts(uow_factory) == (2, 2)


def test_wrapping_a_service_in_its_own_unit_of_work_raises_and_keeps_nothing(uow_factory, make_payload) -> None:
    """A service owns its transaction: re-entering the unit of work it opens is an error,
    so a caller's work can never be committed by the service's inner commit()."""
    uow = uow_factory()
    with pytest.raises(UnitOfWorkReentered), uow:
        uow.retention.add_to_count("1999-01", "accused", "routine", "adviceline")
        record_case(uow, make_payload("NEU-NESTED"))
    assert _counts(uow_factory) == (0, 0)
    with uow:  # closed again, so usable again
        assert uow.cases.get("NEU-NESTED") is None
        # the caller's own write went with it
        assert [c for c in uow.retention.counts() if c.month == "1999-01"] == []


def test_a_failure_after_the_case_insert_leaves_nothing(uow_factory, make_payload, monkeypatch) -> None:
    def broken_add(self: DeliveryRepository, delivery: Delivery) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(DeliveryRepository, "add", broken_add)
    with pytest.raises(RuntimeError):
        record_case(uow_factory(), make_payload("NEU-ATOMIC"))
    assert _counts(uow_factory) == (0, 0)


def test_nothing_is_kept_without_commit(uow_factory, make_payload) -> None:
    from bot.storage.services import case_from_payload

    with uow_factory() as uow:
        uow.cases.add(case_from_payload(make_payload("NEU-NOCOMMIT")))
    assert _counts(uow_factory) == (0, 0)


@pytest.mark.parametrize("missing", ["reference", "urgency", "route", "case_type", "created_at"])
def test_payload_without_the_fields_storage_needs_is_rejected(uow_factory, make_payload, missing) -> None:
    payload = make_payload("NEU-BROKEN")
    del payload[missing]
    with pytest.raises(ValueError, match=missing):
        record_case(uow_factory(), payload)
    assert _counts(uow_factory) == (0, 0)


def test_unknown_urgency_is_rejected(uow_factory, make_payload) -> None:
    payload = make_payload("NEU-BADURG") | {"urgency": "whenever"}
    with pytest.raises(ValueError, match="urgency"):
        record_case(uow_factory(), payload)


def test_delivery_needs_an_existing_case(uow_factory, clock) -> None:
    with pytest.raises(IntegrityError), uow_factory() as uow:
        uow.deliveries.add(Delivery.new("NEU-NOCASE", "routine", clock()))


def test_offsets_are_stored_as_utc(uow_factory, make_payload) -> None:
    payload = make_payload("NEU-OFFSET") | {"created_at": "2025-07-01T10:30:00+01:00"}
    record_case(uow_factory(), payload)
    with uow_factory() as uow:
        case = uow.cases.get("NEU-OFFSET")
    assert case.created_at == datetime(2025, 7, 1, 9, 30, tzinfo=timezone.utc)
    assert case.created_at.utcoffset() == timedelta(0)


def test_concurrent_record_of_one_reference_stores_one_row(uow_factory, make_payload) -> None:
    payload = make_payload("NEU-RACE01")
    start = threading.Barrier(8)
    results: list[bool] = []
    errors: list[BaseException] = []

    def record() -> None:
        uow = uow_factory()
        start.wait()
        try:
            results.append(record_case(uow, payload))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=record) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]
    assert _counts(uow_factory) == (1, 1)


def test_concurrent_records_of_different_references_all_land(uow_factory, make_payload) -> None:
    payloads = [make_payload(f"NEU-MANY{i:02d}") for i in range(8)]
    threads = [threading.Thread(target=record_case, args=(uow_factory(), p)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert _counts(uow_factory) == (8, 8)


def test_stored_payload_is_canonical_json(uow_factory, make_payload) -> None:
    payload = make_payload("NEU-CANON1")
    record_case(uow_factory(), payload)
    with uow_factory() as uow:
        stored = uow.cases.get("NEU-CANON1").payload
    assert stored == json.dumps(payload, sort_keys=True, separators=(",", ":"))


def test_uow_outside_with_block_is_an_error(uow_factory) -> None:
    uow: SqlUnitOfWork = uow_factory()
    with pytest.raises(RuntimeError):
        uow.commit()
