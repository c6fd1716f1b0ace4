"""How urgent a case is and where it is sent, each with a plain reason.

The rules are data (two lists below) so that advisers can read and change
them in one place; every rule that fires adds its reason, so the adviser sees
all of them, most severe first. Working days come from uk_calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from bot.intake.case import CaseDetails
from bot.uk_calendar import resolve_nation, uk_now, working_days_until
from bot.vocabulary import URGENCY

Urgency = Literal["urgent", "priority", "routine"]
Route = Literal["adviceline", "workplace_rep", "local_branch"]
_LEVELS: tuple[str, ...] = URGENCY.values  # most urgent first

URGENT_WORKING_DAYS = 2
PRIORITY_WORKING_DAYS = 10
ACTIVE_STAGES = {"investigation": "investigation under way",
                 "disciplinary_hearing": "disciplinary hearing under way",
                 "appeal": "appeal under way"}
NEXT_DATE_NAMES = {"investigation": "investigation meeting",
                   "disciplinary_hearing": "disciplinary hearing",
                   "appeal": "appeal hearing",
                   "informal": "informal meeting"}
ROUTINE_REASON = "no urgent factors given"


@dataclass(frozen=True)
class Triage:
    """The outcome: urgency with its reasons, and the route with a reason for the member."""

    urgency: Urgency
    urgency_reasons: list[str]
    route: Route
    route_reason: str
    working_days_until_next_date: int | None = None


@dataclass(frozen=True)
class Facts:
    """What the rules look at: the case plus the working days to its next date."""

    case: CaseDetails
    today: date
    working_days: int | None = None
    urgency: Urgency = "routine"


@dataclass(frozen=True)
class UrgencyRule:
    level: Urgency
    reason: Callable[[Facts], str | None]  # the reason when the rule applies, else None


@dataclass(frozen=True)
class RouteRule:
    applies: Callable[[Facts], bool]
    route: Route
    reason: str


def _next_date_reason(f: Facts, low: int, high: int) -> str | None:
    """E.g. 'disciplinary hearing in 2 working days', when the date is in [low, high]."""
    days, next_date = f.working_days, f.case.next_date
    if days is None or next_date is None or next_date < f.today or not low <= days <= high:
        return None
    name = NEXT_DATE_NAMES.get(f.case.process_stage or "", "next date")
    if next_date == f.today:
        return f"{name} today"
    if days == 0:
        return f"{name} before the next working day"
    return f"{name} in {days} working day{'' if days == 1 else 's'}"


def _when(condition: Callable[[CaseDetails], bool], reason: str) -> Callable[[Facts], str | None]:
    return lambda f: reason if condition(f.case) else None


URGENCY_RULES: list[UrgencyRule] = [
    UrgencyRule("urgent", _when(lambda c: bool(c.police_involved), "police involved")),
    UrgencyRule("urgent", _when(lambda c: c.safety_concern or bool(c.feels_unsafe),
                                "safety concern: threats or feeling unsafe")),
    UrgencyRule("urgent", _when(lambda c: c.process_stage == "suspended", "member suspended")),
    UrgencyRule("urgent", lambda f: _next_date_reason(f, 0, URGENT_WORKING_DAYS)),
    UrgencyRule("priority", lambda f: ACTIVE_STAGES.get(f.case.process_stage or "")),
    UrgencyRule("priority", lambda f: _next_date_reason(f, URGENT_WORKING_DAYS + 1, PRIORITY_WORKING_DAYS)),
    UrgencyRule("priority", _when(lambda c: c.case_type == "targeted" and bool(c.still_online),
                                  "targeted material still online")),
]

# Each reason says why, in facts the member gave; none says what anyone will do.
LEADER_REASON = ("As a school leader, your workplace rep may be someone you manage or someone involved in "
                 "the matter.")
ROUTE_RULES: list[RouteRule] = [
    RouteRule(lambda f: f.case.is_leader, "adviceline", LEADER_REASON),
    RouteRule(lambda f: f.urgency == "urgent", "adviceline", "Because it's urgent, it goes to the AdviceLine."),
    RouteRule(lambda f: f.case.prefers_adviceline, "adviceline", "You asked for the AdviceLine."),
    RouteRule(lambda f: f.case.has_workplace_rep is True, "workplace_rep", "You said there's an NEU rep at your workplace."),
    RouteRule(lambda f: f.case.has_workplace_rep is False, "local_branch", "You said there's no NEU rep at your workplace."),
    RouteRule(lambda f: True, "local_branch", "You weren't sure whether there's an NEU rep at your workplace."),
]


def _urgency(facts: Facts) -> tuple[Urgency, list[str]]:
    fired = [(rule.level, reason) for rule in URGENCY_RULES if (reason := rule.reason(facts))]
    fired.sort(key=lambda item: _LEVELS.index(item[0]))  # stable: rule order within a level
    if not fired:
        return "routine", [ROUTINE_REASON]
    return fired[0][0], [reason for _, reason in fired]


def triage(case: CaseDetails, today: date | None = None, nation: str | None = None) -> Triage:
    """Urgency, reasons and route for a case, as of `today` (default: UK today)."""
    today = today or uk_now().date()
    days = working_days_until(today, case.next_date, resolve_nation(nation)) if case.next_date else None
    facts = Facts(case, today, days)
    urgency, reasons = _urgency(facts)
    facts = replace(facts, urgency=urgency)
    rule = next(r for r in ROUTE_RULES if r.applies(facts))
    return Triage(urgency, reasons, rule.route, rule.reason, days)

