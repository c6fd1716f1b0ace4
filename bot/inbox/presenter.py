"""One adviser view of a case: a handoff payload -> titled sections of labelled fields.

The inbox page (`bot.entrypoints.web.pages`), the CLI (`bot.entrypoints.cli cases show`) and the email
notice (`bot.delivery.email`) render what this returns and nothing else, so
they cannot drift apart: a field is added, renamed or reworded here, once.
Words for the schema's values come from `bot.vocabulary`.

Values are plain strings (HTML escaping is the page's job). Works for every
payload the store holds: schema "1" (no destination) as well as "1.1".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot import vocabulary as v
from bot.clock import parse_timestamp
from bot.topics import TOPIC_TITLES
from bot.uk_calendar import UK_TZ

TEXT, PARAGRAPH, LIST = "text", "paragraph", "list"
MISSING = "-"


@dataclass(frozen=True)
class Field:
    """One labelled value. `style` tells a renderer how to lay it out:
    TEXT (one line), PARAGRAPH (free text, may hold line breaks), LIST (`items`)."""

    key: str
    label: str
    value: str
    style: str = TEXT
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[Field, ...]


# --- value formatting -------------------------------------------------------------


def show(value: Any) -> str:
    """None, empty and unknown show as '-'; booleans as Yes / No; lists comma-joined."""
    if value is None or value == "" or value == []:
        return MISSING
    if isinstance(value, bool):
        return v.YES_NO[value]
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def show_date(value: Any) -> str:
    """'Fri 28 Feb 2025' for an ISO date; anything else as it is."""
    if not value:
        return MISSING
    try:
        d = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{d:%a} {d.day} {d:%b %Y}"


def show_time(value: Any) -> str:
    """A payload timestamp in UK time ('03 Mar 2025 09:00'); shown as given if it does not parse."""
    if not value:
        return MISSING
    try:
        return local_time(parse_timestamp(str(value)))
    except ValueError:
        return str(value)


def local_time(when: datetime | None) -> str:
    return when.astimezone(UK_TZ).strftime("%d %b %Y %H:%M") if when else MISSING


def _text(key: str, label: str, value: Any) -> Field:
    return Field(key, label, show(value))


def _paragraph(key: str, label: str, value: Any) -> Field:
    text = str(value).strip() if value else ""
    return Field(key, label, text or MISSING, PARAGRAPH)


def _list(key: str, label: str, values: Sequence[Any] | None) -> Field:
    items = tuple(str(item) for item in values or [])
    return Field(key, label, show(list(items)), LIST, items)


# --- the sections, in the order an adviser reads them -------------------------------


def _summary(p: Mapping[str, Any]) -> tuple[Field, ...]:
    return (_paragraph("summary_text", "At a glance", p.get("summary_text")),)


def _triage(p: Mapping[str, Any]) -> tuple[Field, ...]:
    fields = [
        _text("urgency", "Urgency", v.URGENCY.label(p.get("urgency"))),
        _list("urgency_reasons", "Why this urgency", p.get("urgency_reasons")),
        _text("case_type", "Case type", v.CASE_TYPE.label(p.get("case_type"))),
        _text("route", "Route", v.ROUTE.label(p.get("route"))),
        _text("route_reason", "Why this route", p.get("route_reason")),
    ]
    destination = p.get("destination")
    if isinstance(destination, Mapping):
        kind = v.DESTINATION_KIND.label(destination.get("kind"))
        fields.append(_text("destination", "Who has the case", f"{show(destination.get('name'))} ({kind})"))
    safety = "YES - threats or feeling unsafe" if p.get("safety_concern") else "None mentioned"
    fields.append(_text("safety_concern", "Safety concern", safety))
    return tuple(fields)


def _member(p: Mapping[str, Any]) -> tuple[Field, ...]:
    m = p.get("member") or {}
    role = m.get("role")
    if role and m.get("is_leader"):
        role = f"{role} (school leader)"
    return (
        _text("member.name", "Name", m.get("name")),
        _text("member.preferred_contact", "Preferred contact", v.PREFERRED_CONTACT.label(m.get("preferred_contact"))),
        _text("member.phone", "Phone", m.get("phone")),
        _text("member.email", "Email", m.get("email")),
        _text("member.membership_number", "Membership number", m.get("membership_number")),
        _text("member.role", "Role", role),
        _text("member.workplace", "Workplace", m.get("workplace")),
        _text("member.has_workplace_rep", "Has a workplace rep", m.get("has_workplace_rep")),
    )


def _incident(p: Mapping[str, Any]) -> tuple[Field, ...]:
    i = p.get("incident") or {}
    return (
        _paragraph("incident.description", "In their words", i.get("description")),
        _text("incident.platforms", "Platforms", i.get("platforms")),
        _text("incident.occurred_on", "Happened on", show_date(i.get("occurred_on"))),
        _text("incident.others_involved", "Posted by", v.POSTED_BY.labels(i.get("others_involved"))),
        _text("incident.still_online", "Still online", i.get("still_online")),
        _text("incident.evidence_kept", "Evidence kept", i.get("evidence_kept")),
    )


def _process(p: Mapping[str, Any]) -> tuple[Field, ...]:
    proc = p.get("process") or {}
    next_date, days = show_date(proc.get("next_date")), proc.get("working_days_until_next_date")
    if next_date != MISSING and days is not None:
        next_date = f"{next_date} ({days} working day{'' if days == 1 else 's'} away)"
    return (
        _text("process.stage", "Stage", v.STAGE.label(proc.get("stage"))),
        _text("process.next_date", "Next date", next_date),
        _text("process.police_involved", "Police involved", proc.get("police_involved")),
    )


def _consent(p: Mapping[str, Any]) -> tuple[Field, ...]:
    consent = p.get("consent") or {}
    guidance = [f"{TOPIC_TITLES[t]} ({t})" if t in TOPIC_TITLES else str(t) for t in p.get("guidance_given") or []]
    return (
        _text("consent.share_with_union", "Agreed to share with NEU advisers", consent.get("share_with_union")),
        _text("consent.given_at", "Agreed at", show_time(consent.get("given_at"))),
        _text("consent.include_transcript", "Transcript included", bool(consent.get("include_transcript"))),
        _text("guidance_given", "Guidance already given", guidance),
        _text("conversation_id", "Conversation id", p.get("conversation_id")),
        _text("schema_version", "Format", v.SCHEMA_VERSION.label(p.get("schema_version"))),
    )


def transcript_lines(p: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The conversation, only where the member agreed to include it."""
    if not (p.get("consent") or {}).get("include_transcript"):
        return []
    return [line for line in p.get("transcript") or [] if isinstance(line, Mapping)]


