"""The member's own words, kept as typed within sensible lengths."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.parsing.base import Parsed, _has_words, _text


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
