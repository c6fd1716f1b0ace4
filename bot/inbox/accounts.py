"""Adviser accounts and sign-in sessions over the unit of work.

The web adapter holds only the opaque cookie token; everything that decides
whether that token still means a signed-in adviser lives here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email

from bot.clock import utc_now
from bot.inbox import audit
from bot.inbox.model import ADMIN, DEFAULT_DESTINATION, ROLES, Adviser, AdviserSession
from bot.inbox.passwords import check_strength, hash_password, needs_rehash, verify_password
from bot.inbox.tokens import new_token, token_hash
from bot.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

FAILED_SIGN_IN_WINDOW = timedelta(minutes=15)


class AccountError(ValueError):
    """An account could not be created or changed; the message is safe to show."""


@dataclass(frozen=True)
class SessionPolicy:
    """How long a sign-in lasts: `idle` without use, `lifetime` at most; and how many
    failed sign-ins for one email in `FAILED_SIGN_IN_WINDOW` lock it out for a while."""

    idle: timedelta = timedelta(minutes=30)
    lifetime: timedelta = timedelta(hours=8)
    max_failed_sign_ins: int = 5


@dataclass(frozen=True)
class SignedIn:
    """An authenticated request: who it is, and the CSRF token their forms must carry."""

    adviser: Adviser
    csrf_token: str
    expires_at: datetime


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"not a valid email address: {exc}") from None


# --- accounts ----------------------------------------------------------------


def create_adviser(
    uow: UnitOfWork,
    email: str,
    password: str,
    role: str,
    now: datetime | None = None,
    destination_id: str | None = None,
) -> Adviser:
    """A new account. Raises AccountError (bad email, role or destination; taken) or WeakPassword.

    An adviser belongs to a destination that must be in the directory (the AdviceLine
    when none is given); an admin sees every destination and takes none.
    """
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if role == ADMIN and destination_id:
        raise AccountError("an admin sees every destination's cases, so takes no destination")
    email = normalise_email(email)
    check_strength(password, email)
    now = now or utc_now()
    destination = None if role == ADMIN else (destination_id or DEFAULT_DESTINATION).strip()
    adviser = Adviser(
        email=email, password_hash=hash_password(password), role=role, created_at=now, destination_id=destination
    )
    with uow:
        if destination is not None and not _in_directory(uow, destination):
            raise AccountError(f"there is no destination {destination!r} in the directory (bot.entrypoints.cli directory show)")
        if uow.advisers.by_email(email) is not None:
            raise AccountError(f"an account for {email} already exists")
        uow.advisers.add(adviser)
        audit.record(uow, now, None, audit.ACCOUNT_CREATED, detail=f"{email} ({role}{', ' + destination if destination else ''})")
        uow.commit()
    log.info("adviser account %s created (%s, %s)", adviser.id, role, destination or "every destination")
    return adviser


def _in_directory(uow: UnitOfWork, destination_id: str) -> bool:
    """The AdviceLine always exists (an empty directory still routes to it)."""
    return uow.directory.directory().get(destination_id) is not None or destination_id == DEFAULT_DESTINATION


def disable_adviser(uow: UnitOfWork, email: str, now: datetime | None = None) -> None:
    """Stop an account signing in, and end its current sessions. Raises LookupError."""
    now = now or utc_now()
    email = normalise_email(email)
    with uow:
        adviser = uow.advisers.by_email(email)
        if adviser is None:
            raise LookupError(email)
        adviser.active = False
        uow.adviser_sessions.remove_for(adviser.id)
        audit.record(uow, now, None, audit.ACCOUNT_DISABLED, detail=email)
        uow.commit()


def list_advisers(uow: UnitOfWork) -> list[Adviser]:
    with uow:
        return uow.advisers.list()


# --- sessions ----------------------------------------------------------------


def sign_in(
    uow: UnitOfWork, email: str, password: str, policy: SessionPolicy, now: datetime | None = None
) -> tuple[str, SignedIn] | None:
    """A new session token (for the cookie) and who signed in, or None.

    Unknown email, wrong password, disabled account and too many recent
    failures all give the same None, in about the same time. The password is
    checked between two short transactions, so the hash's ~50 ms never holds
    a database lock.
    """
    now = now or utc_now()
    typed = email.strip().lower()[:254]
    with uow:
        adviser = uow.advisers.by_email(typed)
        recent_failures = uow.audit.count_since(typed, audit.SIGN_IN_FAILED, now - FAILED_SIGN_IN_WINDOW)
    matches = verify_password(adviser.password_hash if adviser else None, password)
    locked_out = recent_failures >= policy.max_failed_sign_ins
    with uow:
        if not (adviser and adviser.active and matches) or locked_out:
            audit.record(uow, now, typed, audit.SIGN_IN_FAILED, detail="locked out" if locked_out else None)
            uow.commit()
            return None
        adviser = uow.advisers.get(adviser.id)
        if needs_rehash(adviser.password_hash):
            adviser.password_hash = hash_password(password)
        token, signed_in = _open_session(uow, adviser, policy, now)
        audit.record(uow, now, adviser.email, audit.SIGNED_IN)
        uow.commit()
    return token, signed_in


def _open_session(
    uow: UnitOfWork, adviser: Adviser, policy: SessionPolicy, now: datetime
) -> tuple[str, SignedIn]:
    token = new_token()
    stored = AdviserSession(
        token_hash=token_hash(token),
        adviser_id=adviser.id,
        csrf_token=new_token(),
        created_at=now,
        last_seen_at=now,
        expires_at=now + policy.lifetime,
    )
    uow.adviser_sessions.add(stored)
    return token, SignedIn(adviser, stored.csrf_token, stored.expires_at)


def authenticate(
    uow: UnitOfWork, token: str | None, policy: SessionPolicy, now: datetime | None = None
) -> SignedIn | None:
    """The signed-in adviser for a cookie token, or None if it is unknown, expired,
    idle too long, or its account was disabled. Using a session keeps it alive."""
    if not token:
        return None
    now = now or utc_now()
    with uow:
        stored = uow.adviser_sessions.by_token_hash(token_hash(token))
        if stored is None:
            return None
        adviser = uow.advisers.get(stored.adviser_id)
        if adviser is None or not adviser.active or not stored.is_live(now, policy.idle):
            uow.adviser_sessions.remove(stored)
            uow.commit()
            return None
        stored.touch(now)
        uow.commit()
        return SignedIn(adviser, stored.csrf_token, stored.expires_at)


def sign_out(uow: UnitOfWork, token: str | None, now: datetime | None = None) -> None:
    """End the session for this token (a no-op for an unknown one)."""
    if not token:
        return
    now = now or utc_now()
    with uow:
        stored = uow.adviser_sessions.by_token_hash(token_hash(token))
        if stored is None:
            return
        adviser = uow.advisers.get(stored.adviser_id)
        uow.adviser_sessions.remove(stored)
        audit.record(uow, now, adviser.email if adviser else None, audit.SIGNED_OUT)
        uow.commit()


def remove_stale_sessions(uow: UnitOfWork, policy: SessionPolicy, now: datetime | None = None) -> int:
    """Housekeeping: expired sessions are refused anyway; this keeps the table small."""
    now = now or utc_now()
    with uow:
        removed = uow.adviser_sessions.remove_stale(now, now - policy.idle)
        uow.commit()
    return removed
