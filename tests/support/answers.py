"""Complete intake answers per track, as the form stores them (shared by the action and storage tests)."""

from __future__ import annotations

from typing import Any

from bot.intake.flow import UNKNOWN

MEMBER: dict[str, Any] = {
    "role": {"role": "class teacher", "is_leader": False},
    "workplace": "Hillside Academy",
    "has_rep": True,
    # Where the workplace is, matched in the fictional sample directory (directory/sample.yml).
    "work_area": {"said": "Northtown", "destination_id": "branch-northtown", "area": "Northtown"},
    "consent_share": True,
    "consent_transcript": False,
    "consent_given_at": "2026-11-24T09:58:00+00:00",
    "name": "Sam Lee",
    "contact": {"kind": "phone", "value": "+447700900123"},
    "membership_number": UNKNOWN,
}
ACCUSED: dict[str, Any] = {
    "case_type": "accused",
    "description": "The head wants a meeting about a tweet I posted about Ofsted.",
    "platforms": ["X (Twitter)"],
    "occurred_on": "2025-11-17",
    "process_stage": "investigation",
    "next_date": UNKNOWN,
    "police_involved": False,
    **MEMBER,
}
TARGETED: dict[str, Any] = {
    "case_type": "targeted",
    "description": "Year 11 pupils made a fake Instagram account in my name.",
    "platforms": ["Instagram"],
    "occurred_on": UNKNOWN,
    "posted_by": ["pupil"],
    "still_online": True,
    "evidence_kept": True,
    "feels_unsafe": False,
    **MEMBER,
}
OTHER: dict[str, Any] = {
    "case_type": "other",
    "description": "I'd like to talk to someone about a parents' WhatsApp group.",
    **MEMBER,
}
ANSWERS = {"accused": ACCUSED, "targeted": TARGETED, "other": OTHER}
