"""The intake's "where is your workplace?" and the destination a case goes to.

The question is asked only when the triage sends a case to a workplace rep or a
local branch (leaders and urgent cases keep the AdviceLine). The `work_area` answer
is a small dict:

    {"said": "NT4 7AB", "destination_id": "branch-northtown", "area": "NT4"}
    {"said": "Leeds", "destination_id": None}        no branch found: the AdviceLine, saying so
    "unknown"                                        not sure: the AdviceLine, saying so

`route` then picks the destination: when the member said there is a rep, the rep the
directory names at their workplace, else the area's branch, else the AdviceLine, and adjusts the route and
its reason so the payload, the read-back and the adviser all say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.directory.matching import NONE, SEVERAL, PlaceMatch, match_place, rep_at
from bot.directory.model import BRANCH, WORKPLACE_REP, Destination, Directory
from bot.triage import Triage

UNKNOWN = "unknown"
PLACE_ROUTES = ("workplace_rep", "local_branch")
WHICH_ONE = "A few places fit that. Which one is it?"

NOT_SURE_REASON = "You weren't sure where your workplace is, so it goes to the AdviceLine."
NO_PLACE_REASON = "No workplace area was given, so it goes to the AdviceLine."
REP_REASON = "The NEU has a rep at {workplace}."
REP_NOT_LISTED = "You said there's an NEU rep at your workplace; the NEU's list doesn't name them, so it goes to the branch."


def no_match_reason(said: str) -> str:
    return f'I couldn\'t find "{said}" in the NEU\'s list of branches, so it goes to the AdviceLine.'


def needs_place(decision: Triage) -> bool:
    """Only a rep or a branch needs to know where the member works."""
    return decision.route in PLACE_ROUTES


def read_place(value: Any, directory: Directory) -> tuple[Any, PlaceMatch | None]:
    """The stored answer for what the member said (`{"said": text}` or UNKNOWN, as `bot.intake.flow` parses it),
    resolved against the directory; None with the match when several areas fit (ask which)."""
    if not isinstance(value, dict) or not value.get("said"):
        return value, None
    said = str(value["said"])
    found = match_place(directory, said)
    if found.kind == SEVERAL:
        return None, found
    if found.kind == NONE or found.option is None:
        return {"said": said, "destination_id": None}, found
    return {"said": said, "destination_id": found.option.destination.id, "area": found.option.label}, found


def option_buttons(found: PlaceMatch) -> list[dict[str, str]]:
    """One button per place that fits (its payload names it exactly). The question, asked again
    right after, has the Not sure button."""
    return [{"title": o.label, "payload": o.label} for o in found.options]


def show_place(value: Any) -> str:
    """The read-back's rendering of the answer."""
    if value in (None, UNKNOWN):
        return "not sure"
    said = str(value.get("said", ""))
    area = value.get("area")
    if value.get("destination_id") is None:
        return f"{said} (not in the NEU's list of branches)"
    return said if not area or area.casefold() == said.casefold() else f"{said} ({area})"


@dataclass(frozen=True)
class Routed:
    """Who gets the case, and the triage with the route and reason that say so."""

    destination: Destination
    triage: Triage


def route(directory: Directory, decision: Triage, place: Any, workplace: str | None) -> Routed:
    """The destination for a triaged case, given the `work_area` answer and the workplace name."""
    adviceline = directory.adviceline
    if not needs_place(decision):
        return Routed(adviceline, decision)
    target = _place_destination(directory, place)
    if isinstance(target, str):
        return Routed(adviceline, replace(decision, route="adviceline", route_reason=target))
    if target.kind == WORKPLACE_REP and decision.route != "workplace_rep":
        # The member said there's no rep (or wasn't sure): their branch, not a colleague
        # they did not name, even one the directory lists at their workplace.
        target = directory.get(target.branch_id) or target
    if target.kind == BRANCH and decision.route != "workplace_rep":
        return Routed(target, replace(decision, route="local_branch"))
    if target.kind == BRANCH:
        rep = rep_at(directory, target, workplace)
        if rep is None:
            reason = REP_NOT_LISTED if decision.route == "workplace_rep" else decision.route_reason
            return Routed(target, replace(decision, route="local_branch", route_reason=reason))
        target = rep
    reason = REP_REASON.format(workplace=target.workplace or "your workplace")
    return Routed(target, replace(decision, route="workplace_rep", route_reason=reason))


def _place_destination(directory: Directory, place: Any) -> Destination | str:
    """The branch or rep the answer points to, or the reason it points nowhere."""
    if place == UNKNOWN:
        return NOT_SURE_REASON
    if not isinstance(place, dict) or not place.get("said"):
        return NO_PLACE_REASON
    found = directory.get(place.get("destination_id"))
    if found is None and place.get("destination_id"):
        # The directory changed since the question: read the answer again.
        place, _ = read_place({"said": place["said"]}, directory)
        found = directory.get((place or {}).get("destination_id"))
    if found is None or found.kind not in (BRANCH, WORKPLACE_REP):
        return no_match_reason(str(place.get("said") if isinstance(place, dict) else ""))
    return found
