"""A member's case from the web chat to the adviser inbox, in headless Chromium.

Against the real assistant (`web` over the e2e stack). Waits are on text and
elements, never on time.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import checkups
from tests.support.pages import screenshot, sign_in
from tests.support.web import ADMIN, ADVISER, IMG, SCRIPT, WebApp

DESCRIPTION = f"Pupils made a fake Instagram account of me and wrote {SCRIPT} and {IMG} under my photo."
REFERENCE = re.compile(r"Your case reference is ([A-Z0-9-]+);")


def log(page: Any) -> Any:
    return page.locator("#log")


def reply_button(page: Any, title: str) -> Any:
    return page.locator("#replies").get_by_role("button", name=title, exact=True)


def wait_for_assistant(page: Any, text: str) -> None:
    log(page).locator(".msg-assistant", has_text=text).last.wait_for()


def choose(page: Any, title: str, then: str) -> None:
    """Click a quick reply, see it as the member's message, wait for the next question."""
    reply_button(page, title).click()
    log(page).locator(".msg-member", has_text=title).last.wait_for()
    wait_for_assistant(page, then)


def type_answer(page: Any, text: str, then: str) -> None:
    page.get_by_label("Type your message").fill(text)
    page.keyboard.press("Enter")
    wait_for_assistant(page, then)


def assert_shown_as_text(page: Any, container: str) -> None:
    """The injection strings are on the page as text, and made no elements."""
    area = page.locator(container)
    assert area.locator("script").count() == 0
    assert area.locator("img").count() == 0
    assert SCRIPT in area.inner_text() and IMG in area.inner_text()


def test_targeted_member_case_from_web_chat_to_claimed_in_the_inbox(web: WebApp, open_page) -> None:
    web.seed("SSN-2611-OLDPRI", "priority", timedelta(days=2), case_type="targeted")
    web.seed("SSN-2611-OLDROU", "routine", timedelta(days=5), case_type="accused")
    member = open_page()
    page = member.page
    page.goto(web.url)
    page.get_by_text("The AdviceLine is", exact=False).first.wait_for()
    reply_button(page, "I'm being targeted online").wait_for()
    screenshot(page, "chat.png")

    choose(page, "I'm being targeted online", "In your own words, what happened?")
    type_answer(page, DESCRIPTION, "Which platform or platforms")
    choose(page, "Instagram", "When did it happen?")
    choose(page, "Not sure", "Who posted it")
    choose(page, "A pupil or pupils", "Is it still online?")

    page.reload()  # mid-intake: the conversation and the open question's buttons are still there
    wait_for_assistant(page, "Is it still online?")
    assert DESCRIPTION in log(page).inner_text()
    choose(page, "Yes", "Have you kept screenshots")
    choose(page, "Yes", "do you feel unsafe?")
    choose(page, "Yes", "What's your role at work?")
    assert "999" in log(page).inner_text() and page.locator('#log a[href="tel:999"]').count() >= 1
    type_answer(page, "class teacher", "Which school or college")
    type_answer(page, "Riverside Primary", "Is there an NEU rep")
    choose(page, "No", "May I store your answers")
    privacy = log(page).locator('a[href="/privacy"]').last
    assert privacy.inner_text() == "/privacy" and privacy.get_attribute("target") == "_blank"
    choose(page, "Yes, store and share with NEU advisers", "include a copy of this conversation")
    choose(page, "Yes, include it", "What name should the adviser use")
    type_answer(page, "Alex Morgan", "best phone number or email")
    type_answer(page, "alex.morgan@example.org", "membership number")
    choose(page, "Skip", "Here's what I'll send")
    assert_shown_as_text(page, "#log")
    screenshot(page, "chat-readback.png", full_page=False)
    choose(page, "Send", "Your case reference is")
    reference = REFERENCE.search(log(page).inner_text()).group(1)
    assert page.locator('#log a[href="mailto:adviceline@neu.org.uk"]').count() >= 1 or "0345 811 8111" in log(page).inner_text()
    assert member.dialogs == [], "a script ran from a message"

    adviser = open_page()
    inbox = adviser.page
    sign_in(inbox, web.url, *ADVISER)
    first = inbox.locator("tbody tr.case-row").first
    assert first.get_attribute("data-reference") == reference, "the urgent case is at the top"
    assert first.locator(".badge").inner_text() == "Urgent"
    assert [r.get_attribute("data-reference") for r in inbox.locator("tbody tr.case-row").all()][-2:] == [
        "SSN-2611-OLDPRI",
        "SSN-2611-OLDROU",
    ]
    screenshot(inbox, "inbox-list.png")
    first.get_by_role("link", name=reference).click()
    inbox.get_by_role("heading", name=f"Case {reference}").wait_for()
    assert "Targeted online" in inbox.locator("main").inner_text()
    assert "Delivered" in inbox.locator("main").inner_text() or "Waiting to send" in inbox.locator("main").inner_text()
    assert_shown_as_text(inbox, ".member-words")
    assert_shown_as_text(inbox, ".transcript")
    inbox.get_by_role("button", name="Claim this case").click()
    inbox.get_by_text("You have claimed this case.").wait_for()
    assert inbox.locator("#case-status").inner_text() == f"Claimed, claimed by {ADVISER[0]}"
    screenshot(inbox, "inbox-case.png")
    assert adviser.dialogs == []

    inbox.goto(f"{web.url}/inbox/audit")
    inbox.get_by_role("heading", name="Admins only").wait_for()

    admin = open_page()
    sign_in(admin.page, web.url, *ADMIN)
    admin.page.get_by_role("link", name="Audit log").click()
    rows = admin.page.locator("table.audit tbody tr")
    rows.first.wait_for()
    trail = [row.inner_text() for row in rows.all()]
    assert any(ADVISER[0] in r and "status changed" in r and reference in r and "new -> claimed" in r for r in trail)
    assert any(ADVISER[0] in r and "case viewed" in r and reference in r for r in trail)
    screenshot(admin.page, "inbox-audit.png")


