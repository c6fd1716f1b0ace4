"""UTC time for the domain, storage and delivery: one `utc_now` that tests replace with a fake clock,
and `parse_timestamp` for the payload's ISO times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# Equal to `timezone.utc`; spelled out because `datetime.UTC` needs Python 3.11.
UTC = timezone(timedelta(0), "UTC")


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 with `Z` or an offset (Python 3.10 rejects `Z`); naive is taken as UTC."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
