"""The one scheduler process: `flask --app safeguarding scheduler`.

APScheduler runs these in this process, never in a web worker (every gunicorn worker
that started a scheduler would run every job again):

- `daily_jobs`: `run_due(today())` every day at `SCHEDULER_DAILY_AT` (Europe/London);
  also once at start-up when that time has already passed today, so a scheduler
  restarted (or first started by `make run`) mid-morning still does today's work.
  Runs that already succeeded are not repeated (see runner.py).
- `retry_failed_jobs`: every hour, today's runs that failed — or that a dead runner left
  `running` (stale, or a gone process of this host) — are tried again (up to 3
  attempts), so a passing problem or a crash fixes itself the same day.
- `deliver_outbox`: `notify.deliver_pending()` every minute.
- `heartbeat`: every minute, the `scheduler` heartbeat row (see health.py); the daily
  run (as it starts) and each outbox round record theirs.

The daily jobs and the retries run in the process's **main thread** (the `main`
executor: the scheduler's own thread queues them, `run_forever` runs them one after
another), so SIGTERM or SIGINT stops a job where it is, exactly as in `jobs run`: its work
is rolled back, the run is recorded `failed` ("Stopped before it finished") and the
process exits. The outbox and the heartbeat run in a small thread pool beside them. At
start-up, before anything else, runs left `running` by this host's dead processes (a
scheduler killed mid-job) are taken over (`take_over_dead_runs`).

Job stores live in memory and are never shared; each job has an explicit id with
`replace_existing=True`, `coalesce=True` and `max_instances=1`. A second scheduler
started by mistake finds every run claimed and every message claimed: it produces nothing
twice. Each run pushes its own app context and removes the database session after.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.executors.base import BaseExecutor
from apscheduler.executors.base import run_job as run_apscheduler_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from safeguarding import notify
from safeguarding.calendar import today
from safeguarding.documents.render import load_pdf_engine
from safeguarding.extensions import db
from safeguarding.jobs import health
from safeguarding.jobs.runner import Stopped, retry_failed, run_due, take_over_dead_runs
from safeguarding.services import audit

log = logging.getLogger("safeguarding.scheduler")

DAILY_ID = "daily_jobs"
CATCH_UP_ID = "daily_jobs_catch_up"
RETRY_ID = "retry_failed_jobs"
OUTBOX_ID = "deliver_outbox"
HEARTBEAT_ID = "heartbeat"
MAIN = "main"  # the executor of the daily jobs and retries: the main thread


class MainThreadExecutor(BaseExecutor):
    """Runs its jobs in the thread that calls `work` (the process's main thread, where
    signals arrive), one at a time, in the order they fell due."""

    def __init__(self) -> None:
        super().__init__()
        self._queue: queue.SimpleQueue[tuple[Any, list[datetime]]] = queue.SimpleQueue()

    def _do_submit_job(self, job: Any, run_times: list[datetime]) -> None:
        self._queue.put((job, run_times))

    def work(self, stopping: threading.Event, poll: float = 0.5) -> None:
        """Run queued jobs until `stopping` is set."""
        while not stopping.is_set():
            try:
                job, run_times = self._queue.get(timeout=poll)
            except queue.Empty:
                continue
            # (APScheduler's run_job records a job's exception, Stopped included, as an
            # event; `stopping` tells this loop to end.)
            events = run_apscheduler_job(job, job._jobstore_alias, run_times, self._logger.name)
            self._run_job_success(job.id, events)


def parse_daily_at(text: str) -> time:
    """ "06:30" → 06:30; anything else is a configuration error worth stopping for."""
    try:
        hours, minutes = (int(part) for part in str(text).strip().split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValueError(f"SCHEDULER_DAILY_AT must be a time like 06:30, not {text!r}") from None


def daily_jobs(app: Flask, as_of: date | None = None) -> list[Any]:
    """Run the due jobs for today (England) in a fresh app context."""
    with app.app_context():
        try:
            health.beat(health.DAILY_JOBS)  # the daily run started (its runs record how it went)
            runs = run_due(as_of or today())
            for run in runs:
                log.info("%s for %s: %s %s", run.job, run.as_of, run.outcome.value, run.counts or "")
            return runs
        finally:
            db.session.remove()


def retry_failed_jobs(app: Flask) -> list[Any]:
    """Try today's failed (or dead) runs again, in a fresh app context."""
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
    with app.app_context():
        try:
            with audit.acting_as("system: deliver_outbox"):
                result = notify.deliver_pending()
            if result.get("claimed"):
                log.info("outbox: %s", result)
            health.beat(health.OUTBOX)
            return result
        finally:
            db.session.remove()


