"""Delivery per destination: each job by its channel (signed webhook to the directory's URL,
email notice over a real SMTP server), retries and dead letters as before, and escalation
to the AdviceLine (dead delivery, destination removed, urgent case unclaimed) on a fake clock."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from bot.clock import UTC
from bot.delivery.channels import ChannelSender
from bot.delivery.client import WebhookClient
from bot.delivery.escalation import ESCALATED, working_hours_between
from bot.delivery.worker import DeliveryWorker
from bot.directory.model import DEFAULT_ADVICELINE
from bot.directory.services import import_directory
from bot.inbox.cases import move_case
from bot.inbox.model import CaseClaim
from bot.storage import record_case
from bot.storage.services import retry_all_dead
from tests.support.databases import START

BRANCH_SECRET = "branch-secret-8d1e"
DIRECTORY = """\
adviceline:
  name: NEU AdviceLine
branches:
  - id: branch-northtown
    name: Northtown NEU branch
    areas: [Northtown]
    email: cases@northtown.example.org
  - id: branch-southvale
    name: Southvale NEU branch
    areas: [Southvale]
    email: cases@southvale.example.org
    webhook:
      url: {url}
      secret_env: TEST_SOUTHVALE_SECRET
  - id: branch-remote
    name: Remote NEU branch
    areas: [Farland]
    webhook:
      url: https://branch.example.org/handoffs
      secret_env: TEST_UNSET_SECRET
"""
NORTHTOWN = {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
SOUTHVALE = {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}
REMOTE = {"id": "branch-remote", "kind": "local_branch", "name": "Remote NEU branch"}


@pytest.fixture
def branches(uow_factory, receiver, monkeypatch) -> None:
    """Southvale's webhook is a second real receiver signing with its own secret (from the env)."""
    monkeypatch.setenv("TEST_SOUTHVALE_SECRET", BRANCH_SECRET)
    monkeypatch.delenv("TEST_UNSET_SECRET", raising=False)
    import_directory(uow_factory(), DIRECTORY.format(url=receiver.handoffs_url), START)


@pytest.fixture
def adviceline(tmp_path, secret):
    """The AdviceLine's webhook: HANDOFF_WEBHOOK_URL, since the directory gives it none."""
    from devtools.fake_receiver import FakeReceiver

    fake = FakeReceiver(secret, store_path=tmp_path / "adviceline.jsonl").start()
    yield fake
    fake.stop()


@pytest.fixture
def worker(uow_factory, settings, clock, smtp_server, adviceline, receiver):
    receiver.secret = BRANCH_SECRET
    client = WebhookClient(adviceline.handoffs_url, settings.handoff_webhook_secret, 2.0)
    channels = ChannelSender(settings, client, smtp=smtp_server.settings())
    return DeliveryWorker(uow_factory, client, settings, clock=clock, rng=random.Random(3), channels=channels)


def case(uow_factory, make_payload, reference, destination, urgency="routine", created_at=START):
    payload = make_payload(reference, urgency=urgency, route="local_branch", schema_version="1.1",
                           destination=destination, created_at=created_at)
    assert record_case(uow_factory(), payload, now=created_at)
    return payload


def jobs(uow_factory, reference):
    with uow_factory() as uow:
        return {(j.destination_id, j.channel): j.state for j in uow.deliveries.for_case(reference)}


def holder(uow_factory, reference):
    with uow_factory() as uow:
        return uow.cases.get(reference).destination_id


def escalations(uow_factory, reference):
    with uow_factory() as uow:
        return [e.detail for e in uow.audit.latest(50, reference) if e.action == ESCALATED]


def test_each_channel_reaches_its_destination(branches, worker, uow_factory, make_payload, receiver, adviceline, smtp_server):
    payload = case(uow_factory, make_payload, "NEU-SOUTH1", SOUTHVALE)
    worker.run_once()
    assert jobs(uow_factory, "NEU-SOUTH1") == {("branch-southvale", "webhook"): "delivered", ("branch-southvale", "email"): "delivered"}
    assert receiver.received == [payload]  # signed with the branch's own secret, checked by the receiver
    assert adviceline.received == []
    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ("cases@southvale.example.org",)
    assert "NEU-SOUTH1" in mail.text and "https://inbox.example.org/inbox/cases/NEU-SOUTH1" in mail.text
    member = payload["member"]
    for personal in (member["name"], member["phone"], member["email"], member["workplace"], payload["incident"]["description"]):
        assert personal not in mail.text and personal not in str(mail.message["Subject"])


