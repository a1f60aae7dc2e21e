"""Dates for a partnership in England: today's date, financial years (1 April – 31 March)
and working days (weekends and English bank holidays, from the `holidays` library, plus
closure days the business office adds).

"N working days after D" never counts D itself. Five working days after Friday
18 December 2026 is Tuesday 29 December 2026: Christmas Day is a Friday and Boxing Day,
a Saturday, is made up on Monday 28 December. The tests pin cases like this one.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from safeguarding import clock
from safeguarding.clock import clock_at, now  # noqa: F401  (the service's clock, here with its dates)
from safeguarding.validation import DATE_MAX, DATE_MIN

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """Today in England (the server may run in UTC). `SAFEGUARDING_TODAY=YYYY-MM-DD` in
    the environment fixes the date (the test suite pins it to the demo's "today", so the
    demo's deadlines are the same whatever day the tests run; a training copy may do the
    same); inside `clock_at`, the day of the moment it set."""
    clocked = clock.current()
    if clocked is not None:
        return clocked.astimezone(LONDON).date()
    fixed = os.environ.get("SAFEGUARDING_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(UTC).astimezone(LONDON).date()


# --- financial years ---------------------------------------------------------------------


def financial_year_start(d: date) -> int:
    """The calendar year in which the financial year containing `d` starts."""
    return d.year if d.month >= 4 else d.year - 1


def financial_year_label(start_year: int) -> str:
    """2020 → "2020-21" (the form used in URLs and the API)."""
    return f"{start_year}-{str(start_year + 1)[-2:]}"


def financial_year_title(start_year: int) -> str:
    """2020 → "2020/21" (the form used in documents)."""
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def parse_financial_year(label: str) -> int:
    """ "2020-21" or "2020/21" → 2020; ValueError with a readable message otherwise."""
    text = (label or "").strip().replace("/", "-")
    try:
        first, second = text.split("-")
        if not (first + second).isascii():
            raise ValueError
        start = int(first)
        if len(first) != 4 or len(second) != 2 or int(second) != (start + 1) % 100:
            raise ValueError
        if not DATE_MIN.year <= start < DATE_MAX.year:
            raise ValueError
    except ValueError:
        raise ValueError(f"{label!r} is not a financial year like 2020-21") from None
    return start


def financial_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


# --- working days ------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays(years: Iterable[int]) -> set[date]:
    out: set[date] = set()
    for y in years:
        out |= _bank_holidays(y)
    return out


class WorkingDays:
    """Working-day arithmetic with optional extra closure days.

    Counting is arithmetic, not a walk day by day: the weekdays up to a date come from its
    ordinal (day 1, 1 January of year 1, is a Monday), less the bank holidays and closure
    days that fall on weekdays (a sorted list per year, bisected), so `between` and `add`
    cost the same for a week or a decade."""

    def __init__(self, closures: Iterable[date] = ()) -> None:
        self.closures = frozenset(closures)
        self._off: dict[int, list[int]] = {}

    def is_working_day(self, d: date) -> bool:
        return d.weekday() < 5 and d not in _bank_holidays(d.year) and d not in self.closures

    def _days_off(self, year: int) -> list[int]:
        """The ordinals of the year's weekdays that are not working days, sorted."""
        off = self._off.get(year)
        if off is None:
            days = _bank_holidays(year) | {c for c in self.closures if c.year == year}
            off = self._off[year] = sorted(d.toordinal() for d in days if d.weekday() < 5)
        return off

    def _count(self, start: date, end: date) -> int:
        """Working days in (start, end], for start <= end."""
        a, b = start.toordinal(), end.toordinal()
        weekdays = _weekdays_to(b) - _weekdays_to(a)
        for year in range(start.year, end.year + 1):
            off = self._days_off(year)
            weekdays -= bisect_right(off, b) - bisect_right(off, a)
        return weekdays

    def add(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (start itself not counted).
        `days` = 0 gives `start` rolled forward to a working day."""
        if days < 0:
            raise ValueError("days must be 0 or more")
        d = start
        if days == 0:
            while not self.is_working_day(d):
                d += timedelta(days=1)
            return d
        # An upper bound (a week holds five working days at most), then the first day of
        # (start, hi] with `days` working days after start: the count only grows on a
        # working day, so that day is one.
        hi = start + timedelta(days=days * 7 // 5 + 7)
        while (found := self._count(start, hi)) < days:
            hi += timedelta(days=(days - found) * 7 // 5 + 7)
        lo_n, hi_n = start.toordinal() + 1, hi.toordinal()
        while lo_n < hi_n:
            mid = (lo_n + hi_n) // 2
            if self._count(start, date.fromordinal(mid)) >= days:
                hi_n = mid
            else:
                lo_n = mid + 1
        return date.fromordinal(lo_n)

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start);
        so `between(d, add(d, n)) == n`."""
        if end <= start:
            return 0
        return self._count(start, end)


def _weekdays_to(ordinal: int) -> int:
    """Monday to Friday days among ordinals 1..ordinal (ordinal 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def working_day_before(d: date, days: int, closures: Iterable[date] | None = None) -> date:
    """The date `days` working days before `d` (`d` not counted); 0 gives `d` rolled back to
    a working day. The mirror of `WorkingDays.add`."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    cal = working_days(closures)
    out = d
    if days == 0:
        while not cal.is_working_day(out):
            out -= timedelta(days=1)
        return out
    counted = 0
    while counted < days:
        out -= timedelta(days=1)
        if cal.is_working_day(out):
            counted += 1
    return out


def working_days(closures: Iterable[date] | None = None) -> WorkingDays:
    """The partnership's calendar: bank holidays plus the closure days recorded by the
    business office (read from the database when called inside the app)."""
    if closures is None:
        closures = _recorded_closures()
    return WorkingDays(closures)


def _recorded_closures() -> list[date]:
    try:
        from flask import has_app_context

        if not has_app_context():
            return []
        import sqlalchemy as sa

        from safeguarding.extensions import db
        from safeguarding.models.calendar import ClosureDay

        return list(db.session.scalars(sa.select(ClosureDay.day).where(ClosureDay.active.is_(True))))
    except ImportError:  # pragma: no cover
        return []
