"""Run one long step quietly: everything it prints goes to a log file, the console sees progress.

    python scripts/progress.py --label "Training the model" --log var/log/train.log \
        [--history models/.training.json] [--usual "6-12 minutes on 2 cores"] -- COMMAND...

Why: a newcomer's first `make run` trains for minutes, and Rasa, TensorFlow and friends
print screens of deprecation and user warnings meanwhile. Here the step's output
(stdout and stderr) goes to its own log file, and the console gets:

- on a terminal, one line rewritten every half second: a spinner, the elapsed time, the
  stage read from the log (for `rasa train`: reading the data, NLU or dialogue policies,
  the component and its epoch) and the time left, from the last run of the same step on
  this machine (`--history`, a JSON file written after each success) or, the first time,
  from the current component's epochs so far (the header gives the usual range, `--usual`);
- elsewhere (a pipe, a file, CI), a line when the stage changes and now and then (one a
  minute at first, then fewer: a half-hour training stays a short screen);
- on failure, the step's output in full but for warnings and progress bars, so a real
  error reads as it was printed (the whole log stays in the file);
- with VERBOSE=1, everything the step prints, as it prints it (and the log as well).

A signal (Ctrl-C, SIGTERM, SIGHUP) stops the step's process before this one exits, and
so does a console whose reader has gone (a broken pipe), so nothing trains on unseen.
Standard library only: it also shows the first `pip install`, before the venv exists.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

TICK_SECONDS = 0.5
LINE_EVERY_SECONDS = 60.0
LINE_AT_MOST_EVERY_SECONDS = 300.0
STOP_SECONDS = 15.0
SPINNER = "|/-\\"
PR_SET_PDEATHSIG = 1

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
YELLOW_SPAN = re.compile(r"\x1b\[93m.*?(?:\x1b\[0m|\Z)", re.S)  # rasa.shared.utils.io.raise_warning / print_warning
BAR = re.compile(r"^\s*(?P<desc>[^|\r\n]*?):?\s+(?P<pct>\d+)%\|[^|]*\|\s*(?P<n>\d+)/(?P<total>\d+)")
START = re.compile(r"Starting to train component '([^']+)'")
RESTORED = re.compile(r"Restored component '([^']+)' from cache")
FINISHED = re.compile(r"Finished training component '([^']+)'")
PIP_COLLECTING = re.compile(r"^Collecting (\S+)")
PIP_INSTALLING = re.compile(r"^Installing collected packages")
WARNING_HEADER = re.compile(r"^\S.*:\d+: [A-Za-z]*Warning: ")
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[,.]\d+)?\s+(?P<level>[A-Z]+)\b")
QUIET_LEVELS = frozenset({"DEBUG", "INFO", "WARNING"})
LOOKS_LIKE_ERROR = re.compile(r"^(Traceback|\w+(Error|Exception)\b)|^\d{4}-\d\d-\d\d")
WARNING_LINES = 4


# --- reading the step's log -------------------------------------------------------------


@dataclass
class Stage:
    """What the step is doing, as far as its log tells: Rasa's training hooks log each
    component they train, and its progress bars (tqdm) count epochs and trackers."""

    name: str = "starting"
    component: str | None = None
    detail: str | None = None
    component_started: float = 0.0
    epochs: tuple[int, int] | None = None  # the current component's (done, all)

    def feed(self, fragment: str, now: float = 0.0) -> None:
        text = ANSI.sub("", fragment)
        if match := START.search(text):
            self.component, self.detail, self.epochs, self.component_started = match[1], None, None, now
            self.name = "dialogue policies" if match[1].endswith("Policy") else "NLU"
        elif match := RESTORED.search(text):
            self.detail = f"{match[1]} restored from the cache"
        elif FINISHED.search(text):
            self.detail = "finished"
        elif match := PIP_COLLECTING.match(text):
            self.name, self.detail = "downloading", match[1]
        elif PIP_INSTALLING.match(text):
            self.name, self.detail = "installing", None
        elif match := BAR.match(text):
            desc = match["desc"].strip()
            what = "epoch " if desc == "Epochs" else f"{desc} " if desc else ""
            self.detail = f"{what}{match['n']}/{match['total']}"
            if desc == "Epochs":
                self.epochs = (int(match["n"]), int(match["total"]))
            if self.name in ("starting", "working", "preparing the data"):
                self.name = "preparing the data" if desc.startswith("Processed") else "working"

    def component_left(self, now: float) -> str:
        """With no history to go by: the current component's time left, from its epochs so far."""
        if not self.component or not self.epochs or self.epochs[0] < 2 or self.epochs[0] >= self.epochs[1]:
            return ""
        done, total = self.epochs
        left = (now - self.component_started) / done * (total - done)
        rounded = "under a minute" if left < 60 else f"about {round(left / 60)} min"
        return f"{self.component}: {rounded} more"

    def describe(self) -> str:
        parts = [self.name]
        if self.component:
            parts[0] += f": {self.component}"
        if self.detail:
            parts.append(self.detail)
        return ", ".join(parts)


