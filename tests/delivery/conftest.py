"""Delivery test fixtures: the shared database/payload fixtures, real local HTTP servers, workers."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.delivery.client import WebhookClient
from bot.delivery.worker import DeliveryWorker
from bot.settings import Settings
from devtools.fake_receiver import FakeReceiver
from tests.support.net import free_port

SECRET = "test-secret-5f2c9a"


@pytest.fixture
def secret() -> str:
    return SECRET


@pytest.fixture
def unused_port() -> int:
    return free_port()


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[FakeReceiver]:
    """The fake adviser endpoint on a free port, in a thread."""
    fake = FakeReceiver(SECRET, store_path=tmp_path / "received.jsonl").start()
    yield fake
    fake.stop()


@pytest.fixture
def settings() -> Settings:
    """Fast test settings (the real ones come from the environment)."""
    return dataclasses.replace(
        Settings.from_env(),
        handoff_webhook_secret=SECRET,
        handoff_timeout_seconds=2.0,
        delivery_max_attempts=5,
        delivery_backoff_base_seconds=1.0,
        delivery_backoff_max_seconds=30.0,
        delivery_max_age_hours=72.0,
        delivery_poll_seconds=0.01,
        delivery_lease_seconds=60.0,
    )


@pytest.fixture
def make_worker(uow_factory, settings, clock) -> Callable[..., DeliveryWorker]:
    """`make_worker(url, timeout=..., **setting_overrides)`: a worker on the test DB and fake clock."""

    def make(url: str, *, timeout: float = 2.0, client: Any = None, **overrides: Any) -> DeliveryWorker:
        worker_settings = dataclasses.replace(settings, handoff_webhook_url=url, **overrides)
        sender = client or WebhookClient(url, SECRET, timeout)
        return DeliveryWorker(uow_factory, sender, worker_settings, clock=clock, rng=random.Random(7))

    return make


class ScriptedServer:
    """A local HTTP server that answers from a script and records what it was sent."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], float]] = []
        self.requests: list[dict[str, Any]] = []
        self.default = (200, {}, 0.0)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def respond(self, status: int, headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        self.script.append((status, headers or {}, delay))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                scripted.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                status, headers, delay = scripted.script.pop(0) if scripted.script else scripted.default
                time.sleep(delay)
                data = json.dumps({"status": status}).encode()
                try:
                    self.send_response(status)
                    for name, value in {**headers, "Content-Length": str(len(data))}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client timed out and went away

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer().start()
    yield server
    server.stop()
