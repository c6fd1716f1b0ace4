"""The adviser inbox's records: accounts, sign-in sessions, case claims and the audit log.

Plain classes, mapped onto tables imperatively in `bot.storage.orm`, so the
rules (when a session has run out, who an account may act as) are readable
and testable without a database or a web framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ADVISER = "adviser"
ADMIN = "admin"
ROLES = (ADVISER, ADMIN)

MAX_EMAIL_LENGTH = 254
MAX_DETAIL_LENGTH = 200


# Cases and accounts with no destination recorded (from before the directory) are the AdviceLine's.
DEFAULT_DESTINATION = "adviceline"


@dataclass(eq=False)
class Adviser:
    """Someone who may sign in to the inbox. `email` is stored lower-case.

    An adviser belongs to one destination of the directory (the AdviceLine, a branch,
    a workplace rep) and sees only its cases; an admin has none and sees every case.
    """

    email: str
    password_hash: str
    role: str
    created_at: datetime
    active: bool = True
    destination_id: str | None = None
    id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def scope(self) -> str | None:
        """The destination whose cases this account may see; None: every destination (admins)."""
        if self.is_admin:
            return None
        return self.destination_id or DEFAULT_DESTINATION

    def may_see(self, case_destination_id: str | None) -> bool:
        return self.scope is None or self.scope == (case_destination_id or DEFAULT_DESTINATION)


@dataclass(eq=False)
class AdviserSession:
    """A signed-in browser. Only a hash of the cookie's token is stored, so a copy of
    the database cannot be used to sign in; `csrf_token` is sent back in every form.
    """

    token_hash: str
    adviser_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    id: int | None = None

    def is_live(self, now: datetime, idle: timedelta) -> bool:
        """Alive until its absolute expiry, and only while it keeps being used."""
        return now < self.expires_at and now - self.last_seen_at < idle

    def touch(self, now: datetime) -> None:
        self.last_seen_at = now


@dataclass(eq=False)
class CaseClaim:
    """Which adviser took a case on; the case's status itself stays on the case."""

    case_reference: str
    adviser_email: str
    claimed_at: datetime
    id: int | None = None


@dataclass(eq=False)
class AuditEntry:
    """One view or change. `detail` carries status words or filters, never case content."""

    at: datetime
    actor: str | None
    action: str
    case_reference: str | None = None
    detail: str | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.actor is not None:
            self.actor = self.actor[:MAX_EMAIL_LENGTH]
        if self.detail is not None:
            self.detail = self.detail[:MAX_DETAIL_LENGTH]
