"""The clock the demo tells its story with (`calendar.clock_at`): every timestamp the
service records and `today()` answer the moment it sets, for the current thread only, and
the real clock comes back afterwards; the demo's date helpers keep its facts on any day."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from safeguarding import calendar, demo
from safeguarding.extensions import db
from safeguarding.models.audit import AuditEntry
from safeguarding.models.base import utcnow
from safeguarding.services import audit


def test_clock_at_sets_now_and_today_for_this_thread_only():
    real_today = calendar.today()  # the suite's day (SAFEGUARDING_TODAY)
    seen_elsewhere: list = []
    with calendar.clock_at(date(2021, 3, 4)) as start:
        assert start == datetime(2021, 3, 4, 10, 0, tzinfo=calendar.LONDON).astimezone(UTC)
        first, second = calendar.now(), utcnow()
        assert first == start and second == start + timedelta(milliseconds=1)  # it ticks: changes stay ordered
        assert calendar.today() == date(2021, 3, 4)  # before SAFEGUARDING_TODAY
        other = threading.Thread(target=lambda: seen_elsewhere.append((calendar.now(), calendar.today())))
        other.start()
        other.join()
        with calendar.clock_at(datetime(2022, 6, 30, 23, 30, tzinfo=UTC)):
            assert calendar.today() == date(2022, 7, 1)  # England: already 1 July (BST)
        assert calendar.today() == date(2021, 3, 4)
    assert calendar.today() == real_today and calendar.now().year >= 2026
    [(elsewhere_now, elsewhere_today)] = seen_elsewhere
    assert elsewhere_today == real_today and elsewhere_now.year >= 2026


def test_clock_at_refuses_a_naive_moment():
    with pytest.raises(ValueError), calendar.clock_at(datetime(2021, 3, 4, 10, 0)):
        pass


def test_rows_written_inside_clock_at_carry_its_moment():
    with calendar.clock_at(date(2020, 9, 2), time(9, 15)), audit.acting_as("system: test"):
        audit.record("test_event", "organisations", 1, {"note": "as at the story's day"})
        db.session.flush()
    row = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "test_event"))
    assert row.at.astimezone(calendar.LONDON).date() == date(2020, 9, 2)
    assert row.at.astimezone(calendar.LONDON).time().replace(microsecond=0) == time(9, 15)


def test_working_day_before_mirrors_add():
    cal = calendar.working_days([])
    # Christmas 2026: Friday 25 December and Monday 28 December (Boxing Day's substitute) are holidays.
    assert calendar.working_day_before(date(2026, 12, 29), 1, []) == date(2026, 12, 24)
    assert calendar.working_day_before(date(2026, 12, 27), 0, []) == date(2026, 12, 24)
    for start in (date(2026, 12, 3), date(2027, 3, 27), date(2026, 12, 22)):
        for n in (1, 3, 15):
            assert cal.add(calendar.working_day_before(cal.add(start, n), n, []), n) == cal.add(start, n)
    with pytest.raises(ValueError):
        calendar.working_day_before(date(2026, 12, 3), -1, [])


def test_the_demos_dates_move_with_the_load_day(monkeypatch):
    cal = calendar.working_days([])
    monkeypatch.setattr(demo._story, "as_of", date(2026, 12, 22))
    assert demo.day(2026, 11, 12) == date(2026, 12, 1)  # 21 days before, still
    # A meeting to come keeps its distance in working days: 8 after Thursday 3 December
    # (Tuesday 15 December), 8 after Tuesday 22 December (Wednesday 6 January, across
    # Christmas and New Year).
    assert demo.meeting_day(date(2026, 12, 15)) == date(2027, 1, 6) == cal.add(date(2026, 12, 22), 8)
    # A meeting held is moved with the story and back to a working day: Tuesday 8 December
    # 2020 + 19 days is Sunday 27 December; the Thursday before (24 December) it is.
    assert demo.meeting_day(date(2020, 12, 8)) == date(2020, 12, 24)
    monkeypatch.setattr(demo._story, "as_of", date(2026, 12, 3))
    assert demo.day(2026, 11, 12) == date(2026, 11, 12) and demo.meeting_day(date(2026, 12, 15)) == date(2026, 12, 15)


def test_seed_demo_refuses_a_date_that_is_not_one(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--as-of", "3 December"])
    assert result.exit_code == 2 and "Invalid value for '--as-of'" in result.output
