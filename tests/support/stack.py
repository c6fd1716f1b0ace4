"""A stack: the product's real processes (Rasa, actions, delivery worker, the local adviser
webhook, optionally the web app) started on free ports over a throwaway database, and
how tests talk to it and stop and restart its processes.

The session's stacks (the fixtures `stack` and `production_stack`) are in
tests/support/stacks.py; the benchmark (bench/) launches its stacks with `launch` too.
Needs a trained model at models/current.tar.gz (`make test` trains one first).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support.net import free_port
from tests.support.smtp import SmtpTestServer

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "current.tar.gz"
SECRET = "e2e-webhook-secret"
TOKEN = "e2e-api-token"
ACTION_TOKEN = "e2e-action-server-token"


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
class Proc:
    """How to (re)start one process of the stack, and how to tell it is up."""

    cmd: list[str]
    env: dict[str, str]
    health: str | None = None
    up_within: float = 90


@dataclass
class Stack:
    """The product's processes on free ports. `rasa_url` is the first Rasa replica;
    `rasa_urls` lists them all (production mode can run several)."""

    rasa_url: str
    receiver_url: str
    database_url: str
    env: dict[str, str]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    rasa_urls: list[str] = field(default_factory=list)
    tracker_store_url: str | None = None
    logs: Path | None = None
    specs: dict[str, Proc] = field(default_factory=dict)
    # The stack's mail relay (tests/support/smtp.py): email destinations' notices arrive here.
    smtp: Any = None

    def post(self, sender: str, message: str, replica: int = 0, timeout: float = 60) -> requests.Response:
        """The raw REST-channel response (for tests that look at status codes)."""
        url = self.rasa_urls[replica] if self.rasa_urls else self.rasa_url
        return requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout)

    def chat(self, sender: str, message: str, replica: int = 0) -> list[dict[str, Any]]:
        reply = self.post(sender, message, replica)
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
            [sys.executable, "-m", "bot.entrypoints.cli", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=60
        )

    # --- processes (fault tests stop and restart them) ---------------------------------

    def start(self, name: str) -> None:
        spec = self.specs[name]
        assert self.logs is not None
        self.procs[name] = _start(name, spec.cmd, spec.env, self.logs, append=name in self.procs)

    def start_all(self) -> Stack:
        """Start every process and wait until each answers; on any failure stop them all."""
        for name in self.specs:
            self.start(name)
        try:
            self.wait_up()
        except BaseException:
            self.stop()
            raise
        return self

    def wait_up(self, *names: str) -> None:
        assert self.logs is not None
        for name in names or tuple(self.specs):
            spec = self.specs[name]
            if spec.health:
                wait_until_up(spec.health, spec.up_within, self.procs[name], self.logs / f"{name}.log")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one process abruptly (SIGKILL by default: no clean shutdown)."""
        proc = self.procs[name]
        proc.send_signal(sig)
        proc.wait(timeout=30)

    def restart(self, name: str) -> None:
        self.start(name)
        self.wait_up(name)

    def stop(self) -> None:
        if self.smtp is not None:
            self.smtp.stop()
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _start(name: str, cmd: list[str], env: dict[str, str], logs: Path, append: bool = False) -> subprocess.Popen:
    log = open(logs / f"{name}.log", "a" if append else "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def base_env(database_url: str, receiver_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HANDOFF_WEBHOOK_URL": f"http://127.0.0.1:{receiver_port}/handoffs",
        "HANDOFF_WEBHOOK_SECRET": SECRET,
        "ACTION_SERVER_TOKEN": ACTION_TOKEN,
        "HANDOFF_TIMEOUT_SECONDS": "5",
        "DELIVERY_POLL_SECONDS": "0.2",
        "DELIVERY_BACKOFF_BASE_SECONDS": "0.2",
        "DELIVERY_BACKOFF_MAX_SECONDS": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONHASHSEED": "0",
        "LOG_LEVEL": "INFO",
        # Tests and the fuzzer send far faster than a person: the chat's flood limits are
        # tested on their own (tests/browser/test_web_security.py, tests/unit/test_rate_limit.py).
        "CHAT_MESSAGES_PER_MINUTE": "0",
        "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "0",
        # The anonymous check-up tallies are on, so the conversations show they are kept (and only them).
        "CHECKUP_COUNTS": "1",
    }


def production_env(tracker_store_url: str) -> dict[str, str]:
    """What endpoints.production.yml reads: PostgreSQL tracker store, Redis lock store
    (keys under a prefix of this stack's own, so stacks never share locks)."""
    return {
        "ASSISTANT_ENV": "production",
        "TRACKER_STORE_URL": tracker_store_url,
        "REDIS_HOST": os.environ.get("TEST_REDIS_HOST", "127.0.0.1"),
        "REDIS_PORT": os.environ.get("TEST_REDIS_PORT", "6379"),
        "REDIS_PASSWORD": "",
        "REDIS_LOCK_DB": "1",
        "LOCK_STORE_KEY_PREFIX": f"neutest{uuid.uuid4().hex[:10]}",
        "SQL_POOL_SIZE": "5",
    }


