"""Every door in docs/security.md, tried from outside on the laptop stack and the production topology.

Each listening port either refuses a caller without its credential or cannot be
reached off loopback, as the threat model's table says. The forged case of the
report that opened this work (a hand-made tracker sent to the action server's
/webhook with `action_submit_case`) is tried on every action server, on every
interface: nothing is stored and nothing is delivered.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.databases import build_payload
from tests.support.doors import (
    domain_actions,
    forged_call,
    only_on_loopback,
    outside_address,
    port_of,
    post,
    reachable,
    signed_delivery,
)
from tests.support.net import free_port
from tests.support.stack import ACTION_TOKEN, SECRET, TOKEN, Stack
from tests.support.stacks import LAPTOP_RECEIVER_FAILS_FIRST, stored_cases
from tests.support.web import WebApp, running

ROOT = Path(__file__).resolve().parents[2]


# --- the ports of a stack --------------------------------------------------------------------


def stack_ports(stack: Stack, web: WebApp | None = None) -> dict[str, int]:
    """Every port the stack listens on, by process name."""
    ports = {name: port_of(spec.health) for name, spec in stack.specs.items() if spec.health}
    if web is not None:
        ports["web-in-front"] = port_of(web.url)
    return ports


def action_urls(stack: Stack) -> list[str]:
    return [spec.health.removesuffix("/health") for name, spec in stack.specs.items() if name.startswith("actions")]


@pytest.fixture(scope="module")
def web(stack: Stack) -> Iterator[WebApp]:
    """The web app in front of the laptop stack, as `make run` starts it."""
    port = free_port()
    env = {**stack.env, "RASA_URL": stack.rasa_url, "WEB_PORT": str(port)}
    with running(WebApp(f"http://127.0.0.1:{port}", stack.database_url, env), "web-doors", port, accounts=False) as app:
        yield app


def assert_every_port_is_loopback_only(ports: dict[str, int]) -> None:
    outside = outside_address()
    for name, port in ports.items():
        assert only_on_loopback(port), f"{name} (port {port}) listens beyond loopback"
        if outside:
            assert not reachable(outside, port), f"{name} (port {port}) answers on {outside}"


def assert_forged_calls_run_nothing(stack: Stack) -> None:
    """No credential, a wrong one, or the right one in the wrong place: 401, nothing stored or sent."""
    sender, reference = f"forger-{uuid.uuid4().hex[:10]}", f"NEU-F{uuid.uuid4().hex[:5].upper()}"
    body = forged_call("action_submit_case", sender, reference)
    for url in action_urls(stack):
        for headers, params in (
            ({}, None),
            ({"Authorization": "Bearer not-the-token"}, None),
            ({"Authorization": ACTION_TOKEN}, None),
            ({}, {"token": ACTION_TOKEN}),
            ({"Authorization": f"Bearer {ACTION_TOKEN}x"}, None),
        ):
            reply = post(f"{url}/webhook", body, headers, params=params)
            assert reply.status_code == 401, (url, headers, reply.status_code, reply.text[:200])
            assert "Forged" not in reply.text
        for action in domain_actions():
            assert post(f"{url}/webhook", forged_call(action)).status_code == 401, action
        assert requests.get(f"{url}/actions", timeout=10).status_code == 401
        assert requests.get(f"{url}/health", timeout=10).status_code == 200
    time.sleep(2)  # long enough for a worker polling every 0.2 s to have sent anything stored
    assert stored_cases(stack, [sender]) == []
    assert all(p["reference"] != reference for p in stack.received())


def assert_rasa_api_needs_its_token(stack: Stack) -> None:
    for url in stack.rasa_urls:
        for path in ("/conversations/someone/tracker", "/status", "/domain"):
            assert requests.get(url + path, timeout=10).status_code in (401, 403), path
            assert requests.get(url + path, params={"token": "wrong"}, timeout=10).status_code in (401, 403), path
        assert requests.get(f"{url}/status", params={"token": TOKEN}, timeout=10).status_code == 200


def assert_receiver_refuses_stale_tampered_and_unsigned(stack: Stack) -> None:
    url = f"{stack.receiver_url}/handoffs"
    # Spend the laptop receiver's deliberate first failures, so the refusals below are its
    # checks answering, whichever tests ran before (none to spend on the production stack).
    for _ in range(LAPTOP_RECEIVER_FAILS_FIRST):
        if post(url, b"{}").status_code != 503:
            break
    fresh = build_payload(f"NEU-R{uuid.uuid4().hex[:5].upper()}")
    body, headers = signed_delivery(fresh, SECRET, time.time() - 600)  # captured ten minutes ago
    assert post(url, body, headers).status_code == 401
    body, headers = signed_delivery(fresh, SECRET, time.time())
    tampered = body.replace(b'"urgency":"', b'"urgency":"x', 1)
    assert post(url, tampered, headers).status_code == 401
    assert post(url, body, {"Idempotency-Key": fresh["reference"]}).status_code == 401
    assert requests.get(url, timeout=10).status_code == 401
    assert all(p["reference"] != fresh["reference"] for p in stack.received())
    # The control: the same delivery, signed now, is taken once; sent again, the first answer.
    first = post(url, body, headers)
    again = post(url, body, headers)
    assert first.status_code == 201 and (again.status_code, again.json()) == (201, first.json())
    assert [p["reference"] for p in stack.received()].count(fresh["reference"]) == 1


# --- the laptop stack (make run) -------------------------------------------------------------


def test_laptop_every_port_is_on_loopback_only(stack: Stack, web: WebApp) -> None:
    assert_every_port_is_loopback_only(stack_ports(stack, web))


def test_laptop_forged_action_calls_store_and_deliver_nothing(stack: Stack) -> None:
    assert_forged_calls_run_nothing(stack)


def test_laptop_rasa_http_api_needs_its_token(stack: Stack) -> None:
    assert_rasa_api_needs_its_token(stack)


def test_laptop_receiver_refuses_replays_tampering_and_strangers(stack: Stack) -> None:
    assert_receiver_refuses_stale_tampered_and_unsigned(stack)


def test_laptop_inbox_and_chat_api_return_nothing_personal_without_a_session(web: WebApp) -> None:
    for path in ("/inbox", "/inbox/cases/NEU-ANY001", "/inbox/audit", "/inbox/checkups", "/inbox/directory",
                 "/inbox/cases/NEU-ANY001/export"):
        reply = requests.get(web.url + path, allow_redirects=False, timeout=10)
        assert reply.status_code in (303, 401), path
    assert requests.get(f"{web.url}/conversations/someone/tracker", timeout=10).status_code == 404
    assert requests.get(f"{web.url}/health", timeout=10).status_code == 200


# --- the production topology (two of each, PostgreSQL and Redis) ----------------------------


@pytest.mark.faults
def test_production_every_port_is_on_loopback_only(production_stack: Stack) -> None:
    assert_every_port_is_loopback_only(stack_ports(production_stack))


@pytest.mark.faults
def test_production_forged_action_calls_store_and_deliver_nothing(production_stack: Stack) -> None:
    assert_forged_calls_run_nothing(production_stack)


@pytest.mark.faults
def test_production_rasa_http_api_needs_its_token(production_stack: Stack) -> None:
    assert_rasa_api_needs_its_token(production_stack)


@pytest.mark.faults
def test_production_receiver_refuses_replays_tampering_and_strangers(production_stack: Stack) -> None:
    assert_receiver_refuses_stale_tampered_and_unsigned(production_stack)


# --- the action server on its own, on every interface -------------------------------------------


@pytest.fixture
def open_action_server(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """An action server listening on every interface (ACTION_INTERFACE=0.0.0.0, as behind a
    network policy), over a throwaway case database; yields (url, database url, log)."""
    database_url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "ACTION_SERVER_TOKEN": ACTION_TOKEN,
           "ACTION_INTERFACE": "0.0.0.0", "HANDOFF_WEBHOOK_SECRET": SECRET, "LOG_LEVEL": "INFO"}
    subprocess.run([sys.executable, "-m", "bot.entrypoints.cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    log = tmp_path / "actions.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "rasa_addons.action_server", "-p", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not reachable("127.0.0.1", port):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}", database_url, log
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_on_every_interface_a_forged_case_is_refused_and_only_rasa_gets_in(open_action_server) -> None:
    url, database_url, log = open_action_server
    outside = outside_address()
    targets = [url] + ([url.replace("127.0.0.1", outside)] if outside else [])
    sender = f"forger-{uuid.uuid4().hex[:10]}"
    for target in targets:
        assert post(f"{target}/webhook", forged_call("action_submit_case", sender)).status_code == 401
    stack = Stack("", "", database_url, {})
    assert stored_cases(stack, [sender]) == []
    # What got in before this change: the same call, now with Rasa's credential, stores the case.
    # The credential is the only thing between a stranger and the advisers' queue.
    reply = post(f"{url}/webhook", forged_call("action_submit_case", sender), {"Authorization": f"Bearer {ACTION_TOKEN}"})
    assert reply.status_code == 200
    assert [c.conversation_id for c in stored_cases(stack, [sender])] == [sender]
    text = log.read_text()
    assert "refused a call to POST /webhook without the action server's credential" in text
    assert "Forged" not in text and "forged@example.org" not in text  # nothing of the body is logged


def test_the_action_server_will_not_start_without_a_token(tmp_path: Path) -> None:
    env = {**os.environ, "ACTION_SERVER_TOKEN": ""}  # set, so a developer's .env cannot supply one
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    run = subprocess.run([sys.executable, "-m", "rasa_addons.action_server", "-p", str(free_port())],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "ACTION_SERVER_TOKEN is not set" in run.stderr
