"""One load phase: Locust, headless, for a fixed number of seconds, and what it measured.

Locust runs as a child process from .bench-venv; it writes every request's
timing to a JSON file (bench/locustfile.py), read back here into percentiles
and a throughput. The phase also meters the CPU that the servers and Locust
itself used, so a throughput figure comes with where the cores went.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import CpuMeter

BENCH_DIR = Path(__file__).resolve().parent
LOCUSTFILE = BENCH_DIR / "locustfile.py"


@dataclass
class Phase:
    """One phase's numbers. Latencies in milliseconds; throughput in answered messages per second."""

    label: str
    users: int
    seconds: float
    answered: int
    failed: int
    p50: float
    p95: float
    throughput: float
    cpu: dict[str, float] = field(default_factory=dict)
    silent: int = 0  # answered with no message (the starter, by design, on some of its examples)


@dataclass
class LoadTool:
    """Where Locust lives and where phases write their files."""

    locust: Path
    workdir: Path

    def run(
        self,
        label: str,
        hosts: list[str],
        conversations: list[list[str]],
        users: int,
        seconds: int,
        meter: dict[str, int] | None = None,
        silence_ok: bool = False,
    ) -> Phase:
        """Run one phase and return its numbers (raises if Locust wrote nothing)."""
        slug = label.replace(" ", "-").replace("/", "-")
        scenario = self.workdir / f"{slug}.scenario.json"
        samples = self.workdir / f"{slug}.samples.json"
        samples.unlink(missing_ok=True)
        name = "intake" if "intake" in label else "question"
        scenario.write_text(
            json.dumps(
                {
                    "name": name,
                    "hosts": hosts,
                    "conversations": conversations,
                    "out": str(samples),
                    "silence_ok": silence_ok,
                }
            )
        )
        with (self.workdir / f"{slug}.locust.log").open("w") as log:
            proc = subprocess.Popen(
                self._command(hosts[0], users, seconds), env=self._env(scenario), stdout=log, stderr=subprocess.STDOUT
            )
            cpu = CpuMeter({**(meter or {}), "Locust": proc.pid})
            cpu.start()
            try:
                proc.wait(timeout=seconds + 90)
            finally:
                cpu.stop()
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
        if not samples.exists():
            raise RuntimeError(f"Locust wrote no samples for {label}; see {log.name}")
        recorded = json.loads(samples.read_text())
        window = recorded["window"]
        return summarise(label, users, recorded, cpu.usage(window.get("start"), window.get("stop")))

    def _command(self, host: str, users: int, seconds: int) -> list[str]:
        return [
            str(self.locust), "-f", str(LOCUSTFILE), "--headless", "--host", host,
            "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
            "--only-summary", "--exit-code-on-error", "0", "--loglevel", "WARNING",
        ]  # fmt: skip

    @staticmethod
    def _env(scenario: Path) -> dict[str, str]:
        return {**os.environ, "BENCH_SCENARIO": str(scenario), "PYTHONPATH": ""}


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a value some request really took)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(label: str, users: int, recorded: dict, cpu: dict[str, float]) -> Phase:
    """Percentiles over answered messages; throughput over those that ended inside the window."""
    start, stop = recorded["window"]["start"], recorded["window"]["stop"]
    answered = [(end, ms) for end, ms, ok in recorded["samples"] if ok]
    failed = sum(1 for _, _, ok in recorded["samples"] if not ok)
    times = [ms for _, ms in answered]
    in_window = sum(1 for end, _ in answered if start <= end <= stop)
    seconds = max(stop - start, 1e-6)
    return Phase(
        label,
        users,
        seconds,
        len(answered),
        failed,
        percentile(times, 0.50),
        percentile(times, 0.95),
        in_window / seconds,
        cpu,
        recorded.get("silent", 0),
    )
