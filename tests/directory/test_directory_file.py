"""The directory file: what a union office writes, what it is told when a line is wrong."""

from __future__ import annotations

import textwrap

import pytest

from bot.directory.model import ADVICELINE, BRANCH, WORKPLACE_REP, Destination
from bot.directory.services import SAMPLE_FILE
from bot.directory.yaml_file import DirectoryFileError, dump_directory, parse_directory

GOOD = """\
adviceline:
  name: NEU AdviceLine
  contact: 0345 811 8111
branches:
  - name: Northtown NEU branch
    areas: [Northtown, Millbrook]
    postcodes: [nt1, "NT 4"]
    email: cases@northtown.example.org
    reps:
      - name: Robin Ashdown, NEU rep at Hillside Primary School
        workplace: Hillside Primary School
        email: robin@example.org
  - id: branch-south
    name: Southvale NEU branch
    areas: Southvale
    webhook:
      url: https://south.example.org/handoffs
      secret_env: SOUTHVALE_WEBHOOK_SECRET
"""


def problems(text: str) -> list[str]:
    with pytest.raises(DirectoryFileError) as caught:
        parse_directory(textwrap.dedent(text), "ours.yml")
    return caught.value.problems


def test_a_good_file_gives_destinations_in_file_order_with_ids_made_from_names() -> None:
    found = parse_directory(GOOD)
    assert [(d.id, d.kind) for d in found] == [
        ("adviceline", ADVICELINE),
        ("branch-northtown", BRANCH),
        ("rep-hillside-primary-school", WORKPLACE_REP),
        ("branch-south", BRANCH),
    ]
    northtown, rep, south = found[1], found[2], found[3]
    assert northtown.postcodes == ("NT1", "NT4")
    assert northtown.channels == ("email",)
    assert rep.branch_id == "branch-northtown" and rep.workplace == "Hillside Primary School"
    assert south.areas == ("Southvale",)
    assert south.channels == ("webhook",) and south.webhook_secret_env == "SOUTHVALE_WEBHOOK_SECRET"


def test_the_sample_directory_is_valid_and_fictional() -> None:
    found = parse_directory(SAMPLE_FILE.read_text())
    assert sum(d.kind == ADVICELINE for d in found) == 1
    emails = [d.email for d in found if d.email]
    assert emails and all(e.endswith("example.org") for e in emails)
    assert {d.kind for d in found} == {ADVICELINE, BRANCH, WORKPLACE_REP}


def test_every_problem_is_reported_with_its_line() -> None:
    found = problems(
        """\
        adviceline:
          name: NEU AdviceLine
        branches:
          - name: Northtown NEU branch
            areas: [Northtown]
            postcodes: [NT4, Leeds]
            email: not-an-address
            phone: 0113
          - name: Southvale NEU branch
            areas: [northtown]
            email: south@example.org
            webhook:
              url: ftp://south.example.org
              secret_env: "s3cret value"
          - name: Eastmere NEU branch
            email: east@example.org
        """
    )
    assert found == [
        "line 6: branch 'Northtown NEU branch': 'Leeds' is not a postcode district (like NT4: the part before the space)",
        "line 7: branch 'Northtown NEU branch': 'not-an-address' is not an email address",
        "line 8: branch 'Northtown NEU branch': unknown field `phone` (expected one of: "
        "id, name, contact, email, webhook, areas, postcodes, reps)",
        "line 13: branch 'Southvale NEU branch': webhook url 'ftp://south.example.org' should start with "
        "https:// (or http://)",
        "line 14: branch 'Southvale NEU branch': secret_env is the NAME of an environment variable "
        "(like BRANCH_NORTHTOWN_SECRET), never the secret itself",
        "line 15: branch 'Eastmere NEU branch' covers no area: give it `areas:` or `postcodes:`",
    ]


def test_a_branch_without_a_channel_and_duplicates_are_refused() -> None:
    found = problems(
        """\
        adviceline:
          name: NEU AdviceLine
        branches:
          - name: Northtown NEU branch
            areas: [Northtown]
            postcodes: [NT4]
          - name: Northtown North NEU branch
            id: branch-northtown
            areas: [Northtown]
            postcodes: [nt4]
            email: n@example.org
          - name: Southvale NEU branch
            areas: [Southvale]
            email: s@example.org
            reps:
              - name: Someone
                email: r@example.org
        """
    )
    assert "line 4: branch 'Northtown NEU branch' has no way to receive cases: give it an `email:`, a `webhook:`, or both" in found
    assert "line 16: `workplace:` is missing" in found
    assert len(found) == 2  # a refused entry is not compared with the others

    found = problems(
        """\
        adviceline: {name: NEU AdviceLine}
        branches:
          - {name: Northtown NEU branch, areas: [Northtown], postcodes: [NT4], email: a@example.org}
          - {id: branch-northtown, name: Other, areas: [northtown], postcodes: [nt4], email: b@example.org}
        """
    )
    assert found == [
        "line 4: id 'branch-northtown' is already used on line 3",
        "line 4: area 'northtown' of 'Other' is already used on line 3",
        "line 4: postcode district 'NT4' of 'Other' is already used on line 3",
    ]


def test_the_adviceline_is_required_and_its_id_is_fixed() -> None:
    assert problems("branches: []\n") == ["line 1: `adviceline:` is missing: the directory needs the AdviceLine"]
    assert problems("adviceline:\n  id: main\n  name: AL\n") == ["line 2: the AdviceLine's id is always `adviceline`"]
    assert problems("adviceline: NEU\n") == [
        "line 1: `adviceline:` should have `name:` and its other fields indented under it"
    ]


def test_broken_yaml_names_its_line() -> None:
    found = problems("adviceline:\n  name: NEU AdviceLine\nbranches:\n  - name: [unclosed\n")
    assert len(found) == 1 and found[0].startswith("line 5: not valid YAML")


def test_the_report_says_nothing_was_changed() -> None:
    with pytest.raises(DirectoryFileError) as caught:
        parse_directory("branches: []\n", "ours.yml")
    assert caught.value.report().splitlines() == [
        "ours.yml was not imported (1 problem(s)); nothing was changed:",
        "  ours.yml:line 1: `adviceline:` is missing: the directory needs the AdviceLine",
    ]


def test_export_reads_back_as_the_same_directory() -> None:
    for text in (GOOD, SAMPLE_FILE.read_text()):
        original = parse_directory(text)
        exported = dump_directory(original)
        assert parse_directory(exported) == original
        assert dump_directory(parse_directory(exported)) == exported


def test_destination_channels_and_payload_kind() -> None:
    both = Destination("branch-x", BRANCH, "X branch", webhook_url="https://x.example.org", email="x@example.org")
    assert both.channels == ("webhook", "email")
    assert both.as_payload() == {"id": "branch-x", "kind": "local_branch", "name": "X branch"}
    assert Destination("adviceline", ADVICELINE, "NEU AdviceLine").channels == ()
