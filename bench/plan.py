"""How long and how hard the benchmark runs, read from the environment, and its progress lines.

Settings: BENCH_SECONDS (each load phase, default 20), BENCH_PROFILE_SECONDS (10),
BENCH_CONCURRENCY ("1,8,32"), BENCH_THROUGHPUT_USERS (32), BENCH_TRAIN_OURS (1: time
a fresh training of ours; 0: skip it), BENCH_OUR_TRAIN_SECONDS (set by
scripts/benchmark.sh when it had to train ours), BENCH_REPORT (results/benchmark.md;
the figures also go to the same name with .json).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".bench-venv" / "bin"


@dataclass
class Plan:
    """How long and how hard; read from the environment so a quick trial run is one variable away."""

    seconds: int
    profile_seconds: int
    concurrency: tuple[int, ...]
    throughput_users: int
    train_ours: bool
    our_training_seconds: float | None
    report: Path
    logs: Path

    @classmethod
    def from_env(cls) -> Plan:
        env = os.environ.get
        trained = env("BENCH_OUR_TRAIN_SECONDS")
        return cls(
            seconds=int(env("BENCH_SECONDS", "20")),
            profile_seconds=int(env("BENCH_PROFILE_SECONDS", "10")),
            concurrency=tuple(int(n) for n in env("BENCH_CONCURRENCY", "1,8,32").split(",")),
            throughput_users=int(env("BENCH_THROUGHPUT_USERS", "32")),
            train_ours=env("BENCH_TRAIN_OURS", "1") == "1",
            our_training_seconds=float(trained) if trained else None,
            report=ROOT / env("BENCH_REPORT", "results/benchmark.md"),
            logs=ROOT / "results" / "benchmark-logs",
        )


def step(text: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)
