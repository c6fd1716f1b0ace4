"""Build the Sanic app: the member chat, the adviser inbox, static files, headers."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.entrypoints.web import chat, inbox
from bot.entrypoints.web.blocking import blocking
from bot.entrypoints.web.chat import STATIC_DIR
from bot.entrypoints.web.rate_limit import ChatLimits, Limits, SharedChatLimits
from bot.entrypoints.web.security import add_security_headers
from bot.inbox.accounts import SessionPolicy, remove_stale_sessions
from bot.settings import Settings
from bot.storage.engine import session_factory_for
from bot.storage.uow import uow_factory
from bot.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024


def session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.inbox_session_idle_minutes),
        lifetime=timedelta(hours=settings.inbox_session_max_hours),
        max_failed_sign_ins=settings.inbox_max_failed_signins,
    )


def chat_limits(settings: Settings) -> Limits:
    """Counted in this process, or in the Redis that every web replica shares."""
    limits = settings.chat_messages_per_minute, settings.chat_messages_per_minute_per_address
    if settings.chat_limits_redis_url:
        return SharedChatLimits.from_url(settings.chat_limits_redis_url, *limits)
    return ChatLimits.per_minute(*limits)


def create_app(settings: Settings, uows: UnitOfWorkFactory | None = None, name: str = "neu_web") -> Sanic:
    """The web app over the settings its entry point read (bot.bootstrap); `uows` defaults to the settings' database."""
    app = Sanic(name, configure_logging=False)  # logging is set up by bot.bootstrap, called by bot.entrypoints.web.__main__
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "text"
    app.ctx.settings = settings
    app.ctx.policy = session_policy(settings)
    app.ctx.chat_limits = chat_limits(settings)
    app.ctx.uow_factory = uows or uow_factory(session_factory_for(settings.database_url))
    app.blueprint(chat.bp)
    app.blueprint(inbox.bp)
    app.static("/static", str(STATIC_DIR))
    app.register_listener(chat.open_http, "before_server_start")
    app.register_listener(chat.close_http, "after_server_stop")
    app.register_listener(_housekeeping, "after_server_start")

    @app.on_response
    async def _headers(request: Request, response: HTTPResponse) -> None:
        add_security_headers(request, response, https=settings.inbox_secure_cookies)

    return app


async def _housekeeping(app: Any, _loop: Any) -> None:
    """Drop expired inbox sessions at start-up (they are refused anyway)."""
    try:
        removed = await blocking(remove_stale_sessions, app.ctx.uow_factory(), app.ctx.policy)
    except Exception as exc:
        log.warning("inbox: could not tidy sessions (%s); has `python -m bot.entrypoints.cli migrate` run?", type(exc).__name__)
        return
    log.info("web chat and adviser inbox ready (%d stale inbox sessions removed)", removed)
