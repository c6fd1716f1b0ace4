"""The adviser webhook adapter: one signed POST per attempt, classified, never raising.

The worker only needs to know whether to stop (delivered / dead) or try again
(retry), so every HTTP result and network failure is turned into a
`DeliveryOutcome`. Error texts are built from status codes and exception
classes only, because they are stored and logged and must not carry payload
content or anything the receiver echoed back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import urlsplit

import requests

from bot.clock import UTC, utc_now
from bot.delivery.signing import IDEMPOTENCY_HEADER, signature_headers

USER_AGENT = "neu-assistant-handoff/1"
RETRYABLE_STATUSES = frozenset({408, 429})
ALREADY_RECEIVED = 409

Result = Literal["delivered", "retry", "dead"]


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one attempt achieved; `retry_after` is the receiver's own hint in seconds."""

    result: Result
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.result == "delivered"


def encode_body(payload: Mapping[str, Any]) -> bytes:
    """Stable bytes: the same payload is always the same body (signed with its timestamp)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


class WebhookClient:
    """POSTs handoff payloads to one adviser webhook URL."""

    def __init__(
        self,
        url: str,
        secret: str,
        timeout: float = 10.0,
        *,
        connect_timeout: float | None = None,
        session: requests.Session | None = None,
    ) -> None:
        _check_url(url)
        self.url = url
        self._secret = secret
        self._timeouts = (connect_timeout or min(timeout, 5.0), timeout)
        self._session = session or requests.Session()

    def headers(self, body: bytes, reference: str, now: float | None = None) -> dict[str, str]:
        """Signed at `now` (default: this moment), so every attempt carries a fresh signature."""
        return {
            "Content-Type": "application/json",
            IDEMPOTENCY_HEADER: reference,
            **signature_headers(body, self._secret, time.time() if now is None else now),
            "User-Agent": USER_AGENT,
        }

    def send(self, payload: Mapping[str, Any]) -> DeliveryOutcome:
        """One attempt. Redirects are not followed: the signed body goes only where configured."""
        body = encode_body(payload)
        try:
            response = self._session.post(
                self.url,
                data=body,
                headers=self.headers(body, str(payload["reference"])),
                timeout=self._timeouts,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            return DeliveryOutcome("retry", error=f"timeout ({type(exc).__name__})")
        except requests.RequestException as exc:
            return DeliveryOutcome("retry", error=f"network error ({type(exc).__name__})")
        with response:
            return classify(response.status_code, response.headers.get("Retry-After"))

    def close(self) -> None:
        self._session.close()


def classify(status: int, retry_after: str | None = None) -> DeliveryOutcome:
    """2xx and 409 (already have it) are delivered; 408, 429, 5xx retry; the rest is dead."""
    text = _status_text(status)
    if 200 <= status < 300 or status == ALREADY_RECEIVED:
        return DeliveryOutcome("delivered", status)
    if status in RETRYABLE_STATUSES or status >= 500:
        return DeliveryOutcome("retry", status, text, parse_retry_after(retry_after))
    if 300 <= status < 400:
        return DeliveryOutcome("dead", status, f"{text} (redirects are not followed)")
    return DeliveryOutcome("dead", status, text)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or utc_now())).total_seconds())


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _check_url(url: str) -> None:
    """Fail at start-up on a misconfigured URL rather than on every attempt."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("HANDOFF_WEBHOOK_URL must be an http(s) URL with a host")