def _transcript(p: Mapping[str, Any]) -> tuple[Field, ...]:
    return tuple(
        Field(f"transcript.{n}", v.SPEAKER.label(line.get("from")), str(line.get("text", "")), PARAGRAPH)
        for n, line in enumerate(transcript_lines(p))
    )


# (key, title, fields, shown only when) - one row per section; add a field in its function.
SECTIONS: tuple[tuple[str, str, Callable[[Mapping[str, Any]], tuple[Field, ...]], Callable[[Mapping[str, Any]], bool]], ...] = (
    ("summary", "Summary", _summary, lambda p: True),
    ("triage", "Urgency and route", _triage, lambda p: True),
    ("member", "Member", _member, lambda p: True),
    ("incident", "What happened", _incident, lambda p: True),
    ("process", "Employer's process", _process, lambda p: bool(p.get("process"))),
    ("consent", "Consent and guidance", _consent, lambda p: True),
    ("transcript", "Transcript", _transcript, lambda p: bool(transcript_lines(p))),
)


def present_case(payload: Mapping[str, Any]) -> list[Section]:
    """The adviser view of a stored payload, section by section."""
    return [Section(key, title, build(payload)) for key, title, build, shown in SECTIONS if shown(payload)]


# --- the email notice: the few facts that carry no personal data -------------------


def notice_fields(reference: str, urgency: str, case_type: str, destination_name: str, link: str) -> tuple[Field, ...]:
    """The email notice's lines, with the same labels and words as the case page.
    Takes schema values, never a payload, so no personal field can reach an email."""
    return (
        _text("reference", "Reference", reference),
        _text("urgency", "Urgency", v.URGENCY.label(urgency)),
        _text("case_type", "Case type", v.CASE_TYPE.label(case_type)),
        _text("destination", "Who has the case", destination_name),
        _text("link", "Open the case", link),
    )
