"""The audit log: every view and change in the inbox, readable by admins only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from bot.inbox.model import Adviser, AuditEntry
from bot.inbox.workflow import NotAllowed, can_read_audit
from bot.unit_of_work import UnitOfWork

T = TypeVar("T")

SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGNED_OUT = "signed_out"
LIST_VIEWED = "list_viewed"
CASE_VIEWED = "case_viewed"
CASE_EXPORTED = "case_exported"
STATUS_CHANGED = "status_changed"
PASSED_ON = "passed_on"
DIRECTORY_VIEWED = "directory_viewed"
AUDIT_VIEWED = "audit_viewed"
ACCESS_DENIED = "access_denied"
ACCOUNT_CREATED = "account_created"
ACCOUNT_DISABLED = "account_disabled"


def record(
    uow: UnitOfWork,
    now: datetime,
    actor: str | None,
    action: str,
    case_reference: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry to the caller's transaction, so the log and the change commit together."""
    uow.audit.add(AuditEntry(at=now, actor=actor, action=action, case_reference=case_reference, detail=detail))


def read_audit(uow: UnitOfWork, actor: Adviser, now: datetime, limit: int = 200) -> list[AuditEntry]:
    """The newest entries for an admin; reading the log is itself logged."""
    return admin_read(uow, actor, now, "audit log", AUDIT_VIEWED, lambda: uow.audit.latest(limit))


def admin_read(uow: UnitOfWork, actor: Adviser, now: datetime, what: str, viewed: str, read: Callable[[], T]) -> T:
    """`read()` for an admin, recording `viewed`; anyone else gets NotAllowed, and the refusal is recorded."""
    with uow:
        if not can_read_audit(actor):
            record(uow, now, actor.email, ACCESS_DENIED, detail=what)
            uow.commit()
            raise NotAllowed(f"only admins can read the {what}")
        record(uow, now, actor.email, viewed)
        uow.commit()
        return read()
