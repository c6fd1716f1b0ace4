"""The outbox worker against a real local webhook, on SQLite and PostgreSQL, with a fake clock."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.clock import utc_now
from bot.delivery import worker as worker_module
from bot.delivery.backoff import backoff_ceiling
from bot.delivery.client import DeliveryOutcome
from bot.entrypoints import cli
from bot.entrypoints import worker as worker_entry
from bot.storage import record_case
from bot.storage.migrate import upgrade
from bot.storage.orm import cases
from devtools.fake_receiver import FakeReceiver

ROOT = Path(__file__).resolve().parents[2]
LEASE = 60.0


def record(uow_factory, make_payload, clock, reference: str = "NEU-WORK01", **kwargs) -> dict:
    payload = make_payload(reference, created_at=clock(), **kwargs)
    assert record_case(uow_factory(), payload, now=clock())
    return payload


def job(uow_factory, reference: str = "NEU-WORK01"):
    with uow_factory() as uow:
        return uow.deliveries.get(reference)


def test_delivers_once_to_the_receiver(uow_factory, make_payload, clock, receiver, make_worker) -> None:
    payload = record(uow_factory, make_payload, clock)
    worker = make_worker(receiver.handoffs_url)

    assert worker.run_once() == 1

    assert receiver.received == [payload]  # the receiver checked the signature, schema and key
    delivered = job(uow_factory)
    assert (delivered.state, delivered.attempts, delivered.last_status_code) == ("delivered", 1, 201)
    assert (
        delivered.delivered_at == clock() and delivered.locked_until is None and delivered.last_error is None
    )
    clock.advance(10 * 3600)
    assert worker.run_once() == 0
    assert receiver.post_count == 1  # a delivered job is never sent again


def test_worker_sends_signed_headers(uow_factory, make_payload, clock, scripted, make_worker, secret) -> None:
    from bot.delivery.signing import verify

    record(uow_factory, make_payload, clock)
    make_worker(scripted.url).run_once()
    request = scripted.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["idempotency-key"] == "NEU-WORK01"
    assert headers["content-type"] == "application/json"
    assert verify(request["body"], headers, secret, now=time.time()).ok


def test_503_twice_then_ok_is_one_case_after_three_attempts(
    uow_factory, make_payload, clock, receiver, make_worker
):
    record(uow_factory, make_payload, clock)
    receiver.fail_first = 2
    worker = make_worker(receiver.handoffs_url)

    assert worker.run_once() == 1
    first = job(uow_factory)
    assert (first.state, first.attempts, first.last_status_code) == ("pending", 1, 503)
    assert first.last_error == "HTTP 503 Service Unavailable"
    assert first.next_attempt_at > clock()
    assert worker.run_once() == 0  # not before its retry time
    for _ in range(2):
        clock.advance(31)
        assert worker.run_once() == 1

    final = job(uow_factory)
    assert (final.state, final.attempts, final.last_status_code) == ("delivered", 3, 201)
    assert receiver.post_count == 3 and len(receiver.received) == 1


def test_connection_refused_then_receiver_up(
    uow_factory, make_payload, clock, make_worker, secret, unused_port
):
    payload = record(uow_factory, make_payload, clock)
    url = f"http://127.0.0.1:{unused_port}/handoffs"
    worker = make_worker(url)

    worker.run_once()
    waiting = job(uow_factory)
    assert (waiting.state, waiting.attempts, waiting.last_status_code) == ("pending", 1, None)
    assert waiting.last_error.startswith("network error")

    late_receiver = FakeReceiver(secret, port=unused_port).start()
    try:
        clock.advance(31)
        assert worker.run_once() == 1
        assert late_receiver.received == [payload]
    finally:
        late_receiver.stop()
    assert job(uow_factory).state == "delivered"


def test_400_is_dead_until_an_operator_retries(
    database_url, uow_factory, make_payload, clock, receiver, make_worker, capsys
):
    clock.now = utc_now()  # the CLI requeues at wall-clock time
    record(uow_factory, make_payload, clock)
    receiver.fail_first, receiver.fail_status = 1, 400
    worker = make_worker(receiver.handoffs_url)

    worker.run_once()
    dead = job(uow_factory)
    assert (dead.state, dead.last_status_code, dead.last_error) == ("dead", 400, "HTTP 400 Bad Request")
    clock.advance(3600)
    assert worker.run_once() == 0

    assert cli.main(["--database-url", database_url, "retry", "NEU-WORK01"]) == 0
    assert (job(uow_factory).state, job(uow_factory).attempts) == ("pending", 0)
    clock.advance(1)
    assert worker.run_once() == 1
    assert job(uow_factory).state == "delivered"
    assert receiver.post_count == 2 and len(receiver.received) == 1


def test_timeout_is_retried(uow_factory, make_payload, clock, receiver, make_worker) -> None:
    record(uow_factory, make_payload, clock)
    receiver.delay_seconds = 0.6
    worker = make_worker(receiver.handoffs_url, timeout=0.2)

    worker.run_once()
    slow = job(uow_factory)
    assert (slow.state, slow.attempts) == ("pending", 1)
    assert slow.last_error.startswith("timeout")

    receiver.delay_seconds = 0.0
    clock.advance(31)
    assert worker.run_once() == 1
    assert job(uow_factory).state == "delivered"
    time.sleep(0.7)  # let the timed-out request finish on the server
    assert len(receiver.received) == 1  # the late first copy was deduplicated


def test_job_older_than_max_age_goes_dead_unsent(
    uow_factory, make_payload, clock, receiver, make_worker
) -> None:
    record(uow_factory, make_payload, clock)
    clock.advance(72 * 3600 + 1)
    assert make_worker(receiver.handoffs_url).run_once() == 1
    expired = job(uow_factory)
    assert expired.state == "dead" and expired.last_error == "not delivered within 72 hours"
    assert receiver.post_count == 0


def test_failure_after_the_max_age_is_dead(uow_factory, make_payload, clock, make_worker) -> None:
    class SlowFailure:
        def send(self, payload):
            clock.advance(10)
            return DeliveryOutcome("retry", 503, "HTTP 503 Service Unavailable")

    record(uow_factory, make_payload, clock)
    make_worker("http://127.0.0.1:9/x", client=SlowFailure(), delivery_max_age_hours=5 / 3600).run_once()
    assert job(uow_factory).state == "dead"
    assert job(uow_factory).last_error.endswith("older than the max age")


def test_gives_up_after_max_attempts(uow_factory, make_payload, clock, receiver, make_worker) -> None:
    record(uow_factory, make_payload, clock)
    receiver.fail_first = 100
    worker = make_worker(receiver.handoffs_url, delivery_max_attempts=3)
    for _ in range(4):
        worker.run_once()
        clock.advance(31)
    dead = job(uow_factory)
    assert (dead.state, dead.attempts) == ("dead", 3)
    assert dead.last_error == "HTTP 503 Service Unavailable; gave up after 3 attempts"
    assert receiver.post_count == 3


def test_crash_after_sending_is_redelivered_once(
    uow_factory, make_payload, clock, receiver, make_worker, caplog
):
    payload = record(uow_factory, make_payload, clock)
    crashed = make_worker(receiver.handoffs_url)
    claimed = crashed.claim_next()
    assert claimed.payload == payload and claimed.attempt == 1
    crashed._client.send(claimed.payload)  # sent, then the process died before recording it

    survivor = make_worker(receiver.handoffs_url)
    assert survivor.run_once() == 0  # the lease still protects the job
    clock.advance(LEASE + 1)
    assert survivor.run_once() == 1

    final = job(uow_factory)
    assert (final.state, final.attempts) == ("delivered", 2)
    assert receiver.post_count == 2 and receiver.duplicate_count == 1 and len(receiver.received) == 1

    caplog.set_level(logging.WARNING)
    crashed.complete(claimed, DeliveryOutcome("retry", 503, "HTTP 503"))  # the zombie wakes up
    assert job(uow_factory).state == "delivered"
    assert "lease lost" in caplog.text


def test_crash_before_sending_is_sent_after_the_lease(
    uow_factory, make_payload, clock, receiver, make_worker
):
    record(uow_factory, make_payload, clock)
    make_worker(receiver.handoffs_url).claim_next()
    clock.advance(LEASE + 1)
    assert make_worker(receiver.handoffs_url).run_once() == 1
    assert receiver.post_count == 1 and job(uow_factory).state == "delivered"


def test_urgent_cases_go_first(uow_factory, make_payload, clock, receiver, make_worker) -> None:
    for reference, urgency in [
        ("NEU-ROUT01", "routine"),
        ("NEU-PRIO01", "priority"),
        ("NEU-URGE01", "urgent"),
    ]:
        record(uow_factory, make_payload, clock, reference, urgency=urgency)
        clock.advance(60)
    make_worker(receiver.handoffs_url).run_once()
    assert [p["reference"] for p in receiver.received] == ["NEU-URGE01", "NEU-PRIO01", "NEU-ROUT01"]


def test_backoff_grows_within_the_cap(uow_factory, make_payload, clock, receiver, make_worker) -> None:
    record(uow_factory, make_payload, clock)
    receiver.fail_first = 100
    worker = make_worker(receiver.handoffs_url, delivery_max_attempts=20, delivery_backoff_max_seconds=8.0)
    delays = []
    for attempt in range(1, 8):
        worker.run_once()
        pending = job(uow_factory)
        delay = (pending.next_attempt_at - clock()).total_seconds()
        assert 0 <= delay <= backoff_ceiling(attempt, 1.0, 8.0)
        delays.append(delay)
        clock.advance(8.0)
    assert max(delays) <= 8.0 and max(delays[3:]) > max(delays[:1])


def test_retry_after_is_respected(uow_factory, make_payload, clock, scripted, make_worker) -> None:
    record(uow_factory, make_payload, clock)
    scripted.respond(429, {"Retry-After": "20"})
    make_worker(scripted.url).run_once()
    waiting = job(uow_factory)
    assert waiting.last_status_code == 429
    assert waiting.next_attempt_at - clock() >= timedelta(seconds=20)


def test_unreadable_stored_payload_goes_dead(uow_factory, make_payload, clock, receiver, make_worker) -> None:
    record(uow_factory, make_payload, clock)
    with uow_factory() as uow:
        uow.session.execute(update(cases).values(payload="{broken"))
        uow.commit()
    make_worker(receiver.handoffs_url).run_once()
    assert job(uow_factory).state == "dead" and receiver.post_count == 0


def test_two_workers_share_the_queue_without_double_sending(
    uow_factory, make_payload, clock, receiver, make_worker
):
    for i in range(12):
        record(uow_factory, make_payload, clock, f"NEU-PAR{i:03d}")
    workers = [make_worker(receiver.handoffs_url) for _ in range(3)]
    threads = [threading.Thread(target=w.run_once) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert receiver.post_count == 12 and len(receiver.received) == 12
    with uow_factory() as uow:
        assert {(d.state, d.attempts) for d in uow.deliveries.list()} == {("delivered", 1)}


def test_run_forever_survives_errors_and_stops_on_request(
    uow_factory, make_payload, clock, receiver, settings
):
    record(uow_factory, make_payload, clock)
    calls = {"factory": 0, "sleep": 0}
    stop = threading.Event()

    def flaky_factory():
        calls["factory"] += 1
        if calls["factory"] == 1:
            raise RuntimeError("database is down")
        return uow_factory()

    def fake_sleep(seconds: float) -> None:
        calls["sleep"] += 1
        clock.advance(seconds)
        if calls["sleep"] >= 3:
            stop.set()

    from bot.delivery.client import WebhookClient

    worker = worker_module.DeliveryWorker(
        flaky_factory,
        WebhookClient(receiver.handoffs_url, settings.handoff_webhook_secret),
        settings,
        clock=clock,
        sleep=fake_sleep,
    )
    worker.run_forever(stop)
    assert job(uow_factory).state == "delivered"
    assert calls["sleep"] == 3


def test_logs_references_and_states_but_no_personal_data(
    uow_factory, make_payload, clock, receiver, make_worker, caplog
) -> None:
    caplog.set_level(logging.INFO)
    payload = record(uow_factory, make_payload, clock)
    receiver.fail_first = 1
    worker = make_worker(receiver.handoffs_url)
    worker.run_once()
    clock.advance(31)
    worker.run_once()
    text = caplog.text
    assert "NEU-WORK01" in text and "delivered" in text and "status=503" in text and "attempt=2" in text
    member, incident = payload["member"], payload["incident"]
    for private in (
        member["name"],
        member["phone"],
        member["email"],
        incident["description"],
        payload["summary_text"],
    ):
        assert private not in text


def test_main_once_uses_settings_and_migrates(
    database_url, uow_factory, make_payload, receiver, settings, monkeypatch
) -> None:
    payload = make_payload("NEU-MAIN01", created_at=utc_now())
    record_case(uow_factory(), payload)
    configured = dataclasses.replace(
        settings, database_url=database_url, handoff_webhook_url=receiver.handoffs_url
    )
    monkeypatch.setattr(worker_entry, "get_settings", lambda: configured)
    assert worker_entry.main(["--once"]) == 0
    assert receiver.received == [payload]


def test_main_refuses_an_unsigned_remote_webhook(settings, monkeypatch) -> None:
    remote = dataclasses.replace(
        settings, handoff_webhook_secret="", handoff_webhook_url="https://advisers.example/h"
    )
    monkeypatch.setattr(worker_entry, "get_settings", lambda: remote)
    assert worker_entry.main(["--once", "--no-migrate"]) == 2


@pytest.mark.timeout(60)
def test_worker_process_delivers_and_stops_on_sigterm(tmp_path, receiver, secret, make_payload) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'cases.sqlite3'}"
    upgrade(url)
    from bot.storage import SqlUnitOfWork, session_factory_for

    payload = make_payload("NEU-PROC01", created_at=utc_now())
    record_case(SqlUnitOfWork(session_factory_for(url)), payload)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HANDOFF_WEBHOOK_URL": receiver.handoffs_url,
        "HANDOFF_WEBHOOK_SECRET": secret,
        "DELIVERY_POLL_SECONDS": "0.1",
        "LOG_LEVEL": "INFO",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not receiver.received and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert receiver.received == [payload]
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert "SIGTERM received" in output and "delivery NEU-PROC01 delivered" in output
    assert payload["member"]["name"] not in output


def test_a_job_that_keeps_killing_workers_goes_dead(uow_factory, make_payload, clock, receiver, make_worker):
    record(uow_factory, make_payload, clock)
    worker = make_worker(receiver.handoffs_url, delivery_max_attempts=2)
    for _ in range(2):
        assert worker.claim_next() is not None  # ... and the process dies before completing
        clock.advance(LEASE + 1)
    assert worker.claim_next() is None
    dead = job(uow_factory)
    assert (dead.state, dead.attempts) == ("dead", 2)
    assert "worker stopped mid-send" in dead.last_error
    assert receiver.post_count == 0