@dataclass
class LogFollower:
    """Reads what the step appended to its log since the last look, fragment by fragment
    (a progress bar rewrites its line with carriage returns, so both \\r and \\n end one)."""

    path: Path
    offset: int = 0
    partial: str = ""

    def new_fragments(self) -> list[str]:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except OSError:
            return []
        self.offset += len(data)
        pieces = re.split(r"[\r\n]", self.partial + data.decode("utf-8", "replace"))
        self.partial = pieces.pop()
        return [p for p in pieces if p.strip()] + ([self.partial] if BAR.match(ANSI.sub("", self.partial)) else [])


def errors_in(text: str) -> list[str]:
    """The log without warnings, progress bars and routine log records: what a failure said."""
    text = YELLOW_SPAN.sub("", text)
    lines: list[str] = []
    in_warning, swallowed = False, 0
    for raw in text.splitlines():
        line = ANSI.sub("", raw.split("\r")[-1]).rstrip()
        if WARNING_HEADER.match(line):
            in_warning, swallowed = True, 0
            continue
        if in_warning:
            # A warning's message may run over a few lines; the source line it quotes (indented)
            # ends it. Nothing that looks like an error is ever taken for part of a warning.
            if line[:1].isspace():
                in_warning = False
                continue
            if swallowed < WARNING_LINES and not LOOKS_LIKE_ERROR.match(line):
                swallowed += 1
                continue
            in_warning = False
        record = LOG_RECORD.match(line)
        if not line.strip() or BAR.match(line) or (record and record["level"] in QUIET_LEVELS):
            continue
        lines.append(line)
    return lines


def count_warnings(text: str) -> int:
    plain = ANSI.sub("", text)
    records = sum(1 for line in plain.splitlines() if (m := LOG_RECORD.match(line)) and m["level"] == "WARNING")
    return records + sum(1 for line in plain.splitlines() if WARNING_HEADER.match(line))


# --- time ---------------------------------------------------------------------------------


def clock(seconds: float) -> str:
    """7m 05s; 42s."""
    seconds = int(seconds)
    return f"{seconds // 60}m {seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def time_left(elapsed: float, expected: float | None) -> str:
    if expected is None:
        return ""
    left = expected - elapsed
    if left <= 0:
        return f"longer than last time ({clock(expected)})"
    if left < 60:
        return "under a minute left"
    return f"about {round(left / 60)} min left"


