"""The web adapter's pure parts: HTML built with escaping, and what the chat proxy passes on."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.entrypoints.web import pages
from bot.inbox.accounts import SignedIn
from bot.inbox.cases import CaseFilters, CaseView
from bot.inbox.model import Adviser
from bot.storage.inbox_repository import InboxRow
from bot.storage.services import case_from_payload
from rasa_addons.rest_client import clean_replies
from tests.support.databases import START, build_payload

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SIGNED = SignedIn(Adviser("adviser@example.org", "x", "adviser", START), "csrf-token-value", START)


def hostile_case(include_transcript: bool = True) -> CaseView:
    payload = build_payload(
        "NEU-XSS001",
        urgency="urgent",
        member={"name": f"Sam {SCRIPT}", "preferred_contact": "phone", "workplace": IMG, "role": '"><b>x</b>'},
        incident={"description": f"They posted {SCRIPT} and {IMG}", "platforms": [IMG]},
        urgency_reasons=[SCRIPT],
        route_reason=IMG,
        summary_text=f"Summary with {SCRIPT} that is long enough for the schema.",
        transcript=[{"from": "member", "text": IMG}, {"from": "assistant", "text": SCRIPT}],
    )
    payload["consent"]["include_transcript"] = include_transcript
    case = case_from_payload(payload)
    return CaseView(case, json.loads(case.payload), None, None)


def test_the_case_page_escapes_everything_the_member_wrote() -> None:
    html = pages.case_page(hostile_case(), SIGNED, START + timedelta(minutes=5))
    assert SCRIPT not in html and IMG not in html and "<b>x</b>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'name="csrf" value="csrf-token-value"' in html and "Claim this case" in html


def test_the_transcript_appears_only_with_consent() -> None:
    assert "<h2 id=\"s-transcript\">" in pages.case_page(hostile_case(True), SIGNED, START)
    assert "Transcript" not in pages.case_page(hostile_case(False), SIGNED, START).replace("Transcript included", "")


def test_the_list_escapes_and_keeps_the_filters() -> None:
    view = hostile_case()
    row = InboxRow(view.case, "pending", f"{SCRIPT}@example.org")
    view.case.status = "claimed"
    html = pages.list_page([row], CaseFilters(urgency="urgent"), SIGNED, START)
    assert SCRIPT not in html and '<option value="urgent" selected>' in html
    assert "Waiting to send" in html and "Safety concern" in html


def test_the_sign_in_page_escapes_what_was_typed() -> None:
    html = pages.signin_page("tok", "/inbox", "Email or password not recognised.", email='"><script>x</script>')
    assert "<script>x</script>" not in html and 'role="alert"' in html


def test_only_text_and_buttons_reach_the_page() -> None:
    rasa = [
        {"recipient_id": "abc", "text": "Hello", "buttons": [{"title": "Yes", "payload": "yes"}, {"title": 1}]},
        {"recipient_id": "abc", "image": "https://example.org/x.png"},
        {"recipient_id": "abc", "custom": {"html": SCRIPT}},
        "not a message",
    ]
    assert clean_replies(rasa) == [{"text": "Hello", "buttons": [{"title": "Yes", "payload": "yes"}]}]
    assert clean_replies({"unexpected": True}) == []


def test_a_checkup_report_reaches_the_page_with_a_safe_file_name() -> None:
    rasa = [
        {"recipient_id": "abc", "custom": {"report": {"filename": "../../etc/passwd.md", "markdown": "# Report"}}},
        {"recipient_id": "abc", "custom": {"report": {"filename": "policy-review.md", "markdown": 42}}},
    ]
    assert clean_replies(rasa) == [
        {"text": "", "buttons": [], "report": {"filename": "etcpasswd.md", "markdown": "# Report"}}
    ]
