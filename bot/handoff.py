"""Build the handoff-v1 payload an adviser receives, and its 30-second summary.

The payload is the only thing storage and delivery see, so it is built here
as a straight mapping from the case and checked against the schema in spec/.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from jsonschema import Draft202012Validator, FormatChecker

from bot.directory.model import Destination
from bot.intake.case import CaseDetails
from bot.settings import SPEC_DIR
from bot.triage import Triage
from bot.uk_calendar import uk_now
from bot.vocabulary import CASE_TYPE, POSTED_BY, ROUTE, STAGE

SCHEMA_PATH = SPEC_DIR / "handoff-v1.schema.json"
REFERENCE_PREFIX = "SSN"
# No 0/O, 1/I/L: members read references out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
EXCERPT_CHARS = 300
_UTC = ZoneInfo("UTC")

# The summary's words for the schema's values (one vocabulary for every reader: bot.vocabulary).
CASE_TYPE_TEXT = CASE_TYPE.phrase_map
ROUTE_TEXT = ROUTE.phrase_map
STAGE_TEXT = STAGE.phrase_map
POSTED_BY_TEXT = POSTED_BY.phrase_map


class HandoffPayloadError(ValueError):
    """The payload does not match handoff-v1; the message lists each problem by path."""


def new_reference(now: datetime | None = None) -> str:
    """A case reference such as 'SSN-2611-7K3F9Q': prefix, UK year and month, 6 random characters."""
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{REFERENCE_PREFIX}-{uk_now(now):%y%m}-{suffix}"


# ---------------------------------------------------------------- summary


def _yn(value: bool | None) -> str:
    return "not known" if value is None else ("yes" if value else "no")


def _day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def _member_line(case: CaseDetails) -> str:
    role = case.role or "role not given"
    if case.is_leader:
        role += " (school leader)"
    where = f" at {case.workplace}" if case.workplace else ""
    return f"Member: {case.name} – {role}{where}; workplace rep: {_yn(case.has_workplace_rep)}"


def _process_line(case: CaseDetails, triage: Triage) -> str:
    parts = [f"Process: {STAGE_TEXT.get(case.process_stage or '', 'not given')}"]
    if case.next_date:
        days = triage.working_days_until_next_date
        count = "" if days is None else f" ({days} working day{'' if days == 1 else 's'})"
        parts.append(f"next date {_day(case.next_date)}{count}")
    else:
        parts.append("no next date given")
    parts.append(f"police involved: {_yn(case.police_involved)}")
    return "; ".join(parts)


def _targeted_line(case: CaseDetails) -> str:
    who = ", ".join(POSTED_BY_TEXT[w] for w in case.others_involved) or "not given"
    return (f"Posted by: {who}; still online: {_yn(case.still_online)}; "
            f"evidence kept: {_yn(case.evidence_kept)}")


def _incident_line(case: CaseDetails) -> str:
    platforms = ", ".join(case.platforms) or "platform not given"
    when = f"happened {_day(case.occurred_on)}" if case.occurred_on else "date not given"
    return f"Platforms: {platforms}; {when}"


def _contact_line(case: CaseDetails) -> str:
    ways = []
    for kind, value in (("phone", case.phone), ("email", case.email)):
        if value:
            ways.append(f"{kind} {value}" + (" (preferred)" if kind == case.preferred_contact else ""))
    if case.membership_number:
        ways.append(f"membership no. {case.membership_number}")
    return "Contact: " + ("; ".join(ways) or f"prefers {case.preferred_contact}, no details given")


def summary_text(case: CaseDetails, triage: Triage, destination_name: str | None = None) -> str:
    """What an adviser needs to read in 30 seconds, one fact per line."""
    lines = [
        f"{triage.urgency.upper()} – {CASE_TYPE_TEXT[case.case_type]}",
        "Why: " + "; ".join(triage.urgency_reasons),
        f"Route: {ROUTE_TEXT[triage.route]} – {triage.route_reason}",
        _member_line(case),
    ]
    if destination_name:
        lines.insert(3, f"Sent to: {destination_name}")
    if case.case_type == "accused":
        lines.append(_process_line(case, triage))
    if case.case_type == "targeted":
        lines.append(_targeted_line(case))
    lines.append(_incident_line(case))
    lines.append("Safety concern: " + ("YES – threats or feeling unsafe" if _safety(case) else "none mentioned"))
    lines.append(f'In their words: "{_excerpt(case.description)}"')
    lines.append(_contact_line(case))
    if case.guidance_given:
        lines.append("Guidance already given: " + ", ".join(case.guidance_given))
    if case.member_questions:
        where = "in the transcript" if case.include_transcript else "not recorded: ask them"
        lines.append(f"Member asked {case.member_questions} question{'s' if case.member_questions > 1 else ''} "
                     f"for the adviser ({where})")
    return "\n".join(lines)


# ---------------------------------------------------------------- payload


def _timestamp(value: datetime | str | None) -> str:
    """RFC 3339 in UTC (e.g. '2026-03-30T08:30:00Z'); strings are passed through."""
    if isinstance(value, str):
        return value
    return uk_now(value).astimezone(_UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _safety(case: CaseDetails) -> bool:
    return case.safety_concern or bool(case.feels_unsafe)


def _member(case: CaseDetails) -> dict[str, Any]:
    return {
        "name": case.name,
        "membership_number": case.membership_number,
        "email": case.email,
        "phone": case.phone,
        "preferred_contact": case.preferred_contact,
        "role": case.role,
        "is_leader": case.is_leader,
        "workplace": case.workplace,
        "has_workplace_rep": case.has_workplace_rep,
    }


def _incident(case: CaseDetails) -> dict[str, Any]:
    incident: dict[str, Any] = {
        "description": case.description,
        "platforms": list(case.platforms),
        "occurred_on": case.occurred_on.isoformat() if case.occurred_on else None,
    }
    targeted = case.case_type == "targeted"
    if targeted or case.others_involved:
        incident["others_involved"] = list(case.others_involved)
    for name in ("still_online", "evidence_kept"):
        if targeted or getattr(case, name) is not None:
            incident[name] = getattr(case, name)
    return incident


def _process(case: CaseDetails, triage: Triage) -> dict[str, Any]:
    process: dict[str, Any] = {}
    if case.process_stage:
        process["stage"] = case.process_stage
    process["next_date"] = case.next_date.isoformat() if case.next_date else None
    process["working_days_until_next_date"] = triage.working_days_until_next_date if case.next_date else None
    process["police_involved"] = case.police_involved
    return process


def _transcript(case: CaseDetails) -> list[dict[str, Any]]:
    turns = []
    for turn in case.transcript:
        item = {"from": turn["from"], "text": str(turn.get("text") or "")}
        if turn.get("at"):
            item["at"] = _timestamp(turn["at"])
        turns.append(item)
    return turns


def build_payload(case: CaseDetails, triage: Triage, reference: str, now: datetime | None = None,
                  consent_given_at: datetime | str | None = None,
                  destination: Destination | None = None) -> dict[str, Any]:
    """The handoff-v1 payload for a case (validate it with `validate_payload`).

    With a `destination` (every case the intake sends) it is schema 1.1, saying who
    has the case; without, the older "1", which consumers and the inbox still read.
    """
    created_at = _timestamp(now)
    payload: dict[str, Any] = {
        "schema_version": "1.1" if destination else "1",
        "reference": reference,
        "created_at": created_at,
        "case_type": case.case_type,
        "urgency": triage.urgency,
        "urgency_reasons": list(triage.urgency_reasons),
        "route": triage.route,
        "route_reason": triage.route_reason,
        "member": _member(case),
        "incident": _incident(case),
        "safety_concern": _safety(case),
        "consent": {
            "share_with_union": True,
            "given_at": _timestamp(consent_given_at) if consent_given_at else created_at,
            "include_transcript": case.include_transcript,
        },
        "guidance_given": list(case.guidance_given),
        "summary_text": summary_text(case, triage, destination.name if destination else None),
    }
    if destination is not None:
        payload["destination"] = destination.as_payload()
    if case.conversation_id:
        payload["conversation_id"] = case.conversation_id
    if case.case_type == "accused":
        payload["process"] = _process(case, triage)
    if case.include_transcript:
        payload["transcript"] = _transcript(case)
    return payload


# ---------------------------------------------------------------- validation


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=("date", "date-time")))


def _describe(error: Any) -> str:
    """Where and which rule failed, without echoing personal values into logs."""
    path = ".".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator in ("required", "additionalProperties"):
        return f"{path}: {error.message}"
    return f"{path}: fails {error.validator} {error.validator_value!r}"


def validate_payload(payload: dict[str, Any]) -> None:
    """Raise HandoffPayloadError listing every way `payload` breaks handoff-v1."""
    errors = sorted(_validator().iter_errors(payload), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise HandoffPayloadError("handoff payload does not match handoff-v1: "
                                  + "; ".join(_describe(e) for e in errors))