@dataclass
class History:
    """How long the step took last time on this machine (a JSON file beside its output)."""

    path: Path | None

    def seconds(self) -> float | None:
        if self.path is None:
            return None
        try:
            value = json.loads(self.path.read_text())["seconds"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return float(value) if isinstance(value, int | float) and value > 0 else None

    def record(self, seconds: float) -> None:
        if self.path is None:
            return
        entry = {
            "seconds": round(seconds, 1),
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(entry) + "\n")


# --- the console -----------------------------------------------------------------------------


class ConsoleGone(Exception):
    """The console's reader went away (a broken pipe)."""


@dataclass
class Console:
    """One rewritten line on a terminal; sparse whole lines anywhere else."""

    out: IO[str]
    tty: bool
    expected: float | None
    printed_at: float = 0.0
    printed_stage: str = "starting"
    ticks: int = 0
    on_line: bool = False
    stage_lines: bool = True  # off a terminal, a line at each new stage (else only the sparse ones)
    lines: int = 0

    def write(self, text: str) -> None:
        try:
            self.out.write(text)
            self.out.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ConsoleGone from exc

    def say(self, line: str) -> None:
        self.clear()
        self.write(line + "\n")

    def clear(self) -> None:
        if self.on_line:
            self.write("\r\x1b[K")
            self.on_line = False

    def show(self, elapsed: float, stage: Stage, now: float = 0.0) -> None:
        left = time_left(elapsed, self.expected) or stage.component_left(now)
        if self.tty:
            self.ticks += 1
            line = f"  {SPINNER[self.ticks % len(SPINNER)]} {clock(elapsed)}  {stage.describe()}" + (f"  ({left})" if left else "")
            self.write("\r\x1b[K" + line[: terminal_width() - 1])
            self.on_line = True
        elif (self.stage_lines and stage.name != self.printed_stage) or elapsed - self.printed_at >= self.every():
            self.say(f"  {clock(elapsed)}  {stage.describe()}" + (f"  ({left})" if left else ""))
            self.printed_stage, self.printed_at = stage.name, elapsed
            self.lines += 1

    def every(self) -> float:
        """Seconds between lines off a terminal: one a minute at first, then fewer and fewer
        (at most one every five minutes), so even a half-hour training stays a short screen."""
        return min(LINE_EVERY_SECONDS * 1.5 ** self.lines, LINE_AT_MOST_EVERY_SECONDS)


def terminal_width() -> int:
    """The terminal's columns; 100 when it says none (a fresh pseudo-terminal says 0)."""
    columns = shutil.get_terminal_size((100, 20)).columns
    return columns if columns >= 40 else 100


def is_terminal(out: IO[str]) -> bool:
    return out.isatty() and os.environ.get("TERM", "") != "dumb"


# --- running the step -----------------------------------------------------------------------


def _die_with_us() -> None:
    """In the child: SIGTERM if this runner dies without stopping it (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


@dataclass
class Step:
    label: str
    log: Path
    command: Sequence[str]
    history: History
    usual: str
    verbose: bool = False
    console: Console = field(init=False)
    proc: subprocess.Popen[bytes] | None = None
    stop_signal: int | None = None
    summary: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        self.console = Console(sys.stdout, is_terminal(sys.stdout) and not self.verbose, self.history.seconds())

    def run(self) -> int:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.console.say(f"{self.label}: {self._expectation()}. Log: {_shown(self.log)}")
        started = time.monotonic()
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, self._on_signal)
        try:
            status = self._run_verbose() if self.verbose else self._run_quiet(started)
        except ConsoleGone:
            self._stop_child()
            _die_by(signal.SIGPIPE)
        elapsed = time.monotonic() - started
        if self.stop_signal is not None:
            self._report_quietly(f"{self.label}: stopped after {clock(elapsed)}.")
            _die_by(self.stop_signal)
        return self._finish(status, elapsed)

    def _expectation(self) -> str:
        expected = self.history.seconds()
        if expected is not None:
            return f"about {clock(expected)}, as the last time on this machine"
        return f"usually {self.usual}" if self.usual else "no estimate yet"

    def _start(self, stdout: Any) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            list(self.command), stdout=stdout, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, preexec_fn=_die_with_us,
        )
        return self.proc

    def _run_quiet(self, started: float) -> int:
        follower, stage = LogFollower(self.log), Stage()
        with self.log.open("wb") as log:
            proc = self._start(log)
            while proc.poll() is None and self.stop_signal is None:
                now = time.monotonic()
                for fragment in follower.new_fragments():
                    stage.feed(fragment, now)
                self.console.show(now - started, stage, now)
                time.sleep(TICK_SECONDS)
        self._stop_child()
        self.console.clear()
        return proc.wait()

    def _run_verbose(self) -> int:
        with self.log.open("wb") as log:
            proc = self._start(subprocess.PIPE)
            assert proc.stdout is not None
            for chunk in iter(lambda: proc.stdout.read1(65536), b""):  # type: ignore[union-attr]
                log.write(chunk)
                self.console.write(chunk.decode("utf-8", "replace"))
        self._stop_child()
        return _exit_status(proc.wait())

    def _finish(self, status: int, elapsed: float) -> int:
        text = self.log.read_text("utf-8", "replace") if self.log.exists() else ""
        if status == 0:
            self.history.record(elapsed)
            warnings = count_warnings(text)
            note = f"; {warnings} warning{'s' * (warnings != 1)} in the log" if warnings and not self.verbose else ""
            self.console.say(f"  done in {clock(elapsed)}{note}")
            for line in self._summary_lines(text):
                self.console.say(f"  {line}")
            return 0
        self.console.say(f"{self.label} failed after {clock(elapsed)} (exit status {status}).")
        if not self.verbose:
            errors = errors_in(text) or [line.rstrip() for line in text.splitlines()[-40:]]
            self.console.say(f"What it printed, without warnings and progress bars (all of it: {_shown(self.log)}):")
            for line in errors:
                self.console.say(line)
        return status

    def _summary_lines(self, text: str) -> list[str]:
        """The log lines --summary asks for, without their log-record prefix."""
        if self.summary is None or self.verbose:
            return []
        plain = (ANSI.sub("", line).strip() for line in text.splitlines())
        return [re.sub(r"^.*? - \s*", "", line) for line in plain if self.summary.search(line)]

    def _on_signal(self, number: int, _frame: object) -> None:
        self.stop_signal = number
        if self.verbose:
            self._stop_child()

    def _stop_child(self) -> None:
        """SIGTERM, then SIGKILL if it is still there after STOP_SECONDS."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _report_quietly(self, line: str) -> None:
        with contextlib.suppress(ConsoleGone):
            self.console.say(line)


def _exit_status(returncode: int) -> int:
    """Popen's -N for "killed by signal N" as a shell says it: 128 + N."""
    return 128 - returncode if returncode < 0 else returncode


def _die_by(number: int) -> None:
    """Exit as killed by the signal, so a calling shell sees what happened (and stops too)."""
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
    sys.exit(128 + number)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python scripts/progress.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True, help="what the step does, e.g. 'Training the model'")
    parser.add_argument("--log", type=Path, required=True, help="where the step's output goes")
    parser.add_argument("--history", type=Path, help="JSON file with the last run's duration (read, then rewritten)")
    parser.add_argument("--usual", default="", help="the honest range when there is no history, e.g. '6-12 minutes'")
    parser.add_argument("--summary", default="", help="after success, also print the log lines matching this regex")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("no command given (after --)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    verbose = os.environ.get("VERBOSE", "0") not in ("", "0")
    step = Step(args.label, args.log, args.command, History(args.history), args.usual, verbose)
    step.summary = re.compile(args.summary) if args.summary else None
    return step.run()


if __name__ == "__main__":
    sys.exit(main())