def test_an_older_case_and_the_adviceline_use_the_handoff_webhook(branches, worker, uow_factory, make_payload, adviceline, receiver):
    old = make_payload("NEU-OLD001")  # schema "1", no destination
    record_case(uow_factory(), old, now=START)
    worker.run_once()
    assert adviceline.received == [old] and receiver.received == []


def test_smtp_refusing_then_coming_back_delivers_the_notice_once(branches, worker, uow_factory, make_payload, smtp_server, clock):
    case(uow_factory, make_payload, "NEU-NORTH1", NORTHTOWN)
    smtp_server.refuse(451)
    worker.run_once()
    assert jobs(uow_factory, "NEU-NORTH1") == {("branch-northtown", "email"): "pending"}
    smtp_server.stop()
    clock.advance(60)
    worker.run_once()
    assert jobs(uow_factory, "NEU-NORTH1") == {("branch-northtown", "email"): "pending"}
    smtp_server.accept()
    smtp_server.start()
    clock.advance(120)
    worker.run_once()
    clock.advance(600)
    worker.run_once()
    assert jobs(uow_factory, "NEU-NORTH1") == {("branch-northtown", "email"): "delivered"}
    assert [m.message["X-NEU-Case-Reference"] for m in smtp_server.messages] == ["NEU-NORTH1"]
    assert holder(uow_factory, "NEU-NORTH1") == "branch-northtown"
    assert escalations(uow_factory, "NEU-NORTH1") == []


def test_a_case_passed_on_is_never_sent_to_its_old_destination(branches, worker, uow_factory, make_payload, receiver, adviceline, smtp_server):
    """Not the jobs still waiting, and not one an operator retries: its details are the new holder's."""
    case(uow_factory, make_payload, "NEU-MOVED1", SOUTHVALE)
    with uow_factory() as uow:  # Southvale's case goes to the AdviceLine before the worker has sent it
        moved = uow.cases.get("NEU-MOVED1")
        move_case(uow, moved, uow.directory.get("adviceline") or DEFAULT_ADVICELINE, "admin@example.org",
                  "passed_on", "member works elsewhere", START)
        uow.commit()
    worker.run_once()
    assert receiver.received == [] and smtp_server.messages == []
    assert [p["reference"] for p in adviceline.received] == ["NEU-MOVED1"]
    assert jobs(uow_factory, "NEU-MOVED1")[("branch-southvale", "webhook")] == "dead"

    retry_all_dead(uow_factory(), now=START)  # an operator retries every dead letter
    worker.run_once()
    assert receiver.received == [] and smtp_server.messages == []
    with uow_factory() as uow:
        errors = {j.last_error for j in uow.deliveries.for_case("NEU-MOVED1") if j.destination_id == "branch-southvale"}
    assert errors == {"not sent: the case is now with adviceline"}


def test_a_dead_delivery_is_escalated_to_the_adviceline(branches, worker, uow_factory, make_payload, smtp_server, adviceline):
    case(uow_factory, make_payload, "NEU-NORTH2", NORTHTOWN)
    smtp_server.refuse(550)  # the mailbox does not exist: permanent
    worker.run_once()
    assert holder(uow_factory, "NEU-NORTH2") == "adviceline"
    assert escalations(uow_factory, "NEU-NORTH2") == [
        "branch-northtown -> adviceline: email delivery to branch-northtown failed (SMTP 550 (recipient refused))"
    ]
    worker.run_once()
    assert jobs(uow_factory, "NEU-NORTH2") == {("branch-northtown", "email"): "dead", ("adviceline", "webhook"): "delivered"}
    [received] = adviceline.received
    assert received["destination"] == {"id": "adviceline", "kind": "adviceline", "name": "NEU AdviceLine"}


