"""The 28-day arithmetic (constitution: the joint meeting "within 28 days of the
determining that the dispute exists") in calendar days, across month ends and leap years,
and the meeting times the convening form accepts."""

from __future__ import annotations

from datetime import date, time

import pytest

from safeguarding.formatting import days_left
from safeguarding.services.disputes import deadline_for, format_time, parse_time


@pytest.mark.parametrize(
    ("determined", "deadline"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),  # month end, common year
        (date(2028, 1, 31), date(2028, 2, 28)),  # month end, leap year
        (date(2028, 2, 1), date(2028, 2, 29)),  # into a leap day
        (date(2026, 2, 1), date(2026, 3, 1)),  # no leap day in 2026
        (date(2027, 2, 28), date(2027, 3, 28)),
        (date(2028, 2, 29), date(2028, 3, 28)),  # from a leap day
        (date(2026, 12, 10), date(2027, 1, 7)),  # across the year end (calendar days, holidays count)
        (date(2026, 11, 23), date(2026, 12, 21)),
    ],
)
def test_the_deadline_is_28_calendar_days_after_the_determination(determined, deadline):
    assert deadline_for(determined) == deadline
    assert (deadline - determined).days == 28


def test_days_left_counts_down_to_the_deadline_and_beyond():
    deadline = deadline_for(date(2026, 11, 2))
    assert deadline == date(2026, 11, 30)
    assert days_left(deadline, date(2026, 11, 23)) == "7 days left"
    assert days_left(deadline, date(2026, 11, 29)) == "1 day left"
    assert days_left(deadline, date(2026, 11, 30)) == "due today"
    assert days_left(deadline, date(2026, 12, 1)) == "1 day overdue"  # day 29


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("14:00", time(14, 0)),
        ("9:05", time(9, 5)),
        ("14.30", time(14, 30)),
        ("2pm", time(14, 0)),
        ("2:30pm", time(14, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        (" 9 AM ", time(9, 0)),
    ],
)
def test_meeting_times_in_the_forms_people_type(typed, parsed):
    assert parse_time(typed) == parsed


@pytest.mark.parametrize("typed", ["", "14", "25:00", "13pm", "0am", "9:60", "noonish", None])
def test_times_that_are_not_times(typed):
    assert parse_time(typed) is None


def test_times_read_the_gov_uk_way():
    assert format_time(time(14, 0)) == "2pm"
    assert format_time(time(9, 30)) == "9:30am"
    assert format_time(time(12, 0)) == "midday"
    assert format_time(None) == ""
