"""Scoring and action plans of the policy review and the personal check-up."""

from __future__ import annotations

import pytest

from bot import checkups
from bot.checkups import (
    COMPLAINT,
    MAX_BUBBLE_WORDS,
    PERSONAL_ITEMS,
    POLICY_ITEMS,
    REMINDER,
    outcomes_of,
    parse_answer,
    report_chat_messages,
    report_markdown,
    score,
)
from bot.settings import SPEC_DIR

SHEET = (SPEC_DIR / "safer-social-networking.txt").read_text()


def _all(items, answer):
    return {item.key: answer for item in items}


def test_policy_review_walks_every_leader_recommendation():
    assert len(POLICY_ITEMS) == 13
    assert len({i.key for i in POLICY_ITEMS}) == 13
    assert len(PERSONAL_ITEMS) == 13
    assert len({i.key for i in PERSONAL_ITEMS}) == 13


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


def test_gaps_become_actions_missing_then_not_sure_then_partly_each_in_the_sheets_order():
    answers = {**_all(POLICY_ITEMS, "yes"), "union_consultation": "no", "misuse_reporting": "partly",
               "policy_exists": "not sure", "standards": "no"}
    result = score(POLICY_ITEMS, answers)
    assert (result.met, result.partly, result.missing) == (9, 1, 3)
    assert [a.split()[0:3] for a in result.actions] == [
        ["Make", "sure", "the"],  # standards: no, third in the sheet
        ["Consult", "the", "recognised"],  # union consultation: no, last in the sheet
        ["Introduce", "a", "social"],  # policy: not sure
        ["Introduce", "systems", "for"],  # misuse reporting: partly
    ]


def test_personal_plan_uses_the_good_answer_of_each_question():
    answers = {**{i.key: i.good for i in PERSONAL_ITEMS}, "learners_as_friends": "yes", "privacy_checked": "no"}
    result = score(PERSONAL_ITEMS, answers)
    assert result.missing == 2 and result.met == 11
    assert result.actions == [
        "Don't add learners as friends or contacts on your own social media accounts.",
        "Check your privacy and security settings.",
    ]


def test_a_complaint_comes_first_and_asks_for_a_copy_before_anything_is_changed():
    answers = {**{i.key: i.good for i in PERSONAL_ITEMS}, "follows_policy": "no", "regret": COMPLAINT}
    result = score(PERSONAL_ITEMS, answers)
    assert result.live_problem
    first = result.actions[0]
    assert "keep a copy" in first and "screenshot" in first and "date" in first and "link" in first
    assert "before changing anything" in first and "union" in first
    assert not any("removed" in a for a in result.actions), "no removal advice once there is a complaint"
    messages = report_chat_messages("personal_checkup", answers)
    assert messages[0].startswith("You said a post has led to a complaint.") and "keep a copy" in messages[0]
    assert "Try to have the post removed" not in "\n".join(messages)
    md = report_markdown("personal_checkup", answers)
    assert md.index("keep a copy") < md.index("Follow your school or college's official")


def test_a_regret_without_a_complaint_gets_the_sheets_advice():
    answers = {**{i.key: i.good for i in PERSONAL_ITEMS}, "regret": "yes"}
    assert score(PERSONAL_ITEMS, answers).actions == [PERSONAL_ITEMS[-1].action]
    assert PERSONAL_ITEMS[-1].action.startswith("Try to have the post removed, ideally before it has been shared.")


def test_not_using_facebook_is_neither_a_gap_nor_counted():
    untag = next(i for i in PERSONAL_ITEMS if i.key == "untag")
    assert parse_answer("I don't use Facebook", untag) == untag.not_applicable
    assert parse_answer("not on facebook", untag) == untag.not_applicable
    assert parse_answer("no", untag) == "no"
    answers = {**{i.key: i.good for i in PERSONAL_ITEMS}, "untag": untag.not_applicable}
    assert "untag" not in outcomes_of(PERSONAL_ITEMS, answers)
    assert score(PERSONAL_ITEMS, answers).actions == []


def test_parents_as_contacts_are_not_scored_as_a_failure():
    """The sheet says think about the risks; having parents as contacts is not a gap in itself."""
    parents = next(i for i in PERSONAL_ITEMS if i.key == "parents_risks")
    assert parents.good == "yes" and "thought about" in parents.question
    assert not any(i.key == "parents_private" for i in PERSONAL_ITEMS)


