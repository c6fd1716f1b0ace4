"""A local mail relay for development: accepts the email notices and keeps them in a file.

`make run` starts it with the local handoff receiver (`--smtp-port`), and `.env.example`
points `SMTP_HOST`/`SMTP_PORT` at it, so the sample directory's email destinations work on
a laptop: each notice (reference, urgency, case type, the inbox link; never personal data)
is appended to `var/received_mail.jsonl` instead of being sent anywhere. Production sets
`SMTP_HOST` to the union's relay (docs/deployment.md).
"""

from __future__ import annotations

import json
import logging
import threading
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

log = logging.getLogger("devtools.mail_sink")


class _Keep:
    """aiosmtpd handler: every message accepted, appended to the store as one JSON line."""

    def __init__(self, store_path: Path) -> None:
        self._store_path = store_path
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = message.get_body(("plain",))
        entry = {
            "from": envelope.mail_from,
            "to": list(envelope.rcpt_tos),
            "subject": str(message.get("Subject", "")),
            "text": body.get_content() if body is not None else "",
        }
        with self._lock:
            self._store_path.parent.mkdir(parents=True, exist_ok=True)
            with self._store_path.open("a", encoding="utf-8") as store:
                store.write(json.dumps(entry, ensure_ascii=False) + "\n")
        log.info("mail to %d recipient(s) kept", len(entry["to"]))  # no subject or text at INFO
        return "250 OK: kept locally"


class LocalMailSink:
    """An SMTP server on `host:port` (a thread of its own) that keeps what it is sent."""

    def __init__(self, host: str, port: int, store_path: Path) -> None:
        self.store_path = store_path
        self._controller = Controller(_Keep(store_path), hostname=host, port=port)

    def start(self) -> LocalMailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[dict[str, Any]]:
        if not self.store_path.exists():
            return []
        return [json.loads(line) for line in self.store_path.read_text(encoding="utf-8").splitlines() if line.strip()]
