"""Password hashing for adviser accounts: Argon2id via argon2-cffi, with its default
(RFC 9106 low-memory) parameters, so a stolen database does not give passwords away.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1024


class WeakPassword(ValueError):
    """The password does not meet the minimum rules; the message says which."""


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not a real password, used to even out timing")


def check_strength(password: str, email: str) -> None:
    """Length is what matters most (NCSC guidance); also refuse the account's own email."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"use at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"use at most {MAX_LENGTH} characters")
    if password.strip().lower() == email.strip().lower():
        raise WeakPassword("the password must not be the email address")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if `password` matches. With no hash (unknown account) a dummy hash is
    checked instead, so the answer takes as long either way."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """After the library's defaults get stronger, a successful sign-in upgrades the hash."""
    return _hasher().check_needs_rehash(password_hash)
