"""The benchmark's arithmetic and bookkeeping (bench/), without starting anything: the numbers
in results/benchmark.md are only as good as the percentile, window and profile code below."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import messages
from bench.load import percentile, summarise
from bench.procs import CpuMeter, cpu_seconds, rss_mib
from bench.profile import IDLE, component
from bench.profile import summarise as summarise_profile


def test_percentile_is_nearest_rank_over_what_was_measured():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
    assert math.isnan(percentile([], 0.5))


def test_phase_counts_failures_apart_and_throughput_inside_the_window():
    recorded = {
        "window": {"start": 100.0, "stop": 110.0},
        "samples": [[101.0, 50.0, True], [105.0, 70.0, True], [109.0, 90.0, True], [111.0, 500.0, True], [106.0, 9.0, False]],
    }
    phase = summarise("ours question 8", 8, recorded, {})
    assert (phase.answered, phase.failed) == (4, 1)
    assert phase.p50 == 70.0 and phase.p95 == 500.0
    assert phase.throughput == 0.3  # 3 answers ended inside 10 s; the late one and the failure do not count


def test_profile_charges_each_sample_to_the_innermost_component(tmp_path: Path):
    serve = "serve (sanic/server/runners.py:10)"
    check = "_validate_action_result (rasa/core/actions/action.py:704)"
    raw = tmp_path / "raw.txt"
    raw.write_text(
        f"{serve};handle (rasa_addons/rest.py:1);run (rasa/core/actions/action.py:790);{check};check_schema (jsonschema/validators.py:3) 3\n"
        f"{serve};_predict (rasa/nlu/classifiers/diet_classifier.py:1);quick_execute (tensorflow/python/eager/execute.py:5) 1\n"
        f"{serve} 1\n"
    )
    assert component([serve]) == IDLE
    profile = summarise_profile(raw)
    assert profile.samples == 5
    assert profile.shares[0] == ("Rasa re-checking each custom action's reply against its JSON schema (jsonschema)", 0.6)
    assert dict(profile.shares)["NLU: DIET intent classifier"] == 0.2
    assert dict(profile.shares)[IDLE] == 0.2
    assert next(v for k, v in profile.spotlight.items() if "check_schema" in k) == 0.6


def test_every_intake_script_answers_every_question_it_will_be_asked():
    conversations = messages.intake_conversations()
    assert [len(c) for c in conversations] == [1 + len(answers) for _, answers in messages.INTAKES.values()]
    assert all(all(isinstance(m, str) and m for m in c) for c in conversations)


def test_question_conversations_are_short_and_come_from_the_catalogue():
    conversations = messages.our_questions()
    assert conversations and all(len(c) == messages.QUESTIONS_PER_CONVERSATION for c in conversations)
    assert "Can I accept a friend request from a pupil?" in {m for c in conversations for m in c}


def test_process_figures_come_from_proc():
    me = os.getpid()
    assert rss_mib(me) > 1 and cpu_seconds(me) > 0
    # A busy child (this process stays idle, as the orchestrator does while Locust runs).
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        meter = CpuMeter({"busy": busy.pid}, interval=0.1)
        meter.start()
        time.sleep(1.0)
        meter.stop()
    finally:
        busy.kill()
        busy.wait()
    used = meter.usage()
    assert used["busy"] > 0.3 and 0 <= used["whole machine"] <= (os.cpu_count() or 1) + 0.01
    assert set(used) >= {"busy", "PostgreSQL", "Redis", "other processes", "whole machine"}
