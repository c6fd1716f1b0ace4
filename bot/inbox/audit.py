"""The audit log: every view and change in the inbox, readable by admins only."""

from __future__ import annotations

from datetime import datetime

from bot.inbox.model import Adviser, AuditEntry
from bot.inbox.workflow import NotAllowed, can_read_audit
from bot.storage.uow import SqlUnitOfWork

SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGNED_OUT = "signed_out"
LIST_VIEWED = "list_viewed"
CASE_VIEWED = "case_viewed"
CASE_EXPORTED = "case_exported"
STATUS_CHANGED = "status_changed"
AUDIT_VIEWED = "audit_viewed"
ACCESS_DENIED = "access_denied"
ACCOUNT_CREATED = "account_created"
ACCOUNT_DISABLED = "account_disabled"


def record(
    uow: SqlUnitOfWork,
    now: datetime,
    actor: str | None,
    action: str,
    case_reference: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry to the caller's transaction, so the log and the change commit together."""
    uow.audit.add(AuditEntry(at=now, actor=actor, action=action, case_reference=case_reference, detail=detail))


def read_audit(uow: SqlUnitOfWork, actor: Adviser, now: datetime, limit: int = 200) -> list[AuditEntry]:
    """The newest entries for an admin; reading the log is itself logged."""
    with uow:
        if not can_read_audit(actor):
            record(uow, now, actor.email, ACCESS_DENIED, detail="audit log")
            uow.commit()
            raise NotAllowed("only admins can read the audit log")
        record(uow, now, actor.email, AUDIT_VIEWED)
        uow.commit()
        return uow.audit.latest(limit)
