"""rasa-sdk's action server, answering only the Rasa server, and only real action calls.

    python -m rasa_addons.action_server --port 5055 [--actions actions]

The same server `rasa run actions` starts (rasa_sdk.endpoint.create_app: GET
/health, POST /webhook, GET /actions), with two request checks in front:

1. The caller must be our Rasa server. An action call carries the whole tracker,
   so whoever can reach this port could otherwise store a case of their making
   (and have it delivered, signed) or erase a conversation. Every route but
   /health needs `Authorization: Bearer <ACTION_SERVER_TOKEN>`, the shared secret
   Rasa sends from endpoints.yml; a missing or wrong one gets a 401, runs nothing,
   and is logged at WARNING without the body. With no token configured the server
   refuses to start.
2. rasa-sdk answers a body that is JSON but not an action call (a list, a tracker
   that is not an object, a version that is not a string, a broken deflate body)
   with a 500 from deep inside; here it gets a 400 saying what is wrong.

It listens on 127.0.0.1 unless ACTION_INTERFACE says otherwise (0.0.0.0 only
behind a network policy, docs/k8s/networkpolicy.yaml).
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import sys
import zlib
from collections.abc import Sequence
from typing import Any

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.bootstrap import bootstrap
from bot.settings import get_settings

log = logging.getLogger("rasa_addons.action_server")  # not __main__ under `python -m`

MAX_BODY_BYTES = 5_000_000
OPEN_PATHS = frozenset({"/health"})
_OPTIONAL_OBJECTS = ("slots", "latest_message", "active_loop", "active_form")


def action_call(request: Request) -> Any:
    """The body as rasa-sdk will read it (deflate or plain JSON); ValueError if unreadable."""
    body = request.body
    if request.headers.get("Content-Encoding") == "deflate":
        try:
            body = zlib.decompress(body)
        except zlib.error as exc:
            raise ValueError("the body is not deflate-compressed") from exc
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("the body is not JSON") from exc


def problem_with(call: Any) -> str | None:
    """Why `call` is not an action call Rasa would send, or None if it is one."""
    if not isinstance(call, dict):
        return "the body must be a JSON object"
    if not isinstance(call.get("next_action"), str):
        return "'next_action' must be a string"
    if "version" in call and not isinstance(call["version"], str | None):
        return "'version' must be a string"
    if not isinstance(call.get("domain", {}), dict):
        return "'domain' must be an object"
    return _tracker_problem(call.get("tracker"))


def _tracker_problem(tracker: Any) -> str | None:
    if not isinstance(tracker, dict):
        return "'tracker' must be an object"
    if not isinstance(tracker.get("sender_id"), str):
        return "'tracker.sender_id' must be a string"
    for name in _OPTIONAL_OBJECTS:
        if tracker.get(name) is not None and not isinstance(tracker[name], dict):
            return f"'tracker.{name}' must be an object"
    events = tracker.get("events", [])
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return "'tracker.events' must be a list of objects"
    return None


def is_from_rasa(authorization: str | None, token: str) -> bool:
    """Does the Authorization header carry the shared secret? Constant-time compare."""
    expected = f"Bearer {token}".encode()
    return bool(token) and hmac.compare_digest(expected, (authorization or "").strip().encode("utf-8", "replace"))


def refuse_strangers(token: str):
    """Request middleware: every route but /health needs the shared secret (401 otherwise)."""

    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or is_from_rasa(request.headers.get("Authorization"), token):
            return None
        log.warning("refused a call to %s %s without the action server's credential (from %s)",
                    request.method, request.path, request.ip)
        return response.json({"error": "unauthorised"}, status=401)

    return check


async def refuse_non_action_calls(request: Request) -> HTTPResponse | None:
    """Request middleware: only POST /webhook is checked; everything else passes through."""
    if request.method != "POST" or request.path != "/webhook":
        return None
    if len(request.body) > MAX_BODY_BYTES:
        return response.json({"error": "the body is too large"}, status=413)
    try:
        problem = problem_with(action_call(request))
    except ValueError as exc:
        problem = str(exc)
    if problem:
        log.warning("refused a request to /webhook: %s", problem)
        return response.json({"error": problem}, status=400)
    return None


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rasa_addons.action_server", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", "-p", type=int, default=5055)
    parser.add_argument("--actions", default="actions", help="the package of actions to serve")
    args = parser.parse_args(argv)
    settings = bootstrap(get_settings(), configure_logs=False).settings  # Rasa's own log format below
    utils.configure_colored_logging(settings.log_level)
    utils.update_sanic_log_level()
    if not settings.action_server_token:
        sys.exit("ACTION_SERVER_TOKEN is not set: the action server will not run without the secret "
                 "the Rasa server sends (`make run` writes one into .env; see .env.example).")
    app = create_app(args.actions, cors_origins=None)
    app.register_middleware(refuse_strangers(settings.action_server_token), "request")
    app.register_middleware(refuse_non_action_calls, "request")
    log.info("action server on http://%s:%d", settings.action_interface, args.port)
    app.run(settings.action_interface, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
