"""Running a job for a date at most once, however many runners try.

1. **Claim** (its own short transaction): insert the `job_runs` row for (job, as_of) as
   `running`. The unique constraint lets exactly one runner succeed — on SQLite and on
   PostgreSQL, across processes. A runner that finds the row takes it over only by a
   compare-and-set update that matches a `failed` run (retry) or a `running` run older
   than `JOB_STALE_AFTER_MINUTES` (its runner died); each takeover adds one to
   `attempts`, which is the claim's fencing token.
2. **Run** (one transaction): the first statement re-checks the claim (and, on SQLite,
   takes the write lock up front, so a second runner there waits for the job to finish
   and then finds it done; on PostgreSQL it locks the row, so a takeover waits); the job
   runs inside `audit.acting_as("system: <job>")`; its result is written to the row in
   the same transaction and committed with the job's work, so a job's effects and
   "succeeded" are committed together or not at all.
3. **On failure**: roll the job's work back, then record `failed` with the traceback in
   a new transaction. A later runner for the same date retries it: `flask jobs run
   --as-of DATE`, or the scheduler's catch-up when it restarts that day.
4. **Stopped** (SIGTERM, SIGINT: a deploy, a container stop, Ctrl-C; `Stopped` or
   `KeyboardInterrupt` raised where the job is): the same, recorded as `failed`
   ("Stopped before it finished"), and the interruption goes on up so the process exits.
5. **Killed** (SIGKILL, out of memory, the machine lost): the database undoes the job's
   work, and the run stays `running`. The scheduler's hourly retry takes it over once it
   is older than `JOB_STALE_AFTER_MINUTES`, or at once when its runner (`host:pid`) was a
   process of the scheduler's own host that is gone (`take_over_dead_runs`, also at the
   scheduler's start-up).

Callers run this outside a request: it commits.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from safeguarding.extensions import db
from safeguarding.jobs.registry import SkipRun, get, registered
from safeguarding.models.base import utcnow
from safeguarding.models.jobs import JobOutcome, JobRun
from safeguarding.services import audit

log = logging.getLogger("safeguarding.jobs")

_runs = JobRun.__table__


STOPPED = "Stopped before it finished"


class _LostClaim(Exception):
    """Another runner took this run over (ours was presumed dead)."""


class Stopped(BaseException):  # noqa: N818 - read as what happened: raise Stopped("SIGTERM")
    """The process was told to stop (SIGTERM, SIGINT) while it ran jobs. A BaseException,
    like KeyboardInterrupt, so that a job's own `except Exception` cannot swallow it."""

    def __init__(self, signal_name: str) -> None:
        self.signal_name = signal_name
        super().__init__(signal_name)


def _runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _stopped_error(exc: BaseException) -> str:
    if isinstance(exc, Stopped):
        return f"{STOPPED} ({exc.signal_name})"
    if isinstance(exc, KeyboardInterrupt):
        return f"{STOPPED} (SIGINT)"
    return f"{STOPPED} ({type(exc).__name__})"


def run_job(name: str, as_of: date, *, take_over: str | None = None) -> JobRun:
    """Run job `name` for `as_of` unless that run already succeeded, was skipped or is
    running elsewhere; return the run as recorded (its outcome says which). `take_over`
    names a runner known to be dead: a `running` run of that runner is taken over at once
    (not only once it is stale)."""
    spec = get(name)
    claim = _claim(name, as_of, take_over)
    if claim is None:
        run = _load(name, as_of)
        run.ran_here = False
        log.info("job %s for %s not run: %s elsewhere", name, as_of, run.outcome.value)
        return run
    run_id, attempt = claim
    log.info("job %s for %s: attempt %d", name, as_of, attempt)
    ran_here = True
    try:
        with audit.acting_as(f"system: {name}"):
            _hold(run_id, attempt)
            counts = _counts(name, spec.fn(as_of))
            db.session.flush()
            _finish(run_id, attempt, JobOutcome.succeeded, counts=counts)
        db.session.commit()
    except _LostClaim:
        db.session.rollback()
        ran_here = False
        log.warning("job %s for %s: another runner took the run over; this attempt's work is undone", name, as_of)
    except Exception as exc:
        db.session.rollback()
        if isinstance(exc, SkipRun):
            _finish_alone(run_id, attempt, JobOutcome.skipped, error=str(exc) or "Nothing to do on this date")
            log.info("job %s for %s skipped: %s", name, as_of, exc)
        else:
            log.exception("job %s for %s failed", name, as_of)
            _finish_alone(run_id, attempt, JobOutcome.failed, error=traceback.format_exc())
    except BaseException as exc:
        # Stopped (SIGTERM, Ctrl-C): undo, say so, and let the interruption through.
        db.session.rollback()
        log.warning("job %s for %s: %s", name, as_of, _stopped_error(exc))
        _finish_alone(run_id, attempt, JobOutcome.failed, error=_stopped_error(exc))
        raise
    run = _load(name, as_of)
    run.ran_here = ran_here
    return run


