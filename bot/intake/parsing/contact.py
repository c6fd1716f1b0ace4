"""How to reach the member: an email address or a usable UK phone number."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.intake.parsing.base import Parsed, _text

_EMAIL_TOKEN = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")
# Ofcom reserves 07700 900000-900999 for drama and testing. libphonenumber calls
# them invalid, but they are the project's standard example numbers.
_OFCOM_DRAMA_MOBILE = re.compile(r"^\+447700900\d{3}$")


def _parse_email(text: str) -> Parsed:
    m = _EMAIL_TOKEN.search(text)
    candidate = m.group(0).rstrip(".") if m else text
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return Parsed.bad("That email address doesn't look quite right – could you check it? "
                          "For example: name@example.com")
    return Parsed.good({"kind": "email", "value": result.normalized})


def _phone_candidates(text: str) -> list[phonenumbers.PhoneNumber]:
    found = []
    with contextlib.suppress(phonenumbers.NumberParseException):
        found.append(phonenumbers.parse(text, "GB"))
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    return found + [m.number for m in matcher]


def _usable(number: phonenumbers.PhoneNumber) -> str | None:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number) or _OFCOM_DRAMA_MOBILE.match(e164):
        return e164
    return None


def _parse_phone(text: str) -> Parsed:
    for number in _phone_candidates(text):
        if e164 := _usable(number):
            return Parsed.good({"kind": "phone", "value": e164})
    return Parsed.bad("That phone number doesn't look quite right. Could you type it again, "
                      "for example 07700 900123, or +44 20 7946 0958?")


def parse_contact(text: Any) -> Parsed:
    """An email address or a phone number: {"kind": "email"|"phone", "value": normalised}."""
    raw = _text(text)[:200]
    if not raw:
        return Parsed.bad("Please type an email address or a phone number we can reach you on.")
    if "@" in raw:
        return _parse_email(raw)
    if sum(ch.isdigit() for ch in raw) >= 6:
        return _parse_phone(raw)
    return Parsed.bad("I couldn't see an email address or phone number there. "
                      "Please type one, for example name@example.com or 07700 900123.")
