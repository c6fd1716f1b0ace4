"""The member side: the chat page, a proxy to Rasa's REST channel, the AdviceLine status.

The page talks only to this app; this app talks to Rasa on 127.0.0.1. So Rasa
needs no CORS and no public port, and what reaches the browser is reduced to
text and buttons.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import aiohttp
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file, json

from bot.adviceline import (
    ADVICELINE_EMAIL,
    ADVICELINE_HOURS,
    ADVICELINE_PHONE,
    adviceline_status,
    describe_status,
)
from bot.settings import PROJECT_ROOT, Settings
from rasa_addons.rest_client import ask_rasa

log = logging.getLogger(__name__)

STATIC_DIR = PROJECT_ROOT / "web" / "static"
SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_MESSAGE_CHARS = 2000
HTML = "text/html; charset=utf-8"
UNAVAILABLE = (
    "Sorry, the assistant isn't available right now. You can still get help from the NEU AdviceLine "
    f"on {ADVICELINE_PHONE} ({ADVICELINE_HOURS}) or by email at {ADVICELINE_EMAIL}."
)

TOO_FAST = (
    "You're sending messages faster than I can answer. Please wait a few seconds, then send it again. "
    f"If it's urgent, call the NEU AdviceLine on {ADVICELINE_PHONE} ({ADVICELINE_HOURS})."
)

bp = Blueprint("chat")


@bp.get("/")
async def index(_request: Request) -> HTTPResponse:
    return await file(STATIC_DIR / "index.html", mime_type=HTML)


@bp.get("/privacy")
async def privacy(_request: Request) -> HTTPResponse:
    return await file(STATIC_DIR / "privacy.html", mime_type=HTML)


@bp.get("/health")
async def health(_request: Request) -> HTTPResponse:
    return json({"status": "ok"})


@bp.get("/api/adviceline")
async def adviceline(request: Request) -> HTTPResponse:
    settings: Settings = request.app.ctx.settings
    status = adviceline_status(nation=settings.uk_nation)
    return json(
        {
            "open": status.is_open,
            "text": describe_status(status),
            "phone": ADVICELINE_PHONE,
            "email": ADVICELINE_EMAIL,
            "hours": ADVICELINE_HOURS,
        }
    )


@bp.post("/chat")
async def chat(request: Request) -> HTTPResponse:
    body = request.json if isinstance(request.json, dict) else {}
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not SENDER.match(sender):
        return json({"error": "bad_request", "message": "The chat lost track of itself; please reload."}, 400)
    if not isinstance(message, str) or not message.strip() or len(message) > MAX_MESSAGE_CHARS:
        return json({"error": "bad_request", "message": f"Messages can be up to {MAX_MESSAGE_CHARS} characters."}, 400)
    verdict = await request.app.ctx.chat_limits.admit(sender, request.remote_addr or request.ip)
    if not verdict.allowed:
        log.info("chat: message refused by the rate limit (retry in %.0f s)", verdict.retry_after)
        retry = str(max(1, round(verdict.retry_after)))
        return json({"error": "too_many_messages", "message": TOO_FAST}, 429, headers={"Retry-After": retry})
    replies = await ask_rasa(request.app.ctx.http, request.app.ctx.settings.rasa_url, sender, message)
    if replies is None:
        return json({"error": "assistant_unavailable", "message": UNAVAILABLE}, 503)
    return json({"messages": replies})


async def open_http(app: Any, _loop: Any) -> None:
    """One connection pool for the proxy, with a total timeout on every call to Rasa."""
    timeout = aiohttp.ClientTimeout(total=app.ctx.settings.chat_timeout_seconds, connect=5)
    app.ctx.http = aiohttp.ClientSession(timeout=timeout)


async def close_http(app: Any, _loop: Any) -> None:
    await app.ctx.http.close()
    await app.ctx.chat_limits.close()
