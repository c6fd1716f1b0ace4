"""UTC time for storage and delivery: one `utc_now` that tests replace with a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# Equal to `timezone.utc`; spelled out because `datetime.UTC` needs Python 3.11.
UTC = timezone(timedelta(0), "UTC")


def utc_now() -> datetime:
    return datetime.now(UTC)
