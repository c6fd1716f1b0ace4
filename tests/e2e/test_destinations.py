"""Issue 13 end to end: a member at a fictional school in a fictional area completes an intake
through the REST channel; the case reaches that area's branch by email (no personal data in
it) and by webhook; the branch's account sees it in the inbox, another branch's account gets
404, and the AdviceLine's sees it only once the branch passes it on."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests

from tests.browser.test_web_security import csrf_from, signed_in
from tests.e2e.test_intake import answer_all, send
from tests.support.net import free_port
from tests.support.replies import texts
from tests.support.stack import Stack
from tests.support.web import WebApp, running

PASSWORD = "a long enough password for tests"
SOUTH = ("secretary@southvale-neu.example.org", PASSWORD)
NORTH = ("secretary@northtown-neu.example.org", PASSWORD)
ADVICELINE = ("adviser@adviceline.example.org", PASSWORD)
NAME, PHONE = "Morgan Ashby", "+447700900777"
DESCRIPTION = "A parent keeps posting about me in the Fernley village Facebook group and shared my photo."
ANSWERS = [
    ("description", DESCRIPTION),
    ("platforms", "Facebook"),
    ("occurred_on", "last Monday"),
    ("posted_by", "A parent or carer"),
    ("still_online", "yes"),
    ("evidence_kept", "yes"),
    ("feels_unsafe", "no"),
    ("role", "class teacher"),
    ("workplace", "Fernley Park Primary School"),
    ("has_rep", "no"),
    ("work_area", "Southvale"),
    ("consent_share", "yes"),
    ("consent_transcript", "no"),
    ("name", NAME),
    ("contact", PHONE),
    ("membership_number", "skip"),
]


@pytest.fixture(scope="module")
def inbox(stack: Stack) -> Iterator[WebApp]:
    """The web inbox over the stack's case database, with an account for two branches and the AdviceLine."""
    port = free_port()
    env = {**stack.env, "RASA_URL": stack.rasa_url, "WEB_PORT": str(port), "INBOX_MAX_FAILED_SIGNINS": "50"}
    app = WebApp(f"http://127.0.0.1:{port}", stack.database_url, env)
    for (email, password), extra in (
        (SOUTH, ["--destination", "branch-southvale"]),
        (NORTH, ["--destination", "branch-northtown"]),
        (ADVICELINE, ["--destination", "adviceline"]),
    ):
        made = app.cli("advisers", "add", email, *extra, stdin=password + "\n")
        assert made.returncode == 0 or "already" in made.stderr, made.stderr
    with running(app, "web_destinations", port, accounts=False) as started:
        yield started


def notice_for(stack: Stack, reference: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [m for m in stack.smtp.messages if m.message["X-NEU-Case-Reference"] == reference]
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no email notice for {reference} in {seconds}s")


def case_page(app: WebApp, session: requests.Session, reference: str) -> requests.Response:
    return session.get(f"{app.url}/inbox/cases/{reference}", allow_redirects=False, timeout=10)


def test_a_case_reaches_its_branch_by_email_and_webhook_and_only_its_inbox(stack, inbox, sender):
    readback = answer_all(stack, sender, "a parent is posting about me on facebook", ANSWERS)
    assert "Who will help: Southvale NEU branch." in texts(readback)
    reference, closing = send(stack, sender)
    said = texts(closing)
    assert "I've sent your case to Southvale NEU branch" in said
    assert "01632 960202 or office@southvale-neu.example.org" in said and "0345 811 8111" in said

    # by webhook (Southvale's, signed with the secret its directory entry names)
    payload = stack.wait_for_handoff(reference)
    assert payload["schema_version"] == "1.1"
    assert payload["destination"] == {"id": "branch-southvale", "kind": "local_branch", "name": "Southvale NEU branch"}
    # by email: the reference and a link, and nothing personal
    [mail] = notice_for(stack, reference)
    assert mail.rcpt_tos == ("cases@southvale-neu.example.org",)
    assert reference in mail.text and f"/inbox/cases/{reference}" in mail.text
    for personal in (NAME, PHONE, "07700 900777", DESCRIPTION[:40], "Fernley Park"):
        assert personal not in mail.text and personal not in str(mail.message["Subject"])

    south, north, adviceline = (signed_in(inbox, account) for account in (SOUTH, NORTH, ADVICELINE))
    seen = case_page(inbox, south, reference)
    assert seen.status_code == 200 and NAME in seen.text
    assert reference in south.get(f"{inbox.url}/inbox", timeout=10).text
    assert case_page(inbox, north, reference).status_code == 404
    assert reference not in north.get(f"{inbox.url}/inbox", timeout=10).text
    assert case_page(inbox, adviceline, reference).status_code == 404

    # The branch passes it to the AdviceLine: now the AdviceLine sees it and the branch does not.
    form = south.get(f"{inbox.url}/inbox/cases/{reference}", timeout=10)
    passed = south.post(
        f"{inbox.url}/inbox/cases/{reference}/pass-on",
        data={"destination": "adviceline", "reason": "needs the AdviceLine's employment advice", "csrf": csrf_from(form.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert passed.status_code == 303, passed.text
    assert case_page(inbox, adviceline, reference).status_code == 200
    assert case_page(inbox, south, reference).status_code == 404