def heartbeat(app: Flask) -> None:
    """Record that the scheduler is alive, in a fresh app context."""
    with app.app_context():
        try:
            health.beat(health.SCHEDULER)
        finally:
            db.session.remove()


def take_over_dead(app: Flask) -> list[Any]:
    """Run again the runs this host's dead processes left `running` (at start-up)."""
    with app.app_context():
        try:
            runs = take_over_dead_runs()
            for run in runs:
                log.info("took over %s for %s from a dead process: %s", run.job, run.as_of, run.outcome.value)
            return runs
        finally:
            db.session.remove()


def build_scheduler(
    app: Flask, scheduler_class: type[BaseScheduler] | None = None, now: datetime | None = None
) -> BaseScheduler:
    """The scheduler `flask scheduler` starts (a BackgroundScheduler: its jobs of the
    `main` executor are run by `run_forever` in the main thread; tests build one they
    never start)."""
    tz = ZoneInfo(app.config.get("SCHEDULER_TIMEZONE", "Europe/London"))
    at = parse_daily_at(app.config["SCHEDULER_DAILY_AT"])
    scheduler = (scheduler_class or BackgroundScheduler)(
        timezone=tz,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(4), MAIN: MainThreadExecutor()},
        job_defaults={"coalesce": True, "max_instances": 1},
    )
    common = {"args": [app], "replace_existing": True, "coalesce": True, "max_instances": 1}
    scheduler.add_job(
        daily_jobs,
        CronTrigger(hour=at.hour, minute=at.minute, timezone=tz),
        id=DAILY_ID,
        name="Daily jobs",
        misfire_grace_time=6 * 3600,
        executor=MAIN,
        **common,
    )
    scheduler.add_job(
        retry_failed_jobs,
        IntervalTrigger(hours=1, timezone=tz),
        id=RETRY_ID,
        name="Retry today's failed jobs",
        misfire_grace_time=600,
        executor=MAIN,
        **common,
    )
    scheduler.add_job(
        heartbeat,
        IntervalTrigger(minutes=1, timezone=tz),
        id=HEARTBEAT_ID,
        name="Heartbeat",
        misfire_grace_time=50,
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
            executor=MAIN,
            **common,
        )
    return scheduler


def run_forever(app: Flask) -> None:
    """Run the scheduler until SIGTERM or SIGINT. A signal that arrives while a daily job
    runs stops that job (recorded `failed`, "Stopped before it finished"); the process
    then exits (status 0: it was asked to stop)."""
    # APScheduler logs every minute's "Running job"; keep its warnings and errors (a job
    # that raised, a run missed) and say what matters ourselves.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    load_pdf_engine()
    scheduler = build_scheduler(app)
    main: MainThreadExecutor = scheduler._executors[MAIN]  # type: ignore[attr-defined]
    stopping = threading.Event()
    # While APScheduler starts its thread a signal is only noted (raising there would leave
    # it "running" with a thread never started, which its shutdown cannot join); it is
    # acted on as soon as the start is done.
    starting = threading.Event()
    received: list[str] = []

    def stop(signum: int, frame: Any) -> None:
        if stopping.is_set():
            return  # already stopping: let the run be recorded
        stopping.set()
        received.append(signal.Signals(signum).name)
        if not starting.is_set():
            raise Stopped(received[0])

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info(
        "scheduler started: daily jobs at %s %s, outbox every minute",
        app.config["SCHEDULER_DAILY_AT"],
        app.config.get("SCHEDULER_TIMEZONE", "Europe/London"),
    )
    try:
        try:
            heartbeat(app)
            take_over_dead(app)
        except Exception:
            # (The database down at start, say: carry on; the hourly retry takes the runs
            # over, and crashing here would only make systemd give up restarting us.)
            log.exception("scheduler start-up: the heartbeat or the take-over of dead runs failed")
        starting.set()
        try:
            scheduler.start()
        finally:
            starting.clear()
        if stopping.is_set():
            raise Stopped(received[0])
        main.work(stopping)
    except Stopped as exc:
        log.info("scheduler stopping: %s", exc.signal_name)
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=False)
        log.info("scheduler stopped")
