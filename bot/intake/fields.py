"""Turn a member's typed answer (or a button title) into a value for the case.

Every parser returns a `Parsed`: the value, whether it is usable, and if not a
kind message to show the member. Parsers never raise on odd input (empty,
emoji, very long, other languages, markup or SQL), because whatever a member
types must get a helpful reply rather than an error.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

import dateparser
import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.safety import edit_distance
from bot.uk_calendar import uk_now

_SCAN_LIMIT = 1000  # keyword parsers only read this much: answers are short


@dataclass(frozen=True)
class Parsed:
    """A parsed answer: `value` is meaningful only when `ok`; `problem` says what to fix."""

    value: Any
    ok: bool
    problem: str | None = None

    @classmethod
    def good(cls, value: Any) -> Parsed:
        return cls(value, True, None)

    @classmethod
    def bad(cls, problem: str) -> Parsed:
        return cls(None, False, problem)


# ---------------------------------------------------------------- helpers


def _text(text: Any) -> str:
    """The answer as a stripped string, whatever we were given."""
    if text is None:
        return ""
    return str(text).replace("\x00", "").strip()


def _norm(text: Any) -> str:
    """Lower case words only: apostrophes dropped ("don't" -> "dont"), punctuation to spaces."""
    s = _text(text)[:_SCAN_LIMIT].lower()
    s = re.sub(r"['’‘`]", "", s).replace("&", " and ")
    s = re.sub(r"[^\w]+|_", " ", s)
    return " ".join(s.split())


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


_UNSURE = re.compile(
    r"\b(?:not sure|unsure|dont know|do not know|dunno|no idea|cant remember|cannot remember|"
    r"can not remember|dont remember|do not remember|not certain|no clue|idk|cant say|n a|"
    r"unknown|not known)\b"
)
_NEGATORS = {"not", "no", "never", "without", "havent", "hasnt", "isnt", "wasnt", "arent",
             "werent", "dont", "didnt", "nt", "hadnt"}


# ---------------------------------------------------------------- yes / no

_NO_START = re.compile(
    r"^(?:no|nope|nah|naw|n|never|negative|none|nothing|not really|not yet|not at all|not any ?more|"
    r"i dont think so|i do not think so|dont think so|i think not|(?:probably|definitely|certainly|"
    r"absolutely|really) not|i havent|i have not|it isnt|it is not|its not|it hasnt|it has not|"
    r"i dont|i do not|they havent|they have not|i didnt|i did not|not that i know of|false)\b"
)
_YES_START = re.compile(
    r"^(?:yes|yess|yeah|yeh|yep|yup|yea|ya|yh|y|aye|correct|i think so|i believe so|think so|"
    r"definitely|absolutely|certainly|sure|of course|true|right|thats right|that is right|ok|okay|"
    r"probably|affirmative|indeed|i have|i do|i did|it is|its still|it has|they are|they have|"
    r"still is|still up|still there)\b"
)
_YES_WORD = re.compile(r"\b(?:yes|yeah|yep|yup|correct|definitely|absolutely)\b")
_NO_WORD = re.compile(r"\b(?:no|nope|nah|not|never|havent|isnt|dont|didnt)\b")
_YES_NO_PROBLEM = "Sorry, I didn't quite catch that. Could you answer yes or no?"


def parse_yes_no(text: Any, allow_unsure: bool = False) -> Parsed:
    """Yes -> True, no -> False; "not sure" -> None when the question allows it."""
    raw = _text(text)
    if raw.startswith(("👍", "✅")):
        return Parsed.good(True)
    if raw.startswith(("👎", "❌")):
        return Parsed.good(False)
    norm = _norm(raw)
    if not norm:
        return Parsed.bad(_YES_NO_PROBLEM)
    if _UNSURE.search(norm) or norm in {"maybe", "perhaps", "possibly"}:
        if allow_unsure:
            return Parsed.good(None)
        return Parsed.bad("That's OK. If you can, please answer yes or no – your best guess is fine.")
    if _NO_START.match(norm):
        return Parsed.good(False)
    if _YES_START.match(norm):
        return Parsed.good(True)
    has_yes, has_no = bool(_YES_WORD.search(norm)), bool(_NO_WORD.search(norm))
    if has_yes != has_no:
        return Parsed.good(has_yes)
    return Parsed.bad(_YES_NO_PROBLEM)


# ---------------------------------------------------------------- dates

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


# ---------------------------------------------------------------- contact

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


# ---------------------------------------------------------------- platforms

PLATFORMS = ("Facebook", "Instagram", "TikTok", "X (Twitter)", "WhatsApp", "Snapchat",
             "YouTube", "LinkedIn", "Reddit", "a blog or website", "other")
_PLATFORM_WORDS = {
    "Facebook": ("facebook", "fb", "messenger", "fbook"),
    "Instagram": ("instagram", "insta", "ig", "gram", "instagramm"),
    "TikTok": ("tiktok", "tiktoks", "tictoc", "tictok", "tiktoc"),
    "X (Twitter)": ("twitter", "x", "tweet", "tweets", "tweeted", "twitterx", "xcom"),
    "WhatsApp": ("whatsapp", "whatsap", "watsapp", "whatapp", "whatsapps"),
    "Snapchat": ("snapchat", "snap", "snaps", "snapchats"),
    "YouTube": ("youtube", "yt"),
    "LinkedIn": ("linkedin",),
    "Reddit": ("reddit", "subreddit"),
    "a blog or website": ("blog", "blogs", "website", "websites", "forum", "forums", "webpage",
                          "site", "mumsnet", "blogpost", "vlog"),
    "other": ("other", "else"),
}
_JOINS = [(r"\bface book\b", "facebook"), (r"\btik tok\b|\btic toc\b|\btick tock\b", "tiktok"),
          (r"\bwhats ?app\b|\bwhat s app\b", "whatsapp"), (r"\byou tube\b", "youtube"),
          (r"\blinked in\b", "linkedin"), (r"\bweb ?site\b|\bweb page\b", "website"),
          (r"\bx com\b", "xcom"), (r"\bsnap chat\b", "snapchat")]


def _platform_of(token: str) -> str | None:
    """The platform a word names, allowing one slip in longer names."""
    for name, words in _PLATFORM_WORDS.items():
        if token in words:
            return name
    if len(token) < 6:
        return None
    for name, words in _PLATFORM_WORDS.items():
        if any(len(w) >= 6 and token[0] == w[0] and edit_distance(token, w) <= 1 for w in words):
            return name
    return None


def parse_platforms(text: Any) -> Parsed:
    """Canonical platform names (list) in catalogue order; ["other"] if none is recognised.

    The caller should keep the raw text when the value is ["other"].
    """
    norm = _norm(text)
    if not norm:
        return Parsed.bad("Which app or website was it on? For example Facebook, Instagram or TikTok.")
    for pattern, repl in _JOINS:
        norm = re.sub(pattern, repl, norm)
    found = {p for t in norm.split() if (p := _platform_of(t))}
    if len(found) > 1:
        found.discard("other")
    return Parsed.good([p for p in PLATFORMS if p in found] or ["other"])


# ---------------------------------------------------------------- process stage

_STAGE_RULES = [
    ("suspended", r"\bsuspen(?:ded|sion|d|ding)\b", True),
    ("appeal", r"\bappeal\w*", True),
    ("disciplinary_hearing", r"\b(?:hearing|hearings|panel)\b", True),
    ("investigation", (r"\b(?:investigat\w*|fact finding|inquiry|enquiry|looking into|statement|"
                      r"gathering evidence)\b"), True),
    ("disciplinary_hearing", r"\bdisciplinar\w*", True),
    ("informal", (r"\b(?:informal\w*|chat|quiet word|a word|spoke to me|spoken to|talked to me|"
                 r"conversation|catch up|told me off)\b"), True),
    ("none", (r"^(?:no|nope|nah|none|nothing)\b|\bnothing (?:formal|yet|official|has happened)\b|"
             r"\bno (?:process|action|formal)\b|\bnot yet\b"), False),
    ("unknown", _UNSURE.pattern, False),
]
_STAGE_PROBLEM = ("Sorry, I didn't quite follow. Which is closest: nothing formal yet, an informal "
                  "conversation, an investigation, suspended, a disciplinary hearing, an appeal – "
                  "or not sure?")


def _negated(norm: str, start: int) -> bool:
    """Is the word at `start` negated by one of the three words before it?"""
    return bool(_NEGATORS & set(norm[:start].split()[-3:]))


def parse_process_stage(text: Any) -> Parsed:
    """Where the employer's process stands, as the schema's `process.stage` value."""
    norm = _norm(text)
    if not norm:
        return Parsed.bad(_STAGE_PROBLEM)
    for stage, pattern, check_negation in _STAGE_RULES:
        for m in re.finditer(pattern, norm):
            if not (check_negation and _negated(norm, m.start())):
                return Parsed.good(stage)
    return Parsed.bad(_STAGE_PROBLEM)


# ---------------------------------------------------------------- who posted it

POSTED_BY = ("pupil", "parent", "colleague", "manager", "public", "unknown")
_STRANGER = r"(?:someone|somebody|people|a person|person|an account|accounts) (?:i|we) dont know"
_POSTED_BY_RULES = [  # order matters: matched words are removed before the next rule
    ("public", (rf"\b(?:members? of (?:the )?public|public|strangers?|{_STRANGER}|random (?:person|"
               r"people|account|accounts)|local (?:residents?|people|community)|neighbou?rs?|"
               r"journalists?|press|newspapers?|reporters?|ex (?:partner|boyfriend|girlfriend|"
               r"husband|wife))\b")),
    ("manager", (r"\b(?:line managers?|managers?|boss|head ?teachers?|head ?masters?|head ?mistress|"
                r"head of \w+|deputy(?: head)?|assistant head|head|principal|slt|smt|senior "
                r"(?:leaders?|leadership|management)|governors?|ceo|chief executive|trust|employer|hod)\b")),
    ("parent", (r"\b(?:parents?|carers?|mums?|moms?|mothers?|dads?|fathers?|guardians?|step ?"
               r"(?:mums?|dads?|parents?)|grandparents?|grans?|nans?|nanas?|grandad|grandma)\b")),
    ("colleague", (r"\b(?:colleagues?|co ?workers?|teachers?|members? of staff|staff members?|staff|"
                  r"teaching assistants?|tas?|support staff|student teachers?|trainees?|"
                  r"someone i work with|works? with me|from work)\b")),
    ("pupil", (r"\b(?:pupils?|students?|learners?|kids?|children|child|year \d+s?|y\d+s?|"
              r"sixth ?formers?|teenagers?|teens?|boys?|girls?|my class|former pupils?|ex pupils?)\b")),
    ("unknown", (r"\b(?:dont know|do not know|no idea|not sure|unsure|unknown|anonymous|anon|fake|"
                r"cant tell|no clue|idk|dunno|unclear|not certain|no one knows|nobody knows)\b")),
]
_POSSESSIVE = re.compile(r"\b(?:pupils?|students?|learners?|kids?|childrens?|childs?) (?=(?:mums?|moms?|"
                         r"dads?|mothers?|fathers?|parents?|carers?|family|grandparents?)\b)")
_PARENT_OF = re.compile(r"\b(parents?|carers?|mums?|moms?|mothers?|dads?|fathers?) (?:of|from|in) (?:a |an |the |"
                        r"my |one of my )?(?:pupils?|students?|kids?|children|child|year \d+s?|y\d+s?|"
                        r"(?:my )?class|form)\b")
_POSTED_BY_PROBLEM = ("Sorry, I didn't quite follow. Was it a pupil, a parent or carer, a colleague, a "
                      "manager or a member of the public – or don't you know?")


def parse_posted_by(text: Any) -> Parsed:
    """Who posted the material: a list of the schema's `others_involved` values."""
    norm = _PARENT_OF.sub(r"\1", _POSSESSIVE.sub("", _norm(text)))  # "a pupil's mum" is a parent
    if not norm:
        return Parsed.bad(_POSTED_BY_PROBLEM)
    found = set()
    for who, pattern in _POSTED_BY_RULES:
        norm, count = re.subn(pattern, " # ", norm)
        if count:
            found.add(who)
    if len(found) > 1:
        found.discard("unknown")
    if not found:
        return Parsed.bad(_POSTED_BY_PROBLEM)
    return Parsed.good([w for w in POSTED_BY if w in found])


