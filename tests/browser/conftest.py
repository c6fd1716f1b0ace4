"""Browser and HTTP tests of the web app (`python -m bot.web`), in Debian's headless Chromium.

Two servers:
- `web`: the web app in front of the real stack of tests/e2e (Rasa, actions,
  delivery worker, a local webhook), sharing its throwaway database;
- `web_alone`: the web app with nothing behind it (the chat proxy finds no Rasa),
  over its own database, for the inbox and "assistant unreachable" tests.

Chromium comes from Debian (`apt-get install chromium`, run by `make test`), never
from Playwright's download; axe-core comes from npm into .axe/ (`ensure_axe`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.storage import record_case
from bot.storage.clock import utc_now
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork
from tests.support.databases import build_payload
from tests.support.net import free_port
from tests.support.stack import Stack, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
LOGS = ROOT / "results" / "browser-logs"

ADMIN = ("admin@example.org", "admin password for tests")
ADVISER = ("adviser@example.org", "adviser password for tests")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@dataclass
class WebApp:
    """A running `python -m bot.web` and the database behind it."""

    url: str
    database_url: str
    env: dict[str, str]
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(session_factory_for(self.database_url))

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
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
        [sys.executable, "-m", "bot.web", "--host", "127.0.0.1", "--port", str(port)],
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


@pytest.fixture(scope="session")
def web(stack: Stack) -> Iterator[WebApp]:
    """The web app in front of the real assistant, with an admin and an adviser account."""
    port = free_port()
    env = {**stack.env, "RASA_URL": stack.rasa_url, "WEB_PORT": str(port), "CHAT_TIMEOUT_SECONDS": "60"}
    with running(WebApp(f"http://127.0.0.1:{port}", stack.database_url, env), "web", port) as app:
        yield app


@pytest.fixture(scope="session")
def web_alone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    """The web app with no assistant behind it, over its own migrated database."""
    tmp = tmp_path_factory.mktemp("web_alone")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'cases.sqlite3'}",
        "RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "WEB_PORT": str(port),
        "CHAT_TIMEOUT_SECONDS": "5",
        "CHAT_MESSAGES_PER_MINUTE": "3",  # low, so the flood limit can be seen (one sender per test)
        "CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS": "0",
        "INBOX_MAX_FAILED_SIGNINS": "50",  # tests probe wrong passwords often; the lockout has unit tests
        "PYTHONHASHSEED": "0",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "LOG_LEVEL": "INFO",
    }
    app = WebApp(f"http://127.0.0.1:{port}", env["DATABASE_URL"], env)
    migrated = app.cli("migrate")
    assert migrated.returncode == 0, migrated.stderr
    with running(app, "web_alone", port) as app:
        yield app


# --- the browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: `make test` installs Debian's (or `apt-get install chromium`).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page and what it did that a test may need to fail on."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Watched]]:
    """`open_page(width=1280, height=900)` -> a fresh context (no shared storage or cookies)."""
    contexts = []

    def make(width: int = 1280, height: int = 900) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(30_000)
        # "Leave quickly" goes to the BBC; nothing leaves this machine: answer it locally.
        context.route(re.compile(r"^https://www\.bbc\.co\.uk/.*"), lambda route: route.fulfill(body="<title>Weather</title>", content_type="text/html"))
        contexts.append(context)
        watched = Watched(context.new_page())
        watched.page.on("dialog", lambda d: (watched.dialogs.append(d.message), d.dismiss()))
        watched.page.on("console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None)
        return watched

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/inbox")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Cases", level=1).wait_for()


def screenshot(page: Any, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


# --- accessibility ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `make test`, or `bash -c '. scripts/common.sh && ensure_axe'`.")
    return AXE_JS.read_text()


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A and AA, and best practice) on the page as it is now.

    Evaluated through the DevTools protocol, so the page's CSP (no inline
    script) stays on and is not weakened for the audit.
    """
    page.evaluate(axe_source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / "axe.jsonl", "a") as out:
        out.write(json.dumps({"url": page.url, "violations": result}) + "\n")
    return result
