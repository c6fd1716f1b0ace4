"""Which questions the intake asks, in what order, and how each answer is read.

One data-driven place: `FIELDS` says how to parse and show each answer, and
`required_fields` says which questions a member's track and earlier answers
need. The Rasa form asks them in this order; the read-back shows them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.intake import parsing as parsers
from bot.intake import place
from bot.intake.parsing import Parsed
from bot.intake.turns import looks_like_question
from bot.vocabulary import CASE_TYPE

UNKNOWN = "unknown"  # answered, but the member does not know ("not sure")
TRACKS = CASE_TYPE.values
EDITABLE_STATUSES = ("editing",)


@dataclass(frozen=True)
class Field:
    """One question of the intake."""

    name: str
    label: str
    parse: Callable[[str, datetime], Parsed]
    optional: bool = False
    free_text: bool = False
    # A proper noun (a name, a school): often not English words, so "not in English" from
    # the language gate is not a reason to refuse it.
    proper_noun: bool = False


def _yes_no(text: str, now: datetime) -> Parsed:
    parsed = parsers.parse_yes_no(text, allow_unsure=True)
    if parsed.ok and parsed.value is None:
        return Parsed(UNKNOWN, True, None)
    return parsed


def _strict_yes_no(text: str, now: datetime) -> Parsed:
    return parsers.parse_yes_no(text, allow_unsure=False)


def _date(prefer: str) -> Callable[[str, datetime], Parsed]:
    def parse(text: str, now: datetime) -> Parsed:
        parsed = parsers.parse_date(text, prefer=prefer, now=now)
        if parsed.ok and parsed.value is None:
            return Parsed(UNKNOWN, True, None)
        return parsed

    return parse


def _platforms(text: str, now: datetime) -> Parsed:
    if parsers.parse_yes_no(text, allow_unsure=True) == Parsed(None, True, None):
        return Parsed([], True, None)
    parsed = parsers.parse_platforms(text)
    if parsed.value == ["other"] and looks_like_question(text) and not re.search(r"\b(?:other|else)\b", text.lower()):
        # No platform named, and it reads as a question: not the name of some other site.
        return Parsed(None, False, "Which platform or platforms was it on? For example Facebook, Instagram or TikTok.")
    return parsed


def _description(text: str, now: datetime) -> Parsed:
    return parsers.parse_free_text(text, min_chars=3, max_chars=3000)


def _short_text(text: str, now: datetime) -> Parsed:
    return parsers.parse_free_text(text, min_chars=2, max_chars=200)


def _place(text: str, now: datetime) -> Parsed:
    """Where the workplace is, as said; the action layer matches it against the directory."""
    if parsers.parse_yes_no(text, allow_unsure=True) == Parsed(None, True, None):
        return Parsed(UNKNOWN, True, None)
    parsed = parsers.parse_free_text(text, min_chars=2, max_chars=200)
    if not parsed.ok:
        return Parsed(None, False, "Which town, local authority or postcode is your workplace in? If you're not sure, press Not sure.")
    return Parsed({"said": parsed.value}, True, None)


def _membership(text: str, now: datetime) -> Parsed:
    parsed = parsers.parse_membership_number(text)
    if parsed.ok and parsed.value is None:
        return Parsed(UNKNOWN, True, None)
    return parsed


READBACK_HELP = (
    "To change an answer, press \"Change an answer\", or tell me what's different, for example "
    "\"it was Instagram, not Facebook\". When it's right, press Send."
)
_CONFIRM_CHOICES = {
    "send": re.compile(r"^(?:/confirm_send|send|send it|send please|please send|yes|yes please|yes send it|yep|yeah|"
                       r"submit|go ahead|ok send|ok|okay|thats right|that s right|its right|all correct|correct|looks good)$"),
    "change": re.compile(r"^(?:/change_answer|change|change an answer|change something|edit|i want to change something)$"),
    "adviceline": re.compile(r"^(?:/prefer_adviceline|use the adviceline instead|use the adviceline|the adviceline|adviceline)$"),
}


def _confirm(text: str, now: datetime) -> Parsed:
    """The read-back's buttons, or the same said in words."""
    wanted = " ".join(re.sub(r"[^\w/' ]+", " ", text.lower()).replace("'", " ").split())
    for choice, pattern in _CONFIRM_CHOICES.items():
        if pattern.match(wanted):
            return Parsed(choice, True, None)
    return Parsed(None, False, READBACK_HELP)


def _field_choice(text: str, now: datetime) -> Parsed:
    wanted = text.strip().lower()
    for field in FIELDS.values():
        if field.name != "field_to_change" and wanted in (field.name, field.label.lower()):
            return Parsed(field.name, True, None)
    return Parsed(None, False, "Please choose the answer you'd like to change from the buttons.")


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("description", "What happened", _description, free_text=True),
        Field("platforms", "Platforms", _platforms),
        Field("occurred_on", "When it happened", _date("past"), optional=True),
        Field("process_stage", "Where your employer's process stands", lambda t, n: parsers.parse_process_stage(t)),
        Field("next_date", "Next meeting, hearing or deadline", _date("future"), optional=True),
        Field("police_involved", "Police involved", _yes_no),
        Field("posted_by", "Who posted it", lambda t, n: parsers.parse_posted_by(t)),
        Field("still_online", "Still online", _yes_no),
        Field("evidence_kept", "Screenshots or links kept", _yes_no),
        Field("feels_unsafe", "Threats or feeling unsafe", _strict_yes_no),
        Field("role", "Your role", lambda t, n: parsers.parse_role(t), free_text=True),
        Field("workplace", "Workplace", _short_text, free_text=True, proper_noun=True),
        Field("has_rep", "NEU rep at your workplace", _yes_no),
        Field("work_area", "Where your workplace is", _place, proper_noun=True),
        Field("consent_share", "Store and share with NEU advisers", _strict_yes_no),
        Field("consent_transcript", "Include this conversation", _strict_yes_no),
        Field("name", "Name", lambda t, n: parsers.parse_name(t), free_text=True, proper_noun=True),
        Field("contact", "How to contact you", lambda t, n: parsers.parse_contact(t)),
        Field("membership_number", "Membership number", _membership, optional=True),
        Field("field_to_change", "Answer to change", _field_choice),
        Field("confirm", "Send", _confirm),
    )
}
NOT_ANSWERS = ("field_to_change", "confirm")  # questions about the case, not answers in it

