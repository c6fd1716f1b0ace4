"""`make benchmark`: our assistant and Rasa's starter assistant under the same load, in one run.

    .venv/bin/python -m bench.run        (scripts/benchmark.sh sets up both venvs first)

Steps, each bounded: train the starter (and time a fresh training of ours);
laptop mode, both assistants up, latency phases alternating between them, RSS,
profiles; production mode (PostgreSQL + Redis, two replicas each), throughput
with one and two replicas. Every process and database it starts, it stops and
drops, on success, failure, Ctrl-C or SIGTERM. Writes results/benchmark.md.

Settings (environment): BENCH_SECONDS (each load phase, default 20),
BENCH_PROFILE_SECONDS (10), BENCH_CONCURRENCY ("1,8,32"), BENCH_THROUGHPUT_USERS
(32), BENCH_TRAIN_OURS (1: time a fresh training of ours; 0: skip it),
BENCH_OUR_TRAIN_SECONDS (set by scripts/benchmark.sh when it had to train ours),
BENCH_REPORT (results/benchmark.md; the figures also go to the same name with .json).
"""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench import messages
from bench.assistants import Training, cold_start, our_model, say, start_ours, start_starter, train_ours, train_starter
from bench.load import LoadTool, Phase
from bench.procs import peak_rss_mib, rss_mib
from bench.profile import Profile, start_recording, summarise
from bench.report import key_lines, render
from bench.results import Run, Side
from tests.e2e.conftest import Stack
from tests.support.conversations import Member, texts
from tests.support.databases import temporary_postgres_database

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".bench-venv" / "bin"
PROCESS_NAMES = {  # in the order the report lists them
    "rasa": "Rasa server",
    "actions": "action server",
    "worker": "delivery worker",
    "receiver": "local webhook receiver (development only)",
}


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


# --- laptop mode: latency, memory, cold start, profiles ----------------------------------------


def check_scripts(ours: Stack) -> None:
    """Play each intake once and ask one question: the load must be what it claims to be."""
    for track, (start, answers) in messages.INTAKES.items():
        replies = Member(ours, f"bench-check-{track}", replicas=(0,)).answer(start, answers)
        if "Here's what I'll send" not in texts(replies):
            raise RuntimeError(f"the {track} intake did not reach the read-back: {texts(replies)[:300]}")
    answer = texts(say(ours.rasa_url, "bench-check-question", messages.our_questions()[0][0]))
    if "Source:" not in answer:
        raise RuntimeError(f"a catalogue question was not answered from the sheet: {answer[:300]}")


def resident(
    stack: Stack, kinds: tuple[str, ...] = tuple(PROCESS_NAMES), numbered: bool = False
) -> dict[str, tuple[float, float]]:
    """(MiB now, peak MiB) of each process, Rasa first; `numbered` names replicas 1, 2..."""
    found = {}
    for kind in kinds:
        for name, proc in stack.procs.items():
            base, _, index = name.partition("-")
            if base == kind:
                label = PROCESS_NAMES[kind] + (f" {int(index or 0) + 1}" if numbered else "")
                found[label] = (rss_mib(proc.pid), peak_rss_mib(proc.pid))
    return found


def latency_phases(plan: Plan, run: Run, tool: LoadTool, ours: Stack, starter: Stack, starter_dir: Path) -> None:
    our_questions, starter_questions = messages.our_questions(), messages.starter_questions(starter_dir)
    for users in plan.concurrency:
        step(f"Questions, {users} conversation(s) at once: ours, then the starter ({plan.seconds} s each)")
        run.ours.latency[f"question {users}"] = tool.run(
            f"ours question {users}", ours.rasa_urls[:1], our_questions, users, plan.seconds
        )
        run.starter.latency[f"question {users}"] = tool.run(
            f"starter question {users}", starter.rasa_urls[:1], starter_questions, users, plan.seconds, silence_ok=True
        )
    intakes = messages.intake_conversations()
    for users in plan.concurrency:
        step(f"Intake turns, {users} conversation(s) at once: ours ({plan.seconds} s)")
        run.ours.latency[f"intake {users}"] = tool.run(
            f"ours intake {users}", ours.rasa_urls[:1], intakes, users, plan.seconds
        )


def profile(
    plan: Plan, tool: LoadTool, stack: Stack, label: str, conversations: list[list[str]], silence_ok: bool = False
) -> tuple[Profile, Phase]:
    """py-spy on the Rasa server while one member talks: started 2 s into the phase (after Locust
    has started) and stopped 2 s before its end, so every sample falls in steady load."""
    out = plan.logs / f"profile-{label.replace(' ', '-')}.txt"
    out.unlink(missing_ok=True)
    py_spy, holder = BENCH_VENV / "py-spy", dict[str, subprocess.Popen]()
    pid = stack.procs["rasa"].pid

    def attach() -> None:
        holder["spy"] = start_recording(py_spy, pid, plan.profile_seconds, out)

    timer = threading.Timer(2.0, attach)
    timer.start()
    try:
        phase = tool.run(
            f"profile {label}", stack.rasa_urls[:1], conversations, 1, plan.profile_seconds + 4, silence_ok=silence_ok
        )
    finally:
        timer.cancel()
        timer.join()
        spy = holder.get("spy")
        said = spy.communicate(timeout=60)[0] if spy else "py-spy did not start"
    if not out.exists():
        raise RuntimeError(f"py-spy wrote no profile: {said.strip()[-500:]}")
    return summarise(out), phase


