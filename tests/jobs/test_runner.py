"""Running jobs: once per date, failures recorded and retried, the work and its record
committed together."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from safeguarding import jobs
from safeguarding.extensions import db
from safeguarding.models import AuditEntry, JobOutcome, JobRun, OutboxMessage
from safeguarding.models.base import utcnow
from safeguarding.notify import queue_email

DAY = date(2026, 11, 23)


def _email(as_of: date, kind: str = "test_job") -> None:
    queue_email(["office@demo.test"], f"Ran for {as_of.isoformat()}", "message", {"text": "ran"}, kind=kind)


def _emails(kind: str = "test_job") -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == kind))


def _runs(name: str) -> list[JobRun]:
    return list(db.session.scalars(sa.select(JobRun).where(JobRun.job == name).order_by(JobRun.as_of)))


def test_a_run_that_succeeded_is_not_repeated(define_job):
    calls: list[date] = []

    def once(as_of: date) -> dict[str, int]:
        calls.append(as_of)
        _email(as_of)
        return {"emails": 1}

    define_job("t_once", once)
    first = jobs.run_job("t_once", DAY)
    assert first.outcome == JobOutcome.succeeded and first.ran_here
    assert first.counts == {"emails": 1} and first.attempts == 1 and first.finished_at is not None

    again = jobs.run_job("t_once", DAY)
    assert again.outcome == JobOutcome.succeeded and not again.ran_here
    assert calls == [DAY] and _emails() == 1

    # Another date is another run.
    jobs.run_job("t_once", DAY + timedelta(days=1))
    assert calls == [DAY, DAY + timedelta(days=1)] and _emails() == 2
    assert [r.as_of for r in _runs("t_once")] == [DAY, DAY + timedelta(days=1)]


def test_a_failure_is_recorded_its_work_undone_and_a_later_runner_retries(define_job):
    attempts: list[int] = []

    def flaky(as_of: date) -> dict[str, int]:
        attempts.append(1)
        _email(as_of)  # undone when the job fails
        if len(attempts) == 1:
            raise ValueError("the partner list could not be read")
        return {"emails": 1}

    define_job("t_flaky", flaky)
    failed = jobs.run_job("t_flaky", DAY)
    assert failed.outcome == JobOutcome.failed and failed.ran_here
    assert "ValueError: the partner list could not be read" in failed.error
    assert "Traceback" in failed.error  # the whole story, for the jobs page
    assert failed.error_summary == "ValueError: the partner list could not be read"
    assert failed.finished_at is not None and failed.counts == {}
    assert _emails() == 0

    retried = jobs.run_job("t_flaky", DAY)
    assert retried.outcome == JobOutcome.succeeded and retried.attempts == 2
    assert retried.error is None and retried.counts == {"emails": 1}
    assert _emails() == 1 and len(_runs("t_flaky")) == 1

    assert jobs.run_job("t_flaky", DAY).ran_here is False
    assert len(attempts) == 2


def test_failed_runs_are_retried_a_few_times_and_others_left_alone(define_job):
    outcomes = iter([ValueError("database restarting"), None, ValueError("a bug")])
    calls: list[str] = []

    def passing_problem(as_of: date) -> dict:
        calls.append("passing")
        error = next(outcomes)
        if error:
            raise error
        return {}

    define_job("t_passing", passing_problem)
    define_job("t_fine", lambda as_of: calls.append("fine") or {})
    jobs.run_due(DAY)
    assert calls == ["fine", "passing"]  # same order: by name

    retried = jobs.retry_failed(DAY)
    assert [(r.job, r.outcome, r.attempts) for r in retried] == [("t_passing", JobOutcome.succeeded, 2)]
    assert jobs.retry_failed(DAY) == [] and calls == ["fine", "passing", "passing"]

    # A run that keeps failing is retried until it has had max_attempts.
    def always(as_of: date) -> dict:
        calls.append("always")
        raise ValueError("a bug")

    define_job("t_always", always)
    jobs.run_job("t_always", DAY)
    for _ in range(4):
        jobs.retry_failed(DAY, max_attempts=3)
    assert calls.count("always") == 3
    assert jobs.run_job("t_always", DAY).attempts == 4  # by hand it can always be run again


def test_a_job_that_returns_something_other_than_counts_fails(define_job):
    define_job("t_bad_counts", lambda as_of: {"emails": "two"})
    run = jobs.run_job("t_bad_counts", DAY)
    assert run.outcome == JobOutcome.failed and "TypeError" in run.error_summary


def test_a_job_with_nothing_to_do_is_skipped_and_not_repeated(define_job):
    calls = []

    def weekdays_only(as_of: date) -> dict[str, int]:
        calls.append(as_of)
        if as_of.weekday() >= 5:
            raise jobs.SkipRun("Not a working day")
        return {}

    define_job("t_weekdays", weekdays_only)
    saturday = date(2026, 11, 21)
    run = jobs.run_job("t_weekdays", saturday)
    assert run.outcome == JobOutcome.skipped and run.error == "Not a working day"
    assert jobs.run_job("t_weekdays", saturday).ran_here is False
    assert calls == [saturday]


def test_a_run_in_progress_elsewhere_is_left_alone_until_it_is_stale(define_job, app):
    calls = []
    define_job("t_busy", lambda as_of: calls.append(as_of) or {})
    db.session.add(
        JobRun(
            job="t_busy",
            as_of=DAY,
            outcome=JobOutcome.running,
            started_at=utcnow(),
            counts={},
            attempts=1,
            runner="other-host:1",
        )
    )
    db.session.flush()

    run = jobs.run_job("t_busy", DAY)
    assert run.outcome == JobOutcome.running and not run.ran_here and calls == []

    # Its runner died long ago: the run is taken over.
    stale = app.config.get("JOB_STALE_AFTER_MINUTES", 60) + 1
    db.session.execute(
        sa.update(JobRun).where(JobRun.job == "t_busy").values(started_at=utcnow() - timedelta(minutes=stale))
    )
    run = jobs.run_job("t_busy", DAY)
    assert run.outcome == JobOutcome.succeeded and run.ran_here and run.attempts == 2 and calls == [DAY]


def test_a_job_acts_as_the_system_in_the_audit_log(define_job):
    define_job("t_audited", lambda as_of: _email(as_of) or {"emails": 1})
    jobs.run_job("t_audited", DAY)
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "test_job"))
    assert message.queued_by == "system: t_audited"
    entry = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.entity_type == "outbox_messages", AuditEntry.entity_id == str(message.id)
        )
    )
    assert entry.actor_label == "system: t_audited" and entry.actor_id is None


def test_run_due_runs_every_job_in_order_and_one_failure_does_not_stop_the_rest(define_job):
    order: list[str] = []

    def failing(as_of: date) -> dict:
        order.append("failing")
        raise RuntimeError("broken")

    define_job("t_second", lambda as_of: order.append("second") or {}, order=20)
    define_job("t_first", failing, order=10)
    runs = [r for r in jobs.run_due(DAY) if r.job.startswith("t_")]
    assert [(r.job, r.outcome) for r in runs] == [("t_first", JobOutcome.failed), ("t_second", JobOutcome.succeeded)]
    assert order == ["failing", "second"]

    # Only the named jobs, each once however often it is named.
    again = jobs.run_due(DAY + timedelta(days=1), ["t_second", "t_second"])
    assert [r.job for r in again] == ["t_second"]


def test_an_unknown_job_is_refused_before_anything_runs(define_job):
    calls = []
    define_job("t_known", lambda as_of: calls.append(as_of) or {})
    with pytest.raises(jobs.UnknownJob, match="no job called 'nope'"):
        jobs.run_job("nope", DAY)
    with pytest.raises(jobs.UnknownJob) as info:
        jobs.run_due(DAY, ["t_known", "nope"])
    assert "t_known" in str(info.value)  # the message lists the jobs there are
    assert calls == [] and _runs("t_known") == []


def test_job_names_and_descriptions_are_checked(define_job):
    with pytest.raises(ValueError, match="lower_snake_case"):
        jobs.job("Attendance Scan", description="x")
    with pytest.raises(ValueError, match="describe"):
        jobs.job("t_undescribed", description=" ")

    def one(as_of):
        return {}

    def other(as_of):
        return {}

    define_job("t_taken", one)
    with pytest.raises(ValueError, match="two jobs are called 't_taken'"):
        jobs.job("t_taken", description="again")(other)


def test_feature_modules_in_the_package_are_imported_and_register_their_jobs(tmp_path, monkeypatch):
    """A feature adds safeguarding/jobs/<feature>.py and nothing else."""
    (tmp_path / "t_feature.py").write_text(
        "from safeguarding.jobs import job\n\n"
        "@job('t_from_a_feature_module', description='Registered by importing the module')\n"
        "def scan(as_of):\n    return {'found': 0}\n"
    )
    monkeypatch.setattr(jobs, "__path__", [*jobs.__path__, str(tmp_path)])
    monkeypatch.setattr(jobs.registry, "_loaded", False)
    try:
        names = [s.name for s in jobs.registered()]
        assert "t_from_a_feature_module" in names
        # The package's machinery modules are not mistaken for jobs.
        assert not {"cli", "routes", "runner", "scheduler"} & set(names)
    finally:
        jobs.unregister("t_from_a_feature_module")
        import sys

        sys.modules.pop("safeguarding.jobs.t_feature", None)


def _left_running(name: str, runner: str, *, minutes_ago: int = 0, attempts: int = 1, as_of: date = DAY) -> None:
    db.session.add(
        JobRun(
            job=name,
            as_of=as_of,
            outcome=JobOutcome.running,
            started_at=utcnow() - timedelta(minutes=minutes_ago),
            counts={},
            attempts=attempts,
            runner=runner,
        )
    )
    db.session.flush()


def _reaped() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_hourly_retry_takes_over_a_run_left_running_once_it_is_stale(define_job, app):
    calls = []
    define_job("t_stale", lambda as_of: calls.append(as_of) or {})
    _left_running("t_stale", "another-host:4242", minutes_ago=5)
    assert jobs.retry_failed(DAY) == [] and calls == []  # in progress elsewhere, perhaps

    stale = app.config["JOB_STALE_AFTER_MINUTES"] + 1
    db.session.execute(
        sa.update(JobRun).where(JobRun.job == "t_stale").values(started_at=utcnow() - timedelta(minutes=stale))
    )
    [run] = jobs.retry_failed(DAY)
    assert (run.job, run.outcome, run.attempts) == ("t_stale", JobOutcome.succeeded, 2) and calls == [DAY]


def test_a_run_left_by_a_dead_process_of_this_host_is_taken_over_at_once(define_job):
    calls = []
    define_job("t_dead", lambda as_of: calls.append(as_of) or {})
    define_job("t_alive", lambda as_of: calls.append("alive") or {})
    host = socket.gethostname()
    _left_running("t_dead", f"{host}:{_reaped()}")
    _left_running("t_alive", f"{host}:{os.getppid()}")  # a live process of this host: left alone
    [run] = jobs.retry_failed(DAY)
    assert (run.job, run.outcome, run.attempts, run.ran_here) == ("t_dead", JobOutcome.succeeded, 2, True)
    assert calls == [DAY]


def test_at_start_up_runs_of_this_host_s_dead_processes_are_taken_over_whatever_their_date(define_job):
    calls = []
    define_job("t_crashed", lambda as_of: calls.append(as_of) or {})
    define_job("t_crash_loop", lambda as_of: calls.append("loop") or {})
    define_job("t_elsewhere", lambda as_of: calls.append("elsewhere") or {})
    host = socket.gethostname()
    # A scheduler in a container is often pid 1 every time: a run under this very pid was
    # left by a previous process (nothing runs in this one yet at start-up).
    _left_running("t_crashed", f"{host}:{os.getpid()}", as_of=DAY - timedelta(days=2))
    _left_running("t_crash_loop", f"{host}:{_reaped()}", attempts=3)  # killed its process 3 times
    _left_running("t_elsewhere", "another-host:1")
    assert jobs.retry_failed(DAY - timedelta(days=2)) == []  # hourly: this pid is alive (it is us)

    [run] = jobs.take_over_dead_runs()
    assert (run.job, run.as_of, run.outcome, run.attempts) == ("t_crashed", DAY - timedelta(days=2), "succeeded", 2)
    assert calls == [DAY - timedelta(days=2)]
    outcomes = dict(db.session.execute(sa.select(JobRun.job, JobRun.outcome).where(JobRun.job.like("t_%"))).all())
    assert outcomes["t_crash_loop"] == outcomes["t_elsewhere"] == JobOutcome.running


def test_a_stopped_job_is_recorded_failed_and_its_work_undone(define_job):
    def stopped(as_of: date) -> dict:
        _email(as_of)
        raise jobs.Stopped("SIGTERM")

    define_job("t_stopped", stopped)
    with pytest.raises(jobs.Stopped):
        jobs.run_job("t_stopped", DAY)
    [run] = _runs("t_stopped")
    assert run.outcome == JobOutcome.failed and run.error == "Stopped before it finished (SIGTERM)"
    assert _emails() == 0