INCIDENT = ("description", "platforms", "occurred_on")
ACCUSED = ("process_stage", "next_date", "police_involved")
TARGETED = ("posted_by", "still_online", "evidence_kept", "feels_unsafe")
MEMBER = ("role", "workplace", "has_rep", "work_area", "consent_share")
AFTER_CONSENT = ("consent_transcript", "name", "contact", "membership_number")
NO_NEXT_DATE_STAGES = ("none",)


def required_fields(values: Mapping[str, Any]) -> list[str]:
    """The questions to ask, in order, given the track and the answers so far.

    Declining consent ends the questions there: nothing personal is asked for.
    """
    track = values.get("case_type") or "other"
    wanted: list[str] = ["description"] if track == "other" else list(INCIDENT)
    if track == "accused":
        wanted += [f for f in ACCUSED if f != "next_date" or values.get("process_stage") not in NO_NEXT_DATE_STAGES]
    elif track == "targeted":
        wanted += TARGETED
    wanted += [f for f in MEMBER if f != "work_area" or needs_place(values)]
    if values.get("consent_share") is not False:
        wanted += [*AFTER_CONSENT, "confirm"]
    if values.get("intake_status") in EDITABLE_STATUSES:
        wanted.insert(0, "field_to_change")
    return wanted


def needs_place(values: Mapping[str, Any]) -> bool:
    """Whether the route the answers lead to (a rep or a branch) needs to know where the member works."""
    from bot.intake.prepare import triage_answers  # prepare reads this module's answers; imported late

    try:
        return place.needs_place(triage_answers(values))
    except (ValueError, TypeError, AttributeError):
        # Mid-turn a slot can hold the member's words before they are read ("not sure" for a
        # date); the question list is computed again once they are.
        return True


def changeable_fields(values: Mapping[str, Any]) -> list[Field]:
    """Fields a member may change at the read-back (consent is asked again only by restarting)."""
    skip = {*NOT_ANSWERS, "consent_share"}
    return [FIELDS[name] for name in required_fields({**values, "intake_status": None}) if name not in skip]


def correctable_fields(values: Mapping[str, Any]) -> list[str]:
    """This case's answers a member may correct in their own words (consent is not one of them)."""
    skip = {*NOT_ANSWERS, "consent_share", "consent_transcript"}
    return [name for name in required_fields({**values, "intake_status": None}) if name not in skip]


def missing_fields(values: Mapping[str, Any]) -> list[str]:
    return [name for name in required_fields(values) if values.get(name) is None]


def parse_answer(field_name: str, text: str, now: datetime) -> Parsed:
    return FIELDS[field_name].parse(text or "", now)


# ---- showing answers -------------------------------------------------------------

_STAGE_LABELS = {
    "none": "nothing formal yet",
    "informal": "an informal conversation",
    "investigation": "an investigation",
    "suspended": "suspended",
    "disciplinary_hearing": "a disciplinary hearing",
    "appeal": "an appeal",
    "unknown": "not sure",
}
_POSTED_BY_LABELS = {
    "pupil": "a pupil or pupils",
    "parent": "a parent or carer",
    "colleague": "a colleague",
    "manager": "a manager",
    "public": "a member of the public",
    "unknown": "not known",
}


def _show_date(value: str) -> str:
    if value in (UNKNOWN, None):
        return "not sure"
    d = date.fromisoformat(value)
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B %Y')}"


def display_value(field_name: str, value: Any) -> str:
    """A member-facing rendering of a stored answer."""
    if value is None:
        return "-"
    if value == UNKNOWN:
        return "not sure" if field_name != "membership_number" else "skipped"
    if field_name in ("occurred_on", "next_date"):
        return _show_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field_name == "platforms":
        return ", ".join(value) or "not sure"
    if field_name == "process_stage":
        return _STAGE_LABELS.get(value, str(value))
    if field_name == "posted_by":
        return ", ".join(_POSTED_BY_LABELS.get(v, v) for v in value)
    if field_name == "role":
        return str(value.get("role", ""))
    if field_name == "contact":
        return str(value.get("value", ""))
    if field_name == "work_area":
        return place.show_place(value)
    return str(value)


def readback_lines(values: Mapping[str, Any]) -> list[str]:
    """One line per answer, in the order asked, for the read-back before sending."""
    lines = []
    for name in required_fields({**values, "intake_status": None}):
        if name in ("consent_share", *NOT_ANSWERS):
            continue
        lines.append(f"- {FIELDS[name].label}: {display_value(name, values.get(name))}")
    return lines
