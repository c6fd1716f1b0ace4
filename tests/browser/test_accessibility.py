"""axe-core on every kind of page: no serious or critical violations.

Every violation found (of any impact) is also written to results/browser-logs/axe.jsonl.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support.pages import axe_violations, sign_in
from tests.support.web import ADMIN, ADVISER, IMG, SCRIPT, WebApp

BLOCKING = {"serious", "critical"}
CASE = "SSN-2611-AXE001"
PASSED = "SSN-2611-AXE002"


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.fixture(scope="module")
def inbox_app(web_alone: WebApp) -> WebApp:
    payload_transcript = [
        {"from": "assistant", "text": "In your own words, what happened?", "at": "2026-11-20T10:00:00Z"},
        {"from": "member", "text": f"Someone wrote {SCRIPT} {IMG}", "at": "2026-11-20T10:00:30Z"},
    ]
    web_alone.seed(
        CASE,
        "urgent",
        timedelta(hours=2),
        transcript=payload_transcript,
        consent={"share_with_union": True, "given_at": "2026-11-20T10:01:00Z", "include_transcript": True},
        process={"stage": "investigation", "next_date": "2026-11-27", "working_days_until_next_date": 4, "police_involved": False},
    )
    return web_alone


def test_chat_page(web: WebApp, open_page, axe_source: str) -> None:
    page = open_page().page
    page.goto(web.url)
    page.locator("#replies button").first.wait_for()
    page.get_by_text("The AdviceLine is", exact=False).first.wait_for()
    assert blocking(axe_violations(page, axe_source)) == []


def test_chat_page_at_phone_width(web: WebApp, open_page, axe_source: str) -> None:
    page = open_page(375, 812).page
    page.goto(web.url)
    page.locator("#replies button").first.wait_for()
    assert blocking(axe_violations(page, axe_source)) == []


def test_privacy_page(web_alone: WebApp, open_page, axe_source: str) -> None:
    page = open_page().page
    page.goto(f"{web_alone.url}/privacy")
    assert blocking(axe_violations(page, axe_source)) == []


def test_sign_in_page_and_its_error(inbox_app: WebApp, open_page, axe_source: str) -> None:
    page = open_page().page
    page.goto(f"{inbox_app.url}/inbox/signin")
    assert blocking(axe_violations(page, axe_source)) == []
    page.get_by_label("Email").fill(ADMIN[0])
    page.get_by_label("Password").fill("wrong password for the audit")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").wait_for()
    assert blocking(axe_violations(page, axe_source)) == []


def test_inbox_list_case_audit_and_counts_pages(inbox_app: WebApp, open_page, axe_source: str) -> None:
    page = open_page().page
    sign_in(page, inbox_app.url, *ADMIN)
    assert blocking(axe_violations(page, axe_source)) == []
    page.get_by_role("link", name=CASE).click()
    page.get_by_role("heading", name="Transcript").wait_for()
    assert blocking(axe_violations(page, axe_source)) == []
    page.get_by_role("button", name="Claim this case").click()
    page.get_by_role("status").wait_for()
    assert blocking(axe_violations(page, axe_source)) == []
    page.goto(f"{inbox_app.url}/inbox/audit")
    assert blocking(axe_violations(page, axe_source)) == []
    page.get_by_role("link", name="Check-up counts").click()
    page.get_by_role("heading", name="Check-up counts").wait_for()
    assert blocking(axe_violations(page, axe_source)) == []
    page.get_by_role("link", name="Directory").click()
    page.get_by_role("heading", name="Directory").wait_for()
    assert blocking(axe_violations(page, axe_source)) == []


def test_the_pass_on_form_and_the_list_after_it(inbox_app: WebApp, open_page, axe_source: str) -> None:
    """An AdviceLine adviser's case page has the pass-on form; passing on lands on the list's notice."""
    loaded = inbox_app.cli("directory", "import", "directory/sample.yml", "--if-empty")  # somewhere to pass it to
    assert loaded.returncode == 0, loaded.stderr
    inbox_app.seed(PASSED, "routine", timedelta(minutes=30))
    page = open_page().page
    sign_in(page, inbox_app.url, *ADVISER)
    page.get_by_role("link", name=PASSED).click()
    page.get_by_role("heading", name="Pass this case on").wait_for()
    assert blocking(axe_violations(page, axe_source)) == []
    page.get_by_label("Why (recorded in the audit log; no personal details)").fill("a test of the form")
    page.get_by_role("button", name="Pass on").click()
    page.get_by_role("status").wait_for()
    assert PASSED not in page.locator("main").inner_text()
    assert blocking(axe_violations(page, axe_source)) == []


def test_the_audit_itself_finds_problems(open_page, axe_source: str) -> None:
    """A page with known faults, so a silently broken audit cannot pass the tests above."""
    page = open_page().page
    page.set_content("<html><body><input type='text'><img src='data:,'><p style='color:#ccc'>faint</p></body></html>")
    found = {v["id"] for v in axe_violations(page, axe_source)}
    assert {"label", "image-alt", "html-has-lang"} <= found
