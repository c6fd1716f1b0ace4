"""The two halves of a run: laptop mode (latency, memory, cold start, profiles) and
production mode (throughput with one and two replicas on PostgreSQL and Redis).

Each half starts both assistants, measures, and stops them again on the way out,
whatever happens (ExitStack), so an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import subprocess
import threading
from contextlib import ExitStack
from pathlib import Path

from bench import messages
from bench.assistants import Training, cold_start, say, start_ours, start_starter
from bench.load import LoadTool, Phase
from bench.plan import BENCH_VENV, Plan, step
from bench.procs import peak_rss_mib, rss_mib
from bench.profile import Profile, start_recording, summarise
from bench.results import Run
from tests.support.conversations import Member
from tests.support.databases import temporary_postgres_database
from tests.support.replies import texts
from tests.support.stack import Stack

PROCESS_NAMES = {  # in the order the report lists them
    "rasa": "Rasa server",
    "actions": "action server",
    "worker": "delivery worker",
    "receiver": "local webhook receiver (development only)",
}


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
