"""`make benchmark`: our assistant and Rasa's starter assistant under the same load, in one run.

    .venv/bin/python -m bench.run        (scripts/benchmark.sh sets up both venvs first)

Steps, each bounded: train the starter (and time a fresh training of ours);
laptop mode, both assistants up, latency phases alternating between them, RSS,
profiles; production mode (PostgreSQL + Redis, two replicas each), throughput
with one and two replicas (bench/modes.py). Every process and database it starts,
it stops and drops, on success, failure, Ctrl-C or SIGTERM. Writes
results/benchmark.md; settings are in bench/plan.py.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench.assistants import Training, our_model, train_ours, train_starter
from bench.load import LoadTool
from bench.modes import laptop_mode, production_mode
from bench.plan import BENCH_VENV, ROOT, Plan, step
from bench.report import key_lines, render
from bench.results import Run, Side


def _interrupted(signum: int, _frame: object) -> None:
    """SIGTERM behaves like Ctrl-C: unwind, so every `finally` stops what it started."""
    raise KeyboardInterrupt(f"signal {signum}")


def require_services() -> None:
    """PostgreSQL and Redis on 127.0.0.1 are needed for the production phases: fail before training."""
    for name, port in (("PostgreSQL", 5432), ("Redis", 6379)):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=3).close()
        except OSError as exc:
            raise SystemExit(f"{name} is not reachable at 127.0.0.1:{port} ({exc}); the benchmark needs it") from exc


# --- training --------------------------------------------------------------------------


def train_both(plan: Plan, run: Run, tmp: Path) -> Training:
    step("Scaffolding and training Rasa's starter assistant (rasa init --no-prompt)")
    starter = train_starter(tmp / "starter", plan.logs / "train-starter.log")
    run.starter.training, run.starter.training_note = starter, starter.how
    run.starter.model_bytes = starter.model.stat().st_size
    run.ours.model_bytes = our_model().stat().st_size
    if plan.our_training_seconds is not None:
        how = "`rasa train` by scripts/benchmark.sh in this run (the model was out of date)"
        run.ours.training, run.ours.training_note = Training(plan.our_training_seconds, our_model(), how), how
    elif plan.train_ours:
        step("Timing a fresh training of ours into a temporary folder (models/current.tar.gz is left alone)")
        run.ours.training = train_ours(tmp / "ours-training", plan.logs / "train-ours.log")
        run.ours.training_note = run.ours.training.how
    else:
        run.ours.training_note = "not measured in this run (BENCH_TRAIN_OURS=0)"
    return starter


# --- the run -----------------------------------------------------------------------------------


def bench_versions() -> dict[str, str]:
    pins = dict(
        line.split("==", 1) for line in (ROOT / "bench" / "requirements.lock").read_text().splitlines() if "==" in line
    )
    return {"rasa": version("rasa"), "locust": pins.get("locust", "?"), "py_spy": pins.get("py-spy", "?")}


def describe_machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.python_implementation()} {platform.python_version()}"


def load_average() -> str:
    return "/".join(f"{v:.1f}" for v in os.getloadavg())


def benchmark(plan: Plan) -> Run:
    run = Run(Side("ours"), Side("starter"), concurrency=plan.concurrency, throughput_users=plan.throughput_users)
    began = time.monotonic()
    run.meta.update(bench_versions(), started=f"{datetime.now():%Y-%m-%d %H:%M}", machine=describe_machine())
    run.meta.update(load_before=load_average(), phase_seconds=str(plan.seconds))
    plan.logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="neu-bench-") as name:
        tmp = Path(name)
        tool = LoadTool(BENCH_VENV / "locust", plan.logs / "load")
        tool.workdir.mkdir(parents=True, exist_ok=True)
        starter = train_both(plan, run, tmp)
        laptop_mode(plan, run, tmp, tool, starter)
        production_mode(plan, run, tmp, tool, starter)
    minutes, seconds = divmod(int(time.monotonic() - began), 60)
    run.meta.update(
        finished=f"{datetime.now():%H:%M}", duration=f"{minutes} min {seconds} s", load_after=load_average()
    )
    return run


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupted)
    plan = Plan.from_env()
    require_services()
    try:
        run = benchmark(plan)
    except KeyboardInterrupt:
        print("\nInterrupted: everything the benchmark started has been stopped.", file=sys.stderr)
        return 130
    plan.report.parent.mkdir(parents=True, exist_ok=True)
    plan.report.write_text(render(run))
    # The same figures, machine-readable, for comparing runs.
    plan.report.with_suffix(".json").write_text(json.dumps(asdict(run), default=str, indent=1))
    print()
    for line in key_lines(run):
        print(line)
    print(f"\nReport: {os.path.relpath(plan.report, ROOT)} (logs: {os.path.relpath(plan.logs, ROOT)}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
