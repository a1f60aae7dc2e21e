"""Is the background machinery alive?

The scheduler writes a heartbeat row (`heartbeats`) every minute (`scheduler`), after
each daily run (`daily_jobs`) and after each outbox round (`outbox`). Two readers:

- `readiness()` for `GET /readyz` (a load balancer, systemd, monitoring): the database
  answers, its migrations are at the code's head, the scheduler's heartbeat is fresh
  (`SCHEDULER_HEARTBEAT_STALE_MINUTES`), and the mail backlog (messages waiting in the
  outbox, reported, never failing: an SMTP outage is the outbox's to show). Counts and
  times only: no personal data.
- `late(now)` for the business office's home page: "Daily jobs have not run since
  3 December" when the last daily run is more than a day (and an hour) old, and "Email has
  not been sent since …" when messages wait and no outbox round has run for
  `SCHEDULER_HEARTBEAT_STALE_MINUTES`.
"""

from __future__ import annotations

import functools
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import DBAPIError, IntegrityError

from safeguarding.calendar import LONDON
from safeguarding.extensions import db
from safeguarding.models import Heartbeat, JobRun, OutboxMessage, OutboxStatus
from safeguarding.models.base import utcnow

SCHEDULER = "scheduler"
DAILY_JOBS = "daily_jobs"
OUTBOX = "outbox"

# The daily run is late when the last one started more than this long ago.
DAILY_LATE_AFTER = timedelta(hours=25)
# Messages waiting for a deliverer.
WAITING = (OutboxStatus.pending, OutboxStatus.sending)

_beats = Heartbeat.__table__


def beat(name: str) -> None:
    """Record that `name` ran now (its own transaction: callers run outside a request)."""
    values = {"beat_at": utcnow(), "runner": f"{socket.gethostname()}:{os.getpid()}"[:120]}
    if not db.session.execute(sa.update(_beats).where(_beats.c.name == name).values(**values)).rowcount:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(_beats).values(name=name, **values))
        except IntegrityError:
            pass  # another process beat first: its beat is as good
    db.session.commit()


def stale_after() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("SCHEDULER_HEARTBEAT_STALE_MINUTES", 10)))


# --- the office's home page ----------------------------------------------------------------


@dataclass(frozen=True)
class Late:
    what: str  # "daily_jobs" or "outbox"
    since: datetime | None  # None: never
    waiting: int = 0

    @property
    def message(self) -> str:
        if self.what == DAILY_JOBS:
            if self.since is None:
                return "Daily jobs have never run"
            return f"Daily jobs have not run since {_day(self.since)}"
        emails = f"{self.waiting} email{'s' if self.waiting != 1 else ''} waiting"
        if self.since is None:
            return f"Email has never been sent by the scheduler; {emails}"
        return f"Email has not been sent since {_time_and_day(self.since)}; {emails}"


def late(now: datetime | None = None) -> list[Late]:
    """What has not run for longer than expected (one statement)."""
    now = now or utcnow()

    def last(name: str) -> Any:
        return sa.select(Heartbeat.beat_at).where(Heartbeat.name == name).scalar_subquery()

    row = db.session.execute(
        sa.select(
            last(DAILY_JOBS).label("daily"),
            # Before the scheduler first recorded a daily run: the last run of any job.
            sa.select(sa.func.max(JobRun.started_at)).scalar_subquery().label("any_run"),
            last(OUTBOX).label("outbox"),
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(WAITING))
            .scalar_subquery()
            .label("waiting"),
        )
    ).one()
    found = []
    daily = _aware(row.daily) or _aware(row.any_run)
    if daily is None or daily < now - DAILY_LATE_AFTER:
        found.append(Late(DAILY_JOBS, daily))
    outbox = _aware(row.outbox)
    if row.waiting and (outbox is None or outbox < now - stale_after()):
        found.append(Late(OUTBOX, outbox, int(row.waiting)))
    return found


# --- /readyz -----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def migration_heads(directory: str) -> frozenset[str]:
    """The head revision(s) of the code's migrations (read once per process)."""
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def readiness(now: datetime | None = None) -> tuple[bool, dict[str, Any]]:
    """(ready?, the checks by name). Never raises for a database fault: it is a check."""
    now = now or utcnow()
    checks: dict[str, dict[str, Any]] = {}
    try:
        if not db.session().in_transaction():
            # Read only: on SQLite begin as SQLite does by default, taking no write lock, so
            # a long job holding the lock does not make the check wait (see create_app).
            db.session.connection(execution_options={"sqlite_deferred_begin": True})
        db.session.execute(sa.text("SELECT 1"))
    except DBAPIError as exc:
        db.session.rollback()
        checks["database"] = {"ok": False, "error": type(exc.orig).__name__}
        for name in ("migrations", "scheduler", "mail_backlog"):
            checks[name] = {"ok": False, "error": "the database is unreachable"}
        return False, checks
    checks["database"] = {"ok": True}
    checks["migrations"] = _migrations()
    checks["scheduler"], checks["mail_backlog"] = _machinery(now)
    db.session.rollback()  # read only
    return all(c["ok"] for c in checks.values()), checks


def _migrations() -> dict[str, Any]:
    heads = migration_heads(current_app.extensions["migrate"].directory)
    try:
        with db.session.begin_nested():
            current = set(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
    except DBAPIError:
        current = set()
    return {"ok": current == heads, "current": sorted(current), "head": sorted(heads)}


def _machinery(now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    row = db.session.execute(
        sa.select(
            sa.select(Heartbeat.beat_at).where(Heartbeat.name == SCHEDULER).scalar_subquery().label("beat"),
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(WAITING))
            .scalar_subquery()
            .label("waiting"),
        )
    ).one()
    beat_at = _aware(row.beat)
    scheduler: dict[str, Any] = {"ok": beat_at is not None and beat_at >= now - stale_after()}
    if beat_at is None:
        scheduler["error"] = "the scheduler has never recorded a heartbeat"
    else:
        scheduler["last_heartbeat"] = beat_at.isoformat()
        scheduler["age_seconds"] = int((now - beat_at).total_seconds())
    return scheduler, {"ok": True, "waiting": int(row.waiting or 0)}


def _aware(value: Any) -> datetime | None:
    """A timestamp from a scalar subquery (SQLite may hand back text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _day(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B}"


def _time_and_day(moment: datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{local:%H:%M} on {local.day} {local:%B}"
