"""What every command shares: the `Context` (database, clock, output) and the text layout helpers."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.bootstrap import Wiring
from bot.clock import utc_now
from bot.durations import short_duration as age
from bot.storage.uow import SqlUnitOfWork

Command = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What every command needs: the process's wiring (settings, database), the clock, the output streams."""

    def __init__(self, wiring: Wiring, out: TextIO, err: TextIO) -> None:
        self.wiring = wiring
        self.settings = wiring.settings
        self.database_url = wiring.settings.database_url
        self.out = out
        self.err = err
        self.now = utc_now()
        self.zone = ZoneInfo(wiring.settings.timezone)

    def uow(self) -> SqlUnitOfWork:
        return self.wiring.uow()

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def fail(self, message: str) -> int:
        print(message, file=self.err)
        return 1

    def local(self, when: datetime) -> str:
        return when.astimezone(self.zone).strftime("%d %b %Y %H:%M")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip()
        for line in [headers, *rows]
    ]
    return "\n".join(lines)


def when_due(at: datetime, now: datetime) -> str:
    return "due" if at <= now else f"in {age(at - now)}"


def show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def wrap(text: str, width: int = 88) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def indent(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]


def normalise_reference(reference: str) -> str:
    """References are upper case; accept what an adviser types."""
    return reference.strip().upper()
