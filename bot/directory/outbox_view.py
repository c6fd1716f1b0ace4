"""How many delivery jobs each destination has waiting: what `directory show` adds to the list.

A SQL query over the unit of work's session, so it takes the SQL implementation, not the protocol.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bot.case_records import IN_FLIGHT, PENDING
from bot.storage.orm import deliveries
from bot.storage.uow import SqlUnitOfWork


def pending_by_destination(uow: SqlUnitOfWork) -> dict[str, int]:
    query = (
        select(deliveries.c.destination_id, func.count())
        .where(deliveries.c.state.in_((PENDING, IN_FLIGHT)))
        .group_by(deliveries.c.destination_id)
    )
    return {destination_id: int(count) for destination_id, count in uow.session.execute(query)}
