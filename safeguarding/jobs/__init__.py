"""Scheduled jobs: thin, idempotent, and each taking the date it runs for (`as_of`).

A feature adds a daily job by writing `safeguarding/jobs/<feature>.py`:

    from safeguarding.jobs import job

    @job("attendance_scan", description="Find non-attendance; queue reminders and escalations")
    def attendance_scan(as_of: date) -> dict[str, int]:
        ...                       # call the feature's services; flush, never commit
        return {"reminders": 2, "escalations": 1}

Every module of this package is imported when the registry is first used, so no shared
file changes. `run_job(name, as_of)` runs one job, `run_due(as_of)` runs them all; both
record a `JobRun` per (job, as_of) and never repeat a run that succeeded, however many
schedulers or `flask jobs run` processes are started (see runner.py). A job raises
`SkipRun("reason")` when there is nothing to do on that date (a weekend, say): the run is
recorded as skipped and, like a success, not repeated.

Exactly one scheduler process runs these (`flask --app safeguarding scheduler`, see
scheduler.py); web workers never start one.
"""

from __future__ import annotations

from safeguarding.jobs.registry import JobSpec, SkipRun, UnknownJob, get, job, load_jobs, registered, unregister
from safeguarding.jobs.runner import Stopped, retry_failed, run_due, run_job, take_over_dead_runs

__all__ = [
    "JobSpec",
    "SkipRun",
    "Stopped",
    "UnknownJob",
    "get",
    "job",
    "load_jobs",
    "registered",
    "retry_failed",
    "run_due",
    "run_job",
    "take_over_dead_runs",
    "unregister",
]
