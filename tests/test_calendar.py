from datetime import date, timedelta

import pytest

from safeguarding.calendar import (
    WorkingDays,
    financial_year_bounds,
    financial_year_label,
    financial_year_start,
    financial_year_title,
    parse_financial_year,
    working_days,
)
from safeguarding.extensions import db
from safeguarding.models import ClosureDay

cal = WorkingDays()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # An ordinary week: Monday + 5 working days = next Monday; the start is not counted.
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        # Friday + 1 skips the weekend.
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        # Christmas 2026: Fri 25 Dec, Boxing Day (Sat) made up on Mon 28 Dec.
        (date(2026, 12, 18), 5, date(2026, 12, 29)),
        # Christmas 2027: Sat 25 and Sun 26 Dec, made up on Mon 27 and Tue 28 Dec.
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        # New Year 2022 fell on a Saturday: substitute Monday 3 January 2022.
        (date(2021, 12, 31), 1, date(2022, 1, 4)),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        # Easter 2024: Good Friday 29 March, Easter Monday 1 April.
        (date(2024, 3, 28), 2, date(2024, 4, 3)),
        # One-off bank holidays: the Platinum Jubilee (2 and 3 June 2022) and the
        # coronation (8 May 2023, a Monday after the early May holiday on 1 May).
        (date(2022, 6, 1), 1, date(2022, 6, 6)),
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
        # Rapid review: 15 working days from a notification on Mon 14 Dec 2026.
        (date(2026, 12, 14), 15, date(2027, 1, 7)),
        # 0 days from a Saturday rolls forward to Monday.
        (date(2026, 11, 28), 0, date(2026, 11, 30)),
    ],
)
def test_working_days_after(start, days, expected):
    assert cal.add(start, days) == expected
    if days:
        assert cal.between(start, expected) == days


def test_england_not_scotland():
    # 2 January is a bank holiday in Scotland only; St Andrew's Day likewise.
    assert cal.is_working_day(date(2025, 1, 2))
    assert cal.is_working_day(date(2026, 11, 30))
    # The August bank holiday in England is the last Monday, not the first.
    assert cal.is_working_day(date(2026, 8, 3))
    assert not cal.is_working_day(date(2026, 8, 31))


def test_closure_days_are_not_working_days():
    closed = WorkingDays([date(2026, 11, 24)])
    assert closed.add(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_recorded_closure_days_are_used_inside_the_app(app):
    db.session.add(ClosureDay(day=date(2026, 12, 24), reason="Office closed"))
    db.session.flush()
    assert working_days().add(date(2026, 12, 23), 1) == date(2026, 12, 29)


def test_between_is_zero_for_same_or_earlier_dates():
    assert cal.between(date(2026, 1, 10), date(2026, 1, 10)) == 0
    assert cal.between(date(2026, 1, 10), date(2026, 1, 1)) == 0


def test_negative_days_refused():
    with pytest.raises(ValueError):
        cal.add(date(2026, 1, 1), -1)


@pytest.mark.parametrize(
    ("d", "start"),
    [(date(2021, 3, 31), 2020), (date(2021, 4, 1), 2021), (date(2026, 11, 23), 2026), (date(2027, 1, 5), 2026)],
)
def test_financial_year(d, start):
    assert financial_year_start(d) == start
    first, last = financial_year_bounds(start)
    assert first <= d <= last


def test_financial_year_labels():
    assert financial_year_label(2020) == "2020-21"
    assert financial_year_title(2099) == "2099/00"
    assert parse_financial_year("2020-21") == 2020
    assert parse_financial_year("2020/21") == 2020
    for bad in ("2020", "2020-22", "20-21", "abcd-ef", ""):
        with pytest.raises(ValueError):
            parse_financial_year(bad)


def _walk_add(cal, start, days):
    """The day-by-day definition `WorkingDays.add` computes arithmetically."""
    d = start
    if days == 0:
        while not cal.is_working_day(d):
            d += timedelta(days=1)
        return d
    counted = 0
    while counted < days:
        d += timedelta(days=1)
        counted += cal.is_working_day(d)
    return d


def _walk_between(cal, start, end):
    count, d = 0, start
    while d < end:
        d += timedelta(days=1)
        count += cal.is_working_day(d)
    return count


def test_working_day_arithmetic_agrees_with_counting_day_by_day():
    """`add` and `between` count without walking the days; they give what walking gives,
    across bank holidays, weekends, closure days (one on a weekend) and year ends."""
    import random

    rng = random.Random(18)
    closures = [date(2024, 12, 27), date(2024, 12, 30), date(2025, 5, 3), date(2026, 12, 29), date(2026, 12, 30)]
    for c in (WorkingDays(), WorkingDays(closures)):
        for _ in range(400):
            start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 1500))
            days = rng.choice([0, 1, 2, 5, 15, 20, rng.randint(1, 400)])
            end = start + timedelta(days=rng.randint(-10, 800))
            assert c.add(start, days) == _walk_add(c, start, days), (start, days)
            assert c.between(start, end) == _walk_between(c, start, end), (start, end)
            if days:
                assert c.between(start, c.add(start, days)) == days