# ---------------------------------------------------------------- role

_HEAD_OK = (r"(?= *$| +(?:at|in|for|and|teacher|master|mistress)\b| +of +(?:(?:the|a|an|our|my) +)?"
            r"(?:\w+ +)?(?:school|college|academy|federation|trust)s?\b)")
_LEADER = re.compile(
    r"\b(?:slt|smt|senior (?:leader|leaders|leadership|management)|ceo|chief executive|chief exec|"
    r"head ?teacher|head ?master|head ?mistress|(?:school )?business manager|sbm)\b"
    rf"|\b(?:(?:executive|acting|interim|associate|co|substantive|deputy|assistant|vice) )?head\b{_HEAD_OK}"
    r"|\b(?:(?:executive|vice|deputy|assistant|acting|interim) )?principal\b(?! (?:teacher|lecturer|"
    r"officer|consultant|engineer|examiner|investigator|social worker|of (?!(?:the |a |an )?"
    r"(?:\w+ )?(?:school|college|academy)s?\b)))"
)
_SUPPORTS_LEADER = re.compile(r"\b(?:pa|secretary|assistant|administrator|clerk|personal assistant|"
                              r"office manager) to (?:the )?(?:\w+ )?(?:head\w*|principal|ceo)\b")
_ROLE_LEAD_IN = re.compile(r"^(?:i am|i'm|im|i work as|i'm employed as|i am employed as|my role is|"
                           r"my job is|role is|my job title is|as)\s+(?:(?:an?|the)\s+)?", re.IGNORECASE)


