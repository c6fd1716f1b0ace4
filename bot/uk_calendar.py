"""UK time, bank holidays and working days for the configured nation.

Deadlines in disciplinary processes are counted in working days, and the
AdviceLine closes on bank holidays, which differ between the UK nations.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.settings import NATIONS

UK_TZ = ZoneInfo("Europe/London")

# England and Wales share bank holidays, so "ENG" stands for both.
NATION_SUBDIV = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}


def uk_now(now: datetime | None = None) -> datetime:
    """`now` (or the wall clock) as an aware datetime in UK time.

    A naive `now` is taken to be UK wall-clock time already; aware values in
    any zone (e.g. UTC from a message timestamp) are converted, so BST/GMT
    changes are handled by zoneinfo rather than by hand.
    """
    if now is None:
        return datetime.now(UK_TZ)
    if now.tzinfo is None:
        return now.replace(tzinfo=UK_TZ)
    return now.astimezone(UK_TZ)


_default_nation = NATIONS[0]  # england-and-wales, as UK_NATION defaults


def set_default_nation(nation: str) -> None:
    """The nation used when a caller passes none; set once per process by `bot.bootstrap`.

    The calendar never reads the settings itself: the process's entry point decides.
    """
    global _default_nation
    _default_nation = resolve_nation(nation)


def resolve_nation(nation: str | None) -> str:
    """The nation to use: the one given, else the process's default (see `set_default_nation`)."""
    chosen = (nation or _default_nation).lower()
    if chosen not in NATIONS:
        raise ValueError(f"nation must be one of {', '.join(NATIONS)}, not {chosen!r}")
    return chosen


@lru_cache(maxsize=64)
def _holidays_for(subdiv: str, year: int) -> frozenset[date]:
    """Bank holiday dates for one nation and year (cached: the library is slow)."""
    return frozenset(holidays.country_holidays("GB", subdiv=subdiv, years=year).keys())


def _as_date(d: date) -> date:
    """A datetime means its UK calendar day (a UTC timestamp near midnight may differ)."""
    return uk_now(d).date() if isinstance(d, datetime) else d


def is_bank_holiday(d: date, nation: str | None = None) -> bool:
    """True if `d` is a bank holiday (including substitute days) in the nation."""
    d = _as_date(d)
    return d in _holidays_for(NATION_SUBDIV[resolve_nation(nation)], d.year)


def is_working_day(d: date, nation: str | None = None) -> bool:
    """Monday to Friday and not a bank holiday."""
    d = _as_date(d)
    return d.weekday() < 5 and not is_bank_holiday(d, nation)


def working_days_until(today: date, target: date, nation: str | None = None) -> int:
    """Working days after `today` up to and including `target`.

    0 when target is today; for a past target, minus the working days after
    the target up to and including today (so the count is antisymmetric).
    """
    today, target = _as_date(today), _as_date(target)
    nation = resolve_nation(nation)
    if target < today:
        return -working_days_until(target, today, nation)
    count = 0
    day = today + timedelta(days=1)
    while day <= target:
        count += is_working_day(day, nation)
        day += timedelta(days=1)
    return count


def next_working_day(d: date, nation: str | None = None) -> date:
    """The first working day on or after `d`."""
    d = _as_date(d)
    while not is_working_day(d, nation):
        d += timedelta(days=1)
    return d
