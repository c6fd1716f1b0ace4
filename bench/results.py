"""What one benchmark run measured, per assistant, and the ratios the report is judged by.

Ratios, not absolute figures, are what this benchmark stands on: the machine is
shared with other people's test runs, and both assistants get the same noise
because their phases alternate in one run.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from bench.assistants import Training
from bench.load import Phase
from bench.profile import Profile

P50_TARGET = 1.2  # our question answers' p50 over the starter's, at most
SCALING_TARGET = 1.7  # two replicas' throughput over one replica's, at least


@dataclass
class Side:
    """One assistant's figures. Keys: latency "question 1", "intake 8"...; throughput by replicas."""

    name: str
    model_bytes: int = 0
    training: Training | None = None
    training_note: str = ""
    cold_start: float = math.nan
    rss: dict[str, tuple[float, float]] = field(default_factory=dict)  # process -> (MiB now, peak MiB)
    replica_rss: dict[str, tuple[float, float]] = field(default_factory=dict)
    latency: dict[str, Phase] = field(default_factory=dict)
    throughput: dict[int, Phase] = field(default_factory=dict)
    profiles: dict[str, tuple[Profile, Phase]] = field(default_factory=dict)

    def scaling(self) -> float:
        """Two replicas' throughput over one replica's."""
        if 1 in self.throughput and 2 in self.throughput and self.throughput[1].throughput:
            return self.throughput[2].throughput / self.throughput[1].throughput
        return math.nan


@dataclass
class Run:
    """The whole run: both sides, and how it was run."""

    ours: Side
    starter: Side
    meta: dict[str, str] = field(default_factory=dict)
    concurrency: tuple[int, ...] = (1, 8, 32)
    throughput_users: int = 32

    def p50_ratio(self, users: int) -> float:
        return ratio(self.ours.latency.get(f"question {users}"), self.starter.latency.get(f"question {users}"), "p50")

    def p95_ratio(self, users: int) -> float:
        return ratio(self.ours.latency.get(f"question {users}"), self.starter.latency.get(f"question {users}"), "p95")


def ratio(ours: Phase | None, starter: Phase | None, what: str) -> float:
    if ours is None or starter is None or not getattr(starter, what):
        return math.nan
    return getattr(ours, what) / getattr(starter, what)


def _side(data: dict) -> Side:
    """A Side back from its JSON (bench/run.py writes results/benchmark.json with dataclasses.asdict)."""
    training = data.get("training")
    return Side(
        name=data["name"],
        model_bytes=data["model_bytes"],
        training=Training(training["seconds"], Path(training["model"]), training["how"]) if training else None,
        training_note=data["training_note"],
        cold_start=data["cold_start"],
        rss={k: tuple(v) for k, v in data["rss"].items()},
        replica_rss={k: tuple(v) for k, v in data["replica_rss"].items()},
        latency={k: Phase(**v) for k, v in data["latency"].items()},
        throughput={int(k): Phase(**v) for k, v in data["throughput"].items()},
        profiles={
            kind: (
                Profile(
                    p["samples"], [tuple(x) for x in p["shares"]], [tuple(x) for x in p["hottest"]], p["spotlight"]
                ),
                Phase(**ph),
            )
            for kind, (p, ph) in data["profiles"].items()
        },
    )


def load(path: Path) -> Run:
    """A run's figures from its JSON, to render the report again without measuring again."""
    data = json.loads(path.read_text())
    return Run(
        _side(data["ours"]),
        _side(data["starter"]),
        data["meta"],
        tuple(data["concurrency"]),
        data["throughput_users"],
    )