def profiles(plan: Plan, run: Run, tool: LoadTool, ours: Stack, starter: Stack, starter_dir: Path) -> None:
    step(f"Profiling one assistant's Rasa server at a time with py-spy ({plan.profile_seconds} s each)")
    wanted = [
        (run.ours, ours, "question", messages.our_questions()),
        (run.ours, ours, "intake", messages.intake_conversations()),
        (run.starter, starter, "question", messages.starter_questions(starter_dir)),
    ]
    for side, stack, kind, conversations in wanted:
        try:
            silence_ok = side is run.starter
            side.profiles[kind] = profile(plan, tool, stack, f"{side.name} {kind}", conversations, silence_ok)
        except (RuntimeError, OSError) as exc:  # a profiler that cannot attach must not cost the run
            run.meta[f"profile {side.name} {kind}"] = f"not profiled: {exc}"
            step(f"  {side.name} {kind}: not profiled ({exc})")


def laptop_mode(plan: Plan, run: Run, tmp: Path, tool: LoadTool, starter: Training) -> None:
    starter_dir = starter.model.parents[1]
    with ExitStack() as cleanup:
        step("Starting the starter assistant (laptop mode: conversations in memory)")
        theirs = start_starter(starter_dir, starter.model, plan.logs / "starter")
        cleanup.callback(theirs.stop)
        run.starter.cold_start = cold_start(theirs)
        step("Starting ours (laptop mode: Rasa, action server, delivery worker, local webhook receiver)")
        ours = start_ours(tmp / "ours", plan.logs / "ours", database_url=f"sqlite:///{tmp / 'cases.sqlite3'}")
        cleanup.callback(ours.stop)
        run.ours.cold_start = cold_start(ours)
        step(f"Cold start to first answer: ours {run.ours.cold_start:.1f} s, starter {run.starter.cold_start:.1f} s")
        check_scripts(ours)
        latency_phases(plan, run, tool, ours, theirs, starter_dir)
        run.ours.rss, run.starter.rss = resident(ours), resident(theirs)
        profiles(plan, run, tool, ours, theirs, starter_dir)
        step("Stopping laptop mode")


# --- production mode: throughput with one and two replicas --------------------------------------


def meter(stack: Stack) -> dict[str, int]:
    return {name: proc.pid for name, proc in stack.procs.items() if name.startswith(("rasa", "actions"))}


def production_mode(plan: Plan, run: Run, tmp: Path, tool: LoadTool, starter: Training) -> None:
    starter_dir = starter.model.parents[1]
    with ExitStack() as cleanup:
        step("Creating the benchmark's own PostgreSQL databases")
        cases = cleanup.enter_context(temporary_postgres_database("neu_bench_cases"))
        tracker = cleanup.enter_context(temporary_postgres_database("neu_bench_tracker"))
        starter_tracker = cleanup.enter_context(temporary_postgres_database("neu_bench_starter_tracker"))
        step("Starting ours in production mode: 2 Rasa replicas, 2 action servers (PostgreSQL + Redis)")
        ours = start_ours(
            tmp / "ours-production",
            plan.logs / "ours-production",
            database_url=cases,
            tracker_store_url=tracker,
            replicas=2,
        )
        cleanup.callback(ours.stop)
        step("Starting the starter in production mode: 2 Rasa replicas (PostgreSQL + Redis)")
        theirs = start_starter(
            starter_dir, starter.model, plan.logs / "starter-production", tracker_store_url=starter_tracker, replicas=2
        )
        cleanup.callback(theirs.stop)
        for url in ours.rasa_urls + theirs.rasa_urls:
            say(url, "bench-warm-up", "hello")
        sides = (
            (run.ours, ours, messages.our_questions()),
            (run.starter, theirs, messages.starter_questions(starter_dir)),
        )
        for replicas in (1, 2):
            for side, stack, questions in sides:
                step(
                    f"Throughput, {side.name}, {replicas} replica(s), {plan.throughput_users} conversations ({plan.seconds} s)"
                )
                side.throughput[replicas] = tool.run(
                    f"{side.name} throughput {replicas}",
                    stack.rasa_urls[:replicas],
                    questions,
                    plan.throughput_users,
                    plan.seconds,
                    meter(stack),
                    silence_ok=side is run.starter,
                )
        run.ours.replica_rss = resident(ours, ("rasa", "actions"), numbered=True)
        run.starter.replica_rss = resident(theirs, ("rasa",), numbered=True)
        step("Stopping production mode and dropping the databases")


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
    print(f"\nReport: {plan.report.relative_to(ROOT)} (logs: {plan.logs.relative_to(ROOT)}/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
