"""Where a message's time goes inside the Rasa server: py-spy samples, charged to components.

py-spy (from PyPI, in .bench-venv) attaches to the running server for a few
seconds of sequential load and writes every sampled stack ("raw" format: one
line per distinct stack, frames from the root, then a count). Idle samples are
kept (`--idle`), so the shares add up to the server's wall time. Each sample is
charged to the innermost frame that names a component (RULES, checked in
order), so time in TensorFlow under DIET counts as DIET, and time in jsonschema
under Rasa's action-response check counts as that check.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# (what the report calls it, a regular expression over one frame "function (path:line)")
RULES: list[tuple[str, str]] = [
    (
        "Rasa re-checking each custom action's reply against its JSON schema (jsonschema)",
        r"^_validate_action_result \(rasa/core/actions/action\.py",
    ),
    ("HTTP client to the action server (aiohttp)", r"\(aiohttp/"),
    ("responses (NLG: templates, slots filled in)", r"\(rasa/core/nlg/"),
    ("forms: Rasa's form loop", r"\(rasa/core/actions/(forms|loops)\.py"),
    ("actions: custom-action call and built-in actions", r"\(rasa/core/actions/"),
    ("NLU: DIET intent classifier", r"\(rasa/nlu/classifiers/diet_classifier\.py"),
    ("NLU: response selector (FAQ answers)", r"\(rasa/nlu/selectors/"),
    ("NLU: tokeniser and featurisers", r"\(rasa/nlu/(featurizers|tokenizers)/"),
    ("NLU: other components (fallback, safety override)", r"\((rasa/nlu/|rasa_addons/safety_override)"),
    ("policies: TED", r"\(rasa/core/policies/ted_policy\.py"),
    ("policies: featurising the conversation", r"\(rasa/core/featurizers/"),
    ("policies: rules, memoization, ensemble", r"\(rasa/core/policies/"),
    ("Rasa's graph runner (dask)", r"\((rasa/engine/|dask/)"),
    ("tracker store: loading and saving the conversation", r"tracker_store\.py"),
    ("lock store", r"\(rasa/core/lock_store\.py"),
    ("our REST channel and add-ons (rasa_addons)", r"\(rasa_addons/"),
    ("Rasa's message processor (events, tracker updates)", r"\((rasa/core/processor\.py|rasa/shared/core/)"),
    ("REST channel and HTTP server (Sanic)", r"\((sanic/|rasa/core/channels/|rasa/server\.py)"),
]
_COMPILED = [(label, re.compile(pattern)) for label, pattern in RULES]
# The event loop (uvloop, in C) waiting: Sanic's serve() is then the innermost Python frame.
IDLE = "idle: waiting for a request or an I/O reply"
_IDLE_LEAF = re.compile(r"^(serve \(sanic/server/runners\.py|select \(|poll \(|epoll)")
OTHER = "other"
# Single functions worth a line of their own in the report (inclusive time: themselves and below).
SPOTLIGHT: dict[str, str] = {
    "jsonschema `check_schema`: validating the schema itself, on every `validate()` call": r"^check_schema \(jsonschema/",
    "TensorFlow running the DIET and TED graphs (`quick_execute`)": r"^quick_execute \(tensorflow/",
    "aiohttp opening a new connection to the action server": r"^_wrap_create_connection \(aiohttp/",
}


@dataclass
class Profile:
    """Shares of the sampled time per component, and the functions with the most samples
    in themselves (self time: the frame on top of the stack)."""

    samples: int
    shares: list[tuple[str, float]]
    hottest: list[tuple[str, float]]
    spotlight: dict[str, float]


def start_recording(py_spy: Path, pid: int, seconds: int, out: Path) -> subprocess.Popen:
    """py-spy record on a running process (needs ptrace; root in a container has it).
    Its few lines of output are piped: `communicate()` them once the load phase is over."""
    cmd = [str(py_spy), "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "100",
           "--format", "raw", "--idle", "--output", str(out)]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def component(frames: list[str]) -> str:
    """The innermost frame that names a component decides where the sample goes."""
    if _IDLE_LEAF.search(frames[-1]):
        return IDLE
    for frame in reversed(frames):
        for label, pattern in _COMPILED:
            if pattern.search(frame):
                return label
    return OTHER


def _function(frame: str) -> str:
    return re.sub(r":\d+\)$", ")", frame)


def read_raw(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def summarise(path: Path, top: int = 8) -> Profile:
    """Shares by component, and the functions with the most self time (idle left out)."""
    stacks = read_raw(path)
    total = sum(count for _, count in stacks) or 1
    by_component: Counter[str] = Counter()
    own: Counter[str] = Counter()
    spotlight: Counter[str] = Counter()
    for frames, count in stacks:
        for label, pattern in SPOTLIGHT.items():
            if any(re.search(pattern, frame) for frame in frames):
                spotlight[label] += count
        where = component(frames)
        by_component[where] += count
        if where != IDLE:
            own[_function(frames[-1])] += count
    shares = [(label, count / total) for label, count in by_component.most_common()]
    hottest = [(name, count / total) for name, count in own.most_common(top)]
    return Profile(total, shares, hottest, {label: spotlight[label] / total for label in SPOTLIGHT})
