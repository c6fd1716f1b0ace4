"""How long a member has been waiting, written the same way in the CLI and the inbox."""

from __future__ import annotations

from datetime import timedelta


def short_duration(delta: timedelta) -> str:
    """'45m', '5h 12m', '3d 4h' (negative durations read as '0m')."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"
