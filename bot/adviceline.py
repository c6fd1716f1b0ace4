"""The NEU AdviceLine: contact details, opening hours and whether it is open now.

Everyone quotes these constants so that the number, hours and email are
written once, exactly as the advice sheet gives them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.uk_calendar import (
    UK_TZ,
    is_working_day,
    next_working_day,
    resolve_nation,
    uk_now,
)

ADVICELINE_PHONE = "0345 811 8111"
ADVICELINE_EMAIL = "adviceline@neu.org.uk"
ADVICELINE_HOURS = "Monday to Friday, 9am to 7pm"
OPENS_AT = time(9, 0)
CLOSES_AT = time(19, 0)


@dataclass(frozen=True)
class AdviceLineStatus:
    """Whether the AdviceLine is open at `checked_at` (all times UK, aware)."""

    is_open: bool
    closes_at: datetime | None
    next_opens_at: datetime | None
    checked_at: datetime


def _at(d: date, t: time) -> datetime:
    return datetime.combine(d, t, tzinfo=UK_TZ)


def adviceline_status(now: datetime | None = None, nation: str | None = None) -> AdviceLineStatus:
    """Open or closed at `now` (default: the wall clock), with the next change."""
    now = uk_now(now)
    nation = resolve_nation(nation)
    today = now.date()
    if is_working_day(today, nation) and OPENS_AT <= now.time() < CLOSES_AT:
        return AdviceLineStatus(True, _at(today, CLOSES_AT), None, now)
    first = today if now.time() < OPENS_AT else today + timedelta(days=1)
    opens = _at(next_working_day(first, nation), OPENS_AT)
    return AdviceLineStatus(False, None, opens, now)


def _format_time(t: datetime) -> str:
    """'9am', '7pm', '9:30am' – the way the advice sheet writes times."""
    hour = t.hour % 12 or 12
    minutes = f":{t.minute:02d}" if t.minute else ""
    return f"{hour}{minutes}{'am' if t.hour < 12 else 'pm'}"


def _format_day(when: datetime, now: datetime) -> str:
    """'today', 'tomorrow' or 'Tuesday 31 March'."""
    days = (when.date() - now.date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"{when:%A} {when.day} {when:%B}"


def describe_status(status: AdviceLineStatus) -> str:
    """One or two sentences telling the member whether they can call now."""
    if status.is_open and status.closes_at is not None:
        return f"The AdviceLine is open now, until {_format_time(status.closes_at)}."
    if status.next_opens_at is None:
        return "The AdviceLine is closed right now."
    opens = status.next_opens_at.astimezone(UK_TZ)
    day = _format_day(opens, uk_now(status.checked_at))
    return f"The AdviceLine is closed right now. It opens again {day} at {_format_time(opens)}."


def live_status_line(nation: str | None = None) -> str:
    """Whether the AdviceLine is open at this moment, as a sentence (default: the configured nation)."""
    return describe_status(adviceline_status(nation=nation))


def contacts_text() -> str:
    """How to reach the AdviceLine, for quoting in replies and summaries."""
    return (
        f"NEU AdviceLine: {ADVICELINE_PHONE} ({ADVICELINE_HOURS}, UK time, closed on bank holidays).\n"
        f"Email: {ADVICELINE_EMAIL}"
    )