def run_due(as_of: date, names: Iterable[str] | None = None) -> list[JobRun]:
    """Run every registered job (or those named) for `as_of`, in order. An unknown name
    raises `UnknownJob` before anything runs; one job failing does not stop the others."""
    if names:
        specs = []
        for name in dict.fromkeys(names):
            specs.append(get(name))
    else:
        specs = registered()
    return [run_job(spec.name, as_of) for spec in specs]


def retry_failed(as_of: date, max_attempts: int = 3) -> list[JobRun]:
    """Retry the runs for `as_of` that failed — or were left `running` by a runner that
    died: stale (older than `JOB_STALE_AFTER_MINUTES`), or a process of this host that is
    gone — while they have had fewer than `max_attempts` attempts (the scheduler does this
    every hour for today, so a passing problem or a crash fixes itself the same day)."""
    stale_before = utcnow() - _stale_after()
    rows = db.session.execute(
        sa.select(JobRun.job, JobRun.outcome, JobRun.started_at, JobRun.runner).where(
            JobRun.as_of == as_of,
            JobRun.outcome.in_([JobOutcome.failed, JobOutcome.running]),
            JobRun.attempts < max_attempts,
        )
    ).all()
    db.session.commit()  # end the read before the runs write
    due: dict[str, str | None] = {}
    for row in rows:
        if row.outcome == JobOutcome.failed or row.started_at < stale_before:
            due[row.job] = None
        elif row.runner and process_gone(row.runner):
            due[row.job] = row.runner
    return [run_job(spec.name, as_of, take_over=due[spec.name]) for spec in registered() if spec.name in due]


def take_over_dead_runs(max_attempts: int = 3) -> list[JobRun]:
    """At a scheduler's start-up: run again every run (of any date) left `running` by a
    process of this host that is gone — a scheduler or `jobs run` killed (SIGKILL, out of
    memory) — including one that had this process's pid (a container's scheduler is
    often pid 1 every time), while it has had fewer than `max_attempts` attempts (so a
    job that kills its process each time does not loop for ever)."""
    rows = db.session.execute(
        sa.select(JobRun.job, JobRun.as_of, JobRun.runner)
        .where(
            JobRun.outcome == JobOutcome.running,
            JobRun.attempts < max_attempts,
            JobRun.runner.like(f"{socket.gethostname()}:%"),
        )
        .order_by(JobRun.as_of, JobRun.id)
    ).all()
    db.session.commit()
    known = {spec.name for spec in registered()}
    return [
        run_job(row.job, row.as_of, take_over=row.runner)
        for row in rows
        if row.job in known and process_gone(row.runner, this_process_is_gone=True)
    ]


def process_gone(runner: str, *, this_process_is_gone: bool = False) -> bool:
    """Whether `runner` ("host:pid") was a process of this host that no longer runs. A
    runner of another host is never known to be gone (it becomes stale instead)."""
    host, _, pid_text = runner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return this_process_is_gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    try:  # a zombie (killed, not yet reaped by its parent) is gone too
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _stale_after() -> timedelta:
    return timedelta(minutes=current_app.config.get("JOB_STALE_AFTER_MINUTES", 60))


