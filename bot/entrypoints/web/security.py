"""Headers every response carries, and the cookie and CSRF rules of the inbox."""

from __future__ import annotations

from urllib.parse import urlsplit

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.inbox.tokens import same_token

SESSION_COOKIE = "neu_inbox_session"
SIGNIN_CSRF_COOKIE = "neu_inbox_signin"
COOKIE_PATH = "/inbox"

# No inline script or style anywhere: every script and stylesheet is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # not "no-referrer": that makes browsers send `Origin: null` on POSTs
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def add_security_headers(request: Request, response: HTTPResponse, *, https: bool) -> None:
    """On every response, errors and static files included.

    Nothing but the static files may be cached: chat replies and inbox pages
    carry personal details, and a shared school computer must not keep them.
    """
    for name, value in HEADERS.items():
        response.headers[name] = value
    if https:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"


def set_cookie(response: HTTPResponse, name: str, value: str, *, secure: bool) -> None:
    """HttpOnly (no script can read it), SameSite=Strict (not sent from other sites),
    scoped to /inbox, and a browser-session cookie: closing the browser ends it."""
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = COOKIE_PATH
    if secure:
        cookie["secure"] = True


def clear_cookie(response: HTTPResponse, name: str, *, secure: bool) -> None:
    set_cookie(response, name, "", secure=secure)
    response.cookies[name]["max-age"] = 0


def same_origin(request: Request) -> bool:
    """A state-changing request must come from our own pages: an Origin header, when
    the browser sends one, has to name this host (defence in depth beside the token)."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    return urlsplit(origin).netloc == request.host


def csrf_ok(request: Request, expected: str | None) -> bool:
    form = request.form or {}
    return same_origin(request) and same_token(form.get("csrf"), expected)
