"""The case a member describes during intake, in the handoff schema's vocabulary.

Values already use the schema's enums so that building the payload is a
straight mapping. `bot.intake.prepare.case_from_answers` is the one place the
intake's answers become a `CaseDetails`; `to_dict`/`from_dict` let a case travel
as plain JSON (dates as ISO strings).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal

CaseType = Literal["accused", "targeted", "other"]
ProcessStage = Literal["none", "informal", "investigation", "suspended",
                       "disciplinary_hearing", "appeal", "unknown"]
PostedBy = Literal["pupil", "parent", "colleague", "manager", "public", "unknown"]
ContactKind = Literal["phone", "email"]

_DATE_FIELDS = ("occurred_on", "next_date")


@dataclass(kw_only=True)
class CaseDetails:
    """Everything the intake collects about one member's case."""

    case_type: CaseType
    description: str
    platforms: list[str] = field(default_factory=list)
    occurred_on: date | None = None
    process_stage: ProcessStage | None = None
    next_date: date | None = None
    police_involved: bool | None = None
    others_involved: list[PostedBy] = field(default_factory=list)
    still_online: bool | None = None
    evidence_kept: bool | None = None
    feels_unsafe: bool | None = None
    role: str | None = None
    is_leader: bool = False
    workplace: str | None = None
    has_workplace_rep: bool | None = None
    name: str
    preferred_contact: ContactKind
    phone: str | None = None
    email: str | None = None
    membership_number: str | None = None
    safety_concern: bool = False
    prefers_adviceline: bool = False
    include_transcript: bool = False
    guidance_given: list[str] = field(default_factory=list)
    member_questions: int = 0  # questions the member asked during the intake that only an adviser can answer
    transcript: list[dict] = field(default_factory=list)
    conversation_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict; dates become ISO strings."""
        data = asdict(self)
        for name in _DATE_FIELDS:
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseDetails:
        """Build from `to_dict` output; unknown keys are ignored, None lists become []."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in _DATE_FIELDS:
            values[name] = _to_date(values.get(name))
        for name in ("platforms", "others_involved", "guidance_given", "transcript"):
            values[name] = list(values.get(name) or [])
        for name in ("is_leader", "safety_concern", "prefers_adviceline", "include_transcript"):
            values[name] = bool(values.get(name))
        return cls(**values)


def _to_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
