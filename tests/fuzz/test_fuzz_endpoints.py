"""Broken requests to each HTTP endpoint of ours: a 4xx that says no, never a 5xx.

- Rasa's REST channel (rasa_addons/rest.py): 400 for anything that is not
  `{"sender": str, "message": str}`, 413 for over-long messages.
- The action server's /webhook (rasa_addons/action_server.py): 401 without the shared
  secret, whatever the body; with it, 400 for anything
  that is not an action call, 404 for an unknown action; well-formed calls to
  our actions carrying hostile text get a 200.
- The local webhook receiver: 401 unsigned, 400/413/422 for bad bodies, 404 elsewhere.
- Each server's health check stays 200 throughout.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.signing import signature_headers
from tests.fuzz.strategies import fuzz_settings, hostile_messages, json_values
from tests.support.stack import ACTION_TOKEN, SECRET, Stack

pytestmark = pytest.mark.fuzz

FUZZ = fuzz_settings(200)
ACTIONS = [
    "action_start_intake", "action_case_form_done", "action_submit_case", "action_begin_change",
    "action_ask_field_to_change", "action_prefer_adviceline", "action_stop", "action_delete_my_data",
    "action_safety_signpost", "action_yes_no", "validate_case_form",
]
raw_bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.just(b""),
)


def action_server_urls(stack: Stack) -> list[str]:
    return [spec.health.removesuffix("/health") for name, spec in stack.specs.items() if name.startswith("actions")]


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(url, data=body, headers={"Content-Type": "application/json", **(headers or {})}, timeout=60)


def post_as_rasa(url: str, body: bytes) -> requests.Response:
    """With the action server's shared secret, as the Rasa server calls it."""
    return post(url, body, {"Authorization": f"Bearer {ACTION_TOKEN}"})


@FUZZ
@given(body=raw_bodies | json_values.map(lambda v: json.dumps({"sender": v, "message": v}).encode()))
def test_rest_channel_refuses_what_is_not_a_message(production_stack: Stack, body: bytes) -> None:
    reply = post(f"{production_stack.rasa_urls[0]}/webhooks/rest/webhook", body)
    assert reply.status_code < 500, (body[:100], reply.status_code)
    if reply.status_code == 200:
        assert reply.json(), body[:100]


def tracker(text: str) -> dict[str, Any]:
    message = {"text": text, "intent": {"name": "unclear", "confidence": 0.4}, "entities": []}
    return {
        "sender_id": "fuzz-actions",
        "slots": {"intake_status": None, "requested_slot": None},
        "latest_message": message,
        "events": [{"event": "user", "timestamp": 1.0, "text": text, "parse_data": message}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


@FUZZ
@given(body=raw_bodies | json_values.map(lambda v: json.dumps({"next_action": "action_stop", "tracker": v}).encode()))
def test_action_server_refuses_what_is_not_an_action_call(production_stack: Stack, body: bytes) -> None:
    for url in action_server_urls(production_stack):
        reply = post_as_rasa(f"{url}/webhook", body)
        assert reply.status_code in (400, 404, 413) or reply.status_code == 200, (body[:100], reply.status_code)
        assert post(f"{url}/webhook", body).status_code == 401, body[:100]


@FUZZ
@given(action=st.sampled_from(ACTIONS), text=hostile_messages)
def test_our_actions_take_hostile_text_in_their_stride(production_stack: Stack, action: str, text: str) -> None:
    call = {"next_action": action, "sender_id": "fuzz-actions", "tracker": tracker(text), "domain": {}, "version": "3.6.21"}
    url = action_server_urls(production_stack)[0]
    reply = post_as_rasa(f"{url}/webhook", json.dumps(call).encode())
    assert reply.status_code == 200, (action, text[:80], reply.status_code, reply.text[:200])


@FUZZ
@given(body=raw_bodies, signed=st.booleans(), path=st.sampled_from(["/handoffs", "/", "/handoffs/x", "/%00", "/health"]))
def test_webhook_receiver_refuses_bad_handoffs(production_stack: Stack, body: bytes, signed: bool, path: str) -> None:
    headers = {**signature_headers(body, SECRET, time.time()), "Idempotency-Key": "NEU-FUZZ01"} if signed else {}
    reply = post(f"{production_stack.receiver_url}{path}", body, headers)
    assert reply.status_code in (400, 401, 404, 405, 413, 422, 501), (path, body[:100], reply.status_code)


def test_everything_is_still_healthy(production_stack: Stack) -> None:
    for name, spec in production_stack.specs.items():
        if spec.health:
            assert requests.get(spec.health, timeout=10).status_code == 200, name
        assert production_stack.procs[name].poll() is None, f"{name} died"
