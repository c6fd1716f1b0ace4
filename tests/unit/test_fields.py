"""Parsers for the member's answers: values, problems, and no crashes on odd input."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.intake.parsing import (
    Parsed,
    parse_contact,
    parse_date,
    parse_free_text,
    parse_membership_number,
    parse_name,
    parse_platforms,
    parse_posted_by,
    parse_process_stage,
    parse_role,
    parse_yes_no,
)
from bot.uk_calendar import UK_TZ

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UK_TZ)  # a Wednesday

ODD_INPUTS = [
    "",
    "   ",
    "😀😀😀",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE cases;--",
    "Je ne sais pas",
    "我不知道",
    "\x00\x1b[31m",
    None,
]
PARSERS = [
    parse_yes_no,
    lambda t: parse_yes_no(t, allow_unsure=True),
    lambda t: parse_date(t, "past", NOW),
    lambda t: parse_date(t, "future", NOW),
    parse_contact,
    parse_platforms,
    parse_process_stage,
    parse_posted_by,
    parse_role,
    parse_free_text,
    parse_name,
    parse_membership_number,
]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_input_never_raises(parser, text):
    result = parser(text)
    assert isinstance(result, Parsed)
    assert result.ok or (result.problem and result.value is None)


# ---------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("Yeah!", True), ("yep", True), ("Y", True), ("correct", True),
     ("I think so", True), ("yes, it's still up", True), ("👍", True), ("I have kept screenshots", True),
     ("no", False), ("Nope", False), ("n", False), ("not really", False), ("No, I haven't", False),
     ("I don't think so", False), ("definitely not", False)],
)
def test_yes_no(text, value):
    assert parse_yes_no(text) == Parsed(value, True, None)


@pytest.mark.parametrize("text", ["not sure", "Don't know", "no idea", "I can't remember"])
def test_unsure_allowed_or_not(text):
    assert parse_yes_no(text, allow_unsure=True) == Parsed(None, True, None)
    refused = parse_yes_no(text)
    assert not refused.ok and "yes or no" in refused.problem


def test_yes_no_gibberish_asks_again():
    assert not parse_yes_no("banana").ok


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "prefer", "iso"),
    [
        ("last Tuesday", "past", "2026-03-24"),
        ("next Friday", "future", "2026-03-27"),
        ("3rd of May", "past", "2025-05-03"),
        ("3rd of May", "future", "2026-05-03"),
        ("yesterday", "past", "2026-03-24"),
        ("last night", "past", "2026-03-24"),
        ("a couple of weeks ago", "past", "2026-03-11"),
        ("a few days ago", "past", "2026-03-22"),
        ("a fortnight ago", "past", "2026-03-11"),
        ("14/11", "past", "2025-11-14"),
        ("14/11", "future", "2026-11-14"),
        ("14/11/2025", "past", "2025-11-14"),
        ("14/11/2026", "future", "2026-11-14"),
        ("2026-05-03", "future", "2026-05-03"),
        ("the 5th", "future", "2026-04-05"),
        ("the 5th", "past", "2026-03-05"),
        ("hearing next week", "future", "2026-04-01"),
        ("in 2 weeks", "future", "2026-04-08"),
        ("I think it was Monday", "past", "2026-03-23"),
        ("Monday", "future", "2026-03-30"),
        ("today", "future", "2026-03-25"),
        ("tomorrow", "future", "2026-03-26"),
        ("Friday 3rd April", "future", "2026-04-03"),
    ],
)
def test_dates(text, prefer, iso):
    assert parse_date(text, prefer, NOW) == Parsed(iso, True, None)


def test_dates_use_uk_today_not_utc():
    late_utc = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 BST on 1 July
    assert parse_date("today", "past", late_utc).value == "2026-07-01"


@pytest.mark.parametrize(
    "text", ["don't know", "Not sure", "can't remember", "no date", "none", "skip", "no idea"]
)
def test_no_date_answers(text):
    assert parse_date(text, "past", NOW) == Parsed(None, True, None)
    assert parse_date(text, "future", NOW) == Parsed(None, True, None)


def test_past_question_rejects_future_dates():
    result = parse_date("14/11/2026", "past", NOW)
    assert not result.ok and "future" in result.problem
    assert not parse_date("tomorrow", "past", NOW).ok


def test_future_question_rejects_past_and_far_dates():
    yesterday = parse_date("yesterday", "future", NOW)
    assert not yesterday.ok and "already passed" in yesterday.problem
    assert not parse_date("3 May 2025", "future", NOW).ok
    far = parse_date("1/6/2027", "future", NOW)
    assert not far.ok and "more than a year" in far.problem


@pytest.mark.parametrize("text", ["hello", "I may have posted it", "5", "31/02/2026", "32/1", "2025", "banana 42"])
def test_free_text_is_not_mistaken_for_a_date(text):
    result = parse_date(text, "past", NOW)
    assert not result.ok and result.problem


# ---------------------------------------------------------------- contact


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("07700 900123", "phone", "+447700900123"),
        ("+44 (0)20 7946 0958", "phone", "+442079460958"),
        ("call me on 07911 123456 please", "phone", "+447911123456"),
        ("+1 415 555 2671", "phone", "+14155552671"),
        ("0044 7911 123456", "phone", "+447911123456"),
        ("Jane.Doe@Example.COM", "email", "Jane.Doe@example.com"),
        ("my email is jane@example.org.", "email", "jane@example.org"),
    ],
)
def test_contact(text, kind, value):
    assert parse_contact(text) == Parsed({"kind": kind, "value": value}, True, None)


@pytest.mark.parametrize("text", ["jane@neu", "jane@@example.com", "0123 456", "07700 90012", "hello"])
def test_contact_problems(text):
    result = parse_contact(text)
    assert not result.ok and result.problem


# ---------------------------------------------------------------- platforms


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Facebook", ["Facebook"]),
        ("insta and tiktok", ["Instagram", "TikTok"]),
        ("X (Twitter)", ["X (Twitter)"]),
        ("twiter and fb", ["Facebook", "X (Twitter)"]),
        ("whats app group", ["WhatsApp"]),
        ("Snap chat, YouTube", ["Snapchat", "YouTube"]),
        ("linked in", ["LinkedIn"]),
        ("a subreddit", ["Reddit"]),
        ("a blog or website", ["a blog or website"]),
        ("on mumsnet", ["a blog or website"]),
        ("Other", ["other"]),
        ("Mastodon", ["other"]),
        ("facebook and some other site", ["Facebook", "a blog or website"]),
    ],
)
def test_platforms(text, value):
    assert parse_platforms(text) == Parsed(value, True, None)


# ---------------------------------------------------------------- process stage


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("Nothing formal yet", "none"),
        ("An informal conversation", "informal"),
        ("An investigation", "investigation"),
        ("I've been suspended", "suspended"),
        ("A disciplinary hearing", "disciplinary_hearing"),
        ("An appeal", "appeal"),
        ("Not sure", "unknown"),
        ("they've started an investigation", "investigation"),
        ("hearing next week", "disciplinary_hearing"),
        ("suspended pending an investigation", "suspended"),
        ("I haven't been suspended but there's an investigation", "investigation"),
        ("disciplinary investigation", "investigation"),
        ("the head had a quiet word", "informal"),
        ("no", "none"),
    ],
)
def test_process_stage(text, stage):
    assert parse_process_stage(text) == Parsed(stage, True, None)


def test_process_stage_unrecognised_lists_choices():
    result = parse_process_stage("banana")
    assert not result.ok and "investigation" in result.problem


# ---------------------------------------------------------------- posted by


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("A pupil or pupils", ["pupil"]),
        ("A parent or carer", ["parent"]),
        ("A colleague", ["colleague"]),
        ("A manager", ["manager"]),
        ("A member of the public", ["public"]),
        ("I don't know", ["unknown"]),
        ("some students", ["pupil"]),
        ("year 10 kids", ["pupil"]),
        ("a mum from year 3", ["parent"]),
        ("a year 9 boy and his dad", ["pupil", "parent"]),
        ("a pupil's dad", ["parent"]),
        ("the head", ["manager"]),
        ("my line manager", ["manager"]),
        ("another teacher", ["colleague"]),
        ("someone I don't know", ["public"]),
        ("an anonymous account", ["unknown"]),
        ("pupils and their parents", ["pupil", "parent"]),
    ],
)
def test_posted_by(text, value):
    assert parse_posted_by(text) == Parsed(value, True, None)


def test_posted_by_unrecognised():
    assert not parse_posted_by("banana").ok


# ---------------------------------------------------------------- role


@pytest.mark.parametrize(
    "text",
    ["headteacher", "Head teacher", "I'm the head", "principal", "Executive Head", "CEO of the trust",
     "deputy head", "Assistant Headteacher", "assistant principal", "vice principal",
     "school business manager", "SBM", "senior leader", "on the senior leadership team",
     "Head of Maths and SLT", "SENCo (SLT)", "Head of School", "acting head"],
)
def test_leader_roles(text):
    result = parse_role(text)
    assert result.ok and result.value["is_leader"] is True


@pytest.mark.parametrize(
    "text",
    ["class teacher", "TA", "teaching assistant", "Head of Year 9", "head of maths",
     "head of department", "SENCo", "deputy head of year", "principal teacher of English",
     "PA to the headteacher", "head of sixth form", "cover supervisor"],
)
def test_not_leader_roles(text):
    result = parse_role(text)
    assert result.ok and result.value["is_leader"] is False


def test_role_is_cleaned():
    assert parse_role("  I'm a   deputy head. ").value == {"role": "deputy head", "is_leader": True}
    assert not parse_role("x" * 200).ok


# ---------------------------------------------------------------- free text, name, number


def test_free_text():
    assert parse_free_text("  A parent shared my post.  ") == Parsed("A parent shared my post.", True, None)
    assert not parse_free_text("!!!").ok
    assert not parse_free_text("hi", min_chars=10).ok
    long = parse_free_text("word " * 500, max_chars=2000)
    assert not long.ok and "shorter" in long.problem


@pytest.mark.parametrize(
    ("text", "name"),
    [("Jane Smith", "Jane Smith"), ("my name is Siân O’Brien-Jones", "Siân O'Brien-Jones"),
     ("I'm José", "José"), ("Chloë", "Chloë"), ("李小龙", "李小龙")],
)
def test_names(text, name):
    assert parse_name(text) == Parsed(name, True, None)


@pytest.mark.parametrize("text", ["", "😀", "Jane123", "<script>", "x" * 101])
def test_name_problems(text):
    assert not parse_name(text).ok


@pytest.mark.parametrize(
    ("text", "value"),
    [("12345678", "12345678"), ("a1234-567", "A1234567"), ("my membership number is 9876543", "9876543"),
     ("skip", None), ("don't know", None), ("no", None)],
)
def test_membership_number(text, value):
    assert parse_membership_number(text) == Parsed(value, True, None)


@pytest.mark.parametrize("text", ["abc", "123", "1234567890123", "not a number"])
def test_membership_number_problems(text):
    assert not parse_membership_number(text).ok
