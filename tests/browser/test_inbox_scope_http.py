"""The scoped inbox over real HTTP (`python -m bot.entrypoints.web`), on SQLite and PostgreSQL.

Every route the app has is listed in ROUTES with what a branch account must get
from it; `test_every_route_is_covered` enumerates the app's routes, so a new URL
without an entry here fails. Another destination's case must be answered exactly
like a reference that does not exist (same status, same body), so references
cannot be probed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta

import pytest
import requests

from bot.entrypoints.web.app import create_app
from bot.settings import Settings
from tests.browser.test_web_security import csrf_from, signed_in
from tests.support.databases import temporary_postgres_database
from tests.support.net import free_port
from tests.support.web import WebApp, running

PASSWORD = "a long enough password for tests"
NORTH = ("north@example.org", PASSWORD)
SOUTH = ("south@example.org", PASSWORD)
ADVICELINE = ("adviceline@example.org", PASSWORD)
ADMIN = ("boss@example.org", PASSWORD)
MINE, THEIRS, MOVED = "SSN-2612-NTOWN1", "SSN-2612-SVALE1", "SSN-2612-NTOWN2"
NOBODYS = "SSN-2612-NONE99"
NORTHTOWN = {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
SOUTHVALE = {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}
THEIR_MEMBER = "Quill Southvale-Member"


@dataclass
class Scoped:
    app: WebApp
    north: requests.Session
    admin: requests.Session

    def get(self, session: requests.Session, path: str) -> requests.Response:
        return session.get(self.app.url + path, allow_redirects=False, timeout=10)

    def post(self, session: requests.Session, path: str, data: dict[str, str]) -> requests.Response:
        page = session.get(f"{self.app.url}/inbox", timeout=10)
        return session.post(self.app.url + path, data={**data, "csrf": csrf_from(page.text)}, allow_redirects=False, timeout=10)

    def case(self, reference: str):
        with self.app.uow() as uow:
            found = uow.cases.get(reference)
            claim = uow.claims.get(reference)
            return found.status, found.destination_id, claim.adviser_email if claim else None


def environment(database_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "RASA_URL": f"http://127.0.0.1:{free_port()}",  # no assistant behind it
        "WEB_PORT": str(port),
        "CHAT_TIMEOUT_SECONDS": "3",
        "INBOX_MAX_FAILED_SIGNINS": "50",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def scoped(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scoped]:
    """The web app over the sample directory, a branch account per branch, the AdviceLine's, an admin."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('scoped') / 'cases.sqlite3'}"
        else:
            url = stack.enter_context(temporary_postgres_database("neu_scope_test"))
        port = free_port()
        app = WebApp(f"http://127.0.0.1:{port}", url, environment(url, port))
        for step in (["migrate"], ["directory", "import", "directory/sample.yml"]):
            done = app.cli(*step)
            assert done.returncode == 0, done.stderr
        for (email, password), extra in (
            (NORTH, ["--destination", "branch-northtown"]),
            (SOUTH, ["--destination", "branch-southvale"]),
            (ADVICELINE, []),
            (ADMIN, ["--role", "admin"]),
        ):
            made = app.cli("advisers", "add", email, *extra, stdin=password + "\n")
            assert made.returncode == 0, made.stderr
        app.seed(MINE, "urgent", timedelta(minutes=5), route="local_branch", schema_version="1.1", destination=NORTHTOWN)
        app.seed(MOVED, "routine", timedelta(minutes=4), route="local_branch", schema_version="1.1", destination=NORTHTOWN)
        app.seed(
            THEIRS, "urgent", timedelta(minutes=3), route="local_branch", schema_version="1.1", destination=SOUTHVALE,
            member={"name": THEIR_MEMBER, "preferred_contact": "email", "email": "quill@example.net"},
        )
        stack.enter_context(running(app, f"web_scope_{request.param}", port, accounts=False))
        yield Scoped(app, signed_in(app, NORTH), signed_in(app, ADMIN))


def leaks_nothing(reply: requests.Response) -> bool:
    return THEIRS not in reply.text and THEIR_MEMBER not in reply.text and "quill@example.net" not in reply.text


# --- what each route must do for the Northtown branch account ------------------------------------


