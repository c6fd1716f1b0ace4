"""The unit of work: one session, one transaction, repositories bound to it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import final

from sqlalchemy.orm import Session

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
from bot.unit_of_work import UnitOfWorkFactory, UnitOfWorkReentered


@final
class SqlUnitOfWork:
    """`with SqlUnitOfWork(session_factory) as uow: ...; uow.commit()`: the SQL
    implementation of `bot.unit_of_work.UnitOfWork`.

    Nothing is kept unless `commit()` is called: leaving the block rolls back
    whatever is still open (always on an exception), so a half-written case can
    never be left behind without its delivery job. Not re-entrant: a service owns
    its transaction, and a second `with` on a unit of work already open raises
    `UnitOfWorkReentered`, so no caller can wrap a service (whose inner `commit()`
    would commit the caller's work too). A closed unit of work can be opened again.
    """

    cases: CaseRepository
    deliveries: DeliveryRepository
    # the adviser inbox (bot.inbox)
    advisers: AdviserRepository
    adviser_sessions: AdviserSessionRepository
    claims: CaseClaimRepository
    audit: AuditRepository
    inbox_cases: InboxCaseRepository
    # data protection (bot.retention, bot.erasure)
    retention: RetentionRepository
    # anonymous check-up tallies (bot.checkup_counts)
    checkup_counts: CheckupCountRepository
    # where cases go (bot.directory)
    directory: DirectoryRepository

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise UnitOfWorkReentered("this unit of work is already open: its service owns the transaction")
        self._session = self._session_factory()
        self.cases = CaseRepository(self._session)
        self.deliveries = DeliveryRepository(self._session)
        self._bind_inbox(self._session)
        self.retention = RetentionRepository(self._session)
        self.checkup_counts = CheckupCountRepository(self._session)
        self.directory = DirectoryRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever is uncommitted but, unlike rollback(), leaves the
        # loaded objects readable, so results can be used after the block.
        self.session.close()
        self._session = None

    def _bind_inbox(self, session: Session) -> None:
        self.advisers = AdviserRepository(session)
        self.adviser_sessions = AdviserSessionRepository(session)
        self.claims = CaseClaimRepository(session)
        self.audit = AuditRepository(session)
        self.inbox_cases = InboxCaseRepository(session)

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("SqlUnitOfWork used outside its `with` block")
        return self._session

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def uow_factory(session_factory: Callable[[], Session]) -> UnitOfWorkFactory:
    """A zero-argument factory, the shape the worker and CLI take."""
    return lambda: SqlUnitOfWork(session_factory)
