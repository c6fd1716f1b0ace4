"""Reading the assistant's replies (the REST channel's list of messages) in assertions."""

from __future__ import annotations

import json
from typing import Any


def texts(replies: list[dict[str, Any]]) -> str:
    """All reply texts of one turn, joined (a reply with no text, such as an image, adds nothing)."""
    return "\n".join(r.get("text") or "" for r in replies)


def buttons(replies: list[dict[str, Any]]) -> list[str]:
    """The titles of every button offered in one turn, in order."""
    return [b["title"] for r in replies for b in r.get("buttons", [])]


def dump(replies: list[dict[str, Any]]) -> str:
    """The replies as indented JSON: what a failing assertion shows."""
    return json.dumps(replies, indent=1)
