"""The delivery job's state rules, without a database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.case_records import Case, Delivery, InvalidTransition, short_error, urgency_rank


def _job(clock) -> Delivery:
    return Delivery.new("NEU-MODEL1", "priority", clock())


def test_new_job_is_pending_and_due_now(clock) -> None:
    job = _job(clock)
    assert (job.state, job.attempts, job.urgency_rank, job.next_attempt_at) == ("pending", 0, 1, clock())


def test_claim_counts_an_attempt_and_sets_a_lease(clock) -> None:
    job = _job(clock)
    lease = clock() + timedelta(seconds=60)
    job.claim(clock(), lease)
    assert (job.state, job.attempts, job.locked_until) == ("in_flight", 1, lease)


def test_delivered_is_final(clock) -> None:
    job = _job(clock)
    job.claim(clock(), clock())
    job.mark_delivered(clock(), 201)
    assert job.state == "delivered" and job.delivered_at == clock() and job.locked_until is None
    with pytest.raises(InvalidTransition):
        job.claim(clock(), clock())
    with pytest.raises(InvalidTransition):
        job.mark_dead(clock(), 500, "late")


def test_requeue_only_from_dead_and_resets_attempts_and_age(clock) -> None:
    job = _job(clock)
    with pytest.raises(InvalidTransition):
        job.requeue(clock())
    job.claim(clock(), clock())
    job.mark_dead(clock(), 400, "HTTP 400")
    later = clock.advance(7200)
    job.requeue(later)
    assert (job.state, job.attempts, job.next_attempt_at, job.age_from) == ("pending", 0, later, later)
    assert not job.is_expired(later + timedelta(hours=1), timedelta(hours=2))


def test_errors_are_trimmed() -> None:
    assert short_error(None) is None
    assert len(short_error("x" * 1000)) == 200


def test_urgency_ranks() -> None:
    assert [urgency_rank(u) for u in ("urgent", "priority", "routine")] == [0, 1, 2]
    with pytest.raises(ValueError):
        urgency_rank("someday")


def test_case_status_must_be_known(clock) -> None:
    case = Case("NEU-STATUS", "other", "routine", "adviceline", clock(), "{}")
    case.set_status("contacted")
    assert case.status == "contacted"
    with pytest.raises(InvalidTransition):
        case.set_status("archived")
