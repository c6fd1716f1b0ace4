"""The directory in the case database: read as Destination values, replaced whole."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bot.directory.model import Destination, Directory
from bot.storage.orm import destinations

_FIELDS = ("kind", "name", "workplace", "branch_id", "contact", "webhook_url", "webhook_secret_env", "email")


class DirectoryRepository:
    """`get(id)`, `all()`, `replace(destinations)` within the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, destination_id: str) -> Destination | None:
        row = self._session.execute(select(destinations).where(destinations.c.id == destination_id)).first()
        return _destination(row._mapping) if row else None

    def all(self) -> tuple[Destination, ...]:
        """In the order of the file they came from."""
        rows = self._session.execute(select(destinations).order_by(destinations.c.position))
        return tuple(_destination(row._mapping) for row in rows)

    def directory(self) -> Directory:
        return Directory(self.all())

    def replace(self, new: Iterable[Destination]) -> None:
        """Delete every destination and insert `new`; the caller's commit makes it one change."""
        self._session.execute(delete(destinations))
        rows = [_row(position, destination) for position, destination in enumerate(new)]
        if rows:
            self._session.execute(insert(destinations), rows)
        self._session.flush()


def _row(position: int, destination: Destination) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(destination, name) for name in _FIELDS}
    row.update(
        id=destination.id,
        position=position,
        areas=json.dumps(list(destination.areas)),
        postcodes=json.dumps(list(destination.postcodes)),
    )
    return row


def _destination(row: Any) -> Destination:
    return Destination(
        id=row["id"],
        areas=tuple(json.loads(row["areas"])),
        postcodes=tuple(json.loads(row["postcodes"])),
        **{name: row[name] for name in _FIELDS},
    )
