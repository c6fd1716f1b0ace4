"""End-to-end fixtures: the real servers (Rasa, actions, delivery worker, a local
adviser webhook) started as processes on free ports, with a throwaway database.

Needs a trained model at models/current.tar.gz (`make test` trains one first).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "current.tar.gz"
SECRET = "e2e-webhook-secret"
TOKEN = "e2e-api-token"


def wait_until_up(url: str, seconds: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {seconds}s:\n{log.read_text()[-3000:]}")


@dataclass
class Stack:
    rasa_url: str
    receiver_url: str
    database_url: str
    env: dict[str, str]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def chat(self, sender: str, message: str) -> list[dict[str, Any]]:
        reply = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        reply.raise_for_status()
        return reply.json()

    def received(self) -> list[dict[str, Any]]:
        reply = requests.get(
            f"{self.receiver_url}/handoffs", headers={"Authorization": f"Bearer {SECRET}"}, timeout=10
        )
        reply.raise_for_status()
        body = reply.json()
        return body["handoffs"] if isinstance(body, dict) else body

    def wait_for_handoff(self, reference: str, seconds: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [p for p in self.received() if p["reference"] == reference]
            if found:
                return found[0]
            time.sleep(0.3)
        raise AssertionError(f"handoff {reference} was not delivered in {seconds}s")

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=60
        )


def _start(name: str, cmd: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen:
    log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make test` (or `make train`) first.")
    tmp = tmp_path_factory.mktemp("stack")
    logs = ROOT / "results" / "e2e-logs"
    logs.mkdir(parents=True, exist_ok=True)
    rasa_port, action_port, receiver_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("E2E_DATABASE_URL") or f"sqlite:///{tmp / 'cases.sqlite3'}",
        "HANDOFF_WEBHOOK_URL": f"http://127.0.0.1:{receiver_port}/handoffs",
        "HANDOFF_WEBHOOK_SECRET": SECRET,
        "HANDOFF_TIMEOUT_SECONDS": "5",
        "DELIVERY_POLL_SECONDS": "0.2",
        "DELIVERY_BACKOFF_BASE_SECONDS": "0.2",
        "DELIVERY_BACKOFF_MAX_SECONDS": "1",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONHASHSEED": "0",
        "LOG_LEVEL": "INFO",
    }
    stack = Stack(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{receiver_port}", env["DATABASE_URL"], env)
    migrate = stack.cli("migrate")
    assert migrate.returncode == 0, migrate.stderr
    py = sys.executable
    rasa = str(VENV_BIN / "rasa")
    stack.procs = {
        # The webhook fails twice before it recovers: every test's delivery rides through retries.
        "receiver": _start(
            "receiver",
            [py, "-m", "bot.delivery.fake_receiver", "--port", str(receiver_port), "--store", str(tmp / "received.jsonl"), "--fail-first", "2"],
            env,
            logs,
        ),
        "actions": _start("actions", [rasa, "run", "actions", "--actions", "actions", "-p", str(action_port)], env, logs),
        "worker": _start("worker", [py, "-m", "bot.delivery.worker"], env, logs),
        "rasa": _start(
            "rasa",
            [rasa, "run", "-m", str(MODEL), "-i", "127.0.0.1", "-p", str(rasa_port), "--endpoints", "endpoints.yml",
             "--credentials", "credentials.yml", "--enable-api", "--auth-token", TOKEN],
            env,
            logs,
        ),
    }
    try:
        wait_until_up(f"{stack.receiver_url}/health", 30, stack.procs["receiver"], logs / "receiver.log")
        wait_until_up(f"http://127.0.0.1:{action_port}/health", 90, stack.procs["actions"], logs / "actions.log")
        wait_until_up(f"{stack.rasa_url}/", 240, stack.procs["rasa"], logs / "rasa.log")
        yield stack
    finally:
        for proc in stack.procs.values():
            proc.terminate()
        for proc in stack.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def texts(replies: list[dict[str, Any]]) -> str:
    """All reply texts of one turn, joined, for assertions."""
    return "\n".join(r.get("text", "") for r in replies)


def buttons(replies: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for r in replies for b in r.get("buttons", [])]


def dump(replies: list[dict[str, Any]]) -> str:
    return json.dumps(replies, indent=1)
