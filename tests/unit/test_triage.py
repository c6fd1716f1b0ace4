"""Urgency rules with their reasons, and routing, using UK working days."""

import re
from dataclasses import replace
from datetime import date

import pytest

from bot.intake.case import CaseDetails
from bot.triage import LEADER_REASON, ROUTE_RULES, ROUTINE_REASON, triage

EW, SCO = "england-and-wales", "scotland"
WED = date(2026, 3, 25)


def case(**changes) -> CaseDetails:
    base = CaseDetails(case_type="accused", description="A parent complained about my post.",
                       name="Sam Lee", preferred_contact="email", email="sam@example.org")
    return replace(base, **changes)


def run(c: CaseDetails, today: date = WED, nation: str = EW):
    return triage(c, today=today, nation=nation)


# ---------------------------------------------------------------- urgent rules


def test_police_involved():
    result = run(case(police_involved=True))
    assert (result.urgency, result.urgency_reasons) == ("urgent", ["police involved"])


@pytest.mark.parametrize("changes", [{"safety_concern": True}, {"case_type": "targeted", "feels_unsafe": True}])
def test_safety_concern(changes):
    result = run(case(**changes))
    assert (result.urgency, result.urgency_reasons) == ("urgent", ["safety concern: threats or feeling unsafe"])


def test_suspended():
    result = run(case(process_stage="suspended"))
    assert (result.urgency, result.urgency_reasons) == ("urgent", ["member suspended"])


@pytest.mark.parametrize(
    ("stage", "next_date", "reason"),
    [
        ("investigation", date(2026, 3, 26), "investigation meeting in 1 working day"),
        ("disciplinary_hearing", date(2026, 3, 27), "disciplinary hearing in 2 working days"),
        ("appeal", date(2026, 3, 26), "appeal hearing in 1 working day"),
        ("informal", date(2026, 3, 26), "informal meeting in 1 working day"),
        (None, WED, "next date today"),
        ("unknown", date(2026, 3, 27), "next date in 2 working days"),
    ],
)
def test_next_date_within_two_working_days(stage, next_date, reason):
    result = run(case(process_stage=stage, next_date=next_date))
    assert result.urgency == "urgent"
    assert result.urgency_reasons[0] == reason


def test_next_date_over_a_weekend_counts_working_days():
    result = run(case(next_date=date(2026, 3, 30)), today=date(2026, 3, 27))  # Fri -> Mon
    assert result.urgency_reasons == ["next date in 1 working day"]
    assert result.working_days_until_next_date == 1


def test_next_date_on_a_non_working_day_soon():
    result = run(case(next_date=date(2026, 3, 28)), today=date(2026, 3, 27))  # Fri -> Sat
    assert result.urgency == "urgent"
    assert result.urgency_reasons == ["next date before the next working day"]


def test_easter_weekend_differs_by_nation():
    c = case(process_stage="disciplinary_hearing", next_date=date(2026, 4, 8))
    england = run(c, today=date(2026, 4, 2), nation=EW)  # Good Friday and Easter Monday off
    scotland = run(c, today=date(2026, 4, 2), nation=SCO)  # only Good Friday off
    assert england.urgency == "urgent"
    assert england.urgency_reasons[0] == "disciplinary hearing in 2 working days"
    assert scotland.urgency == "priority"
    assert scotland.urgency_reasons == ["disciplinary hearing under way", "disciplinary hearing in 3 working days"]


def test_christmas_counts_substitute_bank_holiday():
    c = case(process_stage="investigation", next_date=date(2026, 12, 29))
    result = run(c, today=date(2026, 12, 23))  # six calendar days, two working days
    assert result.urgency == "urgent"
    assert result.working_days_until_next_date == 2
    assert result.urgency_reasons[0] == "investigation meeting in 2 working days"


# ---------------------------------------------------------------- priority rules


@pytest.mark.parametrize(
    ("stage", "reason"),
    [("investigation", "investigation under way"),
     ("disciplinary_hearing", "disciplinary hearing under way"),
     ("appeal", "appeal under way")],
)
def test_process_under_way(stage, reason):
    result = run(case(process_stage=stage))
    assert (result.urgency, result.urgency_reasons) == ("priority", [reason])


@pytest.mark.parametrize(
    ("next_date", "reason"),
    [(date(2026, 3, 30), "next date in 3 working days"), (date(2026, 4, 10), "next date in 10 working days")],
)
def test_next_date_within_ten_working_days(next_date, reason):
    # 25 March -> 10 April 2026 crosses Good Friday (3 April) and Easter Monday (6 April).
    result = run(case(next_date=next_date))
    assert (result.urgency, result.urgency_reasons) == ("priority", [reason])


def test_next_date_beyond_ten_working_days_is_routine():
    result = run(case(next_date=date(2026, 4, 13)))
    assert result.working_days_until_next_date == 11
    assert (result.urgency, result.urgency_reasons) == ("routine", [ROUTINE_REASON])


def test_past_next_date_is_ignored():
    assert run(case(next_date=date(2026, 3, 24))).urgency == "routine"


def test_targeted_material_still_online():
    result = run(case(case_type="targeted", still_online=True))
    assert (result.urgency, result.urgency_reasons) == ("priority", ["targeted material still online"])
    assert run(case(case_type="targeted", still_online=False)).urgency == "routine"


def test_routine():
    result = run(case(process_stage="none"))
    assert (result.urgency, result.urgency_reasons) == ("routine", ["no urgent factors given"])
    assert result.working_days_until_next_date is None


def test_all_reasons_listed_most_severe_first():
    c = case(police_involved=True, process_stage="investigation", next_date=date(2026, 3, 26), safety_concern=True)
    assert run(c).urgency_reasons == [
        "police involved",
        "safety concern: threats or feeling unsafe",
        "investigation meeting in 1 working day",
        "investigation under way",
    ]


# ---------------------------------------------------------------- routes


def test_leader_goes_to_adviceline_even_when_routine():
    result = run(case(role="headteacher", is_leader=True, has_workplace_rep=True))
    assert result.urgency == "routine"
    assert (result.route, result.route_reason) == ("adviceline", LEADER_REASON)
    assert "school leader" in LEADER_REASON


def test_urgent_goes_to_adviceline():
    result = run(case(police_involved=True, has_workplace_rep=True))
    assert result.route == "adviceline"
    assert "urgent" in result.route_reason


def test_prefers_adviceline():
    result = run(case(prefers_adviceline=True, has_workplace_rep=True))
    assert (result.route, result.route_reason) == ("adviceline", "You asked for the AdviceLine.")


def test_workplace_rep():
    result = run(case(has_workplace_rep=True))
    assert (result.route, result.route_reason) == ("workplace_rep", "You said there's an NEU rep at your workplace.")


@pytest.mark.parametrize("has_rep,reason", [
    (False, "You said there's no NEU rep at your workplace."),
    (None, "You weren't sure whether there's an NEU rep at your workplace."),
])
def test_local_branch(has_rep, reason):
    result = run(case(has_workplace_rep=has_rep))
    assert (result.route, result.route_reason) == ("local_branch", reason)


def test_route_reasons_are_facts_not_promises():
    """A reason says why the case goes where it goes, never what someone will do."""
    for rule in ROUTE_RULES:
        assert not re.search(r"\bwill\b|'ll\b|\bcan (?:help|support)|directly|quickest", rule.reason), rule.reason


def test_default_today_and_nation_work():
    assert triage(case()).urgency == "routine"