def test_chat_by_keyboard_alone(web: WebApp, open_page) -> None:
    page = open_page().page
    page.goto(web.url)
    reply_button(page, "Ask about social media").wait_for()

    tab_until(page, "#replies button")
    assert page.evaluate("document.activeElement.textContent") == "Ask about social media"
    assert visible_focus(page)
    page.keyboard.press("Enter")
    log(page).locator(".msg-member", has_text="Ask about social media").wait_for()
    reply_button(page, "Pupils as friends").wait_for()
    assert page.evaluate("document.activeElement.id") == "message", "focus returns to the message box"

    page.keyboard.type("can I accept a friend request from a pupil?")
    page.keyboard.press("Enter")
    wait_for_assistant(page, "Source:")

    page.locator("body").focus()
    page.evaluate("window.scrollTo(0, 0)")
    tab_until(page, "#message")
    assert visible_focus(page)
    answered = log(page).locator(".msg-assistant").count()
    page.keyboard.type("Should I accept friend requests from parents?")
    page.keyboard.press("Enter")
    log(page).locator(".msg-member", has_text="friend requests from parents").wait_for()
    log(page).locator(".msg-assistant").nth(answered).wait_for()
    assert "Source:" in log(page).locator(".msg-assistant").nth(answered).inner_text()


def tab_until(page: Any, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def visible_focus(page: Any) -> bool:
    """The focused control draws an outline (the CSS :focus-visible ring)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    return style[0] != "none" and style[1] != "0px"


def test_links_in_answers_are_links_and_the_privacy_page_is_one_click_away(web: WebApp, open_page) -> None:
    page = open_page().page
    page.goto(web.url)
    reply_button(page, "Ask about social media").wait_for()
    type_answer(page, "What is NEU Leadership and where are the other advice sheets?", "neu.org.uk/leadership")
    link = log(page).get_by_role("link", name="neu.org.uk/leadership")
    assert link.get_attribute("href") == "https://neu.org.uk/leadership"
    assert link.get_attribute("rel") == "noopener noreferrer"
    page.get_by_role("link", name="What we store and for how long").click()
    page.get_by_role("heading", name="What we store, where, and for how long").wait_for()
    page.go_back()
    wait_for_assistant(page, "neu.org.uk/leadership")  # still there after coming back


def test_leave_quickly_clears_the_conversation_and_goes_elsewhere(web: WebApp, open_page) -> None:
    page = open_page().page
    page.goto(web.url)
    reply_button(page, "Ask about social media").wait_for()
    type_answer(page, "can I accept a friend request from a pupil?", "Source:")
    page.get_by_role("button", name="Leave quickly").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    page.goto(web.url)
    reply_button(page, "Ask about social media").wait_for()
    assert "friend request" not in log(page).inner_text()
    assert log(page).locator(".msg").count() == 1, "only a fresh greeting"


def test_phone_width_chat(web: WebApp, open_page) -> None:
    page = open_page(375, 812).page
    page.goto(web.url)
    reply_button(page, "I'm being targeted online").wait_for()
    page.get_by_text("The AdviceLine is", exact=False).first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    assert page.get_by_role("button", name="Leave quickly").is_visible()
    screenshot(page, "chat-phone.png", full_page=False)  # what a phone shows, the message box pinned below


def test_unreachable_assistant_gives_the_adviceline(web_alone: WebApp, open_page) -> None:
    page = open_page().page
    page.goto(web_alone.url)
    notice = log(page).locator(".msg-notice")
    notice.wait_for()
    assert "isn't available right now" in notice.inner_text()
    assert notice.get_by_role("link", name="0345 811 8111").get_attribute("href") == "tel:03458118111"
    assert notice.get_by_role("link", name="adviceline@neu.org.uk").get_attribute("href") == "mailto:adviceline@neu.org.uk"


def test_checkup_report_downloads_as_markdown(web: WebApp, open_page) -> None:
    """The personal check-up from the chat page ends in a report the member can download."""
    page = open_page().page
    page.goto(web.url)
    reply_button(page, "Ask about social media").wait_for()  # the greeting has arrived
    page.get_by_label("Type your message").fill("am I safe on social media?")
    page.keyboard.press("Enter")
    total = len(checkups.PERSONAL_ITEMS)
    wait_for_assistant(page, f"1 of {total}:")
    for number in range(2, total + 1):
        choose(page, "No", f"{number} of {total}:")
    reply_button(page, "No").click()
    log(page).get_by_role("button", name="Download as Markdown").wait_for()
    with page.expect_download() as download_info:
        log(page).get_by_role("button", name="Download as Markdown").click()
    download = download_info.value
    assert download.suggested_filename == "my-social-media-check-up.md"
    markdown = Path(download.path()).read_text(encoding="utf-8")
    assert markdown.startswith("# Your social media check-up")
    assert "## What to do next" in markdown and "most important" not in markdown
    assert 'Source: "Safer social networking", Advice to you as individuals' in markdown
    assert log(page).get_by_role("button", name="Printable page").is_visible()
