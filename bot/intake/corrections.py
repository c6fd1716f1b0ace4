"""A correction in the member's own words: which answers it changes, and to what.

"Actually it was Tuesday", "the hearing is next Wednesday not Thursday", "my
email is sam@example.org", "I said Facebook but it was Instagram": at the
read-back, or while another question is being asked, a member corrects an
earlier answer the way they would to a person. This finds each answer being
corrected and its new value, reading the value with the same parsers as the
question itself (`bot.intake.flow`), so a corrected answer is exactly what the
answer to the question would have been.

Each clause ("..., and ...") is read on its own, so one message can correct two
answers. What the member says is wrong ("not Thursday", "I said Facebook but")
is set aside before the new value is read. A correction that names an answer
this case does not have (a hearing date for someone who is being targeted) is
reported as such, so the member can be told which answers there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.intake import flow

_CLAUSES = re.compile(
    r"\s*(?:;|\s[-–—]+\s|\band also\b|\balso\b|,? and (?=(?:it|the|my|i|its|it's|she|he|they|there|yes|no)\b)|"
    r"[.!?](?:\s+|$))\s*", re.I
)
# What the member says was wrong: "not X", "instead of X", "rather than X", up to a comma, a colon,
# a dash, "but" or the end.
_WRONG_VALUE = re.compile(
    r"(?:,\s*)?\b(?:not|instead of|rather than|as opposed to)\b(?:(?![,;:.–—]|\s-\s|\bbut\b|\band\b).)*", re.I
)
_TRAILING = re.compile(r"[\s,]+(?:now|instead|please|then|thanks|thank you|actually|these days|at the moment)\W*$", re.I)
# "I said Facebook but it was Instagram": what they said before is the wrong part.
_SAID = r"\b(?:i said|i put|i wrote|i typed|i told you|i gave|i entered|earlier i said|you have|youve got|you've got|it says|the date says|it shows)\b"
_SAID_BEFORE = re.compile(rf"^.*?{_SAID}.*?\b(?:but|when|whereas)\b", re.I)
_ONLY_SAID = re.compile(_SAID, re.I)  # a clause that only reports the old answer
_CORRECTION_CUES = re.compile(
    r"\b(?:actually|sorry|correction|mistake|wrong|i meant|i mean|should be|should have said|not|instead|"
    r"changed|moved|rescheduled|typo|misread|my bad|oops|it was|its|it is|is now|update|the right)\b", re.I
)

_DATE_PHRASES = [
    r"\b\d{4}-\d{1,2}-\d{1,2}\b",
    r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b",
    r"\b(?:(?:last|next|this|coming|on)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?[a-z]+)?)?",
    r"\b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)(?:\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)?",
    r"\b\d{1,2}\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}(?:st|nd|rd|th)?\b",
    r"\b(?:yesterday|today|tomorrow|(?:a|one|two|three|\d+)\s+(?:days?|weeks?)\s+ago|"
    r"(?:last|next)\s+(?:week|month)|the day before yesterday)\b",
    r"\b(?:this (?:morning|afternoon|evening)|earlier today|tonight|last night)\b",
]
_DATE = re.compile("|".join(f"(?:{p})" for p in _DATE_PHRASES), re.I)
_NEXT_DATE_CUES = re.compile(
    r"\b(?:hearing|meeting|deadline|interview|appointment|panel|appeal date|investigation meeting|"
    r"moved to|rescheduled|put back|brought forward|is on|will be|coming up|booked)\b", re.I
)
_OCCURRED_CUES = re.compile(
    r"\b(?:happened|posted|put (?:it )?up|went up|shared|uploaded|it was on|incident|started|when it|"
    r"wrote|sent|took place|occurred|the post|the video|the photo|the comment)\b", re.I
)
_PLATFORM_CUES = re.compile(
    r"\b(?:facebook|fb|insta\w*|ig|tik ?tok|tiktok|twitter|tweet\w*|x|whats ?app|snap\w*|youtube|linked ?in|"
    r"reddit|blog|website|forum|threads|bluesky|messenger)\b", re.I
)
_STAGE_CUES = re.compile(
    r"\b(?:suspend\w*|investigat\w*|disciplinary|appeal|informal|nothing formal|formal process|no process|"
    r"hearing has|hearing now|now a hearing|gone to a hearing|nobody (?:from (?:school|work) )?has said)\b", re.I
)
_POSTED_BY_CUES = re.compile(
    r"\b(?:posted|shared|put (?:it )?up|wrote|made|set up|uploaded|who|anonymous|it was (?:a|an|the|my|one of))\b", re.I
)
_PEOPLE = re.compile(
    r"\b(?:pupils?|students?|kids?|parents?|carers?|mums?|dads?|colleagues?|teachers?|manager|head|boss|stranger|"
    r"someone|member of the public|public|anonymous|(?:dont|don't|do not) know who)\b", re.I
)
_STAGE_DATE_CUES = re.compile(r"\b(?:suspended|investigation (?:started|began)|called in)\b", re.I)
_YES_NO_CUES = {
    "police_involved": re.compile(r"\b(?:police|officer|pcso|cops?)\b", re.I),
    "still_online": re.compile(r"\b(?:still (?:up|online|there|live)|taken down|been removed|deleted|"
                               r"come down|gone now|is down)\b", re.I),
    "evidence_kept": re.compile(r"\b(?:screenshots?|screen shots?|evidence|copies|copy of|saved (?:it|the)|links?)\b", re.I),
    "has_rep": re.compile(r"\b(?:rep|representative)\b", re.I),
}
_NEGATIVE = re.compile(
    r"\b(?:no|not|never|none|isnt|isn't|arent|aren't|wasnt|wasn't|werent|weren't|havent|haven't|hasnt|"
    r"hasn't|dont|don't|didnt|didn't|no longer|taken down|been removed|deleted|come down|gone now|is down|"
    r"any more|anymore)\b", re.I
)
_NAME = re.compile(
    r"\b(?:my name is(?: spelt| spelled)?|my name's(?: spelt| spelled)?|my names|call me|name should be|the name is|"
    r"use the name|(?:it's|its|it is) spelt|(?:it's|its|it is) spelled)\s+([^,;]+)", re.I
)
_PLACE = re.compile(
    r"\b(?:(?:my |the |our )?(?:school|workplace|college|work) is in|i work in|(?:it's|its|it is) in|based in|"
    r"(?:the |my |our )?(?:school's |work )?postcode is|the town is|the area is|(?:the )?local authority is|"
    r"the council is)\s+(.+)$", re.I
)
_WORKPLACE = re.compile(
    r"\b(?:i work at|i'm at|im at|i am at|my school is|the school is|my workplace is|"
    r"the school's|school is called|college is|i teach at|employed by|it's the)\s+(.+)$", re.I
)
_ROLE = re.compile(r"\b(?:my role is|my job is|i'm actually an?|im actually an?|i am actually an?|"
                   r"i'm an?|im an?|i am an?|i'm the|im the|i am the|my job title is)\s+(.+)$", re.I)
_MEMBERSHIP = re.compile(r"\bmembership (?:number|no)\b.*?([A-Za-z0-9][A-Za-z0-9 -]{3,14})\s*$", re.I)
_EMAIL_OR_PHONE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+|(?:\+?\d[\d\s()-]{8,}\d)")


@dataclass
class Corrections:
    """What a message corrects: new values by answer, and answers it named that this case lacks."""

    values: dict[str, Any] = field(default_factory=dict)
    not_in_this_case: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.values or self.not_in_this_case)


def clauses(text: str) -> list[str]:
    return [c.strip(" ,") for c in _CLAUSES.split(text) if c and c.strip(" ,")]


def _without_wrong_values(clause: str) -> str:
    """The clause with what the member says was wrong taken out."""
    clause = _SAID_BEFORE.sub(" ", clause)
    return " ".join(_WRONG_VALUE.sub(" ", clause).split())


def _parse(field_name: str, text: str, now: datetime) -> Any:
    parsed = flow.parse_answer(field_name, _TRAILING.sub("", text.strip()), now)
    return parsed.value if parsed.ok else None


def _date_correction(clause: str, cleaned: str, now: datetime) -> tuple[str, Any] | None:
    match = _DATE.search(cleaned)
    about_something_else = _STAGE_DATE_CUES.search(cleaned) or any(c.search(cleaned) for c in _YES_NO_CUES.values())
    if not match or (about_something_else and not _OCCURRED_CUES.search(cleaned)):
        return None  # "suspended yesterday", "still up, I checked this morning": not a date answer
    phrase = match.group(0)
    wants_next = bool(_NEXT_DATE_CUES.search(clause)) and not _OCCURRED_CUES.search(clause)
    order = ["next_date", "occurred_on"] if wants_next else ["occurred_on", "next_date"]
    only_future = _parse("occurred_on", phrase, now) is None and _parse("next_date", phrase, now) is not None
    if not wants_next and not _OCCURRED_CUES.search(clause) and only_future:
        order = ["next_date", "occurred_on"]  # no word says which: a date only in the future is the next meeting
    for name in order:
        value = _parse(name, phrase, now)
        if value is not None and value != flow.UNKNOWN:
            return name, value
    return None


def _yes_no(clause: str) -> bool:
    """Yes unless the clause says no; an explicit "yes" wins ("not Instagram, and yes I kept them")."""
    if re.search(r"\b(?:yes|yeah|yep|do have|did get|did come|are involved|is involved|they're involved)\b", clause, re.I):
        return True
    return not _NEGATIVE.search(clause)


def _clause_corrections(clause: str, fields: list[str], now: datetime) -> list[tuple[str, Any]]:
    """(answer, new value) pairs in one clause; an answer may be one this case doesn't ask."""
    found: list[tuple[str, Any]] = []
    cleaned = _without_wrong_values(clause)
    if _EMAIL_OR_PHONE.search(cleaned) and (value := _parse("contact", cleaned, now)) is not None:
        return [("contact", value)]
    if (name := _NAME.search(cleaned)) and (value := _parse("name", name.group(1), now)):
        return [("name", value)]
    if (number := _MEMBERSHIP.search(cleaned)) and (value := _parse("membership_number", number.group(1), now)):
        return [("membership_number", value)]
    if (date := _date_correction(clause, cleaned, now)) is not None:
        found.append(date)
    if _PLATFORM_CUES.search(cleaned) and (value := _parse("platforms", cleaned, now)):
        found.append(("platforms", value))
    stage = _parse("process_stage", cleaned, now) if _STAGE_CUES.search(cleaned) else None
    if stage not in (None, flow.UNKNOWN) and not (found and found[0][0] == "next_date"):
        found.append(("process_stage", stage))
    if _POSTED_BY_CUES.search(cleaned) and _PEOPLE.search(cleaned) and (value := _parse("posted_by", cleaned, now)):
        found.append(("posted_by", value))
    for name, cue in _YES_NO_CUES.items():
        if cue.search(cleaned) and not any(f == name for f, _ in found):
            found.append((name, _yes_no(cleaned)))
    if not found and (area := _PLACE.search(cleaned)) and (value := _parse("work_area", area.group(1), now)):
        found.append(("work_area", value))
    if not found and (work := _WORKPLACE.search(cleaned)) and (value := _parse("workplace", work.group(1), now)):
        found.append(("workplace", value))
    if not found and (role := _ROLE.search(cleaned)) and (value := _parse("role", role.group(1), now)):
        found.append(("role", value))
    return found


def find_corrections(text: str, fields: list[str], now: datetime, case_fields: list[str] | None = None) -> Corrections:
    """Every answer `text` corrects among `fields`, with its new value.

    `case_fields` are all of this case's questions (default: `fields`): an answer named that is
    not one of them is reported in `not_in_this_case`; one of them not in `fields` (not
    answered yet, or being asked now) is left alone.
    """
    case_fields = case_fields if case_fields is not None else fields
    result = Corrections()
    for clause in clauses((text or "")[:1000]):
        kept = _WRONG_VALUE.sub(" ", clause)
        said = _ONLY_SAID.search(kept)
        if said and not _SAID_BEFORE.search(kept) and len(kept[said.end():].split()) <= 4:
            continue  # "I think I said no police": the old answer, not the new one
        for name, value in _clause_corrections(clause, fields, now):
            if name in fields:
                result.values[name] = value  # a later clause is the member's last word
            elif name not in case_fields and name not in result.not_in_this_case:
                result.not_in_this_case.append(name)
    return result


def sounds_like_a_correction(text: str) -> bool:
    """Words people use when they correct themselves ("actually", "sorry, it was", "not")."""
    return bool(_CORRECTION_CUES.search(text or ""))
