"""The demo partnership, built from the source documents through the same services users
call. Each feature adds a step; steps run in order and share a `DemoContext`.

The story is written for one day, `STORY_DAY` (3 December 2026, the day the test suite
runs on), and built around the day it is loaded (or `seed-demo --as-of DATE`): every date
of the story moves by the same number of days (`day`), so "7 days left" stays 7 days left;
the meetings land on working days (`meeting_day`: those still to come keep their distance
in working days, those held are moved back to a working day); what the story counts in
working days is counted with `calendar.working_days()` from the load day. Each event is
recorded as at its own date (`at`: the service's clock, `calendar.clock_at`), so history,
audit and outbox rows carry the story's dates."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from werkzeug.datastructures import FileStorage

from safeguarding import calendar, documents, jobs
from safeguarding.extensions import db
from safeguarding.models import OutboxMessage, OutboxStatus
from safeguarding.services import audit, storage
from safeguarding.services import meetings as meetings_svc  # not `meetings`: the demo step module of that name

DEMO_PASSWORD = "demo-password-2026"

STORY_DAY = date(2026, 12, 3)  # the day the story's dates are written for


class _Story:
    """The day the demo is built around, and the moment it is loaded."""

    as_of: date = STORY_DAY
    loaded_at: datetime = datetime.combine(STORY_DAY, time(8, 0), tzinfo=calendar.LONDON)


_story = _Story()


def as_of() -> date:
    """The day the demo is built around (the story's "today")."""
    return _story.as_of


def shift() -> timedelta:
    return _story.as_of - STORY_DAY


def day(year: int, month: int, dom: int) -> date:
    """The story's date `year-month-dom` (written for STORY_DAY), moved to the load day."""
    return date(year, month, dom) + shift()


def moved(story_date: date) -> date:
    return story_date + shift()


def history_day(story_date: date) -> date:
    """A date of the partnership's early history (its founding, its first budget): moved by
    whole financial years, so that the history keeps its financial years, and never after
    the same date moved by days (what the story builds on it comes after it)."""
    years = calendar.financial_year_start(_story.as_of) - calendar.financial_year_start(STORY_DAY)
    by_years = story_date.replace(year=story_date.year + years)
    return min(by_years, story_date + shift())


def meeting_day(story_date: date) -> date:
    """A meeting's date: one still to come keeps its distance in working days from the
    story's day; one already held is moved with the story and back to a working day."""
    cal = calendar.working_days()
    if story_date > STORY_DAY:
        return cal.add(_story.as_of, cal.between(STORY_DAY, story_date))
    return calendar.working_day_before(story_date + shift(), 0)


def moment(on: date, at: time = time(10, 0)) -> datetime:
    """`at` o'clock in England on `on`, but never later than the load itself."""
    return min(datetime.combine(on, at, tzinfo=calendar.LONDON), _story.loaded_at)


@contextmanager
def at(on: date, hour: time = time(10, 0)) -> Iterator[None]:
    """Record what the body does as at `on` (history, audit and outbox rows take its date)."""
    with calendar.clock_at(moment(on, hour)):
        yield


@dataclass
class DemoContext:
    as_of: date = STORY_DAY  # the day the demo is built around
    orgs: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    groups: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], None]
_steps: list[tuple[int, str, Step]] = []


def step(order: int, name: str) -> Callable[[Step], Step]:
    def decorator(fn: Step) -> Step:
        _steps.append((order, name, fn))
        _steps.sort(key=lambda s: s[0])
        return fn

    return decorator


def has_data() -> bool:
    from safeguarding.models import Organisation, User

    return bool(
        db.session.scalar(sa.select(sa.func.count()).select_from(User))
        or db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    )


def reset_database() -> None:
    """Drop every table and rebuild the schema through the migrations."""
    from flask_migrate import upgrade

    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def demo_pdf(title: str, subtitle: str, sections: list[tuple[str, list[str]]]) -> bytes:
    """A small, real PDF (the documents module, WeasyPrint) standing in for a paper or a
    report someone wrote: a title, the date it is dated (the story's today) and a few short
    sections that say it is demo material."""
    report = documents.Report(
        title=title,
        subtitle=subtitle,
        date=calendar.today(),
        sections=[documents.Section(heading, paragraphs) for heading, paragraphs in sections],
    )
    return documents.render_pdf(report)


def paper(ctx: DemoContext, item: Any, title: str, filename: str) -> None:
    """A paper for a Board agenda item: a small real PDF, added by the business office."""
    data = demo_pdf(
        title, f"A paper for the {ctx.groups['board'].name}", [("Summary", [f"{title}: demonstration material."])]
    )
    upload = FileStorage(stream=io.BytesIO(data), filename=filename, content_type="application/pdf")
    stored = storage.save_upload(upload, purpose="meeting_paper", uploaded_by_id=ctx.users["office"].id)
    meetings_svc.attach_paper(item, stored, title=title, added_by_id=ctx.users["office"].id)


def _load_steps() -> None:
    """Import every module of this package: each registers its steps."""
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def seed(as_of: date | None = None) -> DemoContext:
    """Build the demo around `as_of` (default: today) and commit it; then run the daily
    jobs for the day before, as the scheduler would have that morning, and hold every
    email the story queued (see `_settle`)."""
    _load_steps()
    _story.as_of = as_of or calendar.today()
    real_now = datetime.now(UTC).astimezone(calendar.LONDON)
    # Loaded now when built around today; otherwise in the morning of the chosen day.
    _story.loaded_at = (
        real_now
        if real_now.date() == _story.as_of
        else datetime.combine(_story.as_of, time(8, 0), tzinfo=calendar.LONDON)
    )
    ctx = DemoContext(as_of=_story.as_of)
    with calendar.clock_at(_story.loaded_at), audit.acting_as("system: demo data"):
        for _, _name, fn in _steps:
            fn(ctx)
            db.session.flush()
        db.session.commit()
    _settle()
    return ctx


def _settle() -> None:
    """What makes the demo's first start quiet, honestly:

    - the daily jobs ran every morning of the story, so they are run (for real) for the
      day before the load day (and for the last working day before it, when that is
      another day), as at that morning: each breach, warning and chaser of the
      story is then recorded once, with its date, and the jobs' dedupe rows exist, so the
      first start's run for the load day only does that day's work (nothing "missed" again);
    - the emails the story queued went out, in the story, when they were written: they are
      kept on the outbox page as held, never delivered (the demo's addresses are not real).
    """
    eve = _story.as_of - timedelta(days=1)
    daily_at = datetime.strptime(current_app.config.get("SCHEDULER_DAILY_AT", "06:30"), "%H:%M").time()
    # The last working day too, when the eve is a weekend or a bank holiday: jobs that work
    # on working days only (chasing agencies) did that day's work then, not on the load day.
    for morning in sorted({calendar.working_day_before(_story.as_of, 1), eve}):
        with calendar.clock_at(datetime.combine(morning, daily_at, tzinfo=calendar.LONDON)):
            jobs.run_due(morning)
    with audit.acting_as("system: demo data"):
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.status.in_([OutboxStatus.pending, OutboxStatus.held]))
            .values(status=OutboxStatus.held, next_attempt_at=None)
        )
        db.session.commit()