def launch(
    tmp: Path,
    logs: Path,
    *,
    database_url: str,
    tracker_store_url: str | None = None,
    rasa_replicas: int = 1,
    action_replicas: int = 1,
    workers: int = 1,
    receiver_args: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
    web: bool = False,
    directory: str | None = None,
) -> Stack:
    """Start a stack: laptop mode (in-memory tracker and lock store), or production mode
    when `tracker_store_url` is given (endpoints.production.yml, replicas allowed).
    Rasa replica i talks to action server i mod `action_replicas`, as scripts/stack.sh does."""
    if rasa_replicas > 1 and not tracker_store_url:
        raise ValueError("several Rasa replicas need the production stores")
    logs.mkdir(parents=True, exist_ok=True)
    receiver_port = free_port()
    env = base_env(database_url, receiver_port)
    smtp = SmtpTestServer()
    smtp.start()
    env.update({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "SMTP_TIMEOUT_SECONDS": "5"})
    if tracker_store_url:
        env.update(production_env(tracker_store_url))
    env.update(extra_env or {})
    rasa_ports = [free_port() for _ in range(rasa_replicas)]
    action_ports = [free_port() for _ in range(action_replicas)]
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_ports[0]}/webhook"
    stack = Stack(
        f"http://127.0.0.1:{rasa_ports[0]}",
        f"http://127.0.0.1:{receiver_port}",
        database_url,
        env,
        rasa_urls=[f"http://127.0.0.1:{port}" for port in rasa_ports],
        tracker_store_url=tracker_store_url,
        logs=logs,
        smtp=smtp,
    )
    migrate = stack.cli("migrate")
    assert migrate.returncode == 0, migrate.stderr
    load_directory(stack, tmp, receiver_port, directory)
    stack.specs = _specs(stack, tmp, receiver_port, rasa_ports, action_ports, workers, receiver_args)
    if web:
        stack.specs["web"] = _web(stack)
    return stack.start_all()


SAMPLE_DIRECTORY = ROOT / "directory" / "sample.yml"
SAMPLE_RECEIVER = "http://127.0.0.1:5056/"


def load_directory(stack: Stack, tmp: Path, receiver_port: int, text: str | None = None) -> None:
    """The directory the stack routes with: `text`, or the fictional sample as `make run` loads
    it, its webhooks pointed at this stack's receiver ({receiver} in `text` is that URL)."""
    text = text if text is not None else SAMPLE_DIRECTORY.read_text().replace(SAMPLE_RECEIVER, "{receiver}/")
    path = tmp / "directory.yml"
    path.write_text(text.replace("{receiver}", f"http://127.0.0.1:{receiver_port}"))
    loaded = stack.cli("directory", "import", str(path))
    assert loaded.returncode == 0, loaded.stderr


def _specs(
    stack: Stack,
    tmp: Path,
    receiver_port: int,
    rasa_ports: list[int],
    action_ports: list[int],
    workers: int,
    receiver_args: tuple[str, ...],
) -> dict[str, Proc]:
    py, rasa, env = sys.executable, str(VENV_BIN / "rasa"), stack.env
    endpoints = "endpoints.production.yml" if stack.tracker_store_url else "endpoints.yml"
    specs = {
        "receiver": Proc(
            [py, "-m", "devtools.fake_receiver", "--port", str(receiver_port), "--store", str(tmp / "received.jsonl"), *receiver_args],
            env,
            f"{stack.receiver_url}/health",
            30,
        )
    }
    for i, port in enumerate(action_ports):
        specs[_replica("actions", i)] = Proc(
            [py, "-m", "rasa_addons.action_server", "--actions", "actions", "-p", str(port)], env, f"http://127.0.0.1:{port}/health", 90
        )
    for i in range(workers):
        specs[_replica("worker", i)] = Proc([py, "-m", "bot.entrypoints.worker"], env)
    for i, port in enumerate(rasa_ports):
        action_url = f"http://127.0.0.1:{action_ports[i % len(action_ports)]}/webhook"
        specs[_replica("rasa", i)] = Proc(
            [rasa, "run", "-m", str(MODEL), "-i", "127.0.0.1", "-p", str(port), "--endpoints", endpoints,
             "--credentials", "credentials.yml", "--enable-api", "--auth-token", TOKEN],
            {**env, "ACTION_ENDPOINT_URL": action_url},
            f"http://127.0.0.1:{port}/",
            300,
        )
    return specs


def _web(stack: Stack) -> Proc:
    """The member web chat and adviser inbox (bot.entrypoints.web), its chat proxy on the first Rasa replica."""
    port = free_port()
    env = {**stack.env, "WEB_INTERFACE": "127.0.0.1", "WEB_PORT": str(port), "RASA_URL": stack.rasa_url}
    return Proc([sys.executable, "-m", "bot.entrypoints.web"], env, f"http://127.0.0.1:{port}/health", 60)


def _replica(name: str, index: int) -> str:
    """"rasa", "rasa-1", "rasa-2"...: the first keeps the plain name the e2e tests know."""
    return name if index == 0 else f"{name}-{index}"
