"""The adviser/operator CLI on a seeded database, run in-process via main(argv)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import utc_now
from bot.entrypoints import cli
from bot.storage import record_case


@pytest.fixture
def seeded(database_url, uow_factory, make_payload) -> str:
    now = utc_now()
    rows = [
        ("NEU-ROUT01", "routine", "local_branch", "accused", now - timedelta(days=2, hours=3)),
        ("NEU-URGE01", "urgent", "adviceline", "targeted", now - timedelta(minutes=45)),
        ("NEU-PRIO01", "priority", "workplace_rep", "other", now - timedelta(hours=5, minutes=10)),
    ]
    for reference, urgency, route, case_type, created in rows:
        extra = {}
        if case_type == "accused":
            extra["process"] = {
                "stage": "disciplinary_hearing",
                "next_date": "2025-03-05",
                "working_days_until_next_date": 2,
                "police_involved": False,
            }
        payload = make_payload(
            reference, urgency=urgency, route=route, case_type=case_type, created_at=created, **extra
        )
        record_case(uow_factory(), payload, now=created)
    with uow_factory() as uow:
        uow.deliveries.get("NEU-ROUT01").mark_dead(now, 400, "HTTP 400 Bad Request")
        uow.commit()
    return database_url


def run(url: str, *argv: str) -> int:
    return cli.main(["--database-url", url, *argv])


def test_cases_list_is_a_table_in_urgency_order(seeded, capsys) -> None:
    assert run(seeded, "cases", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["REFERENCE", "URGENCY", "ROUTE", "CASE", "TYPE", "STATUS", "AGE", "DELIVERY"]
    assert [line.split()[0] for line in lines[1:]] == ["NEU-URGE01", "NEU-PRIO01", "NEU-ROUT01"]
    assert lines[1].split()[1:] == ["urgent", "adviceline", "targeted", "new", "45m", "pending"]
    assert "5h 10m" in lines[2]
    assert "2d 3h" in lines[3] and lines[3].rstrip().endswith("dead")


def test_cases_list_filters(seeded, capsys) -> None:
    assert run(seeded, "cases", "list", "--urgency", "priority") == 0
    out = capsys.readouterr().out
    assert "NEU-PRIO01" in out and "NEU-URGE01" not in out
    assert run(seeded, "cases", "list", "--status", "closed") == 0
    assert capsys.readouterr().out.strip() == "No cases."


def test_cases_show_is_the_adviser_view(seeded, capsys) -> None:
    assert run(seeded, "cases", "show", "neu-urge01") == 0
    out = capsys.readouterr().out
    for expected in (
        "NEU-URGE01  Urgent  Targeted online  status: New  delivery: Waiting to send",
        "Class teacher targeted by a parent's abusive Facebook post",
        "  Urgency: Urgent",
        "    - threats of violence mentioned",
        "  Route: AdviceLine",
        "  Why this route: The AdviceLine handles online abuse",
        "  Safety concern: YES",
        "  Name: Sam Example",
        "  Preferred contact: Phone",
        "  Phone: +447700900123",
        "  Email: sam@example.org",
        "  Membership number: A1234567",
        "  Platforms: Facebook",
        "  Happened on: Fri 28 Feb 2025",
        "  Posted by: Parent or carer",
        "  Still online: Yes",
        "  Guidance already given: report_content",
    ):
        assert expected in out, expected
    assert "Employer's process" not in out, "a targeted member has no process section"


def test_cases_show_process_for_an_accused_member(seeded, capsys) -> None:
    assert run(seeded, "cases", "show", "NEU-ROUT01") == 0
    out = capsys.readouterr().out
    assert "delivery: Failed" in out.splitlines()[0]
    assert "  Stage: Disciplinary hearing" in out
    assert "  Next date: Wed 5 Mar 2025 (2 working days away)" in out
    assert "  Police involved: No" in out


def test_cases_show_json_prints_the_payload(seeded, capsys) -> None:
    import json

    assert run(seeded, "cases", "show", "NEU-PRIO01", "--json") == 0
    assert json.loads(capsys.readouterr().out)["reference"] == "NEU-PRIO01"


def test_unknown_reference_fails_clearly(seeded, capsys) -> None:
    assert run(seeded, "cases", "show", "NEU-NOPE00") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No case with reference NEU-NOPE00." in captured.err
    assert run(seeded, "retry", "NEU-NOPE00") == 1
    assert "No delivery for reference NEU-NOPE00." in capsys.readouterr().err


def test_case_status_can_be_set(seeded, capsys) -> None:
    assert run(seeded, "cases", "status", "NEU-PRIO01", "contacted") == 0
    capsys.readouterr()
    assert run(seeded, "cases", "list", "--status", "contacted") == 0
    assert "NEU-PRIO01" in capsys.readouterr().out


def test_deliveries_lists_states_and_filters_dead(seeded, capsys) -> None:
    assert run(seeded, "deliveries") == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["NEU-URGE01", "NEU-PRIO01", "NEU-ROUT01"]
    assert run(seeded, "deliveries", "--state", "dead") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[1].split()[:7] == ["NEU-ROUT01", "routine", "adviceline/webhook", "dead", "0", "-", "400"]
    assert lines[1].endswith("HTTP 400 Bad Request")


def test_retry_moves_a_dead_job_back_to_pending(seeded, uow_factory, capsys) -> None:
    assert run(seeded, "retry", "NEU-ROUT01") == 0
    assert "NEU-ROUT01: dead -> pending" in capsys.readouterr().out
    with uow_factory() as uow:
        job = uow.deliveries.get("NEU-ROUT01")
    assert (job.state, job.attempts) == ("pending", 0)


def test_retry_refuses_a_job_that_is_not_dead(seeded, capsys) -> None:
    assert run(seeded, "retry", "NEU-URGE01") == 1
    assert "only dead deliveries can be retried" in capsys.readouterr().err


def test_retry_all_dead(seeded, uow_factory, capsys) -> None:
    assert run(seeded, "retry", "--all-dead") == 0
    assert capsys.readouterr().out.strip() == "Requeued 1 dead deliveries: NEU-ROUT01"
    with uow_factory() as uow:
        assert uow.deliveries.dead() == []
    assert run(seeded, "retry", "--all-dead") == 0
    assert capsys.readouterr().out.strip() == "Requeued 0 dead deliveries."


def test_retry_needs_a_reference_or_all_dead(seeded) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(seeded, "retry")
    assert exit_info.value.code == 2


def test_migrate_command(empty_database_url, capsys) -> None:
    assert cli.main(["--database-url", empty_database_url, "migrate"]) == 0
    assert "Database schema is up to date" in capsys.readouterr().out
    assert cli.main(["--database-url", empty_database_url, "cases", "list"]) == 0
    assert capsys.readouterr().out.strip() == "No cases."


def test_unmigrated_database_gives_a_hint(tmp_path, capsys) -> None:
    assert cli.main(["--database-url", f"sqlite:///{tmp_path / 'blank.sqlite3'}", "cases", "list"]) == 1
    assert "python -m bot.entrypoints.cli migrate" in capsys.readouterr().err


def test_age_formatting() -> None:
    assert cli.age(timedelta(seconds=30)) == "0m"
    assert cli.age(timedelta(minutes=59)) == "59m"
    assert cli.age(timedelta(hours=1, minutes=1)) == "1h 1m"
    assert cli.age(timedelta(days=3, hours=4, minutes=5)) == "3d 4h"
    assert cli.age(timedelta(seconds=-5)) == "0m"
