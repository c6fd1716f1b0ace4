"""What a member is told when the assistant itself has a problem, not their message.

Quoted by the Rasa server's REST channel (`rasa_addons/rest.py`) when a turn
could not be completed (the conversation store, an action or the lock store
failed), when a turn produced no reply, and when a message is too long to process.
"""

from __future__ import annotations

from bot.adviceline import contacts_text
from bot.safety import SIGNPOST_TEXT, mentions_safety_risk


def try_again_text() -> str:
    return (
        "Sorry, something went wrong on my side and I couldn't take in your last message. "
        "Nothing you told me has been lost: please try again in a moment. "
        f"If it's urgent, contact the AdviceLine:\n{contacts_text()}"
    )


def no_answer_text() -> str:
    """The turn went through but the assistant had nothing to say (e.g. an odd command)."""
    return (
        "Sorry, I haven't got an answer to that. You could put it another way, or type \"menu\" "
        f"to see what I can help with. If you'd rather talk to a person, contact the AdviceLine:\n{contacts_text()}"
    )


def too_long_text(limit: int) -> str:
    return (
        f"That message is too long for me (the limit is {limit} characters). "
        "Could you send it in shorter parts, or say it in a few sentences?"
    )


def replies_for_failed_turn(member_text: str | None) -> list[str]:
    """Emergency signposting first if the member's words call for it, then the way forward."""
    texts = [SIGNPOST_TEXT] if mentions_safety_risk(member_text) else []
    return [*texts, try_again_text()]
