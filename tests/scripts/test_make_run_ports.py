"""A taken port stops `make run` before anything starts, and says what to do (issue 15).

The message names the port, the part that needed it, the variable that moves it (with
a free value to try), and, when the holder is one of ours, its pid and the command that
stops it. And a part counts as up only when the process answering on its port is one
this run started (scripts/parts.py wait, as scripts/run.sh calls it), so "The assistant
is running" never rests on a stranger's health check.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.make_run import ROOT, RUNNING, MakeRun, copy_checkout, parts
from tests.support.net import free_port
from tests.support.stack import VENV_BIN


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path / "checkout")


@contextmanager
def receiver_on(port: int, cwd: Path, store: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The local receiver as an earlier `make run` from `cwd` would have left it."""
    env = {**os.environ, "HANDOFF_WEBHOOK_SECRET": "left-behind"}
    proc = subprocess.Popen([str(VENV_BIN / "python"), "-m", "devtools.fake_receiver", "--port", str(port),
                             "--store", str(store)], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_listening(port)
        yield proc
    finally:
        proc.terminate()
        proc.wait(20)


def wait_listening(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not parts.listening_inodes(port):
        assert time.monotonic() < deadline, f"nothing listens on {port}"
        time.sleep(0.2)


def finished(run: MakeRun, seconds: float = 60) -> str:
    started = time.monotonic()
    assert run.wait_exit(seconds) != 0
    out = run.output()
    assert RUNNING not in out
    assert "Nothing was started." in out, out
    assert time.monotonic() - started < seconds
    return out


def nothing_started(run: MakeRun, held: set[int]) -> None:
    assert not (run.checkout / "var" / "log" / "rasa.log").exists()
    assert [p for p in run.planned_ports - held if parts.listening_inodes(p)] == []
    assert run.members() == set()


def test_a_port_held_by_another_program_is_named_with_its_variable(checkout: Path) -> None:
    run = MakeRun(checkout)
    web = run.ports["WEB_PORT"]
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", web))
        holder.listen()
        out = finished(run.start_to_file())
        nothing_started(run, {web})
    assert f"Port {web} is taken, so the web chat and inbox cannot start there." in out, out
    assert f"It is held by pid {os.getpid()}: " in out and "(not part of this assistant)" in out, out
    assert "Or move this run: WEB_PORT=" in out, out


def test_parts_left_behind_are_named_with_their_pid_and_how_to_stop_them(checkout: Path, tmp_path: Path) -> None:
    run = MakeRun(checkout)
    here, elsewhere = run.ports["RECEIVER_PORT"], run.ports["ACTION_PORT"]
    with receiver_on(here, checkout, tmp_path / "a.jsonl") as ours, \
            receiver_on(elsewhere, ROOT, tmp_path / "b.jsonl") as another_checkouts:
        out = finished(run.start_to_file())
        nothing_started(run, {here, elsewhere})
    assert f"Port {here} is taken, so the local handoff receiver cannot start there." in out, out
    assert f"left behind by an earlier `make run` in this checkout: pid {ours.pid} " in out, out
    assert f"Stop it: kill {ours.pid}" in out, out
    assert "Or move this run: RECEIVER_PORT=" in out, out
    assert f"Port {elsewhere} is taken, so the action server cannot start there." in out, out
    assert f"of this assistant started from {ROOT}: pid {another_checkouts.pid} " in out, out
    assert "Or move this run: ACTION_PORT=" in out, out


# --- up means answering from this run's process group ---------------------------------------


def wait_command(group: int, port: int, pid: int, log: Path) -> list[str]:
    spec = f"the web chat and inbox|WEB_PORT|0|{port}|127.0.0.1|http://127.0.0.1:{port}/|{pid}|{log}"
    return [sys.executable, str(ROOT / "scripts" / "parts.py"), "wait", str(group), spec]


@contextmanager
def web_server(port: int, new_session: bool, cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=new_session)
    try:
        wait_listening(port)
        yield proc
    finally:
        proc.terminate()
        proc.wait(20)


def test_a_part_is_up_only_when_what_answers_is_one_this_run_started(tmp_path: Path) -> None:
    port, group = free_port(), os.getpgrp()
    with subprocess.Popen(["sleep", "120"]) as ours:  # the part this run started, still loading
        try:
            with web_server(port, new_session=True, cwd=tmp_path) as stranger:
                refused = subprocess.run(wait_command(group, port, ours.pid, tmp_path / "web.log"),
                                         capture_output=True, text=True, timeout=60)
            with web_server(port, new_session=False, cwd=tmp_path):
                accepted = subprocess.run(wait_command(group, port, ours.pid, tmp_path / "web.log"),
                                          capture_output=True, text=True, timeout=60)
        finally:
            ours.kill()
    assert refused.returncode == 1
    assert f"Port {port} answers, but not from the web chat and inbox this run started: pid {stranger.pid}" in refused.stderr
    assert "WEB_PORT" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


def test_a_part_that_dies_while_starting_is_named_with_its_last_words(tmp_path: Path) -> None:
    log = tmp_path / "web.log"
    log.write_text("Traceback (most recent call last):\n  File \"x.py\", line 1\nOSError: [Errno 98] Address already in use\n")
    dead = subprocess.Popen(["true"])
    dead.wait()
    result = subprocess.run(wait_command(os.getpgrp(), free_port(), dead.pid, log), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "The web chat and inbox stopped while starting." in result.stderr
    assert "OSError: [Errno 98] Address already in use" in result.stderr


def test_two_parts_set_to_one_port_are_named_before_anything_starts(checkout: Path) -> None:
    run = MakeRun(checkout)
    run.ports["WEB_PORT"] = run.ports["RASA_PORT"]
    out = finished(run.start_to_file())
    nothing_started(run, set())
    port = run.ports["RASA_PORT"]
    assert f"Port {port} is set for both the Rasa server (RASA_PORT) and the web chat and inbox (WEB_PORT)" in out, out


def test_an_action_endpoint_left_on_another_port_is_named_before_anything_starts(checkout: Path) -> None:
    """An older .env pins ACTION_ENDPOINT_URL to 5055: moved off a taken 5055, Rasa would call that one."""
    run = MakeRun(checkout, endpoint_from_ports=False)
    elsewhere = free_port()
    (checkout / ".env").write_text((ROOT / ".env.example").read_text().replace(
        "ACTION_ENDPOINT_URL=\n", f"ACTION_ENDPOINT_URL=http://127.0.0.1:{elsewhere}/webhook\n"))
    out = finished(run.start_to_file(), seconds=120)
    nothing_started(run, set())
    assert (f"ACTION_ENDPOINT_URL (http://127.0.0.1:{elsewhere}/webhook) points at port {elsewhere}, but this run "
            f"starts the action server on {run.ports['ACTION_PORT']} (ACTION_PORT)") in out, out
