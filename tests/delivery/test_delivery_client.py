"""WebhookClient against real local HTTP servers: headers, signature, and outcome classes."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from bot.clock import UTC
from bot.delivery.client import (
    WebhookClient,
    classify,
    encode_body,
    parse_retry_after,
)
from bot.delivery.signing import MAX_AGE_SECONDS, sign, verify

SECRET = "client-test-secret"


def test_posts_signed_stable_json_with_the_idempotency_key(scripted, make_payload) -> None:
    payload = make_payload("NEU-HEAD01")
    outcome = WebhookClient(scripted.url, SECRET, 2).send(payload)

    assert outcome.result == "delivered" and outcome.status_code == 200
    request = scripted.requests[0]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert request["body"] == json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    assert headers["content-type"] == "application/json"
    assert headers["idempotency-key"] == "NEU-HEAD01"
    assert headers["user-agent"].startswith("neu-assistant-handoff/")
    assert headers["x-signature-sha256"].startswith("sha256=")
    assert abs(int(headers["x-signature-timestamp"]) - time.time()) < 60
    assert verify(request["body"], headers, SECRET, now=time.time()).ok


@pytest.mark.parametrize(
    ("status", "result"),
    [
        (200, "delivered"),
        (201, "delivered"),
        (202, "delivered"),
        (204, "delivered"),
        (409, "delivered"),
        (408, "retry"),
        (429, "retry"),
        (500, "retry"),
        (502, "retry"),
        (503, "retry"),
        (504, "retry"),
        (400, "dead"),
        (401, "dead"),
        (403, "dead"),
        (404, "dead"),
        (422, "dead"),
        (301, "dead"),
    ],
)
def test_status_codes_are_classified(scripted, make_payload, status, result) -> None:
    scripted.respond(status, {"Location": "http://elsewhere.invalid/"} if status == 301 else None)
    outcome = WebhookClient(scripted.url, SECRET, 2).send(make_payload())
    assert (outcome.result, outcome.status_code) == (result, status)
    if result != "delivered":
        assert outcome.error.startswith(f"HTTP {status}")
    assert len(scripted.requests) == 1  # a redirect is not followed


def test_retry_after_seconds_are_reported(scripted, make_payload) -> None:
    scripted.respond(429, {"Retry-After": "7"})
    outcome = WebhookClient(scripted.url, SECRET, 2).send(make_payload())
    assert (outcome.result, outcome.retry_after) == ("retry", 7.0)


def test_retry_after_forms() -> None:
    now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert parse_retry_after(None) is None
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Mon, 03 Mar 2025 09:01:30 GMT", now) == 90.0
    assert parse_retry_after("Mon, 03 Mar 2025 08:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None
    assert classify(503, "30").retry_after == 30.0


def test_connection_refused_is_a_retry_not_an_exception(make_payload, unused_port) -> None:
    outcome = WebhookClient(f"http://127.0.0.1:{unused_port}/hook", SECRET, 1).send(make_payload())
    assert outcome.result == "retry" and outcome.status_code is None
    assert outcome.error.startswith("network error")


def test_a_slow_receiver_times_out_as_a_retry(scripted, make_payload) -> None:
    scripted.respond(200, delay=1.0)
    outcome = WebhookClient(scripted.url, SECRET, timeout=0.2).send(make_payload())
    assert outcome.result == "retry" and outcome.error.startswith("timeout")


def test_error_text_never_carries_payload_content(scripted, make_payload) -> None:
    scripted.respond(400)
    payload = make_payload()
    outcome = WebhookClient(scripted.url, SECRET, 2).send(payload)
    assert payload["member"]["name"] not in outcome.error
    assert outcome.error == "HTTP 400 Bad Request"


def test_signature_helpers() -> None:
    body = encode_body({"reference": "NEU-SIG001", "b": 1, "a": [1, 2]})
    assert body == b'{"a":[1,2],"b":1,"reference":"NEU-SIG001"}'
    now = 1_800_000_000

    def check(sig: str | None, key: str = "k", content: bytes = body, at: float = now, ts: str = str(now)) -> bool:
        headers = {"X-Signature-Timestamp": ts} | ({"X-Signature-SHA256": sig} if sig is not None else {})
        return verify(content, headers, key, now=at).ok

    header = sign(body, "k", now)
    assert check(header)
    assert check(f"  {header} ")
    assert check(header, at=now + MAX_AGE_SECONDS)
    assert not check(header, at=now + MAX_AGE_SECONDS + 1)
    assert not check(header, at=now - 60)  # from the future
    assert not check(header, ts="")
    assert not check(header, ts="soon")
    assert not check(header, "other-key")
    assert not check(header, content=body + b" ")
    assert not check(None)
    assert not check("sha256=zz")
    assert not check("sha256=ünïcode")
    assert check(sign(body, "ключ", now), "ключ")  # keys are UTF-8 encoded
    assert sign(body, "k", now) != sign(body, "k", now + 1)  # the time is part of what is signed


@pytest.mark.parametrize("url", ["", "ftp://host/x", "http://", "/handoffs"])
def test_misconfigured_url_fails_at_construction(url) -> None:
    with pytest.raises(ValueError):
        WebhookClient(url, SECRET)


def test_timeouts_are_passed_on_every_call(make_payload) -> None:
    seen: list = []

    class Recorder:
        def post(self, url, **kwargs):
            seen.append(kwargs)
            raise __import__("requests").ConnectTimeout("boom")

        def close(self) -> None:
            return None

    outcome = WebhookClient("http://127.0.0.1:9/x", SECRET, 10, session=Recorder()).send(make_payload())
    assert outcome.result == "retry" and outcome.error == "timeout (ConnectTimeout)"
    assert seen[0]["timeout"] == (5.0, 10) and seen[0]["allow_redirects"] is False
