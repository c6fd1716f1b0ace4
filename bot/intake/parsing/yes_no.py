"""Yes, no (and, where allowed, 'not sure') from however a member says it."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.parsing.base import _UNSURE, Parsed, _norm, _text

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
