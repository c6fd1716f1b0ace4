"""Matching where a member works against the directory, and the destination that follows."""

from __future__ import annotations

import pytest

from bot.directory.matching import NONE, ONE, SEVERAL, match_place, postcode_district, rep_at
from bot.directory.model import Directory
from bot.directory.services import SAMPLE_FILE
from bot.directory.yaml_file import parse_directory
from bot.intake.place import NOT_SURE_REASON, REP_NOT_LISTED, route
from bot.triage import Triage

SAMPLE = Directory(parse_directory(SAMPLE_FILE.read_text()))


def matched(text: str) -> tuple[str, list[str]]:
    found = match_place(SAMPLE, text)
    return found.kind, [o.destination.id for o in found.options]


@pytest.mark.parametrize(("text", "destination"), [
    ("Northtown", "branch-northtown"),
    ("nortown", "branch-northtown"),  # a typo
    ("north town", "branch-northtown"),
    ("I work in Northtown", "branch-northtown"),
    ("Millbrok", "branch-northtown"),
    ("Southvale District Council", "branch-southvale"),
    ("Eastmere city council", "branch-eastmere"),
    ("NT4 7AB", "branch-northtown"),  # a full postcode: its district
    ("nt4", "branch-northtown"),
    ("SV2 1XX", "branch-southvale"),
    ("Fernley", "branch-southvale"),  # the town, though Fernley Academy has a rep
    ("Fernley Academy", "rep-fernley-academy"),
    ("Hilside Primary", "rep-hillside-primary"),
])
def test_one_place_fits(text, destination):
    assert matched(text) == (ONE, [destination])


def test_several_branches_that_fit_about_as_well_are_all_offered():
    assert matched("north") == (SEVERAL, ["branch-northtown", "branch-eastmere"])


@pytest.mark.parametrize("text", ["Leeds", "LS6 2AB", "council", "Borough", "Primary school", "Hillside Academy"])
def test_nothing_fits(text):
    assert matched(text) == (NONE, [])


def test_postcode_districts():
    assert postcode_district("nt4 7ab") == "NT4"
    assert postcode_district("EC1A 1BB") == "EC1A"
    assert postcode_district("Northtown") is None


def test_a_rep_is_found_only_at_their_own_workplace():
    northtown = SAMPLE.get("branch-northtown")
    assert rep_at(SAMPLE, northtown, "Hillside Primary School, Northtown").id == "rep-hillside-primary"
    assert rep_at(SAMPLE, northtown, "Hillside Academy") is None  # another school of the same name
    assert rep_at(SAMPLE, SAMPLE.get("branch-southvale"), "Hillside Primary School") is None  # another branch's rep


ROUTINE_BRANCH = Triage("routine", [], "local_branch", "You said there's no NEU rep at your workplace.")
REP = Triage("routine", [], "workplace_rep", "You said there's an NEU rep at your workplace.")
NORTHTOWN = {"said": "Northtown", "destination_id": "branch-northtown", "area": "Northtown"}


def test_routing_picks_the_rep_else_the_branch_else_the_adviceline():
    to_rep = route(SAMPLE, REP, NORTHTOWN, "Hillside Primary School")
    assert (to_rep.destination.id, to_rep.triage.route) == ("rep-hillside-primary", "workplace_rep")
    to_branch = route(SAMPLE, REP, NORTHTOWN, "Riverside Primary")
    assert (to_branch.destination.id, to_branch.triage.route) == ("branch-northtown", "local_branch")
    assert to_branch.triage.route_reason == REP_NOT_LISTED
    kept = route(SAMPLE, ROUTINE_BRANCH, NORTHTOWN, "Riverside Primary")
    assert kept.triage == ROUTINE_BRANCH and kept.destination.name == "Northtown NEU branch"
    unsure = route(SAMPLE, ROUTINE_BRANCH, "unknown", "Riverside Primary")
    assert (unsure.destination.id, unsure.triage.route, unsure.triage.route_reason) == ("adviceline", "adviceline", NOT_SURE_REASON)


def test_a_member_who_said_there_is_no_rep_goes_to_the_branch_even_where_the_directory_names_one():
    """Their answer is respected: a colleague they did not name does not get their case."""
    by_workplace = route(SAMPLE, ROUTINE_BRANCH, NORTHTOWN, "Hillside Primary School")
    assert (by_workplace.destination.id, by_workplace.triage) == ("branch-northtown", ROUTINE_BRANCH)
    rep_answer = {"said": "Fernley Academy", "destination_id": "rep-fernley-academy", "area": "Fernley Academy"}
    by_place = route(SAMPLE, ROUTINE_BRANCH, rep_answer, "Fernley Academy")
    assert (by_place.destination.id, by_place.triage.route) == ("branch-southvale", "local_branch")


def test_the_adviceline_rules_come_first():
    leader = Triage("routine", [], "adviceline", "As a school leader...")
    routed = route(SAMPLE, leader, NORTHTOWN, "Hillside Primary School")
    assert routed.destination.id == "adviceline" and routed.triage == leader


def test_an_answer_whose_branch_has_left_the_directory_is_read_again():
    renamed = Directory(tuple(d for d in SAMPLE.destinations if d.id != "branch-eastmere"))
    gone = {"said": "Eastmere", "destination_id": "branch-eastmere", "area": "Eastmere"}
    routed = route(renamed, ROUTINE_BRANCH, gone, None)
    assert routed.destination.id == "adviceline"
    assert routed.triage.route_reason == 'I couldn\'t find "Eastmere" in the NEU\'s list of branches, so it goes to the AdviceLine.'
    moved = route(SAMPLE, ROUTINE_BRANCH, {**gone, "destination_id": "branch-old-eastmere"}, None)
    assert moved.destination.id == "branch-eastmere"


def test_an_empty_directory_sends_everything_to_the_adviceline():
    routed = route(Directory(()), ROUTINE_BRANCH, NORTHTOWN, None)
    assert routed.destination.id == "adviceline" and routed.destination.channels == ()
