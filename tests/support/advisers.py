"""Adviser accounts in database tests: the one password they all share, and the cheap Argon2
parameters that hash it (the defaults cost ~50 ms and 64 MiB a hash; tests/inbox's rules
tests keep the real ones)."""

from __future__ import annotations

from argon2 import PasswordHasher

PASSWORD = "correct horse battery staple"


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
