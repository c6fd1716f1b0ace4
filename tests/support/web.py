"""The web app (`python -m bot.entrypoints.web`) as tests run it: started on a free port over a database,
its accounts added through the CLI, and stopped again. Used by tests/browser (fixtures
`web` and `web_alone` in its conftest), tests/e2e and tests/security."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.clock import utc_now
from bot.storage import record_case
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork
from tests.support.databases import build_payload
from tests.support.stack import wait_until_up

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "results" / "browser-logs"

ADMIN = ("admin@example.org", "admin password for tests")
ADVISER = ("adviser@example.org", "adviser password for tests")
# What an attacker types where a page will show it: it must come back as text, never run.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@dataclass
class WebApp:
    """A running `python -m bot.entrypoints.web` and the database behind it."""

    url: str
    database_url: str
    env: dict[str, str]
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(session_factory_for(self.database_url))

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot.entrypoints.cli", *args],
            cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True, timeout=60,
        )

    def add_accounts(self) -> None:
        for (email, password), role in ((ADMIN, "admin"), (ADVISER, "adviser")):
            made = self.cli("advisers", "add", email, "--role", role, stdin=password + "\n")
            assert made.returncode == 0, made.stderr

    def seed(self, reference: str, urgency: str, age: timedelta, **overrides: Any) -> dict[str, Any]:
        created = utc_now() - age
        payload = build_payload(reference, urgency=urgency, created_at=created, **overrides)
        record_case(self.uow(), payload, now=created)
        return payload


def start_web(name: str, env: dict[str, str], port: int) -> subprocess.Popen:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "bot.entrypoints.web", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def running(app: WebApp, name: str, port: int, accounts: bool = True) -> Iterator[WebApp]:
    """The web app started, answering and (unless told not to) with its accounts; stopped afterwards."""
    app.proc = start_web(name, app.env, port)
    try:
        wait_until_up(f"{app.url}/health", 60, app.proc, LOGS / f"{name}.log")
        if accounts:
            app.add_accounts()
        yield app
    finally:
        stop(app.proc)
