"""The one scheduler process: `flask --app safeguarding scheduler`.

APScheduler runs two things in this process, never in a web worker (every gunicorn worker
that started a scheduler would run every job again):

- `daily_jobs`: `run_due(today())` every day at `SCHEDULER_DAILY_AT` (Europe/London);
  also once at start-up when that time has already passed today, so a scheduler
  restarted (or first started by `make run`) mid-morning still does today's work.
  Runs that already succeeded are not repeated (see runner.py).
- `retry_failed_jobs`: every hour, today's runs that failed are tried again (up to 3
  attempts), so a passing problem fixes itself the same day.
- `deliver_outbox`: `notify.deliver_pending()` every minute.

Job stores live in memory and are never shared; each job has an explicit id with
`replace_existing=True`, `coalesce=True` and `max_instances=1`. A second scheduler
started by mistake finds every run claimed and every message claimed: it produces nothing
twice. Each run pushes its own app context and removes the database session after.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask import Flask

from safeguarding.extensions import db

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger("safeguarding.scheduler")

DAILY_ID = "daily_jobs"
CATCH_UP_ID = "daily_jobs_catch_up"
RETRY_ID = "retry_failed_jobs"
OUTBOX_ID = "deliver_outbox"


def parse_daily_at(text: str) -> time:
    """ "06:30" → 06:30; anything else is a configuration error worth stopping for."""
    try:
        hours, minutes = (int(part) for part in str(text).strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValueError(f"SCHEDULER_DAILY_AT must be a time like 06:30, not {text!r}") from None


def daily_jobs(app: Flask, as_of: date | None = None) -> list[Any]:
    """Run the due jobs for today (England) in a fresh app context."""
    from safeguarding.calendar import today
    from safeguarding.jobs import run_due

    with app.app_context():
        try:
            runs = run_due(as_of or today())
            for run in runs:
                log.info("%s for %s: %s %s", run.job, run.as_of, run.outcome.value, run.counts or "")
            return runs
        finally:
            db.session.remove()


def retry_failed_jobs(app: Flask) -> list[Any]:
    """Try today's failed runs again, in a fresh app context."""
    from safeguarding.calendar import today
    from safeguarding.jobs import retry_failed

    with app.app_context():
        try:
            runs = retry_failed(today())
            for run in runs:
                log.info("retried %s for %s: %s", run.job, run.as_of, run.outcome.value)
            return runs
        finally:
            db.session.remove()


def deliver_outbox(app: Flask) -> dict[str, int]:
    """Send what is due in the outbox, in a fresh app context."""
    from safeguarding import notify
    from safeguarding.services import audit

    with app.app_context():
        try:
            with audit.acting_as("system: deliver_outbox"):
                result = notify.deliver_pending()
            if result.get("claimed"):
                log.info("outbox: %s", result)
            return result
        finally:
            db.session.remove()


def build_scheduler(
    app: Flask, scheduler_class: type[BaseScheduler] | None = None, now: datetime | None = None
) -> BaseScheduler:
    """The scheduler `flask scheduler` starts (a BlockingScheduler unless told otherwise:
    tests build a BackgroundScheduler they never start)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.date import DateTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    tz = ZoneInfo(app.config.get("SCHEDULER_TIMEZONE", "Europe/London"))
    at = parse_daily_at(app.config["SCHEDULER_DAILY_AT"])
    scheduler = (scheduler_class or BlockingScheduler)(
        timezone=tz,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1},
    )
    common = {"args": [app], "replace_existing": True, "coalesce": True, "max_instances": 1}
    scheduler.add_job(
        daily_jobs,
        CronTrigger(hour=at.hour, minute=at.minute, timezone=tz),
        id=DAILY_ID,
        name="Daily jobs",
        misfire_grace_time=6 * 3600,
        **common,
    )
    scheduler.add_job(
        retry_failed_jobs,
        IntervalTrigger(hours=1, timezone=tz),
        id=RETRY_ID,
        name="Retry today's failed jobs",
        misfire_grace_time=600,
        **common,
    )
    scheduler.add_job(
        deliver_outbox,
        IntervalTrigger(minutes=1, timezone=tz),
        id=OUTBOX_ID,
        name="Deliver the email outbox",
        misfire_grace_time=50,
        **common,
    )
    local_now = (now or datetime.now(tz)).astimezone(tz)
    if local_now.time() >= at:
        scheduler.add_job(
            daily_jobs,
            DateTrigger(run_date=local_now, timezone=tz),
            id=CATCH_UP_ID,
            name="Today's daily jobs (catch up at start)",
            misfire_grace_time=3600,
            **common,
        )
    return scheduler


def run_forever(app: Flask) -> None:
    """Start the blocking scheduler; stop cleanly on Ctrl-C or SIGTERM."""
    import signal

    # APScheduler logs every minute's "Running job"; keep its warnings and errors (a job
    # that raised, a run missed) and say what matters ourselves.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = build_scheduler(app)

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    log.info(
        "scheduler started: daily jobs at %s %s, outbox every minute",
        app.config["SCHEDULER_DAILY_AT"],
        app.config.get("SCHEDULER_TIMEZONE", "Europe/London"),
    )
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        log.info("scheduler stopped")
