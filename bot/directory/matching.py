"""Where a member works, matched against the directory: a postcode, a town, a local
authority, or the name of a workplace that has a named rep.

Matching is forgiving (rapidfuzz, so "Nortown" and "north town" find Northtown)
but not reckless: when more than one branch fits about as well, the member is
asked which with buttons, and a weak match is no match, so a case goes to the
AdviceLine rather than to a branch that is only probably theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from bot.directory.model import BRANCH, WORKPLACE_REP, Destination, Directory

ONE = "one"
SEVERAL = "several"
NONE = "none"

AREA_CUTOFF = 80.0  # below this a place is not the area
CLOSE_TO_BEST = 8.0  # areas within this of the best match are all offered
WORKPLACE_CUTOFF = 88.0
MAX_OPTIONS = 4

# Words that say what kind of place or school it is, not which one.
_AREA_WORDS = {
    "borough", "council", "city", "county", "district", "metropolitan", "royal", "of", "the", "london",
    "i", "im", "work", "works", "working", "in", "at", "near", "its", "it", "is", "my", "school", "our",
    "area", "local", "authority", "la", "based", "we", "are", "just", "outside", "and",
}
# (Kinds of school, such as "primary" or "academy", are kept: Hillside Academy is not Hillside Primary.)
_SCHOOL_WORDS = {
    "school", "the", "of", "and", "i", "im", "work", "at", "in", "its", "it", "is", "my", "our", "school's",
}
_KINDS_OF_SCHOOL = {"primary", "secondary", "academy", "college", "high", "infant", "junior", "nursery", "grammar"}
_FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*[0-9][A-Z]{2}\b")
_DISTRICT = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\b")


@dataclass(frozen=True)
class Option:
    """One destination that fits, and the area (or workplace) of it that the member's words matched."""

    destination: Destination
    label: str


@dataclass(frozen=True)
class PlaceMatch:
    """`kind` ONE (see `option`), SEVERAL (see `options`, ask which) or NONE."""

    kind: str
    options: tuple[Option, ...] = ()
    exact: bool = False

    @property
    def option(self) -> Option | None:
        return self.options[0] if self.kind == ONE else None


def match_place(directory: Directory, text: str) -> PlaceMatch:
    """The branch (or rep) a town, local authority, postcode or workplace name points to."""
    by_postcode = _match_postcode(directory, text)
    if by_postcode is not None:
        return PlaceMatch(ONE, (by_postcode,))
    by_area = _match_area(directory, text)
    if by_area.kind == ONE and by_area.exact:
        return by_area
    reps = [rep for rep in directory.of_kind(WORKPLACE_REP) if rep.workplace and _is_workplace(text, rep.workplace)]
    if len(reps) == 1:
        return PlaceMatch(ONE, (Option(reps[0], reps[0].workplace or reps[0].name),))
    return by_area


def rep_at(directory: Directory, branch: Destination, workplace: str | None) -> Destination | None:
    """The branch's named rep at the member's workplace, if the directory has one."""
    if not workplace:
        return None
    found = [rep for rep in directory.reps_of(branch.id) if rep.workplace and _is_workplace(workplace, rep.workplace)]
    return found[0] if len(found) == 1 else None


def postcode_district(text: str) -> str | None:
    """"NT4 7AB" -> "NT4"; a bare district ("nt4") as it is; None when there is none."""
    upper = text.upper()
    full = _FULL_POSTCODE.search(upper)
    if full:
        return full.group(1)
    bare = _DISTRICT.search(upper)
    return bare.group(1) if bare else None


def _match_postcode(directory: Directory, text: str) -> Option | None:
    district = postcode_district(text)
    if district is None:
        return None
    for branch in directory.of_kind(BRANCH):
        if district in branch.postcodes:
            return Option(branch, district)
    return None


def _match_area(directory: Directory, text: str) -> PlaceMatch:
    wanted = _words(text, _AREA_WORDS)
    if not wanted:
        return PlaceMatch(NONE)
    best: dict[str, tuple[float, Option]] = {}
    for branch in directory.of_kind(BRANCH):
        for area in branch.areas:
            core = _words(area, _AREA_WORDS) or default_process(area)
            score = 100.0 if _squeezed(core) == _squeezed(wanted) else fuzz.WRatio(wanted, core)
            if score >= AREA_CUTOFF and score > best.get(branch.id, (0.0, None))[0]:
                best[branch.id] = (score, Option(branch, area))
    if not best:
        return PlaceMatch(NONE)
    exact = [option for score, option in best.values() if score == 100.0]
    if len(exact) == 1:
        return PlaceMatch(ONE, tuple(exact), exact=_squeezed(_words(exact[0].label, _AREA_WORDS)) == _squeezed(wanted))
    top = max(score for score, _ in best.values())
    close = sorted((item for item in best.values() if item[0] >= top - CLOSE_TO_BEST), key=lambda item: -item[0])
    options = tuple(option for _, option in close[:MAX_OPTIONS])
    return PlaceMatch(ONE if len(options) == 1 else SEVERAL, options)


def _is_workplace(said: str, workplace: str) -> bool:
    """Same school: the distinctive words agree ("Hilside Primary" is Hillside Primary School)."""
    mine, theirs = _words(said, _SCHOOL_WORDS), _words(workplace, _SCHOOL_WORDS)
    if not mine or not theirs or mine in _KINDS_OF_SCHOOL:
        return False
    return fuzz.token_set_ratio(mine, theirs) >= WORKPLACE_CUTOFF


def _squeezed(text: str) -> str:
    return text.replace(" ", "")


def _words(text: str, generic: set[str]) -> str:
    return " ".join(word for word in default_process(text).split() if word not in generic)
