"""The service's clock: the real one, or a moment set for the current thread or task.

`now()` is where every timestamp the service records comes from (history, audit, outbox,
`created_at`: models.base.utcnow); `clock_at(moment)` runs a block as at a moment — the
demo tells its story this way, each event at its own date. `calendar.today()` answers the
moment too. No dependencies, so the models can use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# The clock of the current thread or task while something runs "as at" a moment (see
# `clock_at`): [the moment, the next tick]; None: the real clock.
_clock: ContextVar[list[datetime] | None] = ContextVar("safeguarding_clock", default=None)
_TICK = timedelta(milliseconds=1)


def now() -> datetime:
    """The current moment (timezone-aware, UTC): the real clock, or, inside `clock_at`, the
    moment it set, moving on a millisecond at each reading (so that successive changes
    still come one after the other). Every timestamp the service records (history, audit,
    outbox, `created_at`) is taken from here."""
    clock = _clock.get()
    if clock is None:
        return datetime.now(UTC)
    moment = clock[0]
    clock[0] = moment + _TICK
    return moment


@contextmanager
def clock_at(moment: datetime | date, at: time = time(10, 0)) -> Iterator[datetime]:
    """Run the body as at `moment` (a date means `at` o'clock in England that day): `now()`
    and `today()` answer it for the current thread or task only, and the real clock comes
    back afterwards. The demo builds its story this way, each event at its own date."""
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, at, tzinfo=LONDON)  # England's time that day
    if moment.tzinfo is None:
        raise ValueError("clock_at needs a timezone-aware moment")
    start = moment.astimezone(UTC)
    token = _clock.set([start])
    try:
        yield start
    finally:
        _clock.reset(token)


def current() -> datetime | None:
    """The moment set by `clock_at` for this thread or task (None: the real clock)."""
    clock = _clock.get()
    return clock[0] if clock is not None else None