def test_a_webhook_without_its_secret_is_not_sent_unsigned_and_is_escalated(branches, worker, uow_factory, make_payload, adviceline):
    case(uow_factory, make_payload, "NEU-FAR001", REMOTE)
    worker.run_once()
    worker.run_once()
    with uow_factory() as uow:
        [dead] = [j for j in uow.deliveries.for_case("NEU-FAR001") if j.destination_id == "branch-remote"]
    assert dead.state == "dead" and dead.last_error == "webhook secret TEST_UNSET_SECRET is not set"
    assert [p["reference"] for p in adviceline.received] == ["NEU-FAR001"]


def test_a_destination_removed_while_its_case_is_pending_is_escalated_not_lost(
    branches, worker, uow_factory, make_payload, smtp_server, adviceline, receiver
):
    case(uow_factory, make_payload, "NEU-SOUTH2", SOUTHVALE)
    without_southvale = DIRECTORY.split("  - id: branch-southvale")[0]
    import_directory(uow_factory(), without_southvale, START)
    worker.run_once()
    assert holder(uow_factory, "NEU-SOUTH2") == "adviceline"
    assert escalations(uow_factory, "NEU-SOUTH2") == [
        "branch-southvale -> adviceline: branch-southvale is no longer in the directory"
    ]
    worker.run_once()
    assert receiver.received == [] and smtp_server.messages == []  # nothing went to the old branch
    assert [p["reference"] for p in adviceline.received] == ["NEU-SOUTH2"]


def test_an_urgent_case_not_claimed_within_the_working_hours_is_escalated(branches, worker, uow_factory, make_payload, clock):
    case(uow_factory, make_payload, "NEU-URG001", NORTHTOWN, urgency="urgent")  # Monday 9am
    case(uow_factory, make_payload, "NEU-URG002", NORTHTOWN, urgency="urgent")
    with uow_factory() as uow:
        uow.claims.add(CaseClaim("NEU-URG002", "secretary@northtown.example.org", START))
        uow.commit()
    worker.run_once()
    clock.advance(3 * 3600 + 59 * 60)  # 12:59: not yet four working hours
    worker.run_once()
    assert holder(uow_factory, "NEU-URG001") == "branch-northtown"
    clock.advance(60)
    worker.run_once()
    assert holder(uow_factory, "NEU-URG001") == "adviceline"
    assert escalations(uow_factory, "NEU-URG001") == [
        "branch-northtown -> adviceline: urgent and not claimed at branch-northtown within 4 working hours"
    ]
    assert holder(uow_factory, "NEU-URG002") == "branch-northtown"  # claimed: someone has it


def test_the_setting_at_zero_turns_the_urgent_rule_off(branches, uow_factory, make_payload, settings, clock, smtp_server, adviceline):
    import dataclasses

    off = dataclasses.replace(settings, escalate_after_working_hours=0)
    client = WebhookClient(adviceline.handoffs_url, settings.handoff_webhook_secret, 2.0)
    worker = DeliveryWorker(uow_factory, client, off, clock=clock, channels=ChannelSender(off, client, smtp=smtp_server.settings()))
    case(uow_factory, make_payload, "NEU-URG003", NORTHTOWN, urgency="urgent")
    worker.run_once()  # the notice is delivered
    clock.advance(7 * 24 * 3600)
    worker.run_once()
    assert holder(uow_factory, "NEU-URG003") == "branch-northtown"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)  # March 2025: GMT, so UTC is UK time


@pytest.mark.parametrize(("start", "end", "hours"), [
    (at(3, 9), at(3, 13), 4.0),  # Monday morning
    (at(3, 7), at(3, 10), 1.0),  # before opening counts nothing
    (at(3, 18), at(4, 10), 2.0),  # 6-7pm Monday, 9-10am Tuesday
    (at(7, 17), at(10, 11), 4.0),  # Friday 5pm to Monday 11am: the weekend counts nothing
    (at(3, 13), at(3, 9), 0.0),
])
def test_working_hours_are_the_advicelines_opening_hours(start, end, hours):
    assert working_hours_between(start, end, "england-and-wales") == pytest.approx(hours)


def test_bank_holidays_count_nothing():
    good_friday, easter_monday = datetime(2025, 4, 18, 9, tzinfo=UTC), datetime(2025, 4, 21, 9, tzinfo=UTC)
    assert working_hours_between(good_friday - timedelta(hours=1), easter_monday + timedelta(hours=9), "england-and-wales") == 0.0
