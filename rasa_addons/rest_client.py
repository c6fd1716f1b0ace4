"""Rasa's REST channel as the web chat proxy meets it: the request, and its reply format cleaned.

The web app (bot.entrypoints.web.chat) speaks to the member's page in its own small
shape (text, buttons, a check-up report); Rasa's reply format (`text`, `buttons`,
`custom`) is read here, in the adapters, so nothing under bot/ knows it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import aiohttp

log = logging.getLogger(__name__)


async def ask_rasa(http: aiohttp.ClientSession, rasa_url: str, sender: str, message: str) -> list[dict[str, Any]] | None:
    """The assistant's replies, or None if Rasa could not be reached in time."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    try:
        async with http.post(url, json={"sender": sender, "message": message}) as reply:
            if reply.status != 200:
                log.warning("Rasa answered the chat proxy with HTTP %s", reply.status)
                return None
            data = await reply.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        log.warning("Rasa unreachable from the chat proxy (%s)", type(exc).__name__)
        return None
    return clean_replies(data)


def clean_replies(data: Any) -> list[dict[str, Any]]:
    """Only text, buttons and a check-up report reach the page, as strings; anything else is dropped."""
    out = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        buttons = [
            {"title": b["title"], "payload": b["payload"]}
            for b in item.get("buttons") or []
            if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
        ]
        report = clean_report(item.get("custom"))
        if text or buttons:
            out.append({"text": text, "buttons": buttons})
        if report:
            out.append({"text": "", "buttons": [], "report": report})
    return out


def clean_report(custom: Any) -> dict[str, str] | None:
    """A check-up report (Markdown) the page offers to download or print; a safe file name."""
    report = custom.get("report") if isinstance(custom, dict) else None
    if not isinstance(report, dict) or not isinstance(report.get("markdown"), str):
        return None
    name = report.get("filename") if isinstance(report.get("filename"), str) else ""
    safe = re.sub(r"[^a-z0-9-]", "", name.lower().removesuffix(".md"))[:60] or "report"
    return {"filename": f"{safe}.md", "markdown": report["markdown"][:20000]}
