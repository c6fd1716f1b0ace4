"""How many delivery jobs each destination has waiting: what `directory show` adds to the list."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.case_records import IN_FLIGHT, PENDING
from bot.storage.orm import deliveries
from bot.unit_of_work import UnitOfWork


def pending_by_destination(uow: UnitOfWork) -> dict[str, int]:
    query = (
        select(deliveries.c.destination_id, func.count())
        .where(deliveries.c.state.in_((PENDING, IN_FLIGHT)))
        .group_by(deliveries.c.destination_id)
    )
    return {destination_id: int(count) for destination_id, count in uow.session.execute(query)}