def case_page(s: Scoped) -> None:
    assert s.get(s.north, f"/inbox/cases/{MINE}").status_code == 200
    theirs, nobodys = s.get(s.north, f"/inbox/cases/{THEIRS}"), s.get(s.north, f"/inbox/cases/{NOBODYS}")
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.text == nobodys.text and leaks_nothing(theirs)
    assert s.get(s.admin, f"/inbox/cases/{THEIRS}").status_code == 200


def case_export(s: Scoped) -> None:
    assert s.get(s.north, f"/inbox/cases/{MINE}/export").json()["reference"] == MINE
    theirs, nobodys = s.get(s.north, f"/inbox/cases/{THEIRS}/export"), s.get(s.north, f"/inbox/cases/{NOBODYS}/export")
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.text == nobodys.text == '{"error":"not found"}' and leaks_nothing(theirs)


def case_status(s: Scoped) -> None:
    theirs = s.post(s.north, f"/inbox/cases/{THEIRS}/status", {"status": "claimed"})
    nobodys = s.post(s.north, f"/inbox/cases/{NOBODYS}/status", {"status": "claimed"})
    assert theirs.status_code == nobodys.status_code == 404 and theirs.text == nobodys.text
    assert s.case(THEIRS) == ("new", "branch-southvale", None)
    mine = s.post(s.north, f"/inbox/cases/{MINE}/status", {"status": "claimed"})
    assert mine.status_code == 303 and s.case(MINE) == ("claimed", "branch-northtown", NORTH[0])


def case_pass_on(s: Scoped) -> None:
    form = {"destination": "branch-northtown", "reason": "ours, surely"}
    theirs = s.post(s.north, f"/inbox/cases/{THEIRS}/pass-on", form)
    nobodys = s.post(s.north, f"/inbox/cases/{NOBODYS}/pass-on", form)
    assert theirs.status_code == nobodys.status_code == 404 and theirs.text == nobodys.text
    assert s.case(THEIRS) == ("new", "branch-southvale", None)
    refused = s.post(s.north, f"/inbox/cases/{MINE}/pass-on", {"destination": "adviceline", "reason": " "})
    assert refused.status_code == 400 and "say why" in refused.text and s.case(MINE)[1] == "branch-northtown"


def case_list(s: Scoped) -> None:
    listed = s.get(s.north, "/inbox")
    assert listed.status_code == 200 and MINE in listed.text and leaks_nothing(listed)
    assert "Cases for Northtown NEU branch" in listed.text
    filtered = s.get(s.north, "/inbox?route=local_branch&urgency=urgent&destination=branch-southvale")
    assert MINE in filtered.text and leaks_nothing(filtered), "the scope wins over a destination filter"
    assert 'name="destination"' not in filtered.text, "no destination filter for a scoped account"
    everything = s.get(s.admin, "/inbox")
    assert THEIRS in everything.text and MINE in everything.text and "Southvale NEU branch" in everything.text
    only_south = s.get(s.admin, "/inbox?destination=branch-southvale").text
    assert THEIRS in only_south and MINE not in only_south and '<option value="branch-southvale" selected>' in only_south


def admins_only(path: str) -> Callable[[Scoped], None]:
    def probe(s: Scoped) -> None:
        refused = s.get(s.north, path)
        assert refused.status_code == 403 and leaks_nothing(refused)
        assert s.get(s.admin, path).status_code == 200

    return probe


def directory_page(s: Scoped) -> None:
    admins_only("/inbox/directory")(s)
    page = s.get(s.admin, "/inbox/directory").text
    for shown in ("Northtown NEU branch", "NT4", "Robin Ashdown", "cases@northtown-neu.example.org", "Webhook (127.0.0.1)"):
        assert shown in page, shown
    assert "HANDOFF_WEBHOOK_SECRET" not in page and "/handoffs" not in page, "no secret, not even its variable's name"


def signin_form(s: Scoped) -> None:
    reply = requests.get(f"{s.app.url}/inbox/signin", timeout=10)
    assert reply.status_code == 200 and leaks_nothing(reply)


def signin_submit(s: Scoped) -> None:
    session = signed_in(s.app, NORTH)  # a fresh session, through POST /inbox/signin
    assert MINE in s.get(session, "/inbox").text


def signout(s: Scoped) -> None:
    session = signed_in(s.app, NORTH)
    assert s.post(session, "/inbox/signout", {}).status_code == 303
    assert s.get(session, f"/inbox/cases/{MINE}").status_code == 303, "signed out: back to the sign-in page"


