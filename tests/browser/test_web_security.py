"""The web app over plain HTTP: nothing personal without a sign-in, CSRF, headers, escaping.

Runs against `web_alone` (no assistant behind it), so it is quick and needs no browser.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import requests

from bot.checkup_counts import record_checkup
from bot.clock import utc_now
from tests.support.databases import REDIS, require_redis
from tests.support.net import free_port
from tests.support.web import ADMIN, ADVISER, IMG, SCRIPT, WebApp, running

CASE = "SSN-2611-HTTP01"
INBOX_PAGES = ["/inbox", f"/inbox/cases/{CASE}", "/inbox/audit", "/inbox/checkups"]
POSTS = [("/inbox/signout", {}), (f"/inbox/cases/{CASE}/status", {"status": "claimed"})]


@pytest.fixture(scope="module")
def app(web_alone: WebApp) -> WebApp:
    web_alone.seed(
        CASE,
        "urgent",
        timedelta(minutes=5),
        member={"name": f"Sam {SCRIPT}", "preferred_contact": "email", "email": "sam@example.org", "workplace": IMG},
        incident={"description": f"They wrote {SCRIPT} and {IMG} under my photo."},
        summary_text=f"URGENT - targeted online. In their words: {SCRIPT} {IMG} (summary long enough).",
    )
    return web_alone


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def signed_in(app: WebApp, account: tuple[str, str]) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{app.url}/inbox/signin")
    reply = session.post(
        f"{app.url}/inbox/signin",
        data={"csrf": csrf_from(form.text), "email": account[0], "password": account[1], "next": "/inbox"},
        allow_redirects=False,
    )
    assert reply.status_code == 303, reply.text
    return session


# --- no credentials, wrong credentials ----------------------------------------------------


@pytest.mark.parametrize("path", INBOX_PAGES)
def test_inbox_pages_send_strangers_to_sign_in(app: WebApp, path: str) -> None:
    reply = requests.get(app.url + path, allow_redirects=False, timeout=10)
    assert reply.status_code == 303 and reply.headers["Location"].startswith("/inbox/signin?next=")
    assert "Sam" not in reply.text and CASE not in reply.text.replace(f"next={path}", "")


@pytest.mark.parametrize("cookie", [None, "made-up-session-token", ""])
def test_export_needs_a_real_session(app: WebApp, cookie: str | None) -> None:
    cookies = {"neu_inbox_session": cookie} if cookie is not None else {}
    reply = requests.get(f"{app.url}/inbox/cases/{CASE}/export", cookies=cookies, allow_redirects=False, timeout=10)
    assert reply.status_code == 401 and "Sam" not in reply.text


@pytest.mark.parametrize("path", INBOX_PAGES)
def test_a_forged_session_cookie_is_not_signed_in(app: WebApp, path: str) -> None:
    reply = requests.get(app.url + path, cookies={"neu_inbox_session": "x" * 43}, allow_redirects=False, timeout=10)
    assert reply.status_code == 303


@pytest.mark.parametrize(("path", "form"), POSTS)
def test_changes_without_a_session_are_refused(app: WebApp, path: str, form: dict) -> None:
    reply = requests.post(app.url + path, data=form, allow_redirects=False, timeout=10)
    assert reply.status_code == 401


@pytest.mark.parametrize(
    ("email", "password"),
    [(ADMIN[0], "not the password at all"), ("nobody@example.org", ADMIN[1]), (ADMIN[0], "")],
)
def test_wrong_credentials_do_not_sign_in(app: WebApp, email: str, password: str) -> None:
    session = requests.Session()
    form = session.get(f"{app.url}/inbox/signin")
    reply = session.post(
        f"{app.url}/inbox/signin",
        data={"csrf": csrf_from(form.text), "email": email, "password": password},
        allow_redirects=False,
    )
    assert reply.status_code == 401 and "not recognised" in reply.text
    assert "neu_inbox_session" not in session.cookies
    assert session.get(f"{app.url}/inbox", allow_redirects=False).status_code == 303


def test_sign_in_needs_the_forms_own_token(app: WebApp) -> None:
    session = requests.Session()
    session.get(f"{app.url}/inbox/signin")
    reply = session.post(
        f"{app.url}/inbox/signin", data={"csrf": "guessed", "email": ADMIN[0], "password": ADMIN[1]}, allow_redirects=False
    )
    assert reply.status_code == 401 and "neu_inbox_session" not in session.cookies


def test_an_adviser_cannot_read_the_audit_log(app: WebApp) -> None:
    adviser = signed_in(app, ADVISER)
    assert adviser.get(f"{app.url}/inbox/audit").status_code == 403
    assert signed_in(app, ADMIN).get(f"{app.url}/inbox/audit").status_code == 200


def test_only_admins_read_the_check_up_counts(app: WebApp) -> None:
    record_checkup(app.uow(), "policy_review", {"policy_exists": "no", "awareness": "yes"}, utc_now())
    assert signed_in(app, ADVISER).get(f"{app.url}/inbox/checkups").status_code == 403
    page = signed_in(app, ADMIN).get(f"{app.url}/inbox/checkups")
    assert page.status_code == 200 and "Counting is off (CHECKUP_COUNTS=0)" in page.text
    assert re.search(r"Policy reviews \(leaders\): [1-9]\d* finished", page.text), page.text
    assert "Does your school or college have a social networking policy" in page.text


def test_sign_out_ends_the_session_on_the_server(app: WebApp) -> None:
    session = signed_in(app, ADVISER)
    token = session.cookies["neu_inbox_session"]
    page = session.get(f"{app.url}/inbox")
    assert session.post(f"{app.url}/inbox/signout", data={"csrf": csrf_from(page.text)}, allow_redirects=False).status_code == 303
    replay = requests.get(f"{app.url}/inbox", cookies={"neu_inbox_session": token}, allow_redirects=False, timeout=10)
    assert replay.status_code == 303, "a copied cookie must not outlive sign-out"


# --- cookies, CSRF, headers --------------------------------------------------------------------


def test_the_session_cookie_is_httponly_strict_and_scoped(app: WebApp) -> None:
    session = requests.Session()
    form = session.get(f"{app.url}/inbox/signin")
    reply = session.post(
        f"{app.url}/inbox/signin",
        data={"csrf": csrf_from(form.text), "email": ADVISER[0], "password": ADVISER[1]},
        allow_redirects=False,
    )
    cookie = next(c for c in reply.headers["Set-Cookie"].split(", neu_") if c.startswith(("neu_inbox_session", "inbox_session")))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/inbox" in cookie
    assert "Max-Age" not in cookie and "expires" not in cookie.lower(), "a browser-session cookie"


def test_a_status_change_needs_the_sessions_csrf_token(app: WebApp) -> None:
    session = signed_in(app, ADVISER)
    url = f"{app.url}/inbox/cases/{CASE}/status"
    assert session.post(url, data={"status": "claimed"}, allow_redirects=False).status_code == 403
    assert session.post(url, data={"status": "claimed", "csrf": "forged"}, allow_redirects=False).status_code == 403
    page = session.get(f"{app.url}/inbox/cases/{CASE}")
    other_site = {"Origin": "https://evil.example"}
    refused = session.post(url, data={"status": "claimed", "csrf": csrf_from(page.text)}, headers=other_site, allow_redirects=False)
    assert refused.status_code == 403
    assert "<strong id=\"case-status\">New</strong>" in session.get(f"{app.url}/inbox/cases/{CASE}").text


@pytest.mark.parametrize("path", ["/", "/privacy", "/static/chat.js", "/inbox/signin", "/no-such-page", "/api/adviceline"])
def test_every_response_carries_the_security_headers(app: WebApp, path: str) -> None:
    reply = requests.get(app.url + path, timeout=10)
    csp = reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    if not path.startswith("/static/"):
        assert reply.headers["Cache-Control"] == "no-store"


def test_inbox_pages_have_no_inline_script(app: WebApp) -> None:
    session = signed_in(app, ADMIN)
    for path in (*INBOX_PAGES, "/"):
        assert "<script>" not in session.get(app.url + path).text.replace("&lt;script&gt;", "")


# --- escaping and export -----------------------------------------------------------------------


def test_member_supplied_text_is_escaped_on_the_case_page(app: WebApp) -> None:
    html = signed_in(app, ADVISER).get(f"{app.url}/inbox/cases/{CASE}").text
    assert SCRIPT not in html and IMG not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_export_is_the_schema_json_as_a_download(app: WebApp) -> None:
    reply = signed_in(app, ADVISER).get(f"{app.url}/inbox/cases/{CASE}/export")
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("application/json")
    assert reply.headers["Content-Disposition"] == f'attachment; filename="{CASE}.json"'
    payload = reply.json()
    assert payload["reference"] == CASE and payload["schema_version"] == "1"
    assert payload["incident"]["description"].startswith(f"They wrote {SCRIPT}")


def test_sign_in_only_returns_to_inbox_pages(app: WebApp) -> None:
    session = requests.Session()
    form = session.get(f"{app.url}/inbox/signin?next=https://evil.example/")
    assert 'name="next" value="/inbox"' in form.text
    reply = session.post(
        f"{app.url}/inbox/signin",
        data={"csrf": csrf_from(form.text), "email": ADVISER[0], "password": ADVISER[1], "next": "//evil.example"},
        allow_redirects=False,
    )
    assert reply.headers["Location"] == "/inbox"


# --- the member chat's API -----------------------------------------------------------------------


def test_chat_says_so_kindly_when_the_assistant_is_unreachable(app: WebApp) -> None:
    reply = requests.post(f"{app.url}/chat", json={"sender": "abcdefgh1234", "message": "hello"}, timeout=30)
    assert reply.status_code == 503
    message = reply.json()["message"]
    assert "0345 811 8111" in message and "adviceline@neu.org.uk" in message and "9am to 7pm" in message


def test_a_flood_from_one_conversation_is_slowed_kindly(app: WebApp) -> None:
    """web_alone accepts 3 messages a minute per conversation; the 4th gets a 429 that says why."""
    sender = "flood" + uuid.uuid4().hex[:12]
    codes = [requests.post(f"{app.url}/chat", json={"sender": sender, "message": f"hi {i}"}, timeout=30).status_code
             for i in range(3)]
    assert codes == [503, 503, 503]  # accepted, and passed on to the (absent) assistant
    refused = requests.post(f"{app.url}/chat", json={"sender": sender, "message": "hi again"}, timeout=30)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "wait a few seconds" in refused.json()["message"] and "0345 811 8111" in refused.json()["message"]
    other = requests.post(f"{app.url}/chat", json={"sender": "other" + uuid.uuid4().hex[:12], "message": "hi"}, timeout=30)
    assert other.status_code == 503  # another member is not held up


def test_two_web_replicas_share_the_flood_limit_through_redis(web_alone: WebApp) -> None:
    """With CHAT_LIMITS_REDIS_URL, 3 a minute means 3 whichever replica the messages reach."""
    require_redis()
    shared = {**web_alone.env, "CHAT_LIMITS_REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0"}
    ports = [free_port(), free_port()]
    apps = [WebApp(f"http://127.0.0.1:{port}", web_alone.database_url, {**shared, "WEB_PORT": str(port)}) for port in ports]
    sender = "shared" + uuid.uuid4().hex[:12]
    with running(apps[0], "web_replica_0", ports[0], accounts=False), running(apps[1], "web_replica_1", ports[1], accounts=False):
        codes = [
            requests.post(f"{apps[i % 2].url}/chat", json={"sender": sender, "message": f"hi {i}"}, timeout=30).status_code
            for i in range(4)
        ]
    assert codes == [503, 503, 503, 429]  # alone, each replica would have let all four through


@pytest.mark.parametrize(
    "body",
    [{}, {"sender": "x", "message": "hi"}, {"sender": "abcdefgh1234", "message": ""}, {"sender": "abcdefgh1234", "message": "x" * 2001}, {"sender": "../../etc", "message": "hi"}],
)
def test_chat_refuses_malformed_requests(app: WebApp, body: dict) -> None:
    assert requests.post(f"{app.url}/chat", json=body, timeout=10).status_code == 400


def test_the_chat_api_never_returns_a_conversation(app: WebApp) -> None:
    """The only chat endpoint is the POST proxy; nothing lists or reads conversations."""
    for path in ("/chat", "/conversations/abcdefgh1234/tracker", "/webhooks/rest/webhook"):
        assert requests.get(app.url + path, timeout=10).status_code in (404, 405)


def test_adviceline_status_is_public_and_carries_the_contacts(app: WebApp) -> None:
    info = requests.get(f"{app.url}/api/adviceline", timeout=10).json()
    assert isinstance(info["open"], bool) and info["phone"] == "0345 811 8111"
    assert info["text"].startswith("The AdviceLine is")
