"""Every part `make run` starts stops on SIGINT and on SIGTERM, even started as bash starts a
background job: with SIGINT ignored (issue 15: the local receiver once ignored Ctrl-C that
way and kept port 5056).

The parts are started exactly as scripts/stack.sh starts them, one process each, on free
ports, with SIGINT set to "ignore" before exec; each must then stop within
STOP_SECONDS of the signal. The Rasa server takes a minute to load its model, so it is
tried with SIGINT here; its SIGTERM is what every `make run` test stops it with
(tests/scripts/test_make_run_stops.py, which fails if any part needs SIGKILL).
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.support.make_run import model_is_current
from tests.support.net import free_port
from tests.support.stack import ACTION_TOKEN, MODEL, ROOT, SECRET, VENV_BIN, base_env

STOP_SECONDS = 30
PY = str(VENV_BIN / "python")


@dataclass
class Part:
    name: str
    cmd: list[str]
    ready: str  # a URL that answers, or "log:TEXT" the log shows once signal handlers are in place
    up_within: float = 90
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None


def _as_a_background_job() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def parts_on_free_ports(tmp: Path, with_rasa: bool) -> tuple[list[Part], dict[str, str]]:
    receiver, web, actions, rasa = (free_port() for _ in range(4))
    env = {**base_env(f"sqlite:///{tmp / 'cases.sqlite3'}", receiver), "ACTION_SERVER_TOKEN": ACTION_TOKEN,
           "HANDOFF_WEBHOOK_SECRET": SECRET, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions}/webhook",
           "RASA_URL": f"http://127.0.0.1:{rasa}"}
    found = [
        Part("receiver", [PY, "-m", "devtools.fake_receiver", "--host", "127.0.0.1", "--port", str(receiver),
                          "--store", str(tmp / "received.jsonl")], f"http://127.0.0.1:{receiver}/health"),
        Part("worker", [PY, "-m", "bot.entrypoints.worker"], "log:delivery worker started"),
        Part("web", [PY, "-m", "bot.entrypoints.web", "--host", "127.0.0.1", "--port", str(web)], f"http://127.0.0.1:{web}/health"),
        Part("actions", [PY, "-m", "rasa_addons.action_server", "--actions", "actions", "-p", str(actions)],
             f"http://127.0.0.1:{actions}/health"),
    ]
    if with_rasa:
        found.append(Part("rasa", [str(VENV_BIN / "rasa"), "run", "-m", str(MODEL), "-i", "127.0.0.1", "-p", str(rasa),
                                   "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"],
                          f"http://127.0.0.1:{rasa}/", 420))
    return found, env


def is_ready(part: Part) -> bool:
    if part.ready.startswith("log:"):
        assert part.log is not None
        return part.ready[4:] in part.log.read_text("utf-8", "replace")
    try:
        requests.get(part.ready, timeout=2)
        return True
    except requests.RequestException:
        return False


def start(parts: list[Part], env: dict[str, str], tmp: Path) -> None:
    migrate = subprocess.run([PY, "-m", "bot.entrypoints.cli", "migrate"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr
    for part in parts:
        part.log = tmp / f"{part.name}.log"
        with part.log.open("wb") as out:
            part.proc = subprocess.Popen(part.cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, preexec_fn=_as_a_background_job)
    started = time.monotonic()
    for part in parts:
        assert part.proc is not None and part.log is not None
        while not is_ready(part):
            assert part.proc.poll() is None, f"{part.name} exited:\n{part.log.read_text()[-3000:]}"
            assert time.monotonic() - started < part.up_within, f"{part.name} did not come up"
            time.sleep(0.5)


def stopped_within(part: Part, number: int) -> bool:
    assert part.proc is not None
    part.proc.send_signal(number)
    try:
        part.proc.wait(STOP_SECONDS)
        return True
    except subprocess.TimeoutExpired:
        part.proc.kill()
        part.proc.wait(10)
        return False


@pytest.fixture(scope="module", autouse=True)
def _model() -> None:
    if not model_is_current():
        pytest.fail("models/current.tar.gz is missing or out of date: run `make train` (make test trains first)")


def started_parts(tmp: Path, with_rasa: bool) -> Iterator[dict[str, Part]]:
    found, env = parts_on_free_ports(tmp, with_rasa)
    try:
        start(found, env, tmp)
        yield {part.name: part for part in found}
    finally:
        for part in found:
            if part.proc is not None and part.proc.poll() is None:
                part.proc.kill()
                part.proc.wait(10)


@pytest.fixture(scope="module")
def for_sigint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Part]]:
    yield from started_parts(tmp_path_factory.mktemp("sigint"), with_rasa=True)


@pytest.fixture(scope="module")
def for_sigterm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Part]]:
    yield from started_parts(tmp_path_factory.mktemp("sigterm"), with_rasa=False)


@pytest.mark.parametrize("name", ["receiver", "worker", "web", "actions", "rasa"])
def test_each_part_started_with_sigint_ignored_stops_on_sigint(for_sigint: dict[str, Part], name: str) -> None:
    part = for_sigint[name]
    assert stopped_within(part, signal.SIGINT), f"{name} ignored SIGINT:\n{part.log.read_text()[-2000:] if part.log else ''}"


@pytest.mark.parametrize("name", ["receiver", "worker", "web", "actions"])
def test_each_part_stops_on_sigterm(for_sigterm: dict[str, Part], name: str) -> None:
    assert stopped_within(for_sigterm[name], signal.SIGTERM), f"{name} ignored SIGTERM"
