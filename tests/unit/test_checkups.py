"""Scoring and action plans of the policy review and the personal check-up."""

from __future__ import annotations

import pytest

from bot import checkups
from bot.checkups import PERSONAL_ITEMS, POLICY_ITEMS, parse_answer, report_markdown, score
from bot.settings import SPEC_DIR

SHEET = (SPEC_DIR / "safer-social-networking.txt").read_text()


def _all(items, answer):
    return {item.key: answer for item in items}


def test_policy_review_walks_every_leader_recommendation():
    assert len(POLICY_ITEMS) == 13
    assert len({i.key for i in POLICY_ITEMS}) == 13
    assert len(PERSONAL_ITEMS) == 9


@pytest.mark.parametrize(
    "text,expected",
    [("Yes", "yes"), ("partly", "partly"), ("nope", "no"), ("Not sure", "not sure"), ("we do", "yes"),
     ("sort of", "partly"), ("no idea", "not sure"), ("banana", None), ("", None), ("😀" * 500, None)],
)
def test_answers_from_buttons_or_words(text, expected):
    assert parse_answer(text, POLICY_ITEMS[0]) == expected


def test_regret_with_a_complaint_is_a_live_problem():
    regret = PERSONAL_ITEMS[-1]
    assert parse_answer("yes, and it's led to a complaint", regret) == regret.live_problem
    assert parse_answer("yes and a parent has complained to the head", regret) == regret.live_problem
    assert parse_answer("not sure", regret) is None  # not an option here
    answers = {**_all(PERSONAL_ITEMS, "yes"), "regret": regret.live_problem}
    assert score(PERSONAL_ITEMS, answers).live_problem


def test_all_met_policy_scores_full_marks_with_no_actions():
    result = score(POLICY_ITEMS, _all(POLICY_ITEMS, "yes"))
    assert (result.met, result.partly, result.missing, result.actions) == (13, 0, 0, [])


def test_gaps_become_actions_in_priority_order_missing_before_partly():
    answers = {**_all(POLICY_ITEMS, "yes"), "union_consultation": "no", "misuse_reporting": "partly",
               "policy_exists": "not sure", "standards": "no"}
    result = score(POLICY_ITEMS, answers)
    assert (result.met, result.partly, result.missing) == (9, 1, 3)
    assert result.actions[0].startswith("Introduce a social networking policy")  # priority 1
    assert result.actions[1].startswith("Make sure the policy sets standards")  # priority 2, missing
    assert result.actions[2].startswith("Introduce systems for reporting")  # priority 2, partly
    assert result.actions[-1].startswith("Consult the recognised trade unions")


def test_personal_plan_uses_the_good_answer_of_each_question():
    answers = {**{i.key: i.good for i in PERSONAL_ITEMS}, "learners_as_friends": "yes", "privacy_checked": "no"}
    result = score(PERSONAL_ITEMS, answers)
    assert result.missing == 2 and result.met == 7
    assert result.actions[0].startswith("Remove learners")
    assert result.actions[1] == "Check your privacy and security settings."


def test_markdown_report_has_score_actions_answers_and_source():
    answers = {**_all(POLICY_ITEMS, "yes"), "home_laptops": "no"}
    md = report_markdown("policy_review", answers)
    assert md.startswith("# Social networking policy review")
    assert "**Score:** 12 of 13 met" in md
    assert "1. Include the appropriate home use of school or college laptops in the policy." in md
    assert md.count("**Yes**") == 12 and "**No**" in md
    assert 'Source: "Safer social networking", Advice to school and college leaders' in md


def test_prompts_are_numbered_with_buttons():
    text, buttons = checkups.prompt("review_policy_exists")
    assert text.startswith("1 of 13: ") and [b["title"] for b in buttons] == ["Yes", "Partly", "No", "Not sure"]
    text, buttons = checkups.prompt("checkup_regret")
    assert text.startswith("9 of 9: ") and buttons[-1]["payload"] == "yes, and it's led to a complaint"


@pytest.mark.parametrize("item", POLICY_ITEMS + PERSONAL_ITEMS, ids=lambda i: i.key)
def test_every_action_stays_with_the_sheets_words(item):
    """Key words of each action appear in the advice sheet (no invented advice)."""
    words = {w for w in item.action.lower().replace(",", " ").replace(".", " ").split() if len(w) > 7}
    missing = {w for w in words if w.rstrip("s") not in SHEET.lower() and w not in SHEET.lower()}
    assert len(missing) <= 2, missing
