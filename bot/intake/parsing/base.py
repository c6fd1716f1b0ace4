"""What every parser shares: the `Parsed` result, text clean-up, the words for 'not sure'.

Every parser returns a `Parsed`: the value, whether it is usable, and if not a
kind message to show the member. Parsers never raise on odd input (empty,
emoji, very long, other languages, markup or SQL), because whatever a member
types must get a helpful reply rather than an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
