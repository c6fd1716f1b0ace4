"""Corrections in the member's own words (bot.intake.corrections), on phrasings of our own and on the
held-out set tests/heldout/corrections.yml (written apart from this code)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from bot.intake import flow
from bot.intake.corrections import find_corrections

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)  # a Tuesday
ACCUSED = flow.required_fields({"case_type": "accused"})
TARGETED = flow.required_fields({"case_type": "targeted"})
EVERY = sorted(set(ACCUSED) | set(TARGETED))
HELD_OUT = Path(__file__).resolve().parents[1] / "heldout" / "corrections.yml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actually it was last Tuesday", {"occurred_on": "2026-11-24"}),
        ("oops, the meeting is on Friday the 4th", {"next_date": "2026-12-04"}),
        ("the investigation meeting got moved to 11/12", {"next_date": "2026-12-11"}),
        ("I put Insta but it was on TikTok", {"platforms": ["TikTok"]}),
        ("twitter, not facebook", {"platforms": ["X (Twitter)"]}),
        ("my email is actually sam.k@example.org", {"contact": {"kind": "email", "value": "sam.k@example.org"}}),
        ("ring me on 07700 900456 instead", {"contact": {"kind": "phone", "value": "+447700900456"}}),
        ("they've suspended me since we spoke", {"process_stage": "suspended"}),
        ("the police have been in touch now", {"police_involved": True}),
        ("sorry, it happened on the 3rd and the hearing's on the 15th", {"occurred_on": "2026-11-03", "next_date": "2026-12-15"}),
        ("please call me Jo Bloggs", {"name": "Jo Bloggs"}),
    ],
)
def test_corrections_we_wrote(text, expected):
    assert find_corrections(text, ACCUSED, NOW).values == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("it's been taken down now", {"still_online": False}),
        ("it was one of the parents who posted it", {"posted_by": ["parent"]}),
        ("I do have screenshots after all", {"evidence_kept": True}),
    ],
)
def test_corrections_in_the_targeted_track(text, expected):
    assert find_corrections(text, TARGETED, NOW).values == expected


def test_a_field_this_case_does_not_have_is_named():
    found = find_corrections("the hearing is on the 15th", TARGETED, NOW)
    assert found.values == {} and found.not_in_this_case == ["next_date"]


@pytest.mark.parametrize("text", ["what happens next?", "ok", "thank you", "I'm really worried", ""])
def test_ordinary_messages_correct_nothing(text):
    assert not find_corrections(text, ACCUSED, NOW)


def _comparable(field: str, value):
    if field == "role" and isinstance(value, dict):
        return value["role"].lower()
    if isinstance(value, list):
        return sorted(value)
    if field == "contact" and isinstance(value, dict):
        return value["kind"], value["value"].lower()  # e-mail addresses are case-insensitive in practice
    if isinstance(value, str) and field in ("name", "workplace"):
        return value.lower().strip(" .")
    return value


def test_the_held_out_corrections_are_read_right_nine_times_in_ten():
    items = yaml.safe_load(HELD_OUT.read_text())
    right = [
        item for item in items
        if {k: _comparable(k, v) for k, v in find_corrections(item["text"], EVERY, NOW).values.items()}
        == {k: _comparable(k, v) for k, v in item["changes"].items()}
    ]
    assert len(items) >= 45 and len(right) / len(items) >= 0.9, f"{len(right)} of {len(items)}"