# --- the steps -----------------------------------------------------------------------------


def _claim(name: str, as_of: date, take_over: str | None = None) -> tuple[int, int] | None:
    """(run id, attempt) if this runner now holds the run, else None."""
    now = utcnow()
    runner = _runner_id()
    # Insert only when there is no row yet: on PostgreSQL an insert that meets the key of
    # a row another transaction is updating (a job in progress) waits for it to finish,
    # while the update below simply passes over a row that does not match.
    exists = db.session.execute(sa.select(_runs.c.id).where(_runs.c.job == name, _runs.c.as_of == as_of)).first()
    # End that read before writing: on SQLite a transaction that read, then waited for
    # another writer, may not write at all ("database is locked").
    db.session.commit()
    if exists is None:
        try:
            with db.session.begin_nested():
                run_id = db.session.execute(
                    sa.insert(_runs)
                    .values(
                        job=name,
                        as_of=as_of,
                        outcome=JobOutcome.running,
                        started_at=now,
                        counts={},
                        attempts=1,
                        runner=runner,
                    )
                    .returning(_runs.c.id)
                ).scalar_one()
        except IntegrityError:
            pass  # another runner inserted it first
        else:
            db.session.commit()
            return run_id, 1

    stale_before = now - _stale_after()
    takeable = [
        _runs.c.outcome == JobOutcome.failed,
        sa.and_(_runs.c.outcome == JobOutcome.running, _runs.c.started_at < stale_before),
    ]
    if take_over:
        takeable.append(sa.and_(_runs.c.outcome == JobOutcome.running, _runs.c.runner == take_over))
    row = db.session.execute(
        sa.update(_runs)
        .where(
            _runs.c.job == name,
            _runs.c.as_of == as_of,
            sa.or_(*takeable),
        )
        .values(
            outcome=JobOutcome.running,
            started_at=now,
            finished_at=None,
            error=None,
            counts={},
            attempts=_runs.c.attempts + 1,
            runner=runner,
        )
        .returning(_runs.c.id, _runs.c.attempts)
    ).first()
    db.session.commit()
    return (row.id, row.attempts) if row else None


def _mine(run_id: int, attempt: int) -> Any:
    return sa.and_(_runs.c.id == run_id, _runs.c.attempts == attempt, _runs.c.outcome == JobOutcome.running)


def _hold(run_id: int, attempt: int) -> None:
    """The first statement of the job's transaction: confirm we still hold the claim.
    Being a write, it takes SQLite's write lock before the job reads anything (so the job
    never meets a "database is locked" when it first writes), and on PostgreSQL it locks
    the row until we commit."""
    result = db.session.execute(sa.update(_runs).where(_mine(run_id, attempt)).values(runner=_runner_id()))
    if result.rowcount != 1:
        raise _LostClaim()


def _finish(
    run_id: int, attempt: int, outcome: JobOutcome, *, counts: Mapping[str, int] | None = None, error: str | None = None
) -> None:
    result = db.session.execute(
        sa.update(_runs)
        .where(_mine(run_id, attempt))
        .values(outcome=outcome, finished_at=utcnow(), counts=dict(counts or {}), error=error)
    )
    if result.rowcount != 1:
        raise _LostClaim()


def _finish_alone(run_id: int, attempt: int, outcome: JobOutcome, *, error: str) -> None:
    """Record an outcome in its own transaction (after the job's work was rolled back)."""
    try:
        _finish(run_id, attempt, outcome, error=error[-20000:])
        db.session.commit()
    except _LostClaim:
        db.session.rollback()


def _counts(name: str, result: Any) -> dict[str, int]:
    if result is None:
        return {}
    if not isinstance(result, Mapping) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in result.items()
    ):
        raise TypeError(f"job {name} must return a dict of counts like {{'reminders': 2}}, not {result!r}")
    return dict(result)


def _load(name: str, as_of: date) -> JobRun:
    return db.session.scalars(
        sa.select(JobRun).where(JobRun.job == name, JobRun.as_of == as_of).execution_options(populate_existing=True)
    ).one()
