"""The fake adviser endpoint: signature, validation, dedupe, storage, auth, failure simulation."""

from __future__ import annotations

import json
import time

import pytest
import requests

from bot.delivery.client import WebhookClient, encode_body
from bot.delivery.signing import MAX_AGE_SECONDS, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, signature_headers
from devtools.fake_receiver import FakeReceiver


def _post(receiver, body: bytes, secret: str, key: str = "NEU-RECV01", signed_at: float | None = None,
          **replace: str) -> requests.Response:
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": key,
        **signature_headers(body, secret, time.time() if signed_at is None else signed_at),
        **replace,
    }
    return requests.post(receiver.handoffs_url, data=body, headers=headers, timeout=5)


def test_accepts_a_signed_payload_and_stores_it(receiver, make_payload, secret, tmp_path) -> None:
    payload = make_payload("NEU-RECV01")
    response = _post(receiver, encode_body(payload), secret)
    assert response.status_code == 201
    assert receiver.received == [payload]
    lines = (tmp_path / "received.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [payload]


def test_a_reused_key_gets_the_first_answer_and_is_stored_once(receiver, make_payload, secret, tmp_path) -> None:
    body = encode_body(make_payload("NEU-RECV01"))
    first = _post(receiver, body, secret)
    assert first.status_code == 201
    second = _post(receiver, body, secret)
    assert (second.status_code, second.json()) == (first.status_code, first.json())
    assert len(receiver.received) == 1 and receiver.duplicate_count == 1
    assert len((tmp_path / "received.jsonl").read_text().splitlines()) == 1


def test_dedupe_survives_a_restart(make_payload, secret, tmp_path) -> None:
    store = tmp_path / "store.jsonl"
    body = encode_body(make_payload("NEU-RECV01"))
    first = FakeReceiver(secret, store_path=store).start()
    try:
        assert _post(first, body, secret).status_code == 201
    finally:
        first.stop()
    second = FakeReceiver(secret, store_path=store).start()
    try:
        assert _post(second, body, secret).status_code == 201
        assert len(second.received) == 1
    finally:
        second.stop()


def test_wrong_signature_is_401(receiver, make_payload) -> None:
    response = _post(receiver, encode_body(make_payload("NEU-RECV01")), "not-the-secret")
    assert response.status_code == 401 and receiver.received == []


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(0, True), (MAX_AGE_SECONDS - 5, True), (MAX_AGE_SECONDS + 5, False), (3600, False), (-60, False)],
)
def test_a_signature_is_only_good_for_five_minutes_and_never_from_the_future(
    receiver, make_payload, secret, age, accepted
) -> None:
    response = _post(receiver, encode_body(make_payload("NEU-RECV01")), secret, signed_at=time.time() - age)
    assert response.status_code == (201 if accepted else 401)
    assert len(receiver.received) == (1 if accepted else 0)


def test_a_captured_delivery_replayed_later_is_refused(receiver, make_payload, secret) -> None:
    """The same bytes and headers, sent again ten minutes on (the receiver's clock moved)."""
    body = encode_body(make_payload("NEU-RECV01"))
    captured = signature_headers(body, secret, time.time())
    assert _post(receiver, body, secret, **captured).status_code == 201
    receiver.received.clear()
    receiver.clock = lambda: time.time() + 600
    replay = _post(receiver, body, secret, key="NEU-RECV01", **captured)
    assert replay.status_code == 401 and replay.json()["error"] == "the signature is too old"


def test_a_tampered_body_or_timestamp_is_refused(receiver, make_payload, secret) -> None:
    original = make_payload("NEU-RECV01")
    body = encode_body(original)
    now = int(time.time())
    headers = signature_headers(body, secret, now)
    tampered = encode_body(original | {"urgency": "routine" if original["urgency"] != "routine" else "urgent"})
    assert _post(receiver, tampered, secret, **headers).status_code == 401
    # A new timestamp without a new signature (to make an old capture look fresh) fails too.
    assert _post(receiver, body, secret, **{TIMESTAMP_HEADER: str(now + 1), SIGNATURE_HEADER: headers[SIGNATURE_HEADER]}).status_code == 401
    # The old body-only signature of version 1 is no longer enough.
    import hashlib
    import hmac
    body_only = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert _post(receiver, body, secret, **{SIGNATURE_HEADER: body_only}).status_code == 401
    assert sign(body, secret, now) == headers[SIGNATURE_HEADER]
    assert receiver.received == []


def test_bad_bodies_are_rejected(receiver, make_payload, secret) -> None:
    assert _post(receiver, b"{not json", secret).status_code == 400
    assert _post(receiver, b"[1, 2]", secret).status_code == 400
    invalid = make_payload("NEU-RECV01") | {"urgency": "whenever"}
    assert _post(receiver, encode_body(invalid), secret).status_code == 422
    mismatched = encode_body(make_payload("NEU-RECV01"))
    assert _post(receiver, mismatched, secret, key="NEU-OTHER1").status_code == 400
    assert receiver.received == []


def test_listing_needs_the_bearer_secret(receiver, make_payload, secret) -> None:
    WebhookClient(receiver.handoffs_url, secret).send(make_payload("NEU-RECV01"))
    assert requests.get(receiver.handoffs_url, timeout=5).status_code == 401
    wrong = requests.get(receiver.handoffs_url, headers={"Authorization": "Bearer nope"}, timeout=5)
    assert wrong.status_code == 401
    ok = requests.get(receiver.handoffs_url, headers={"Authorization": f"Bearer {secret}"}, timeout=5)
    assert ok.status_code == 200 and [p["reference"] for p in ok.json()] == ["NEU-RECV01"]


def test_health(receiver) -> None:
    response = requests.get(f"{receiver.url}/health", timeout=5)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert requests.get(f"{receiver.url}/elsewhere", timeout=5).status_code == 404


def test_fail_first_simulates_an_outage(receiver, make_payload, secret) -> None:
    receiver.fail_first = 2
    client = WebhookClient(receiver.handoffs_url, secret)
    results = [client.send(make_payload("NEU-RECV01")) for _ in range(3)]
    assert [(r.result, r.status_code) for r in results] == [
        ("retry", 503),
        ("retry", 503),
        ("delivered", 201),
    ]
    assert receiver.post_count == 3 and len(receiver.received) == 1


def test_logs_only_references(receiver, make_payload, secret, caplog) -> None:
    caplog.set_level("DEBUG", logger="devtools.fake_receiver")
    payload = make_payload("NEU-RECV01")
    WebhookClient(receiver.handoffs_url, secret).send(payload)
    assert "NEU-RECV01" in caplog.text
    for private in (
        payload["member"]["name"],
        payload["member"]["phone"],
        payload["incident"]["description"],
    ):
        assert private not in caplog.text
