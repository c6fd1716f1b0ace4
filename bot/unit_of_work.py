"""The unit of work the domain services are written against (Cosmic Python's port).

Domain services (`bot.inbox`, `bot.erasure`, `bot.retention`, `bot.checkup_counts`,
`bot.intake.submit`, `bot.directory.services`, `bot.delivery`) take a `UnitOfWork`
and own its transaction: `with uow: ...; uow.commit()`. `bot.storage.uow.SqlUnitOfWork`
is the implementation; callers never wrap a service in a `with` of their own, and
re-entering an open unit of work is an error.

It lives at the top of `bot/`, not in `bot/storage/`, so the dependency points one
way: storage (the adapter) imports the domain's records, and the domain imports only
this protocol. The repositories' classes are named for type checkers only
(`TYPE_CHECKING`), so importing a domain service never imports `bot.storage`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.directory.repository import DirectoryRepository
    from bot.storage.checkup_counts_repository import CheckupCountRepository
    from bot.storage.inbox_repository import (
        AdviserRepository,
        AdviserSessionRepository,
        AuditRepository,
        CaseClaimRepository,
        InboxCaseRepository,
    )
    from bot.storage.repository import CaseRepository, DeliveryRepository
    from bot.storage.retention_repository import RetentionRepository

U = TypeVar("U", bound="UnitOfWork")


class UnitOfWorkReentered(RuntimeError):
    """A `with` on a unit of work that is already open: a caller wrapping a service."""


class UnitOfWork(Protocol):
    """One transaction with the repositories bound to it; nothing is kept without `commit()`."""

    cases: CaseRepository
    deliveries: DeliveryRepository
    advisers: AdviserRepository
    adviser_sessions: AdviserSessionRepository
    claims: CaseClaimRepository
    audit: AuditRepository
    inbox_cases: InboxCaseRepository
    retention: RetentionRepository
    checkup_counts: CheckupCountRepository
    directory: DirectoryRepository

    def __enter__(self: U) -> U: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
