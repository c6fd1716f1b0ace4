"""The directory in the case database: import all or nothing (audited), export, the CLI,
the outbox's jobs per destination, and migration 0005 over a database with older rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from bot.delivery.outbox import enqueue_for
from bot.directory.services import SAMPLE_FILE, export_directory, import_directory
from bot.directory.yaml_file import DirectoryFileError, parse_directory
from bot.entrypoints import cli
from bot.storage import record_case
from bot.storage.engine import make_engine
from bot.storage.migrate import downgrade, upgrade
from tests.support.databases import START

SMALL = """\
adviceline:
  name: NEU AdviceLine
branches:
  - id: branch-westby
    name: Westby NEU branch
    areas: [Westby]
    email: westby@example.org
"""
BROKEN = SMALL + "    postcodes: [not a district]\n"


def ids(uow_factory) -> list[str]:
    with uow_factory() as uow:
        return [d.id for d in uow.directory.all()]


def test_an_import_replaces_the_whole_directory_and_is_audited(uow_factory) -> None:
    assert "branch-northtown" in ids(uow_factory)  # the sample the tests start with
    import_directory(uow_factory(), SMALL, START, actor="office@example.org", source="/srv/westby.yml")
    assert ids(uow_factory) == ["adviceline", "branch-westby"]
    with uow_factory() as uow:
        entry = uow.audit.latest(1)[0]
    assert (entry.actor, entry.action) == ("office@example.org", "directory_imported")
    assert entry.detail == "1 AdviceLine, 1 branch(es), 0 rep(s) from westby.yml"


def test_a_bad_file_changes_nothing(uow_factory) -> None:
    before = ids(uow_factory)
    with uow_factory() as uow:
        audited = len(uow.audit.latest(100))
    with pytest.raises(DirectoryFileError):
        import_directory(uow_factory(), BROKEN, START)
    assert ids(uow_factory) == before
    with uow_factory() as uow:
        assert len(uow.audit.latest(100)) == audited


def test_a_failure_while_writing_rolls_the_whole_import_back(uow_factory, monkeypatch) -> None:
    """The replace runs in one transaction: an error after the delete leaves the old directory."""
    before = ids(uow_factory)

    def failing_audit(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("bot.directory.services.audit.record", failing_audit)
    with pytest.raises(RuntimeError):
        import_directory(uow_factory(), SMALL, START)
    assert ids(uow_factory) == before


def test_export_of_the_stored_directory_imports_to_the_same(uow_factory) -> None:
    exported = export_directory(uow_factory())
    assert parse_directory(exported) == parse_directory(SAMPLE_FILE.read_text())
    import_directory(uow_factory(), exported, START)
    assert export_directory(uow_factory()) == exported


def test_the_cli_imports_shows_and_exports(database_url, tmp_path: Path, capsys) -> None:
    good, bad, out = tmp_path / "good.yml", tmp_path / "bad.yml", tmp_path / "out.yml"
    good.write_text(SMALL)
    bad.write_text(BROKEN)
    assert cli.main(["--database-url", database_url, "directory", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yml was not imported (1 problem(s)); nothing was changed:" in err
    assert "bad.yml:line 8: branch 'Westby NEU branch': 'not a district' is not a postcode district" in err
    assert cli.main(["--database-url", database_url, "directory", "import", str(good), "--if-empty"]) == 0
    assert "already has entries" in capsys.readouterr().out
    assert cli.main(["--database-url", database_url, "directory", "import", str(good)]) == 0
    assert "1 AdviceLine, 1 branch(es), 0 rep(s)" in capsys.readouterr().out
    assert cli.main(["--database-url", database_url, "directory", "show"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].split() == ["ID", "KIND", "NAME", "COVERS", "CHANNELS", "PENDING"]
    assert shown[1].split()[:3] == ["adviceline", "AdviceLine", "NEU"] and "webhook (HANDOFF_WEBHOOK_URL)" in shown[1]
    assert shown[2].split() == ["branch-westby", "branch", "Westby", "NEU", "branch", "Westby", "email", "0"]
    assert cli.main(["--database-url", database_url, "directory", "export", str(out)]) == 0
    assert parse_directory(out.read_text()) == parse_directory(SMALL)


def test_a_case_gets_a_job_per_channel_of_its_destination(uow_factory, make_payload) -> None:
    southvale = {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}
    payload = make_payload("NEU-DEST01", route="local_branch", schema_version="1.1", destination=southvale)
    assert record_case(uow_factory(), payload, now=START)
    with uow_factory() as uow:
        jobs = uow.deliveries.for_case("NEU-DEST01")
        assert uow.cases.get("NEU-DEST01").destination_id == "branch-southvale"
        assert [(j.destination_id, j.channel) for j in jobs] == [("branch-southvale", "webhook"), ("branch-southvale", "email")]
        again = enqueue_for(uow, "NEU-DEST01", uow.directory.get("branch-southvale"), START)
        assert [j.id for j in again] == [j.id for j in jobs]  # kept, not doubled
        enqueue_for(uow, "NEU-DEST01", uow.directory.directory().adviceline, START)
        uow.commit()
    with uow_factory() as uow:
        assert len(uow.deliveries.for_case("NEU-DEST01")) == 3
        assert uow.deliveries.get("NEU-DEST01").destination_id == "adviceline"  # the newest
        listed = [c.reference for c, _ in uow.cases.list()]
    assert listed == ["NEU-DEST01"]  # one row per case, however many jobs


def test_an_old_payload_or_an_unknown_destination_goes_to_the_adviceline(uow_factory, make_payload) -> None:
    record_case(uow_factory(), make_payload("NEU-OLD001"), now=START)
    gone = {"id": "branch-gone", "kind": "local_branch", "name": "Gone NEU branch"}
    record_case(uow_factory(), make_payload("NEU-GONE01", schema_version="1.1", destination=gone), now=START)
    with uow_factory() as uow:
        for reference in ("NEU-OLD001", "NEU-GONE01"):
            assert uow.cases.get(reference).destination_id == "adviceline"
            assert [(j.destination_id, j.channel) for j in uow.deliveries.for_case(reference)] == [("adviceline", "webhook")]


def test_migration_0005_keeps_older_cases_and_their_jobs(empty_database_url: str) -> None:
    url = empty_database_url
    upgrade(url, "0004")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (reference, case_type, urgency, route, created_at, status, payload, safety_concern)"
                " VALUES ('NEU-OLDROW', 'targeted', 'routine', 'local_branch', :at, 'new', '{}', false)"
            ),
            {"at": START},
        )
        conn.execute(
            text(
                "INSERT INTO deliveries (case_reference, state, urgency_rank, attempts, next_attempt_at,"
                " created_at, updated_at) VALUES ('NEU-OLDROW', 'dead', 2, 8, :at, :at, :at)"
            ),
            {"at": START},
        )
        conn.execute(
            text(
                "INSERT INTO advisers (email, password_hash, role, created_at, active)"
                " VALUES ('a@example.org', 'x', 'adviser', :at, true)"
            ),
            {"at": START},
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        job = conn.execute(text("SELECT destination_id, channel, state, attempts FROM deliveries")).one()
        case_destination = conn.execute(text("SELECT destination_id FROM cases")).scalar_one()
        adviser_destination = conn.execute(text("SELECT destination_id FROM advisers")).scalar_one()
        # a second job for the same case, to another destination, is now allowed
        conn.execute(
            text(
                "INSERT INTO deliveries (case_reference, destination_id, channel, state, urgency_rank, attempts,"
                " next_attempt_at, created_at, updated_at)"
                " VALUES ('NEU-OLDROW', 'branch-x', 'email', 'pending', 2, 0, :at, :at, :at)"
            ),
            {"at": START},
        )
    engine.dispose()
    assert tuple(job) == ("adviceline", "webhook", "dead", 8)
    assert case_destination is None and adviser_destination is None
    downgrade(url, "0004")  # back again: one job per case is kept
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT case_reference, state FROM deliveries")).all() == [("NEU-OLDROW", "dead")]
    engine.dispose()
