"""The adviser inbox over HTTP: sign-in, the case list, a case, status changes, pass-on, export, audit,
check-up counts, the directory. An account sees only its destination's cases; any other is 404.

Pages ask for a sign-in by redirecting to it; the export and every POST answer
401/403 instead. Rules about who may do what are `bot.inbox`'s; this module maps
its answers and exceptions onto HTTP.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect
from sanic.response import json as json_response

from bot.case_records import InvalidTransition
from bot.checkup_counts import read_checkup_counts
from bot.clock import utc_now
from bot.entrypoints.web import pages
from bot.entrypoints.web.blocking import blocking
from bot.entrypoints.web.security import (
    SESSION_COOKIE,
    SIGNIN_CSRF_COOKIE,
    clear_cookie,
    csrf_ok,
    same_origin,
    set_cookie,
)
from bot.inbox.accounts import SessionPolicy, SignedIn, authenticate, sign_in, sign_out
from bot.inbox.audit import read_audit
from bot.inbox.cases import (
    CaseFilters,
    PassOnRefused,
    change_status,
    destination_names,
    export_case,
    list_cases,
    pass_on,
    read_directory,
    view_case,
)
from bot.inbox.tokens import new_token, same_token
from bot.inbox.workflow import NotAllowed

log = logging.getLogger(__name__)

bp = Blueprint("inbox", url_prefix="/inbox")

REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,31}$")
SAFE_NEXT = re.compile(r"^/inbox(/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9_=&-]*)?$")
Handler = Callable[..., Awaitable[HTTPResponse]]


# --- plumbing ------------------------------------------------------------------


def _uow(request: Request) -> Any:
    return request.app.ctx.uow_factory()


def _policy(request: Request) -> SessionPolicy:
    return request.app.ctx.policy


def _secure(request: Request) -> bool:
    return request.app.ctx.settings.inbox_secure_cookies


async def _signed_in(request: Request) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await blocking(authenticate, _uow(request), token, _policy(request))


def page(handler: Handler) -> Handler:
    """A GET page: without a live session, go to the sign-in page and come back after."""

    @wraps(handler)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        signed = await _signed_in(request)
        if signed is None:
            back = request.path + (f"?{request.query_string}" if request.query_string else "")
            return redirect(f"/inbox/signin?next={quote(back, safe='/')}", status=303)
        return await handler(request, signed, *args, **kwargs)

    return wrapper


def action(handler: Handler) -> Handler:
    """A POST: needs a live session (401) and this session's CSRF token (403)."""

    @wraps(handler)
    async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
        signed = await _signed_in(request)
        if signed is None:
            return html(pages.error_page("Signed out", "Your session has ended. Please sign in again."), 401)
        if not csrf_ok(request, signed.csrf_token):
            log.warning("inbox: rejected a form without a valid CSRF token")
            return html(pages.error_page("Not allowed", "That form had expired. Please try again.", signed), 403)
        return await handler(request, signed, *args, **kwargs)

    return wrapper


def _reference(raw: str) -> str | None:
    reference = raw.strip().upper()
    return reference if REFERENCE.match(reference) else None


def _not_found(signed: SignedIn) -> HTTPResponse:
    return html(pages.error_page("Case not found", "There is no case with that reference.", signed), 404)


# --- sign in and out -----------------------------------------------------------


@bp.get("/signin")
async def signin_form(request: Request) -> HTTPResponse:
    next_path = request.args.get("next", "/inbox")
    return _signin_response(request, next_path if SAFE_NEXT.match(next_path) else "/inbox")


def _signin_response(request: Request, next_path: str, error: str | None = None, email: str = "") -> HTTPResponse:
    """The form, with a fresh token in both a cookie and a hidden field (double submit),
    so another site cannot sign a browser in to an account of its choosing."""
    token = new_token()
    response = html(pages.signin_page(token, next_path, error, email), 401 if error else 200)
    set_cookie(response, SIGNIN_CSRF_COOKIE, token, secure=_secure(request))
    return response


@bp.post("/signin")
async def signin_submit(request: Request) -> HTTPResponse:
    form = request.form or {}
    next_path = form.get("next") or "/inbox"
    next_path = next_path if SAFE_NEXT.match(next_path) else "/inbox"
    email, password = (form.get("email") or "")[:254], (form.get("password") or "")[:1024]
    if not same_origin(request) or not same_token(form.get("csrf"), request.cookies.get(SIGNIN_CSRF_COOKIE)):
        return _signin_response(request, next_path, "The sign-in form had expired. Please try again.", email)
    result = await blocking(sign_in, _uow(request), email, password, _policy(request))
    if result is None:
        log.info("inbox: a sign-in was refused")
        return _signin_response(request, next_path, "Email or password not recognised.", email)
    token, signed = result
    log.info("inbox: adviser %s signed in", signed.adviser.id)
    response = redirect(next_path, status=303)
    set_cookie(response, SESSION_COOKIE, token, secure=_secure(request))
    clear_cookie(response, SIGNIN_CSRF_COOKIE, secure=_secure(request))
    return response


