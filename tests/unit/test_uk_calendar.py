"""Bank holidays per nation, working-day counts and UK time conversion."""

import dataclasses
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import uk_calendar
from bot.bootstrap import bootstrap
from bot.settings import Settings
from bot.uk_calendar import (
    UK_TZ,
    is_bank_holiday,
    is_working_day,
    uk_now,
    working_days_until,
)

UTC = ZoneInfo("UTC")
EW, SCO, NI = "england-and-wales", "scotland", "northern-ireland"


@pytest.mark.parametrize(
    ("day", "nation", "expected"),
    [
        (date(2026, 12, 25), EW, True),  # Christmas Day
        (date(2026, 12, 28), EW, True),  # Boxing Day substitute (26th is a Saturday)
        (date(2027, 12, 27), EW, True),  # Christmas Day substitute
        (date(2027, 12, 28), EW, True),  # Boxing Day substitute
        (date(2026, 4, 6), EW, True),  # Easter Monday
        (date(2026, 4, 6), SCO, False),  # not in Scotland
        (date(2026, 4, 3), SCO, True),  # Good Friday everywhere
        (date(2026, 1, 2), SCO, True),  # 2 January, Scotland only
        (date(2026, 1, 2), EW, False),
        (date(2026, 3, 17), NI, True),  # St Patrick's Day
        (date(2026, 3, 17), EW, False),
        (date(2026, 7, 13), NI, True),  # Battle of the Boyne substitute
        (date(2026, 8, 3), SCO, True),  # Scottish summer bank holiday
        (date(2026, 8, 31), EW, True),
        (date(2026, 8, 31), SCO, False),
        (date(2026, 3, 25), EW, False),
    ],
)
def test_bank_holidays_by_nation(day, nation, expected):
    assert is_bank_holiday(day, nation) is expected


def test_working_day_excludes_weekends_and_bank_holidays():
    assert is_working_day(date(2026, 3, 27), EW)  # Friday
    assert not is_working_day(date(2026, 3, 28), EW)  # Saturday
    assert not is_working_day(date(2026, 3, 29), EW)  # Sunday
    assert not is_working_day(date(2026, 4, 6), EW)  # Easter Monday
    assert is_working_day(date(2026, 4, 6), SCO)


def test_datetime_accepted_as_its_uk_day():
    assert is_bank_holiday(datetime(2026, 12, 25, 10, 0), EW)
    # 23:30 UTC on 3 May 2026 is 00:30 BST on the May Day bank holiday
    assert is_bank_holiday(datetime(2026, 5, 3, 23, 30, tzinfo=ZoneInfo("UTC")), EW)


def test_unknown_nation_rejected():
    with pytest.raises(ValueError):
        is_bank_holiday(date(2026, 1, 1), "wales-only")


def test_default_nation_is_the_one_bootstrap_sets(monkeypatch):
    monkeypatch.setattr(uk_calendar, "_default_nation", "england-and-wales")
    assert not is_bank_holiday(date(2026, 1, 2))  # 2 January is a bank holiday in Scotland only
    bootstrap(dataclasses.replace(Settings.from_env(), uk_nation=SCO), configure_logs=False)
    assert is_bank_holiday(date(2026, 1, 2))
    assert is_bank_holiday(date(2026, 1, 2), "england-and-wales") is False  # a nation given always wins


@pytest.mark.parametrize(
    ("today", "target", "nation", "expected"),
    [
        (date(2026, 3, 25), date(2026, 3, 25), EW, 0),  # same day
        (date(2026, 3, 25), date(2026, 3, 26), EW, 1),
        (date(2026, 3, 27), date(2026, 3, 30), EW, 1),  # Fri -> Mon over a weekend
        (date(2026, 3, 27), date(2026, 3, 28), EW, 0),  # Fri -> Sat
        (date(2026, 4, 2), date(2026, 4, 7), EW, 1),  # Easter: Good Friday and Monday skipped
        (date(2026, 4, 2), date(2026, 4, 7), SCO, 2),  # Easter Monday is worked in Scotland
        (date(2026, 12, 24), date(2026, 12, 29), EW, 1),  # Christmas with Boxing Day substitute
        (date(2026, 12, 31), date(2027, 1, 5), SCO, 1),  # 2 Jan is a Saturday: substitute Mon 4th
        (date(2026, 12, 31), date(2027, 1, 5), EW, 2),
        (date(2026, 3, 25), date(2026, 4, 8), EW, 8),
    ],
)
def test_working_days_until(today, target, nation, expected):
    assert working_days_until(today, target, nation) == expected


def test_working_days_until_past_is_negative_and_antisymmetric():
    assert working_days_until(date(2026, 3, 25), date(2026, 3, 24), EW) == -1
    assert working_days_until(date(2026, 3, 30), date(2026, 3, 27), EW) == -1
    assert working_days_until(date(2026, 4, 7), date(2026, 4, 2), EW) == -1
    pairs = [(date(2026, 12, 20), date(2027, 1, 10)), (date(2026, 3, 1), date(2026, 5, 1))]
    for a, b in pairs:
        assert working_days_until(b, a, EW) == -working_days_until(a, b, EW)


def test_uk_now_converts_utc_across_clock_changes():
    summer = uk_now(datetime(2026, 3, 30, 8, 30, tzinfo=UTC))
    assert (summer.hour, summer.minute) == (9, 30)
    assert summer.utcoffset().total_seconds() == 3600
    winter = uk_now(datetime(2026, 10, 26, 8, 30, tzinfo=UTC))
    assert (winter.hour, winter.minute) == (8, 30)
    assert winter.utcoffset().total_seconds() == 0


def test_uk_now_treats_naive_as_uk_time_and_defaults_to_aware():
    naive = uk_now(datetime(2026, 7, 1, 9, 0))
    assert naive.tzinfo is UK_TZ and naive.hour == 9
    assert uk_now().tzinfo is not None
