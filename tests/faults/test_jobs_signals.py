"""Jobs under faults, with real processes: `flask jobs run` and `flask scheduler` stopped
with SIGTERM or SIGINT mid-job record the run `failed` ("Stopped before it finished") and
exit, and a rerun completes it at once; killed with SIGKILL, the run is taken over by the
next scheduler on the same host at start-up, with no operator. Every day's job completes
once, with exactly one run's effects.

The job is `test_queue_one_email` of tests/support/job_app.py (the real app and runner,
plus one job of the test's): it writes a marker file when it starts and waits, inside its
transaction, until the test opens a gate file."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import JobOutcome, JobRun, OutboxMessage
from tests.support.browser import PROJECT
from tests.support.committed import child_env, committed_app

pytestmark = pytest.mark.slow

JOB = "test_queue_one_email"
DAY = "2026-11-23"


def _flask(url: str, tmp_path: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tests.support.job_app", *args],
        env=child_env(url, TEST_JOB_GATE=str(tmp_path / "gate"), TEST_JOB_STARTED=str(tmp_path / "started"), **env),
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(predicate, what: str, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _job_started(tmp_path: Path, process: subprocess.Popen) -> None:
    marker = tmp_path / "started"

    def started() -> bool:
        assert process.poll() is None, process.communicate()[0]
        return marker.exists() and str(process.pid) in marker.read_text().split()

    _wait_for(started, "the job to start")


def _run(app, as_of: date) -> JobRun | None:
    with app.app_context():
        run = db.session.scalar(
            sa.select(JobRun).where(JobRun.job == JOB, JobRun.as_of == as_of).execution_options(populate_existing=True)
        )
        db.session.expunge_all()
        db.session.rollback()
        return run


def _emails(app) -> list[str]:
    with app.app_context():
        subjects = list(db.session.scalars(sa.select(OutboxMessage.subject).where(OutboxMessage.kind == "test_job")))
        db.session.rollback()
        return sorted(subjects)


def _finished(app, as_of: date):
    def check() -> bool:
        run = _run(app, as_of)
        return run is not None and run.outcome not in (JobOutcome.running,)

    return check


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_jobs_run_stopped_mid_job_records_the_run_failed_and_a_rerun_completes_it(tmp_path, sig):
    with committed_app(tmp_path, "jobs_run_stopped") as (app, url):
        process = _flask(url, tmp_path, "jobs", "run", "--as-of", DAY, JOB)
        _job_started(tmp_path, process)
        process.send_signal(sig)
        out, _ = process.communicate(timeout=40)
        assert process.returncode == 128 + sig.value, out

        run = _run(app, date(2026, 11, 23))
        assert run.outcome == JobOutcome.failed and run.finished_at is not None
        assert run.error == f"Stopped before it finished ({sig.name})"
        assert run.runner == f"{socket.gethostname()}:{process.pid}"
        assert _emails(app) == []  # the job's work was undone

        # Run again at once: nothing refuses ("running in another process"); it completes.
        (tmp_path / "gate").touch()
        again = _flask(url, tmp_path, "jobs", "run", "--as-of", DAY, JOB)
        out, _ = again.communicate(timeout=60)
        assert again.returncode == 0, out
        run = _run(app, date(2026, 11, 23))
        assert (run.outcome, run.attempts, run.counts) == (JobOutcome.succeeded, 2, {"emails": 1})
        assert _emails(app) == [f"Test job ran for {DAY}"]


def test_jobs_run_killed_mid_job_is_taken_over_by_the_scheduler_at_start_up(tmp_path):
    """SIGKILL (out of memory): the run stays `running`, its work undone by the database;
    the scheduler started next on this host sees its runner's process is gone and runs it
    again at once (not an hour later), for the day it was for."""
    with committed_app(tmp_path, "jobs_run_killed") as (app, url):
        process = _flask(url, tmp_path, "jobs", "run", "--as-of", DAY, JOB)
        _job_started(tmp_path, process)
        process.kill()
        process.communicate(timeout=20)  # reaped: its pid is gone
        run = _run(app, date(2026, 11, 23))
        assert run.outcome == JobOutcome.running and run.runner == f"{socket.gethostname()}:{process.pid}"
        assert _emails(app) == []

        (tmp_path / "gate").touch()
        # The daily time is far away: only the take-over can run the job.
        scheduler = _flask(url, tmp_path, "scheduler", SCHEDULER_DAILY_AT="23:59", SAFEGUARDING_TODAY="2026-12-03")
        try:
            _wait_for(_finished(app, date(2026, 11, 23)), "the scheduler to take the run over")
        finally:
            scheduler.send_signal(signal.SIGTERM)
            out, _ = scheduler.communicate(timeout=30)
        assert scheduler.returncode == 0, out
        run = _run(app, date(2026, 11, 23))
        assert (run.outcome, run.attempts, run.counts) == (JobOutcome.succeeded, 2, {"emails": 1})
        assert run.runner == f"{socket.gethostname()}:{scheduler.pid}"
        assert _emails(app) == [f"Test job ran for {DAY}"]


def test_a_scheduler_killed_mid_job_and_restarted_completes_the_day_by_itself(tmp_path):
    with committed_app(tmp_path, "scheduler_killed") as (app, url):
        first = _flask(url, tmp_path, "scheduler", SCHEDULER_DAILY_AT="00:00")
        _job_started(tmp_path, first)
        first.kill()
        first.communicate(timeout=20)
        run = _run(app, today())
        assert run.outcome == JobOutcome.running and run.attempts == 1

        (tmp_path / "gate").touch()
        second = _flask(url, tmp_path, "scheduler", SCHEDULER_DAILY_AT="00:00")
        try:
            _wait_for(_finished(app, today()), "the restarted scheduler to finish the day's run")
            time.sleep(1)  # its catch-up of the day runs next: it must find the run done
        finally:
            second.send_signal(signal.SIGTERM)
            out, _ = second.communicate(timeout=30)
        assert second.returncode == 0, out
        run = _run(app, today())
        assert (run.outcome, run.attempts, run.counts) == (JobOutcome.succeeded, 2, {"emails": 1})
        assert _emails(app) == [f"Test job ran for {today().isoformat()}"]


def test_a_scheduler_stopped_mid_job_records_the_run_failed_exits_and_the_next_one_completes_it(tmp_path):
    with committed_app(tmp_path, "scheduler_stopped") as (app, url):
        first = _flask(url, tmp_path, "scheduler", SCHEDULER_DAILY_AT="00:00")
        _job_started(tmp_path, first)
        first.send_signal(signal.SIGTERM)
        out, _ = first.communicate(timeout=40)
        assert first.returncode == 0, out
        run = _run(app, today())
        assert run.outcome == JobOutcome.failed and run.error == "Stopped before it finished (SIGTERM)"
        assert _emails(app) == []

        (tmp_path / "gate").touch()
        second = _flask(url, tmp_path, "scheduler", SCHEDULER_DAILY_AT="00:00")
        try:
            _wait_for(lambda: _run(app, today()).outcome == JobOutcome.succeeded, "the next scheduler's catch-up")
        finally:
            second.send_signal(signal.SIGTERM)
            out, _ = second.communicate(timeout=30)
        assert second.returncode == 0, out
        run = _run(app, today())
        assert (run.outcome, run.attempts, run.counts) == (JobOutcome.succeeded, 2, {"emails": 1})
        assert _emails(app) == [f"Test job ran for {today().isoformat()}"]
