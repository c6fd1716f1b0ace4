"""How a case moves through the inbox, and who may move it.

    new -> claimed (by an adviser) -> contacted -> closed

A claimed case can be released back to new; a closed case can be reopened by
claiming it again. Only the adviser who claimed a case, or an admin, may move
it on or release it, so two advisers never work the same member by accident.
"""

from __future__ import annotations

from bot.case_records import InvalidTransition
from bot.inbox.model import Adviser

NEW, CLAIMED, CONTACTED, CLOSED = "new", "claimed", "contacted", "closed"

TRANSITIONS: dict[str, tuple[str, ...]] = {
    NEW: (CLAIMED,),
    CLAIMED: (CONTACTED, NEW),
    CONTACTED: (CLOSED,),
    CLOSED: (CLAIMED,),
}

# What the button for each move says, by (from, to).
ACTION_LABELS = {
    (NEW, CLAIMED): "Claim this case",
    (CLAIMED, CONTACTED): "Mark as contacted",
    (CLAIMED, NEW): "Release (back to new)",
    (CONTACTED, CLOSED): "Close the case",
    (CLOSED, CLAIMED): "Reopen and claim",
}


class NotAllowed(PermissionError):
    """The adviser is signed in but their role or the case's claim does not allow this."""


def next_statuses(current: str) -> tuple[str, ...]:
    return TRANSITIONS.get(current, ())


def check_transition(current: str, target: str, actor: Adviser, claimed_by: str | None) -> None:
    """Raise InvalidTransition for a move the workflow lacks, NotAllowed for the wrong adviser."""
    if target not in next_statuses(current):
        raise InvalidTransition(f"a {current} case cannot become {target}")
    if target == CLAIMED:
        return
    if claimed_by is not None and claimed_by != actor.email and not actor.is_admin:
        raise NotAllowed(f"this case is claimed by {claimed_by}")


def can_read_audit(actor: Adviser) -> bool:
    return actor.is_admin
