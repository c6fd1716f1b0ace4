"""Browser and HTTP tests of the web app (`python -m bot.entrypoints.web`), in Debian's headless Chromium.

Two servers:
- `web`: the web app in front of the real stack of tests/e2e (Rasa, actions,
  delivery worker, a local webhook), sharing its throwaway database;
- `web_alone`: the web app with nothing behind it (the chat proxy finds no Rasa),
  over its own database, for the inbox and "assistant unreachable" tests.

Chromium comes from Debian (`apt-get install chromium`, run by `make test`), never
from Playwright's download; axe-core comes from npm into .axe/ (`ensure_axe`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.net import free_port
from tests.support.pages import AXE_JS
from tests.support.stack import Stack
from tests.support.web import WebApp, running

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


# --- accessibility ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `make test`, or `bash -c '. scripts/common.sh && ensure_axe'`.")
    return AXE_JS.read_text()


