"""Dates as members type them: 14/11, 3 May, last Tuesday, two weeks ago, 'not sure'."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from typing import Any, Literal

import dateparser

from bot.intake.parsing.base import _UNSURE, Parsed, _has_words, _norm, _text
from bot.uk_calendar import uk_now

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name.lower(): i for i, name in enumerate(calendar.day_abbr)}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "couple": 2, "three": 3, "few": 3, "several": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_NUMBER = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_UNIT = r"(days?|weeks?|fortnights?|months?|years?)"
_AGO = re.compile(rf"\b(?:a )?(?:{_NUMBER} )?(?:of )?{_UNIT} ago\b")
_AHEAD = re.compile(rf"\b(?:in (?:a )?(?:{_NUMBER} )?(?:of )?{_UNIT}(?: time)?|"
                    rf"(?:a )?{_NUMBER} (?:of )?{_UNIT} (?:time|from now|from today))\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b")
_WEEKDAY = re.compile(r"\b(?:(last|next|this|coming|on) )?(" + "|".join(_WEEKDAYS) + r")\b")
_DAY_ONLY = re.compile(r"^(?:on )?(?:the (\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th))$")
_DATE_TOKEN = re.compile(r"\d{1,4}(?:st|nd|rd|th)?|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?|\d{4}-\d{1,2}-\d{1,2}")
_RELATIVE = {"today", "yesterday", "tomorrow", "day", "days", "week", "weeks", "fortnight", "month",
             "months", "year", "years"}
_NO_DATE = re.compile(
    r"^(?:no|nope|none|nothing|no date|no date yet|not yet|skip|n a|na|no idea|"
    r"there isnt one|there is not one|there isnt|not set|not known)$"
)
_PHRASES = [
    (r"\bthe day before yesterday\b", "2 days ago"),
    (r"\bthe day after tomorrow\b", "in 2 days"),
    (r"\blast night\b", "yesterday"),
    (r"\b(?:yesterday|today|tomorrow) (?:morning|afternoon|evening|night|lunchtime)\b",
     lambda m: m.group(0).split()[0]),
    (r"\b(?:tonight|this (?:morning|afternoon|evening)|earlier today|later today)\b", "today"),
    (r"\bmay (?=be\b|have\b|been\b|not\b|well\b)", " "),
    (r"\b(?:i|it|they|that|this|which|he|she|we|you) may\b", " "),
]
_KEEP = set(_MONTHS) | set(_WEEKDAYS) | set(_NUMBER_WORDS) | {
    "today", "yesterday", "tomorrow", "ago", "next", "last", "this", "coming", "in", "of", "the",
    "day", "days", "week", "weeks", "fortnight", "month", "months", "year", "years", "time",
}
_DATE_HELP = "You could type something like 14/11, 3 May or last Tuesday – or say 'not sure'."


def _date_norm(text: str) -> str:
    """Lower case, separators kept only between digits, common phrases simplified."""
    s = re.sub(r"['’‘`]", "", text.lower())
    s = re.sub(r"(?<!\d)[./-]|[./-](?!\d)", " ", s)
    s = " ".join(re.sub(r"[^\w/.\-]+|_", " ", s).split())
    for pattern, repl in _PHRASES:
        s = re.sub(pattern, repl, s)
    return " ".join(s.split())


def _is_date_token(token: str) -> bool:
    return token in _KEEP or bool(_DATE_TOKEN.fullmatch(token))


def _has_anchor(tokens: list[str]) -> bool:
    """Is there something that really names a day? Guards against dateparser guessing."""
    anchors = set(_MONTHS) | set(_WEEKDAYS) | {"today", "yesterday", "tomorrow"}
    units = {"day", "days", "week", "weeks", "fortnight", "month", "months", "year", "years"}
    if any(t in anchors or any(c.isdigit() for c in t) for t in tokens):
        return True
    return bool(units & set(tokens)) and bool({"ago", "next", "last", "in", "this"} & set(tokens))


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _shift(today: date, amount: str | None, unit: str, sign: int) -> date:
    n = int(amount) if amount and amount.isdigit() else _NUMBER_WORDS.get(amount or "a", 1)
    unit = unit.rstrip("s")
    if unit == "month":
        return _add_months(today, sign * n)
    if unit == "year":
        return _add_months(today, sign * 12 * n)
    return today + timedelta(days=sign * n * _UNIT_DAYS[unit])


def _pick_year(day: int, month: int, today: date, prefer: str) -> date | None:
    """The nearest valid day/month in the preferred direction (today counts)."""
    years = (today.year, today.year - 1) if prefer == "past" else (today.year, today.year + 1)
    for year in years:
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if (d <= today) if prefer == "past" else (d >= today):
            return d
    return None


def _numeric_date(m: re.Match, today: date, prefer: str) -> date | None:
    day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if year is None:
        return _pick_year(day, month, today, prefer)
    full = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(full, month, day)
    except ValueError:
        return None


def _weekday_date(m: re.Match, today: date, prefer: str) -> date:
    word, target = m.group(1), _WEEKDAYS[m.group(2)]
    ahead = (target - today.weekday()) % 7
    behind = (today.weekday() - target) % 7
    if word == "last":
        return today - timedelta(days=behind or 7)
    if word in ("next", "coming"):
        return today + timedelta(days=ahead or 7)
    return today - timedelta(days=behind) if prefer == "past" else today + timedelta(days=ahead)


def _day_only(day: int, today: date, prefer: str) -> date | None:
    """'the 5th': this month or the nearest month in the preferred direction."""
    step = -1 if prefer == "past" else 1
    for offset in range(3):
        first = _add_months(today.replace(day=1), step * offset)
        try:
            d = first.replace(day=day)
        except ValueError:
            continue
        if (d <= today) if prefer == "past" else (d >= today):
            return d
    return None


def _with_dateparser(tokens: list[str], today: date, prefer: str) -> date | None:
    text = " ".join(t for t in tokens if t not in _WEEKDAYS)
    if re.fullmatch(r"\d{4}", text):
        return None  # a year alone is too vague to be useful
    settings = {
        "RELATIVE_BASE": datetime.combine(today, datetime.min.time()).replace(hour=12),
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, TypeError, OverflowError, IndexError, KeyError, AttributeError):
        return None  # dateparser can trip on odd input: treat it as "not understood"
    return found.date() if found else None


def _find_date(s: str, today: date, prefer: str) -> date | None | Literal[False]:
    """The date named in normalised text; None if none found; False if impossible (31/02)."""
    if m := _ISO.search(s):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return False
    if m := _NUMERIC.search(s):
        return _numeric_date(m, today, prefer) or False
    if m := _AGO.search(s):
        return _shift(today, m.group(1), m.group(2), -1)
    if m := _AHEAD.search(s):
        return _shift(today, m.group(1) or m.group(3), m.group(2) or m.group(4), 1)
    tokens = [t for t in s.split() if _is_date_token(t)]
    has_month = any(t in _MONTHS for t in tokens)
    if not has_month and (m := _WEEKDAY.search(" ".join(tokens))):
        return _weekday_date(m, today, prefer)
    if not has_month and (m := _DAY_ONLY.match(" ".join(tokens))):
        return _day_only(int(m.group(1) or m.group(2)), today, prefer) or False
    if not has_month and not _RELATIVE & set(tokens):
        return None  # bare numbers: too easy for dateparser to guess wrongly
    return _with_dateparser(tokens, today, prefer)


def _check_window(d: date, today: date, prefer: str) -> str | None:
    """Why the date cannot be right for the question, if it cannot."""
    if prefer == "past" and d > today:
        return "That date is in the future. When did it happen? If you're not sure, just say 'not sure'."
    if prefer == "future" and d < today:
        return ("That date has already passed. When is the next meeting, hearing or deadline? "
                "If there isn't one yet, just say 'no date'.")
    if prefer == "future" and d > today + timedelta(days=365):
        return "That's more than a year away – could you check the date?"
    return None


def parse_date(text: Any, prefer: Literal["past", "future"] = "past",
               now: datetime | None = None) -> Parsed:
    """A date (ISO string) relative to UK today; "not sure" and "no date" give None.

    prefer="past" is for when something happened, "future" for the next meeting.
    """
    raw = _text(text)
    if not raw or not _has_words(raw):
        return Parsed.bad(f"Please type a date. {_DATE_HELP}")
    if len(raw) > 200:
        return Parsed.bad(f"Just the date is enough here. {_DATE_HELP}")
    today = uk_now(now).date()
    s = _date_norm(raw)
    if _NO_DATE.match(_norm(raw)):
        return Parsed.good(None)
    tokens = [t for t in s.split() if _is_date_token(t)]
    found = _find_date(s, today, prefer) if _has_anchor(tokens) else None
    if found is False:
        return Parsed.bad(f"That doesn't look like a real date. {_DATE_HELP}")
    if found is None:
        if _UNSURE.search(_norm(raw)):
            return Parsed.good(None)
        return Parsed.bad(f"Sorry, I couldn't find a date in that. {_DATE_HELP}")
    problem = _check_window(found, today, prefer)
    return Parsed.bad(problem) if problem else Parsed.good(found.isoformat())
