"""`make run` stops every process it started, whatever ends it (issue 15).

Each test runs the real `make run` in a copy of this checkout on free ports, waits for
"The assistant is running", notes every process of the stack and every port they listen
on, ends the run one way, and then asserts that each of those processes is gone and
nothing listens on any of those ports:

- Ctrl-C after the reader of `make run | tee` has died (the case that once left the
  local receiver on port 5056): the reader is killed, then SIGINT goes to the job's
  process group, as a terminal sends it;
- a closed terminal: `make run` leading a session on a pseudo-terminal whose master side
  is then closed (the kernel tells make alone, as with `ssh -t host make run`), and SIGHUP
  to the job's group (what an interactive shell sends its jobs when its terminal closes);
- one part killed (SIGKILL to the local receiver): `make run` says which part stopped
  and stops the rest by itself.

None of them may need SIGKILL to stop a part: every part stops on SIGTERM.
The first run also checks that every port the stack opens listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.doors import only_on_loopback
from tests.support.make_run import (
    RUNNING,
    MakeRun,
    assert_all_stopped,
    copy_checkout,
    lines_between,
    model_is_current,
)


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    if not model_is_current():
        pytest.fail("models/current.tar.gz is missing or out of date: run `make train` (make test trains first)")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_checkout(tmp_path / "checkout")


@pytest.fixture(scope="module")
def piped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MakeRun]:
    """`make run 2>&1 | tee console.log`, up and running, from a .env whose secrets begin
    with "-" (a urlsafe token can: it once made `rasa run --auth-token` fail to start)."""
    checkout = copy_checkout(tmp_path_factory.mktemp("piped") / "checkout")
    env = (checkout / ".env.example").read_text()
    for name, value in DASHED.items():
        env = re.sub(rf"^{name}=.*$", f"{name}={value}", env, flags=re.M)
    (checkout / ".env").write_text(env)
    run = MakeRun(checkout)
    try:
        run.start_piped_to_tee().wait_for(RUNNING)
        yield run
    finally:
        run.clean_up()


DASHED = {"RASA_AUTH_TOKEN": "-dash-first-api-token", "ACTION_SERVER_TOKEN": "--dash-first-action-token"}


def test_secrets_beginning_with_a_dash_start_and_authenticate(piped: MakeRun) -> None:
    status = f"http://127.0.0.1:{piped.ports['RASA_PORT']}/status"
    assert requests.get(status, params={"token": DASHED["RASA_AUTH_TOKEN"]}, timeout=10).status_code == 200
    assert requests.get(status, params={"token": "wrong"}, timeout=10).status_code == 401
    webhook = f"http://127.0.0.1:{piped.ports['ACTION_PORT']}/webhook"
    assert requests.post(webhook, json={}, timeout=10).status_code == 401


def test_every_port_make_run_opens_listens_on_loopback_only(piped: MakeRun) -> None:
    opened = piped.stack_ports()
    assert piped.planned_ports <= opened, f"expected {sorted(piped.planned_ports)}, found {sorted(opened)}"
    beyond = sorted(port for port in opened if not only_on_loopback(port))
    assert beyond == [], f"ports listening beyond 127.0.0.1: {beyond}"


def test_the_console_stays_short_from_start_to_running(piped: MakeRun) -> None:
    shown = lines_between(piped.output(), "bash scripts/run.sh", RUNNING)
    assert len(shown) < 30, "\n".join(shown)
    assert not any("Warning" in line for line in shown), "\n".join(shown)


def test_ctrl_c_after_the_pipe_reader_died_stops_every_part(piped: MakeRun) -> None:
    pids, ports = piped.stack_pids(), piped.stack_ports()
    assert len(pids) >= 6, pids  # the group's leader, receiver, actions, worker, rasa, web
    os.kill(piped.reader_pid(), signal.SIGKILL)
    piped.signal_terminal_group(signal.SIGINT)
    piped.wait_exit()
    assert_all_stopped(piped, pids, ports)
    assert "did not stop within" not in piped.output()


def test_a_closed_terminal_stops_every_part(checkout: Path) -> None:
    """The terminal goes and nothing else happens: the kernel's SIGHUP reaches make alone."""
    run = MakeRun(checkout)
    try:
        run.start_on_terminal().wait_for(RUNNING)
        pids, ports = run.stack_pids(), run.stack_ports()
        assert run.planned_ports <= ports
        shown = run.output()
        run.close_terminal()
        run.wait_exit()
        assert_all_stopped(run, pids, ports)
        assert "\r\x1b[K" in shown and "waiting for the Rasa server" in shown, "no progress line on the terminal"
    finally:
        run.clean_up()


def test_sighup_to_the_job_stops_every_part(checkout: Path) -> None:
    """What an interactive shell does when its terminal closes: SIGHUP to each job's group."""
    run = MakeRun(checkout)
    try:
        run.start_to_file().wait_for(RUNNING)
        pids, ports = run.stack_pids(), run.stack_ports()
        run.signal_terminal_group(signal.SIGHUP)
        run.wait_exit()
        assert_all_stopped(run, pids, ports)
        out = run.output()
        assert "Stopping every part (the terminal closed)..." in out and "Stopped." in out, out
        assert "did not stop within" not in out
    finally:
        run.clean_up()


def test_one_part_killed_stops_the_others_and_says_which(checkout: Path) -> None:
    run = MakeRun(checkout)
    try:
        run.start_to_file().wait_for(RUNNING)
        pids, ports = run.stack_pids(), run.stack_ports()
        receiver = run.pid_on("RECEIVER_PORT")
        os.kill(receiver, signal.SIGKILL)
        assert run.wait_exit() != 0
        assert_all_stopped(run, pids, ports)
        out = run.output()
        assert f"The local handoff receiver (pid {receiver}) stopped unexpectedly (killed by SIGKILL)" in out, out
        assert "did not stop within" not in out
    finally:
        run.clean_up()
