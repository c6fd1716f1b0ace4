"""AdviceLine opening hours in UK time, bank holidays per nation, and wording."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.adviceline import (
    ADVICELINE_EMAIL,
    ADVICELINE_PHONE,
    adviceline_status,
    contacts_text,
    describe_status,
)
from bot.uk_calendar import UK_TZ

EW, SCO, NI = "england-and-wales", "scotland", "northern-ireland"
UTC = ZoneInfo("UTC")


def uk(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=UK_TZ)


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        (uk(2026, 3, 25, 8, 59), False),
        (uk(2026, 3, 25, 9, 0), True),
        (uk(2026, 3, 25, 18, 59), True),
        (uk(2026, 3, 25, 19, 0), False),
        (uk(2026, 3, 25, 23, 59), False),
        (uk(2026, 3, 25, 0, 0), False),
    ],
)
def test_weekday_boundaries(when, is_open):
    assert adviceline_status(when, EW).is_open is is_open


def test_open_status_gives_closing_time():
    status = adviceline_status(uk(2026, 3, 25, 12, 0), EW)
    assert status.closes_at == uk(2026, 3, 25, 19, 0)
    assert status.next_opens_at is None
    assert describe_status(status) == "The AdviceLine is open now, until 7pm."


def test_before_nine_opens_today():
    status = adviceline_status(uk(2026, 3, 25, 8, 59), EW)
    assert status.next_opens_at == uk(2026, 3, 25, 9, 0)
    assert describe_status(status) == "The AdviceLine is closed right now. It opens again today at 9am."


def test_evening_opens_tomorrow():
    status = adviceline_status(uk(2026, 3, 30, 19, 0), EW)
    assert status.next_opens_at == uk(2026, 3, 31, 9, 0)
    assert describe_status(status) == "The AdviceLine is closed right now. It opens again tomorrow at 9am."


@pytest.mark.parametrize("when", [uk(2026, 3, 27, 19, 0), uk(2026, 3, 28, 12, 0), uk(2026, 3, 29, 23, 0)])
def test_weekend_opens_monday(when):
    status = adviceline_status(when, EW)
    assert not status.is_open
    assert status.next_opens_at == uk(2026, 3, 30, 9, 0)


def test_day_name_and_date_without_leading_zero():
    status = adviceline_status(uk(2026, 3, 28, 12, 0), EW)  # Saturday
    assert describe_status(status) == (
        "The AdviceLine is closed right now. It opens again Monday 30 March at 9am."
    )
    status = adviceline_status(uk(2026, 4, 3, 10, 0), EW)  # Good Friday, then Easter Monday
    assert describe_status(status).endswith("It opens again Tuesday 7 April at 9am.")


def test_christmas_and_boxing_day_substitute():
    status = adviceline_status(uk(2026, 12, 24, 19, 30), EW)
    assert status.next_opens_at == uk(2026, 12, 29, 9, 0)  # 28th is the Boxing Day substitute
    assert not adviceline_status(uk(2026, 12, 28, 10, 0), EW).is_open
    status = adviceline_status(uk(2027, 12, 24, 19, 30), EW)
    assert status.next_opens_at == uk(2027, 12, 29, 9, 0)  # 27th and 28th both substitutes


def test_easter_monday_england_versus_scotland():
    easter_monday = uk(2026, 4, 6, 10, 0)
    assert not adviceline_status(easter_monday, EW).is_open
    assert adviceline_status(easter_monday, SCO).is_open


def test_second_of_january_scotland_only():
    second = uk(2026, 1, 2, 10, 0)
    assert adviceline_status(second, EW).is_open
    status = adviceline_status(second, SCO)
    assert not status.is_open
    assert status.next_opens_at == uk(2026, 1, 5, 9, 0)


def test_st_patricks_day_northern_ireland_only():
    paddys = uk(2026, 3, 17, 10, 0)
    assert adviceline_status(paddys, EW).is_open
    status = adviceline_status(paddys, NI)
    assert not status.is_open
    assert describe_status(status).endswith("It opens again tomorrow at 9am.")


@pytest.mark.parametrize(
    ("utc_time", "is_open"),
    [
        (datetime(2026, 3, 30, 8, 30, tzinfo=UTC), True),  # 09:30 BST, first Monday of summer time
        (datetime(2026, 3, 30, 7, 59, tzinfo=UTC), False),  # 08:59 BST
        (datetime(2026, 3, 30, 8, 0, tzinfo=UTC), True),  # 09:00 BST
        (datetime(2026, 3, 30, 17, 59, tzinfo=UTC), True),  # 18:59 BST
        (datetime(2026, 3, 30, 18, 0, tzinfo=UTC), False),  # 19:00 BST
        (datetime(2026, 3, 27, 8, 30, tzinfo=UTC), False),  # 08:30 GMT, before the change
        (datetime(2026, 3, 27, 18, 30, tzinfo=UTC), True),  # 18:30 GMT
        (datetime(2026, 10, 23, 17, 30, tzinfo=UTC), True),  # 18:30 BST, last Friday of summer time
        (datetime(2026, 10, 23, 18, 30, tzinfo=UTC), False),  # 19:30 BST
        (datetime(2026, 10, 26, 8, 30, tzinfo=UTC), False),  # 08:30 GMT after the change
        (datetime(2026, 10, 26, 9, 0, tzinfo=UTC), True),
        (datetime(2026, 10, 26, 18, 30, tzinfo=UTC), True),  # 18:30 GMT
    ],
)
def test_utc_inputs_across_clock_changes(utc_time, is_open):
    assert adviceline_status(utc_time, EW).is_open is is_open


def test_closed_at_night_in_utc_is_described_in_uk_time():
    # 23:30 UTC on Sunday 29 March is 00:30 BST on Monday 30 March: opens "today".
    status = adviceline_status(datetime(2026, 3, 29, 23, 30, tzinfo=UTC), EW)
    assert status.next_opens_at == uk(2026, 3, 30, 9, 0)
    assert describe_status(status).endswith("today at 9am.")


def test_contacts_text_has_number_hours_and_email():
    text = contacts_text()
    assert ADVICELINE_PHONE == "0345 811 8111" and ADVICELINE_PHONE in text
    assert ADVICELINE_EMAIL == "adviceline@neu.org.uk" and ADVICELINE_EMAIL in text
    assert "Monday to Friday, 9am to 7pm" in text
    assert len(text.splitlines()) <= 2
