"""`flask jobs list`, `flask jobs run`, and two runners over one database."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import JobOutcome, JobRun, OutboxMessage
from tests.support.browser import PROJECT
from tests.support.committed import child_env, committed_app
from tests.support.databases import backend

JOB = "test_queue_one_email"  # defined in tests/support/job_app.py, loaded by the child processes


def test_jobs_run_runs_the_named_jobs_for_a_date_once(app, define_job):
    calls: list[date] = []
    define_job("t_cli", lambda as_of: calls.append(as_of) or {"reminders": 2, "escalations": 1})
    runner = app.test_cli_runner()

    result = runner.invoke(args=["jobs", "run", "--as-of", "2026-11-23", "t_cli"])
    assert result.exit_code == 0, result.output
    assert "t_cli for 2026-11-23: succeeded (escalations 1, reminders 2)" in result.output

    result = runner.invoke(args=["jobs", "run", "--as-of", "2026-11-23", "t_cli"])
    assert result.exit_code == 0
    assert "t_cli for 2026-11-23: already succeeded" in result.output and "not run again" in result.output
    assert calls == [date(2026, 11, 23)]


def test_jobs_run_defaults_to_today_and_every_job(app, define_job):
    calls: list[date] = []
    define_job("t_all_a", lambda as_of: calls.append(as_of) or {})
    define_job("t_all_b", lambda as_of: calls.append(as_of) or {})
    result = app.test_cli_runner().invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    assert calls == [today(), today()]


def test_jobs_run_exits_non_zero_and_shows_the_error_when_a_job_fails(app, define_job):
    def broken(as_of: date) -> dict:
        raise LookupError("no Board meetings found")

    define_job("t_cli_broken", broken)
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--as-of", "2026-11-23", "t_cli_broken"])
    assert result.exit_code == 1
    assert "t_cli_broken for 2026-11-23: FAILED (attempt 1): LookupError: no Board meetings found" in result.output
    run = db.session.scalar(sa.select(JobRun).where(JobRun.job == "t_cli_broken"))
    assert run.outcome == JobOutcome.failed and "no Board meetings found" in run.error


def test_jobs_run_refuses_an_unknown_job_clearly(app, define_job):
    define_job("t_cli_known", lambda as_of: {})
    result = app.test_cli_runner().invoke(args=["jobs", "run", "t_cli_known", "attendance_scann"])
    assert result.exit_code == 2
    assert "There is no job called 'attendance_scann'" in result.output and "t_cli_known" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun).where(JobRun.job == "t_cli_known")) == 0


def test_jobs_run_refuses_a_date_that_is_not_one(app):
    result = app.test_cli_runner().invoke(args=["jobs", "run", "--as-of", "23/11/2026"])
    assert result.exit_code == 2 and "'23/11/2026' does not match the format '%Y-%m-%d'" in result.output


def test_jobs_list_shows_each_job_and_its_last_run(app, define_job):
    define_job("t_listed", lambda as_of: {}, description="Find non-attendance")
    runner = app.test_cli_runner()
    assert "t_listed  Find non-attendance  [never run]" in runner.invoke(args=["jobs", "list"]).output
    runner.invoke(args=["jobs", "run", "--as-of", "2026-11-23", "t_listed"])
    assert "[last run for 2026-11-23: succeeded]" in runner.invoke(args=["jobs", "list"]).output


# --- two runners over one database -------------------------------------------------------


def _jobs_run(url: str, as_of: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tests.support.job_app", "jobs", "run", "--as-of", as_of, JOB],
        env=child_env(url, **env),
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(process: subprocess.Popen) -> str:
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0, out
    return out


def _wait_for(predicate, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
def test_two_jobs_run_processes_for_the_same_day_do_the_work_once(tmp_path):
    gate = tmp_path / "gate"
    with committed_app(tmp_path, "two_runners") as (app, url):

        def running() -> bool:
            # A reader that takes no lock (the app's own transactions take SQLite's write
            # lock when they begin, and the runner holds it while its job runs).
            with app.app_context(), db.engine.connect().execution_options(sqlite_deferred_begin=True) as conn:
                return conn.scalar(sa.select(JobRun.outcome).where(JobRun.job == JOB)) == JobOutcome.running

        # The first runner claims the day and is held inside the job until the gate opens;
        # a second runner starts while it is running.
        first = _jobs_run(url, "2026-11-23", TEST_JOB_GATE=str(gate))
        _wait_for(running)
        second = _jobs_run(url, "2026-11-23", TEST_JOB_GATE=str(gate))
        if backend() == "postgresql":
            out_second = _finish(second)  # it does not wait: the day is claimed
            assert f"{JOB} for 2026-11-23: running in another process" in out_second
        else:
            time.sleep(2)  # SQLite: it waits for the first runner's write lock, then finds the run done
        gate.touch()
        out_first = _finish(first)
        if backend() != "postgresql":
            out_second = _finish(second)
            assert f"{JOB} for 2026-11-23: already succeeded" in out_second
        assert f"{JOB} for 2026-11-23: succeeded (emails 1)" in out_first
        assert "succeeded (emails" not in out_second

        # Two runners started together for the next day race to claim it: one wins.
        outputs = [_finish(p) for p in [_jobs_run(url, "2026-11-24") for _ in range(2)]]
        assert sum(f"{JOB} for 2026-11-24: succeeded (emails 1)" in o for o in outputs) == 1, outputs

        with app.app_context():
            subjects = sorted(
                db.session.scalars(sa.select(OutboxMessage.subject).where(OutboxMessage.kind == "test_job"))
            )
            assert subjects == ["Test job ran for 2026-11-23", "Test job ran for 2026-11-24"]
            runs = db.session.scalars(sa.select(JobRun).where(JobRun.job == JOB).order_by(JobRun.as_of)).all()
            assert [(r.as_of, r.outcome, r.attempts, r.counts) for r in runs] == [
                (date(2026, 11, 23), JobOutcome.succeeded, 1, {"emails": 1}),
                (date(2026, 11, 24), JobOutcome.succeeded, 1, {"emails": 1}),
            ]
