"""Where a formal process has got to (the schema's `process.stage`)."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.parsing.base import _NEGATORS, _UNSURE, Parsed, _norm

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
