"""A local stand-in for the adviser webhook, for development and tests.

It behaves like a careful real receiver (docs/deployment.md, "Receiving a
delivery"): checks the timestamped HMAC signature and refuses one older than
five minutes or from the future (401), parses and schema-checks the JSON
(400 / 422), and treats a repeated Idempotency-Key as the same case: the first
answer again, stored once. Received payloads are
kept in memory and appended to a JSON-lines file, which is read back on start
so deduplication survives a restart. It logs references only.

    python -m devtools.fake_receiver --port 5056 [--store var/received_handoffs.jsonl]
        [--fail-first N] [--fail-status 503] [--delay SECONDS]
        [--smtp-port 5057 --mail-store var/received_mail.jsonl]   (devtools.mail_sink beside it)

    POST /handoffs   (signed, as bot.delivery.client sends)
    GET  /handoffs   Authorization: Bearer <secret>  -> JSON list of payloads
    GET  /health
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, final

from jsonschema import Draft202012Validator

from bot.bootstrap import configure_logging
from bot.delivery.signing import IDEMPOTENCY_HEADER, verify
from bot.settings import PROJECT_ROOT, SPEC_DIR, get_settings
from devtools.mail_sink import LocalMailSink

log = logging.getLogger("devtools.fake_receiver")  # not __main__ under `python -m`

DEFAULT_STORE = PROJECT_ROOT / "var" / "received_handoffs.jsonl"
MAX_BODY_BYTES = 1_000_000
Reply = tuple[int, Any]


@final
class FakeReceiver:
    """The receiver's logic (`handle_post`) plus a threaded HTTP server around it."""

    def __init__(
        self,
        secret: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        store_path: Path | None = None,
        fail_first: int = 0,
        fail_status: int = 503,
        delay_seconds: float = 0.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret = secret
        self.clock = clock
        self.store_path = store_path
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.delay_seconds = delay_seconds
        self.post_count = 0
        self.duplicate_count = 0
        self._lock = threading.Lock()
        self._by_key: dict[str, dict[str, Any]] = {}
        self._validator = Draft202012Validator(json.loads((SPEC_DIR / "handoff-v1.schema.json").read_text()))
        self._load_store()
        self._server = _Server((host, port), _Handler, self)
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def handoffs_url(self) -> str:
        return f"{self.url}/handoffs"

    def start(self) -> FakeReceiver:
        """Serve in a background thread (tests); a short poll makes stop() quick."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-receiver",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> FakeReceiver:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- behaviour -------------------------------------------------------
    @property
    def received(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._by_key.values())

    def handle_post(self, body: bytes, headers: Mapping[str, str]) -> Reply:
        """One POST /handoffs; `headers` keys are lower-case."""
        with self._lock:
            self.post_count += 1
            failing = self.post_count <= self.fail_first
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        if failing:
            return self.fail_status, {"error": "simulated failure"}
        verdict = verify(body, headers, self.secret, now=self.clock())
        if not verdict.ok:
            log.warning("refused a handoff: %s", verdict.problem)
            return 401, {"error": verdict.problem}
        return self._accept(body, headers.get(IDEMPOTENCY_HEADER.lower(), ""))

    def authorised(self, header: str | None) -> bool:
        return hmac.compare_digest((header or "").encode(), f"Bearer {self.secret}".encode())

    def _accept(self, body: bytes, key: str) -> Reply:
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, {"error": "body is not JSON"}
        if not isinstance(payload, dict):
            return 400, {"error": "body is not a JSON object"}
        errors = sorted(self._validator.iter_errors(payload), key=lambda e: list(e.path))
        if errors:
            return 422, {"error": "not a handoff-v1 payload", "at": [list(e.path) for e in errors[:5]]}
        if key != payload["reference"]:
            return 400, {"error": "Idempotency-Key must equal the payload reference"}
        return self._store(key, payload)

    def _store(self, key: str, payload: dict[str, Any]) -> Reply:
        """The first delivery of a key is stored; any later one gets the same answer, stored nothing."""
        first_answer = (201, {"status": "received", "reference": key})
        with self._lock:
            if key in self._by_key:
                self.duplicate_count += 1
                log.info("handoff %s: already received, not stored again", key)
                return first_answer
            self._by_key[key] = payload
            self._append(payload)
        log.info("handoff %s received", key)
        return first_answer

    def _append(self, payload: dict[str, Any]) -> None:
        if self.store_path is None:
            return
        self.store_path.parent.mkdir(parents=True, exist_ok=True)
        with self.store_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(payload, sort_keys=True) + "\n")

    def _load_store(self) -> None:
        if self.store_path is None or not self.store_path.exists():
            return
        for line in self.store_path.read_text(encoding="utf-8").splitlines():
            try:
                payload = json.loads(line)
            except ValueError:
                continue
            if isinstance(payload, dict) and isinstance(payload.get("reference"), str):
                self._by_key.setdefault(payload["reference"], payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], receiver: FakeReceiver
    ):
        self.receiver = receiver
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        if self.path != "/handoffs":
            self._reply(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._reply(413, {"error": "too large"})
            return
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        self._reply(*self.server.receiver.handle_post(body, headers))

    def do_GET(self) -> None:
        receiver = self.server.receiver
        if self.path == "/health":
            self._reply(200, {"status": "ok"})
        elif self.path != "/handoffs":
            self._reply(404, {"error": "not found"})
        elif not receiver.authorised(self.headers.get("Authorization")):
            self._reply(401, {"error": "Authorization: Bearer <secret> required"})
        else:
            self._reply(200, receiver.received)

    def _reply(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its timeout); nothing to tell it

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


def main(argv: Sequence[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(
        prog="python -m devtools.fake_receiver", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5056)
    parser.add_argument(
        "--store", type=Path, default=DEFAULT_STORE, help="JSON-lines file of received payloads"
    )
    parser.add_argument("--secret", default=None, help="HMAC key (default: HANDOFF_WEBHOOK_SECRET)")
    parser.add_argument(
        "--fail-first", type=int, default=0, help="answer the first N POSTs with --fail-status"
    )
    parser.add_argument("--fail-status", type=int, default=503)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering each POST")
    parser.add_argument("--smtp-port", type=int, default=0, help="also keep email notices sent to this port (0: no)")
    parser.add_argument("--mail-store", type=Path, default=PROJECT_ROOT / "var" / "received_mail.jsonl")
    args = parser.parse_args(argv)
    configure_logging(settings.log_level)
    secret = args.secret if args.secret is not None else settings.handoff_webhook_secret
    if not secret:
        log.warning("no webhook secret set: only unsigned-key (empty secret) handoffs will verify")
    receiver = FakeReceiver(
        secret,
        host=args.host,
        port=args.port,
        store_path=args.store,
        fail_first=args.fail_first,
        fail_status=args.fail_status,
        delay_seconds=args.delay,
    )
    # Both, explicitly: started in the background by a script, a Python process inherits
    # SIGINT ignored and would otherwise never see a Ctrl-C (it once kept port 5056 that way).
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
    mail = LocalMailSink(args.host, args.smtp_port, args.mail_store).start() if args.smtp_port else None
    log.info("fake adviser endpoint on %s (store %s)", receiver.handoffs_url, args.store)
    try:
        receiver.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        receiver.stop()
        if mail is not None:
            mail.stop()
    return 0


def _raise_keyboard_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
