"""Broken and hostile requests to the web app (bot.entrypoints.web): the chat proxy and the inbox.

Its contract: 400 for a chat request that is not `{"sender": <8-64 of A-Z a-z 0-9 _ ->,
"message": <1-2000 characters>}`, 503 with the AdviceLine's contacts only when the
assistant cannot be reached; the inbox answers strangers with a redirect to sign in
or a 4xx. Never any other 5xx.
"""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from bot.entrypoints.web.security import SESSION_COOKIE
from tests.fuzz.strategies import fuzz_settings, hostile_messages, json_values
from tests.support.stack import Stack

pytestmark = pytest.mark.fuzz

FUZZ = fuzz_settings(150)
INBOX_PATHS = ["/inbox", "/inbox/signin", "/inbox/signout", "/inbox/audit", "/inbox/cases/NEU-FUZZ01",
               "/inbox/cases/NEU-FUZZ01/status", "/inbox/cases/NEU-FUZZ01/export", "/inbox/cases/NEU-FUZZ01/pass-on",
               "/inbox/directory", "/inbox/checkups", "/inbox/cases/%00",
               "/inbox/cases/" + "A" * 300, "/nope", "/static/../../etc/passwd", "/api/adviceline", "/privacy"]


def web_url(stack: Stack) -> str:
    return stack.specs["web"].health.removesuffix("/health")


def chat(stack: Stack, body: bytes) -> requests.Response:
    return requests.post(f"{web_url(stack)}/chat", data=body, headers={"Content-Type": "application/json"}, timeout=90)


def assert_contract(reply: requests.Response, what: object) -> None:
    if reply.status_code == 503:
        assert reply.json()["error"] == "assistant_unavailable", what
        return
    assert reply.status_code < 500, (what, reply.status_code)


@FUZZ
@given(message=hostile_messages)
def test_the_chat_proxy_answers_hostile_messages(production_stack: Stack, message: str) -> None:
    body = json.dumps({"sender": f"fuzzweb-{uuid.uuid4().hex[:12]}", "message": message}).encode()
    reply = chat(production_stack, body)
    assert_contract(reply, message[:80])
    if 0 < len(message) <= 2000 and message.strip():
        assert reply.status_code == 200, (message[:80], reply.status_code, reply.text[:200])
        assert reply.json()["messages"], message[:80]
    elif reply.status_code != 200:
        assert reply.status_code in (400, 413), (message[:80], reply.status_code)


@FUZZ
@given(
    body=st.one_of(
        json_values.map(lambda v: json.dumps(v).encode()),
        json_values.map(lambda v: json.dumps({"sender": v, "message": "hi"}).encode()),
        json_values.map(lambda v: json.dumps({"sender": "fuzzweb-sender", "message": v}).encode()),
        st.binary(max_size=300),
    )
)
def test_the_chat_proxy_refuses_what_is_not_a_message(production_stack: Stack, body: bytes) -> None:
    assert_contract(chat(production_stack, body), body[:80])


@FUZZ
@given(
    path=st.sampled_from(INBOX_PATHS),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    cookie=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters=";,"), max_size=80),
    form=st.dictionaries(st.sampled_from(["email", "password", "csrf_token", "status", "next"]), st.text(max_size=60), max_size=4),
)
def test_the_inbox_turns_strangers_away(production_stack: Stack, path: str, method: str, cookie: str, form: dict) -> None:
    reply = requests.request(
        method, f"{web_url(production_stack)}{path}", data=form, cookies={SESSION_COOKIE: cookie} if cookie else None,
        allow_redirects=False, timeout=30,
    )
    assert reply.status_code < 500, (method, path, reply.status_code)
    if path.startswith("/inbox") and path != "/inbox/signin" and reply.status_code == 200:
        pytest.fail(f"{method} {path} answered 200 without a sign-in")
