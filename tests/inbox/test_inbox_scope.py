"""The scoped inbox on SQLite and PostgreSQL: an account sees only its destination's cases,
any other is exactly "not found", and passing a case on moves it (audited, delivered,
the old destination loses it). The sample directory (directory/sample.yml) is loaded."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from bot.entrypoints import cli
from bot.inbox.accounts import AccountError, create_adviser
from bot.inbox.cases import CaseFilters, PassOnRefused, change_status, export_case, list_cases, pass_on, view_case
from bot.inbox.model import Adviser
from bot.inbox.workflow import NotAllowed
from bot.storage import record_case
from bot.storage.engine import make_engine
from tests.support.advisers import PASSWORD
from tests.support.databases import START, validated

NORTHTOWN = {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
SOUTHVALE = {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}
UNKNOWN = "SSN-2612-NONE99"


@pytest.fixture
def accounts(uow_factory) -> dict[str, Adviser]:
    make = lambda email, role="adviser", dest=None: create_adviser(uow_factory(), email, PASSWORD, role, START, dest)  # noqa: E731
    return {
        "northtown": make("north@example.org", dest="branch-northtown"),
        "northtown2": make("north2@example.org", dest="branch-northtown"),
        "southvale": make("south@example.org", dest="branch-southvale"),
        "adviceline": make("al@example.org"),
        "admin": make("boss@example.org", "admin"),
    }


@pytest.fixture
def cases(uow_factory, make_payload, database_url) -> dict[str, str]:
    made = {
        "northtown": make_payload("SSN-2612-NTOWN1", route="local_branch", schema_version="1.1", destination=NORTHTOWN),
        "southvale": make_payload("SSN-2612-SVALE1", route="local_branch", schema_version="1.1", destination=SOUTHVALE),
        "adviceline": make_payload("SSN-2612-ADVL01"),
        "old": make_payload("SSN-2612-OLD001"),
    }
    for payload in made.values():
        record_case(uow_factory(), payload, now=START)
    engine = make_engine(database_url)  # a case from before the directory: no destination recorded
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET destination_id = NULL WHERE reference = 'SSN-2612-OLD001'"))
    engine.dispose()
    return {name: payload["reference"] for name, payload in made.items()}


def refs(uow_factory, actor: Adviser) -> set[str]:
    return {row.case.reference for row in list_cases(uow_factory(), actor, CaseFilters(), START)}


def trail(uow_factory) -> list[tuple]:
    with uow_factory() as uow:
        return [(e.actor, e.action, e.case_reference, e.detail) for e in reversed(uow.audit.latest())]


def test_each_account_lists_only_its_destinations_cases(uow_factory, accounts, cases) -> None:
    assert refs(uow_factory, accounts["northtown"]) == {cases["northtown"]}
    assert refs(uow_factory, accounts["southvale"]) == {cases["southvale"]}
    assert refs(uow_factory, accounts["adviceline"]) == {cases["adviceline"], cases["old"]}, "NULL is the AdviceLine's"
    assert refs(uow_factory, accounts["admin"]) == set(cases.values())


def test_filters_stay_inside_the_scope(uow_factory, accounts, cases) -> None:
    rows = list_cases(uow_factory(), accounts["southvale"], CaseFilters(route="local_branch"), START)
    assert [row.case.reference for row in rows] == [cases["southvale"]]
    asked = CaseFilters.from_query({"destination": "branch-northtown"})
    assert asked.destination == "branch-northtown"
    south = list_cases(uow_factory(), accounts["southvale"], asked, START)
    assert [row.case.reference for row in south] == [cases["southvale"]], "a filter never widens the scope"
    admin = list_cases(uow_factory(), accounts["admin"], asked, START)
    assert [row.case.reference for row in admin] == [cases["northtown"]], "it narrows an admin's list"
    assert CaseFilters.from_query({"destination": "x' OR 1=1"}).destination is None


ACTIONS = {
    "view": lambda uow, actor, ref: view_case(uow, actor, ref, START),
    "export": lambda uow, actor, ref: export_case(uow, actor, ref, START),
    "status": lambda uow, actor, ref: change_status(uow, actor, ref, "claimed", START),
    "pass on": lambda uow, actor, ref: pass_on(uow, actor, ref, "adviceline", "wrong branch", START),
}


@pytest.mark.parametrize("what", sorted(ACTIONS))
def test_another_destinations_case_is_exactly_not_found(uow_factory, accounts, cases, what) -> None:
    act = ACTIONS[what]
    with pytest.raises(LookupError) as other:
        act(uow_factory(), accounts["northtown"], cases["southvale"])
    with pytest.raises(LookupError) as unknown:
        act(uow_factory(), accounts["northtown"], UNKNOWN)
    assert (type(other.value), other.value.args) == (LookupError, (cases["southvale"],))
    assert (type(unknown.value), unknown.value.args) == (LookupError, (UNKNOWN,))
    with uow_factory() as uow:
        untouched = uow.cases.get(cases["southvale"])
        assert (untouched.status, untouched.destination_id) == ("new", "branch-southvale")
        assert uow.claims.get(cases["southvale"]) is None
    assert ("north@example.org", "access_denied", cases["southvale"], f"{what}: another destination's case") in trail(uow_factory)


def test_an_old_case_without_a_destination_is_the_advicelines(uow_factory, accounts, cases) -> None:
    assert view_case(uow_factory(), accounts["adviceline"], cases["old"], START).destination.id == "adviceline"
    with pytest.raises(LookupError):
        view_case(uow_factory(), accounts["northtown"], cases["old"], START)


def test_each_account_works_its_own_cases(uow_factory, accounts, cases) -> None:
    north = accounts["northtown"]
    view = view_case(uow_factory(), north, cases["northtown"], START)
    assert view.destination.name == "Northtown NEU branch"
    assert "branch-northtown" not in {d.id for d in view.pass_on_targets} and "adviceline" in {d.id for d in view.pass_on_targets}
    assert export_case(uow_factory(), north, cases["northtown"], START)["destination"] == NORTHTOWN
    assert change_status(uow_factory(), north, cases["northtown"], "claimed", START) == "new"


# --- pass-on ---------------------------------------------------------------------------------


def test_passing_on_moves_the_case_queues_delivery_and_ends_the_old_access(uow_factory, accounts, cases) -> None:
    north, al, ref = accounts["northtown"], accounts["adviceline"], cases["northtown"]
    change_status(uow_factory(), north, ref, "claimed", START)

    target = pass_on(uow_factory(), north, ref, "adviceline", "  needs  legal advice\n", START)

    assert target.id == "adviceline"
    with uow_factory() as uow:
        moved = uow.cases.get(ref)
        assert (moved.destination_id, moved.status) == ("adviceline", "new")
        assert uow.claims.get(ref) is None, "the new destination takes it from the start"
        payload = moved.payload_dict
        jobs = {(j.destination_id, j.channel, j.state) for j in uow.deliveries.for_case(ref)}
    assert payload["schema_version"] == "1.1" and payload["destination"] == {"id": "adviceline", "kind": "adviceline", "name": "NEU AdviceLine"}
    assert "Sent to: NEU AdviceLine (passed on from Northtown NEU branch)" in payload["summary_text"].splitlines()
    validated(payload)
    # the old destination's job still waiting is stopped: the case is no longer its to be sent
    assert ("adviceline", "webhook", "pending") in jobs and ("branch-northtown", "email", "dead") in jobs
    assert ("north@example.org", "passed_on", ref, "branch-northtown -> adviceline: needs legal advice") in trail(uow_factory)

    for action in ACTIONS.values():
        with pytest.raises(LookupError):
            action(uow_factory(), north, ref)
    assert ref not in refs(uow_factory, north)
    assert ref in refs(uow_factory, al) and view_case(uow_factory(), al, ref, START).destination.id == "adviceline"


def test_passing_on_to_a_branch_queues_its_own_channels(uow_factory, accounts, cases) -> None:
    ref = cases["adviceline"]
    pass_on(uow_factory(), accounts["adviceline"], ref, "branch-southvale", "member works in Southvale", START)
    with uow_factory() as uow:
        jobs = {(j.destination_id, j.channel) for j in uow.deliveries.for_case(ref) if j.destination_id == "branch-southvale"}
    assert jobs == {("branch-southvale", "webhook"), ("branch-southvale", "email")}
    assert ref in refs(uow_factory, accounts["southvale"]) and ref not in refs(uow_factory, accounts["adviceline"])


@pytest.mark.parametrize(
    "destination, reason, refusal",
    [
        ("adviceline", "   ", "say why"),
        ("adviceline", "x" * 161, "under 160"),
        ("branch-nowhere", "wrong place", "not in the directory"),
        ("branch-northtown", "again", "already with that destination"),
    ],
)
def test_a_pass_on_that_cannot_be_done_changes_nothing(uow_factory, accounts, cases, destination, reason, refusal) -> None:
    with pytest.raises(PassOnRefused, match=refusal):
        pass_on(uow_factory(), accounts["northtown"], cases["northtown"], destination, reason, START)
    with uow_factory() as uow:
        assert uow.cases.get(cases["northtown"]).destination_id == "branch-northtown"
        assert len(uow.deliveries.for_case(cases["northtown"])) == 1


def test_only_the_claimer_or_an_admin_passes_on_a_claimed_case(uow_factory, accounts, cases) -> None:
    ref = cases["northtown"]
    change_status(uow_factory(), accounts["northtown"], ref, "claimed", START)
    with pytest.raises(NotAllowed, match="claimed by north@example.org"):
        pass_on(uow_factory(), accounts["northtown2"], ref, "adviceline", "not mine", START)
    pass_on(uow_factory(), accounts["admin"], ref, "branch-eastmere", "member moved to Eastmere", START)
    with uow_factory() as uow:
        assert uow.cases.get(ref).destination_id == "branch-eastmere"


# --- accounts ---------------------------------------------------------------------------------


def test_an_account_needs_a_destination_in_the_directory(uow_factory) -> None:
    with pytest.raises(AccountError, match="no destination 'branch-nowhere'"):
        create_adviser(uow_factory(), "x@example.org", PASSWORD, "adviser", START, "branch-nowhere")
    with pytest.raises(AccountError, match="takes no destination"):
        create_adviser(uow_factory(), "y@example.org", PASSWORD, "admin", START, "adviceline")
    assert create_adviser(uow_factory(), "z@example.org", PASSWORD, "adviser", START).destination_id == "adviceline"
    assert create_adviser(uow_factory(), "b@example.org", PASSWORD, "admin", START).destination_id is None


def test_the_cli_adds_an_account_for_a_destination(database_url, uow_factory, monkeypatch) -> None:
    def add(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["--database-url", database_url, "advisers", "add", *argv], out, err)
        return code, out.getvalue(), err.getvalue()

    code, out, _ = add("rep@example.org", "--role", "adviser", "--destination", "rep-hillside-primary")
    assert code == 0 and "sees the cases of rep-hillside-primary" in out
    code, _, err = add("who@example.org", "--destination", "branch-atlantis")
    assert code == 1 and "no destination 'branch-atlantis' in the directory" in err
    code, _, err = add("chief@example.org", "--role", "admin", "--destination", "adviceline")
    assert code == 1 and "takes no destination" in err
    code, out, _ = add("chief@example.org", "--role", "admin")
    assert code == 0 and "sees every destination's cases" in out

    listing = io.StringIO()
    assert cli.main(["--database-url", database_url, "advisers", "list"], listing) == 0
    rows = {line.split()[0]: line.split()[1:3] for line in listing.getvalue().splitlines()[1:]}
    assert rows == {"chief@example.org": ["admin", "(every)"], "rep@example.org": ["adviser", "rep-hillside-primary"]}