def is_leader_role(role: str) -> bool:
    """School or college leaders, whose workplace rep may be someone they manage."""
    norm = _SUPPORTS_LEADER.sub(" ", _norm(role))
    return bool(_LEADER.search(norm))


def parse_role(text: Any) -> Parsed:
    """The member's role as they put it, with whether it makes them a leader."""
    raw = " ".join(_text(text).replace("’", "'").split())
    if not _has_words(raw):
        return Parsed.bad("What's your role? For example class teacher, teaching assistant or deputy head.")
    role = _ROLE_LEAD_IN.sub("", raw).strip(" .!,;:")
    if len(role) > 100:
        return Parsed.bad("Could you give your role in a few words? For example 'head of year' or 'SENCo'.")
    role = role or raw
    return Parsed.good({"role": role, "is_leader": is_leader_role(role)})


# ---------------------------------------------------------------- free text, name, number


def parse_free_text(text: Any, min_chars: int = 1, max_chars: int = 2000) -> Parsed:
    """The member's own words, trimmed; never silently shortened."""
    s = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", _text(text))
    if not _has_words(s):
        return Parsed.bad("I didn't catch any words there. Could you describe it in a sentence or two?")
    if len(s) < min_chars:
        return Parsed.bad("Could you tell me a little more? A sentence or two is plenty.")
    if len(s) > max_chars:
        return Parsed.bad(f"Thank you – that's a bit long for me to pass on. Could you give a shorter "
                          f"version, under {max_chars} characters? You can share the details with "
                          f"the adviser later.")
    return Parsed.good(s)


