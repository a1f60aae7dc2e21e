"""`flask --app safeguarding jobs list | jobs run [--as-of YYYY-MM-DD] [JOB...]` and
`flask --app safeguarding scheduler`."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from safeguarding.extensions import db
from safeguarding.formatting import date_time
from safeguarding.jobs.runner import Stopped
from safeguarding.models import JobOutcome, JobRun

jobs_group = AppGroup("jobs", help="Scheduled jobs: list them, or run them now (backfills, tests).")


def describe(run: JobRun) -> str:
    """One line for a run, as `jobs run` prints it."""
    head = f"{run.job} for {run.as_of.isoformat()}:"
    counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())) if run.counts else ""
    if run.outcome == JobOutcome.running:
        return f"{head} running in another process ({run.runner}) since {date_time(run.started_at)}"
    if not run.ran_here:
        return f"{head} already {run.outcome.value} at {date_time(run.finished_at)}; not run again"
    if run.outcome == JobOutcome.succeeded:
        return f"{head} succeeded" + (f" ({counts})" if counts else "")
    if run.outcome == JobOutcome.skipped:
        return f"{head} skipped: {run.error}"
    return f"{head} FAILED (attempt {run.attempts}): {run.error_summary}"


@jobs_group.command("list")
def list_jobs() -> None:
    """List the registered jobs and how each last ran."""
    from safeguarding.jobs import registered

    specs = registered()
    if not specs:
        click.echo("No jobs are registered.")
        return
    latest = sa.select(JobRun.job, sa.func.max(JobRun.as_of).label("as_of")).group_by(JobRun.job).subquery()
    last = {
        r.job: r
        for r in db.session.scalars(
            sa.select(JobRun).join(latest, sa.and_(JobRun.job == latest.c.job, JobRun.as_of == latest.c.as_of))
        )
    }
    for spec in specs:
        run = last.get(spec.name)
        status = f"last run for {run.as_of.isoformat()}: {run.outcome.value}" if run else "never run"
        click.echo(f"{spec.name}  {spec.description}  [{status}]")


@jobs_group.command("run")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date to run for, YYYY-MM-DD (default: today in England).",
)
@click.argument("names", nargs=-1)
def run_jobs(as_of, names: tuple[str, ...]) -> None:
    """Run the named jobs (default: every job) for a date, now. A run that already
    succeeded for that date is not repeated. Exits non-zero when a job fails."""
    from safeguarding.calendar import today
    from safeguarding.jobs import UnknownJob, run_due

    day = as_of.date() if as_of else today()
    try:
        with _stopped_by_signals():
            runs = run_due(day, names or None)
    except UnknownJob as exc:
        raise click.UsageError(str(exc)) from None
    except Stopped as exc:
        click.echo(
            f"Stopped by {exc.signal_name}: the job that was running is recorded as failed "
            "(stopped before it finished) and its work undone; run `jobs run` again to finish.",
            err=True,
        )
        raise click.exceptions.Exit(128 + signal.Signals[exc.signal_name].value) from None
    if not runs:
        click.echo("No jobs are registered: nothing to run.")
    for run in runs:
        click.echo(describe(run))
    if any(r.outcome == JobOutcome.failed and r.ran_here for r in runs):
        raise click.exceptions.Exit(1)


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM (systemd, a container stop, a deploy) and SIGINT (Ctrl-C) raise `Stopped`
    where the job is, so the runner records the run as failed and undoes its work."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are delivered to the main thread only
        return
    stopping = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        if stopping.is_set():
            return  # already stopping: let the run be recorded
        stopping.set()
        raise Stopped(signal.Signals(signum).name)

    previous: dict[int, Callable[..., Any] | int | None] = {
        sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def scheduler_command() -> None:
    """Run the scheduler: daily jobs at SCHEDULER_DAILY_AT, the outbox every minute.
    Run exactly one of these next to the web workers."""
    import logging

    from safeguarding.jobs.scheduler import run_forever

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("safeguarding").setLevel(logging.INFO)
    run_forever(current_app._get_current_object())


def register(app: Flask) -> None:
    app.cli.add_command(jobs_group)
    app.cli.command("scheduler")(scheduler_command)
