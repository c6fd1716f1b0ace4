"""Locust users for the benchmark: each user is one member after another, talking over the REST channel.

Runs in .bench-venv with nothing but Locust and the standard library. The phase
is described by a JSON file named in BENCH_SCENARIO:

    {"name": "question", "hosts": ["http://127.0.0.1:PORT", ...],
     "conversations": [["message", ...], ...], "out": "/path/samples.json",
     "silence_ok": false}

A user sends its conversation's messages one after the other, each as soon as
the previous reply arrives (no think time: the point is the server's cost), then
starts a new conversation with a new sender id. User i talks to hosts[i % n]
for all its conversations: two replicas get the conversations round-robin, with
no proxy in between. Every request's end time, duration and outcome is written
to `out` when Locust quits, so the percentiles are exact (Locust's own summary
rounds them) and throughput is counted over the run's own window.

An empty reply is a failure for ours (every message must be answered), but
Rasa's starter assistant stays silent by design on some of its own examples
("yes" or "no" out of context): with `silence_ok` those count as answered (the
whole pipeline ran) and are counted apart as silent.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, constant, events, task

SCENARIO: dict[str, Any] = json.loads(Path(os.environ["BENCH_SCENARIO"]).read_text())
TRY_AGAIN = "please try again in a moment"  # the assistant's reply to a turn it could not complete

_users = itertools.count()
_conversations = itertools.count()
_samples: list[tuple[float, float, bool]] = []
_window: dict[str, float] = {}
_silent = [0]


@events.request.add_listener
def _record(response_time: float, exception: Exception | None = None, **_: Any) -> None:
    _samples.append((time.time(), response_time, exception is None))


@events.test_start.add_listener
def _started(**_: Any) -> None:
    _window["start"] = time.time()


@events.test_stop.add_listener
def _stopped(**_: Any) -> None:
    _window["stop"] = time.time()


@events.quitting.add_listener
def _write(**_: Any) -> None:
    Path(SCENARIO["out"]).write_text(json.dumps({"window": _window, "samples": _samples, "silent": _silent[0]}))


def problem_with(status: int, body: str) -> str | None:
    """Why a reply does not count as an answer (None if it does)."""
    if status != 200:
        return f"HTTP {status}"
    try:
        replies = json.loads(body)
    except ValueError:
        return "not JSON"
    if not replies:
        if SCENARIO.get("silence_ok"):
            _silent[0] += 1
            return None
        return "no reply"
    if any(TRY_AGAIN in (reply.get("text") or "") for reply in replies):
        return "try again"
    return None


class Member(FastHttpUser):
    """One simulated member at a time; a new conversation when the script runs out."""

    wait_time = constant(0)
    host = SCENARIO["hosts"][0]
    network_timeout = 120.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        hosts = SCENARIO["hosts"]
        self.url = f"{hosts[next(_users) % len(hosts)]}/webhooks/rest/webhook"

    @task
    def converse(self) -> None:
        scripts = SCENARIO["conversations"]
        script = scripts[next(_conversations) % len(scripts)]
        sender = f"bench-{uuid.uuid4().hex[:16]}"
        for message in script:
            self.say(sender, message)

    def say(self, sender: str, message: str) -> None:
        payload = {"sender": sender, "message": message}
        with self.client.post(self.url, json=payload, name=SCENARIO["name"], catch_response=True) as reply:
            problem = problem_with(reply.status_code, reply.text or "")
            if problem:
                reply.failure(problem)
            else:
                reply.success()