_NAME_LEAD_IN = re.compile(r"^(?:(?:hi|hello|hey)[\s,!.]+)?(?:my name is|my names|my name's|name is|"
                           r"name's|i am|i'm|im|it's|its|it is|this is|call me|they call me)\s+",
                           re.IGNORECASE)


def parse_name(text: Any) -> Parsed:
    """The name to use for the member: letters (any alphabet), spaces, hyphens, apostrophes."""
    raw = " ".join(_text(text).replace("’", "'").split())
    name = _NAME_LEAD_IN.sub("", raw).strip(" .,!")
    if not name or not any(ch.isalpha() for ch in name):
        return Parsed.bad("Please tell me your name – the name you'd like the adviser to use.")
    if len(name) > 100:
        return Parsed.bad("That's a bit long for a name. What name should we use for you (up to 100 characters)?")
    if not all(ch.isalpha() or ch in " -'." for ch in name):
        return Parsed.bad("A name can only have letters, spaces, hyphens and apostrophes. "
                          "What name should we use for you?")
    return Parsed.good(name)


_MEMBERSHIP_SKIP = re.compile(r"^(?:skip|no|nope|none|dont know|do not know|not sure|no idea|"
                              r"dont have one|i dont have one|dunno|idk|n a|na|unknown|cant remember|"
                              r"i dont know|pass)$")
_MEMBERSHIP_LEAD_IN = re.compile(r"^(?:(?:my|the) )?(?:(?:neu )?membership )?(?:number|no\.|num)?\s*(?:is\b|:)?\s*",
                                 re.IGNORECASE)


def parse_membership_number(text: Any) -> Parsed:
    """4-12 letters and digits (with at least one digit); "skip" or "don't know" -> None."""
    raw = _text(text)[:200]
    if _MEMBERSHIP_SKIP.match(_norm(raw)):
        return Parsed.good(None)
    candidate = re.sub(r"[\s\-]", "", _MEMBERSHIP_LEAD_IN.sub("", raw)).upper()
    if re.fullmatch(r"[A-Z0-9]{4,12}", candidate) and any(ch.isdigit() for ch in candidate):
        return Parsed.good(candidate)
    return Parsed.bad("That doesn't look like a membership number (4 to 12 letters and numbers). "
                      "Please check it, or say 'skip' if you don't have it to hand.")
