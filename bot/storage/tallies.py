"""Adding to a counter row that may not exist yet, in one atomic statement.

Read-then-write (`SELECT ... FOR UPDATE`, then `INSERT` if nothing was found)
locks nothing on PostgreSQL when the row does not exist yet, so two
transactions adding to the same new key both insert and one fails on the
unique constraint. `INSERT ... ON CONFLICT DO UPDATE` (SQLite and PostgreSQL
alike) adds to the row or creates it, whoever comes first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def add_to_tallies(session: Session, table: Table, keys: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Add each row's `count` to the row with the same `keys` values (created if absent).

    Rows are upserted in key order, so concurrent transactions lock them in the
    same order and never deadlock.
    """
    if not rows:
        return
    insert = _INSERTS[session.get_bind().dialect.name]
    ordered = sorted(rows, key=lambda row: tuple(str(row[k]) for k in keys))
    statement = insert(table).values([dict(row) for row in ordered])
    statement = statement.on_conflict_do_update(
        index_elements=list(keys), set_={"count": table.c.count + statement.excluded.count}
    )
    session.execute(statement)