@bp.post("/signout")
@action
async def signout(request: Request, _signed: SignedIn) -> HTTPResponse:
    await blocking(sign_out, _uow(request), request.cookies.get(SESSION_COOKIE))
    response = redirect("/inbox/signin", status=303)
    clear_cookie(response, SESSION_COOKIE, secure=_secure(request))
    return response


# --- cases -----------------------------------------------------------------------


@bp.get("")
@page
async def case_list(request: Request, signed: SignedIn) -> HTTPResponse:
    names = ("urgency", "route", "status", "case_type", "destination")
    filters = CaseFilters.from_query({name: request.args.get(name) for name in names})
    rows = await blocking(list_cases, _uow(request), signed.adviser, filters)
    known = await blocking(destination_names, _uow(request))
    scope = signed.adviser.scope
    notice = pages.LIST_NOTICES.get(request.args.get("done", ""))
    return html(pages.list_page(rows, filters, signed, utc_now(), known.get(scope, scope) if scope else None, known, notice))


@bp.get("/cases/<reference>")
@page
async def case_detail(request: Request, signed: SignedIn, reference: str) -> HTTPResponse:
    ref = _reference(reference)
    if ref is None:
        return _not_found(signed)
    try:
        view = await blocking(view_case, _uow(request), signed.adviser, ref)
    except LookupError:
        return _not_found(signed)
    notice = pages.STATUS_NOTICES.get(request.args.get("done", ""))
    return html(pages.case_page(view, signed, utc_now(), notice))


@bp.post("/cases/<reference>/status")
@action
async def case_status(request: Request, signed: SignedIn, reference: str) -> HTTPResponse:
    ref = _reference(reference)
    target = (request.form or {}).get("status", "")
    if ref is None:
        return _not_found(signed)
    try:
        await blocking(change_status, _uow(request), signed.adviser, ref, target)
    except LookupError:
        return _not_found(signed)
    except NotAllowed as exc:
        return html(pages.error_page("Not allowed", str(exc), signed), 403)
    except InvalidTransition as exc:
        return html(pages.error_page("Not changed", f"{exc}. The case may have been changed by someone else.", signed), 409)
    log.info("inbox: case %s moved to %s by adviser %s", ref, target, signed.adviser.id)
    return redirect(f"/inbox/cases/{ref}?done={target}", status=303)


@bp.post("/cases/<reference>/pass-on")
@action
async def case_pass_on(request: Request, signed: SignedIn, reference: str) -> HTTPResponse:
    """Hand the case to another destination (audited); the old destination loses it."""
    ref = _reference(reference)
    form = request.form or {}
    if ref is None:
        return _not_found(signed)
    try:
        target = await blocking(
            pass_on, _uow(request), signed.adviser, ref, (form.get("destination") or "")[:64], (form.get("reason") or "")[:1000]
        )
    except LookupError:
        return _not_found(signed)
    except NotAllowed as exc:
        return html(pages.error_page("Not allowed", str(exc), signed), 403)
    except PassOnRefused as exc:
        return html(pages.error_page("Not passed on", f"Not passed on: {exc}.", signed), 400)
    log.info("inbox: case %s passed on to %s by adviser %s", ref, target.id, signed.adviser.id)
    if signed.adviser.may_see(target.id):
        return redirect(f"/inbox/cases/{ref}?done=passed_on", status=303)
    return redirect("/inbox?done=passed_on", status=303)


@bp.get("/cases/<reference>/export")
async def case_export(request: Request, reference: str) -> HTTPResponse:
    """JSON, so no redirect: a script or a download without a session gets a plain 401."""
    signed = await _signed_in(request)
    if signed is None:
        return json_response({"error": "sign in required"}, 401)
    ref = _reference(reference)
    try:
        payload = await blocking(export_case, _uow(request), signed.adviser, ref) if ref else None
    except LookupError:
        payload = None
    if payload is None:
        return json_response({"error": "not found"}, 404)
    return HTTPResponse(
        json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{ref}.json"'},
    )


@bp.get("/audit")
@page
async def audit_log(request: Request, signed: SignedIn) -> HTTPResponse:
    return await _admin_page(request, signed, "audit log", read_audit, pages.audit_page)


@bp.get("/checkups")
@page
async def checkup_counts(request: Request, signed: SignedIn) -> HTTPResponse:
    counting = request.app.ctx.settings.checkup_counts
    return await _admin_page(
        request, signed, "check-up counts", read_checkup_counts, lambda found, who: pages.checkup_counts_page(found, counting, who)
    )


@bp.get("/directory")
@page
async def directory(request: Request, signed: SignedIn) -> HTTPResponse:
    return await _admin_page(request, signed, "directory", read_directory, pages.directory_page)


async def _admin_page(
    request: Request, signed: SignedIn, what: str, read: Callable[..., Any], render: Callable[[Any, SignedIn], str]
) -> HTTPResponse:
    """An admins-only page: `read(uow, adviser, now)` refuses anyone else (and audits both)."""
    try:
        found = await blocking(read, _uow(request), signed.adviser, utc_now())
    except NotAllowed:
        return html(pages.error_page("Admins only", f"Only admins can read the {what}.", signed), 403)
    return html(render(found, signed))
