"""Erasure on request, always recorded in the audit log.

Two routes:

- an adviser erases a stored case (`python -m bot.entrypoints.cli cases erase REF --by NAME
  --reason TEXT`): the case, its delivery job and claim, and the conversation it
  came from in Rasa's SQL tracker store;
- a member asks the assistant to delete what they told it: the Rasa server's
  tracker store erases the conversation's stored events (see
  `rasa_addons/tracker_store.py`) and records it here.

The audit entry says who, what and why, never what the case contained. When
anonymising is on, an erased case still adds one to the anonymous monthly counts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.inbox.audit import record
from bot.retention import count_key
from bot.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from bot.storage.tracker_events import TrackerEvents

log = logging.getLogger(__name__)

CASE_ERASED = "case_erased"
CONVERSATION_ERASED = "conversation_erased"
MEMBER = "member"
MAX_REASON = 160


class ErasureRefused(ValueError):
    """An erasure request without the accountability the audit log needs."""


@dataclass(frozen=True)
class CaseErasure:
    reference: str
    conversation_events: int
    tracker_store_checked: bool


def erase_case(
    uow: UnitOfWork,
    reference: str,
    by: str,
    reason: str,
    now: datetime,
    tracker: TrackerEvents | None = None,
    *,
    keep_count: bool = True,
) -> CaseErasure:
    """Erase one case and its conversation. Raises LookupError if there is no such case.

    The conversation goes first: if that fails, nothing has changed and the
    adviser can simply run the command again.
    """
    by, reason = by.strip(), " ".join(reason.split())
    if not by or not reason:
        raise ErasureRefused("say who is erasing the case (--by) and why (--reason)")
    with uow:
        found = uow.cases.get(reference)
        if found is None:
            raise LookupError(reference)
        conversation_id = found.conversation_id
    events = tracker.erase_conversation(conversation_id) if tracker is not None and conversation_id else 0
    with uow:
        found = uow.cases.get(reference)
        if found is None:  # erased by someone else meanwhile
            raise LookupError(reference)
        if keep_count:
            uow.retention.add_to_count(*count_key(found))
        uow.retention.delete_cases([reference])
        detail = f"{reason[:MAX_REASON]} (conversation events erased: {events})"
        record(uow, now, by, CASE_ERASED, case_reference=reference, detail=detail)
        uow.commit()
    log.info("case %s erased on request (%d conversation events)", reference, events)
    return CaseErasure(reference, events, tracker is not None)


def record_conversation_erasure(uow: UnitOfWork, now: datetime, events: int, case_reference: str | None) -> None:
    """The member's own request, honoured by the tracker store; no conversation id is kept."""
    with uow:
        detail = f"member asked the assistant to delete the conversation ({events} stored events)"
        record(uow, now, MEMBER, CONVERSATION_ERASED, case_reference=case_reference, detail=detail)
        uow.commit()
    log.info("conversation erased at the member's request (%d events)", events)
