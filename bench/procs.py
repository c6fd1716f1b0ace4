"""What a process costs, read from /proc (Linux): memory, CPU time, start time.

Read directly rather than through psutil so the orchestrator needs nothing that
the product's venv does not already have.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


def rss_mib(pid: int) -> float:
    """Resident memory now (VmRSS)."""
    return _status_kib(pid, "VmRSS") / 1024


def peak_rss_mib(pid: int) -> float:
    """The most resident memory the process has had (VmHWM): what a container limit must allow."""
    return _status_kib(pid, "VmHWM") / 1024


def _stat_fields(pid: int) -> list[str]:
    # The command name (field 2) may hold spaces; everything after its ")" is space-separated.
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (all its threads)."""
    try:
        fields = _stat_fields(pid)
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def started_at(pid: int) -> float:
    """When the process started, as a Unix time (to time a cold start from the real exec)."""
    boot = next(
        float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
    )
    return boot + int(_stat_fields(pid)[19]) / CLOCK_TICKS


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, over all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """Every process's (command name, CPU seconds so far): one snapshot of /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        fields = text[text.rindex(")") + 2 :].split()
        table[int(entry.name)] = (
            text[text.index("(") + 1 : text.rindex(")")],
            (int(fields[11]) + int(fields[12])) / CLOCK_TICKS,
        )
    return table


# Shared services, told apart by command name: their CPU is part of what a phase costs.
SERVICES = {"PostgreSQL": "postgres", "Redis": "redis-server"}
OTHERS = "other processes"
MACHINE = "whole machine"


Snapshot = tuple[float, dict[int, tuple[str, float]], tuple[float, float]]  # (time, processes, machine)


@dataclass
class CpuMeter:
    """CPU used inside a time window, in cores (1.0 = one core busy all the time): by the named
    processes, by PostgreSQL and Redis, by every other process, and by the whole machine.

    So a reader sees what shared the 2 cores during a load phase: the replicas, the action
    servers, Locust, the stores, and other people's test runs on the same machine. /proc is
    read every half second from start() to stop(); usage() then takes the snapshots nearest
    to the load's own window, so Locust's start-up and shutdown (servers idle) do not dilute it.
    """

    pids: dict[str, int]
    interval: float = 0.5
    _snapshots: list[Snapshot] = field(default_factory=list)
    _done: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread:
            self._thread.join()
        self._snapshots.append(_snapshot())

    def _sample(self) -> None:
        while not self._done.is_set():
            self._snapshots.append(_snapshot())
            self._done.wait(self.interval)

    def usage(self, start: float | None = None, stop: float | None = None) -> dict[str, float]:
        """Cores used between the snapshots nearest inside [start, stop] (Unix times)."""
        inside = [s for s in self._snapshots if (start is None or s[0] >= start) and (stop is None or s[0] <= stop)]
        first, last = (inside[0], inside[-1]) if len(inside) >= 2 else (self._snapshots[0], self._snapshots[-1])
        wall = max(last[0] - first[0], 1e-6)
        used: dict[str, float] = dict.fromkeys([*self.pids, *SERVICES, OTHERS], 0.0)
        names = {pid: name for name, pid in self.pids.items()}
        for pid, (command, seconds) in last[1].items():
            spent = (seconds - first[1].get(pid, (command, 0.0))[1]) / wall
            used[names.get(pid) or _service(command) or OTHERS] += spent
        busy, total = last[2][0] - first[2][0], last[2][1] - first[2][1]
        used[MACHINE] = busy / max(total, 1e-6) * (os.cpu_count() or 1)
        return used


def _snapshot() -> Snapshot:
    return time.time(), cpu_by_process(), machine_busy_seconds()


def _service(command: str) -> str | None:
    return next((label for label, prefix in SERVICES.items() if command.startswith(prefix)), None)