def public(path: str, method: str = "GET") -> Callable[[Scoped], None]:
    """Member-facing routes: nothing of any case, whoever asks."""

    def probe(s: Scoped) -> None:
        if method == "POST":
            reply = s.north.post(f"{s.app.url}{path}", json={"sender": "probe-" + "a" * 32, "message": "hello"}, timeout=20)
        else:
            reply = s.get(s.north, path)
        assert leaks_nothing(reply) and MINE not in reply.text

    return probe


ROUTES: dict[tuple[str, str], Callable[[Scoped], None]] = {
    ("GET", "/inbox"): case_list,
    ("GET", "/inbox/cases/<reference:str>"): case_page,
    ("GET", "/inbox/cases/<reference:str>/export"): case_export,
    ("POST", "/inbox/cases/<reference:str>/status"): case_status,
    ("POST", "/inbox/cases/<reference:str>/pass-on"): case_pass_on,
    ("GET", "/inbox/audit"): admins_only("/inbox/audit"),
    ("GET", "/inbox/checkups"): admins_only("/inbox/checkups"),
    ("GET", "/inbox/directory"): directory_page,
    ("GET", "/inbox/signin"): signin_form,
    ("POST", "/inbox/signin"): signin_submit,
    ("POST", "/inbox/signout"): signout,
    ("GET", "/"): public("/"),
    ("GET", "/privacy"): public("/privacy"),
    ("GET", "/health"): public("/health"),
    ("GET", "/api/adviceline"): public("/api/adviceline"),
    ("POST", "/chat"): public("/chat", "POST"),
    ("GET", "/static/<__file_uri__:path>"): public("/static/inbox.css"),
}


def app_routes() -> set[tuple[str, str]]:
    app = create_app(Settings.from_env(), uows=lambda: None, name="route_census")
    return {(method, route.uri) for route in app.router.routes for method in route.methods if method != "HEAD"}


def test_every_route_is_covered() -> None:
    routes = app_routes()
    assert any(path.startswith("/inbox/cases/") for _, path in routes), "the census sees the inbox"
    assert routes - set(ROUTES) == set(), "a route without a scope test: add it to ROUTES"
    assert set(ROUTES) - routes == set(), "ROUTES names a route the app no longer has"


@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_route_keeps_to_the_accounts_destination(scoped: Scoped, route: tuple[str, str]) -> None:
    ROUTES[route](scoped)


def test_passing_on_hands_the_case_over_and_the_old_branch_loses_it(scoped: Scoped) -> None:
    north, adviceline = scoped.north, signed_in(scoped.app, ADVICELINE)
    assert MOVED not in scoped.get(adviceline, "/inbox").text
    page = scoped.get(north, f"/inbox/cases/{MOVED}").text
    assert 'action="/inbox/cases/SSN-2612-NTOWN2/pass-on"' in page and '<option value="adviceline">' in page

    moved = scoped.post(north, f"/inbox/cases/{MOVED}/pass-on", {"destination": "adviceline", "reason": "needs the AdviceLine"})
    assert moved.status_code == 303 and moved.headers["Location"] == "/inbox?done=passed_on"
    assert scoped.case(MOVED) == ("new", "adviceline", None)

    assert scoped.get(north, f"/inbox/cases/{MOVED}").status_code == 404
    assert scoped.get(north, f"/inbox/cases/{MOVED}/export").status_code == 404
    assert MOVED not in scoped.get(north, "/inbox").text
    theirs_now = scoped.get(adviceline, f"/inbox/cases/{MOVED}")
    assert theirs_now.status_code == 200 and "NEU AdviceLine" in theirs_now.text
    jobs_shown = theirs_now.text.split('class="deliveries"')[1].split("</table>")[0]
    # the old branch's notice still waiting is stopped, and says why: the case is no longer theirs
    assert "<td>Northtown NEU branch</td><td>Email</td><td>Failed</td>" in jobs_shown
    assert "not sent: the case went to adviceline" in jobs_shown
    assert "<td>NEU AdviceLine</td><td>Webhook</td><td>Waiting to send</td>" in jobs_shown
    with scoped.app.uow() as uow:
        jobs = {(j.destination_id, j.channel) for j in uow.deliveries.for_case(MOVED)}
    assert ("adviceline", "webhook") in jobs
    audit = scoped.get(scoped.admin, "/inbox/audit").text
    assert "branch-northtown -&gt; adviceline: needs the AdviceLine" in audit
