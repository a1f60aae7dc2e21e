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

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

JobFunction = Callable[[date], "dict[str, int] | None"]

# Modules of this package that are machinery, not jobs.
_MACHINERY = {"cli", "routes", "runner", "scheduler"}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class UnknownJob(LookupError):
    """No job is registered under this name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        listing = ", ".join(known) if known else "none are registered"
        super().__init__(f"There is no job called {name!r} (jobs: {listing})")


class SkipRun(Exception):  # noqa: N818 - read as a verb at the raise site: raise SkipRun(...)
    """Raised by a job that has nothing to do on this date; the reason is recorded."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    description: str
    fn: JobFunction
    # Jobs run in this order (then by name): a job that queues email before one that reports it.
    order: int = 100


_registry: dict[str, JobSpec] = {}
_loaded = False


def job(name: str, *, description: str, order: int = 100) -> Callable[[JobFunction], JobFunction]:
    """Register `fn(as_of: date) -> dict[str, int]` as the daily job `name`."""
    if not _NAME.match(name):
        raise ValueError(f"job names are lower_snake_case, at most 60 characters: {name!r}")
    if not description.strip():
        raise ValueError("describe what the job does")

    def decorator(fn: JobFunction) -> JobFunction:
        existing = _registry.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"two jobs are called {name!r}: {existing.fn.__module__} and {fn.__module__}")
        _registry[name] = JobSpec(name, description.strip(), fn, order)
        return fn

    return decorator


def unregister(name: str) -> None:
    """Remove a job (tests that define their own jobs clean up with this)."""
    _registry.pop(name, None)


def load_jobs() -> None:
    """Import every feature module of this package: each registers its jobs."""
    global _loaded
    if _loaded:
        return
    for info in pkgutil.iter_modules(__path__):
        if info.name not in _MACHINERY and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True


def registered() -> list[JobSpec]:
    """Every registered job, in the order `run_due` runs them."""
    load_jobs()
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))


def get(name: str) -> JobSpec:
    load_jobs()
    try:
        return _registry[name]
    except KeyError:
        raise UnknownJob(name, [s.name for s in registered()]) from None


from safeguarding.jobs.runner import retry_failed, run_due, run_job  # noqa: E402  (needs the registry above)

__all__ = [
    "JobSpec",
    "SkipRun",
    "UnknownJob",
    "get",
    "job",
    "load_jobs",
    "registered",
    "retry_failed",
    "run_due",
    "run_job",
    "unregister",
]