@pytest.mark.parametrize("phrase", ["remove learners", "recently", "most important", "priority"])
def test_no_words_the_sheet_does_not_say(phrase):
    texts = [t for i in POLICY_ITEMS + PERSONAL_ITEMS for t in (i.question, i.action, i.live_action or "")]
    for kind in checkups.CHECKUPS:
        texts.append(report_markdown(kind, {i.key: "no" for i in checkups.CHECKUPS[kind]}))
    assert not [t for t in texts if phrase in t.lower()]


def _answer_sets(items):
    """Every item at each of its options, and everything at once at each option."""
    base = {i.key: i.good for i in items}
    yield base
    for item in items:
        for option in item.options:
            yield {**base, item.key: option}
    for option in checkups.ANSWERS:
        yield {i.key: (option if option in i.options else i.options[-1]) for i in items}
    yield {i.key: i.live_problem or ("yes" if i.good == "no" else "no") for i in items}


@pytest.mark.parametrize("kind", list(checkups.CHECKUPS))
def test_every_chat_message_of_a_report_is_short(kind):
    for answers in _answer_sets(checkups.CHECKUPS[kind]):
        messages = report_chat_messages(kind, answers)
        assert messages and all(len(m.split()) <= MAX_BUBBLE_WORDS for m in messages), messages
        assert messages[-1].endswith(checkups.SOURCE_LEADERS if kind == "policy_review" else checkups.SOURCE_MEMBERS)
        result = score(checkups.CHECKUPS[kind], answers)
        joined = "\n".join(messages)
        assert all(action in joined or result.live_problem for action in result.actions)


def test_the_personal_report_leads_with_what_to_do_not_a_score():
    answers = {i.key: ("yes" if i.good == "no" else "no") for i in PERSONAL_ITEMS}
    messages = report_chat_messages("personal_checkup", answers)
    assert messages[0].startswith("What to do next")
    assert "Score" not in "\n".join(messages) and " 0 of " not in "\n".join(messages)
    assert REMINDER in messages[-1]
    everything_met = report_chat_messages("personal_checkup", {i.key: i.good for i in PERSONAL_ITEMS})
    assert everything_met[0].startswith("You're already following every point") and REMINDER in everything_met[0]


def test_unclear_answers_are_asked_again_with_the_button_titles():
    regret = PERSONAL_ITEMS[-1]
    assert checkups.reask(regret) == 'Sorry, I didn\'t catch that. Please answer "No", "Yes" or "Yes, and it\'s led to a complaint".'
    assert checkups.reask(POLICY_ITEMS[0]).endswith('Please answer "Yes", "Partly", "No" or "Not sure".')


def test_markdown_report_has_score_actions_answers_and_source():
    answers = {**_all(POLICY_ITEMS, "yes"), "home_laptops": "no"}
    md = report_markdown("policy_review", answers)
    assert md.startswith("# Social networking policy review")
    assert "**Score: 12 of 13 met, 0 partly met, 1 missing or not sure.**" in md
    assert "1. Include the appropriate home use of school or college laptops in the policy." in md
    assert md.count("**Yes**") == 12 and "**No**" in md
    assert 'Source: "Safer social networking", Advice to school and college leaders' in md


def test_prompts_are_numbered_with_buttons():
    text, buttons = checkups.prompt("review_policy_exists")
    assert text.startswith("1 of 13: ") and [b["title"] for b in buttons] == ["Yes", "Partly", "No", "Not sure"]
    text, buttons = checkups.prompt("checkup_regret")
    assert text.startswith("13 of 13: ") and buttons[-1]["payload"] == "yes, and it's led to a complaint"
    assert [b["title"] for b in buttons] == ["No", "Yes", "Yes, and it's led to a complaint"]
    _, buttons = checkups.prompt("checkup_untag")
    assert buttons[-1] == {"title": "I don't use Facebook", "payload": "no facebook"}


@pytest.mark.parametrize("item", POLICY_ITEMS + PERSONAL_ITEMS, ids=lambda i: i.key)
def test_every_action_stays_with_the_sheets_words(item):
    """Key words of each action appear in the advice sheet (no invented advice)."""
    action = f"{item.action} {item.live_action or ''}"
    words = {w for w in action.lower().replace(",", " ").replace(".", " ").split() if len(w) > 7}
    missing = {w for w in words if w.rstrip("s") not in SHEET.lower() and w not in SHEET.lower()}
    assert len(missing) <= 2, missing
