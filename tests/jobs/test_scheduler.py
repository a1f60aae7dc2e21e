"""The scheduler: one process beside the web workers, jobs with explicit ids that never
overlap themselves, a memory job store, an app context per run — and two schedulers
started by mistake still do each day's work once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from safeguarding.calendar import LONDON, today
from safeguarding.extensions import db
from safeguarding.jobs import scheduler as sched
from safeguarding.models import JobOutcome, JobRun, OutboxMessage
from tests.support.browser import PROJECT
from tests.support.committed import child_env, committed_app

JOB = "test_queue_one_email"  # defined in tests/support/job_app.py


def _build(app, monkeypatch, daily_at: str, now: datetime):
    monkeypatch.setitem(app.config, "SCHEDULER_DAILY_AT", daily_at)
    return sched.build_scheduler(app, BackgroundScheduler, now=now)


def test_the_scheduler_runs_the_daily_jobs_at_the_configured_time_and_the_outbox_every_minute(app, monkeypatch):
    scheduler = _build(app, monkeypatch, "07:15", datetime(2026, 11, 23, 6, 0, tzinfo=LONDON))
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert set(jobs) == {"daily_jobs", "retry_failed_jobs", "deliver_outbox", "heartbeat"}  # before 07:15: no catch-up

    daily, retry, outbox = jobs["daily_jobs"], jobs["retry_failed_jobs"], jobs["deliver_outbox"]
    beat = jobs["heartbeat"]
    assert isinstance(daily.trigger, CronTrigger)
    fields = {f.name: str(f) for f in daily.trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("7", "15")
    assert str(daily.trigger.timezone) == "Europe/London"
    assert isinstance(outbox.trigger, IntervalTrigger) and outbox.trigger.interval.total_seconds() == 60
    assert isinstance(retry.trigger, IntervalTrigger) and retry.trigger.interval.total_seconds() == 3600
    assert isinstance(beat.trigger, IntervalTrigger) and beat.trigger.interval.total_seconds() == 60
    for job in (daily, retry, outbox, beat):
        assert job.coalesce is True and job.max_instances == 1
        assert job.func in (sched.daily_jobs, sched.retry_failed_jobs, sched.deliver_outbox, sched.heartbeat)
        assert job.args == (app,)
    # The daily jobs and retries run in the main thread (where SIGTERM arrives); the
    # outbox and the heartbeat in the pool beside them.
    assert (daily.executor, retry.executor, outbox.executor, beat.executor) == ("main", "main", "default", "default")
    assert str(scheduler.timezone) == "Europe/London"
    assert isinstance(scheduler._jobstores["default"], MemoryJobStore)
    assert not scheduler.running


def test_a_scheduler_started_after_the_daily_time_catches_up_today(app, monkeypatch):
    scheduler = _build(app, monkeypatch, "06:30", datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    assert {j.id for j in scheduler.get_jobs()} == {
        "daily_jobs",
        "retry_failed_jobs",
        "deliver_outbox",
        "heartbeat",
        "daily_jobs_catch_up",
    }
    assert scheduler.get_job("daily_jobs_catch_up").executor == "main"


def test_the_daily_time_must_be_a_time(app, monkeypatch):
    with pytest.raises(ValueError, match="SCHEDULER_DAILY_AT must be a time like 06:30"):
        _build(app, monkeypatch, "half six", datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))


def test_each_scheduled_run_has_its_own_app_context_and_removes_its_session(app, define_job, monkeypatch):
    seen = []
    define_job("t_scheduled", lambda as_of: seen.append(as_of) or {"done": 1})
    removed = []
    original = db.session.remove
    monkeypatch.setattr(db.session, "remove", lambda: removed.append(True) or original())

    runs = sched.daily_jobs(app, as_of=date(2026, 11, 23))
    assert [(r.job, r.outcome) for r in runs if r.job == "t_scheduled"] == [("t_scheduled", JobOutcome.succeeded)]
    assert seen == [date(2026, 11, 23)] and removed

    removed.clear()
    assert sched.retry_failed_jobs(app) == []  # nothing failed today
    assert removed

    removed.clear()
    assert sched.deliver_outbox(app) == {
        "claimed": 0,
        "sent": 0,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
    }  # no MAIL_SERVER
    assert removed


def test_web_workers_never_start_a_scheduler():
    """create_app neither imports APScheduler nor starts a thread."""
    code = (
        "import sys, threading, json\n"
        "from safeguarding import create_app\n"
        "create_app({'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules if m.startswith('apscheduler')),"
        " 'threads': threading.active_count()}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
        env=child_env("sqlite://"),
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"modules": [], "threads": 1}


@pytest.mark.slow
def test_two_scheduler_processes_do_the_day_s_work_once(tmp_path):
    """Two `flask scheduler` processes started by mistake over one database: each catches
    up today's run at start; the day's email is queued once."""
    with committed_app(tmp_path, "two_schedulers") as (app, url):
        env = child_env(url, SCHEDULER_DAILY_AT="00:00", TEST_JOB_SECONDS="1")
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "tests.support.job_app", "scheduler"],
                env=env,
                cwd=PROJECT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        try:
            deadline = time.monotonic() + 30
            with app.app_context():
                while True:
                    run = db.session.scalar(
                        sa.select(JobRun)
                        .where(JobRun.job == JOB, JobRun.as_of == today())
                        .execution_options(populate_existing=True)
                    )
                    db.session.rollback()
                    if run is not None and run.outcome == JobOutcome.succeeded:
                        break
                    assert time.monotonic() < deadline, "the schedulers did not run today's jobs"
                    time.sleep(0.1)
            time.sleep(1.5)  # give the other scheduler time to try too
        finally:
            for p in processes:
                p.send_signal(signal.SIGTERM)
            outputs = [p.communicate(timeout=20)[0] for p in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        assert all("scheduler started" in o and "scheduler stopped" in o for o in outputs), outputs
        with app.app_context():
            assert (
                db.session.scalar(
                    sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "test_job")
                )
                == 1
            )
            run = db.session.scalar(sa.select(JobRun).where(JobRun.job == JOB))
            assert run.attempts == 1 and run.counts == {"emails": 1}
