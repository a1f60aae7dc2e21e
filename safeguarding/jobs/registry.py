"""The registry of daily jobs (see the package's docstring): `@job` registers one,
`registered()` and `get()` find them, importing every feature module of the package first."""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

JobFunction = Callable[[date], "dict[str, int] | None"]

# Modules of this package that are machinery, not jobs.
_MACHINERY = {"cli", "health", "registry", "routes", "runner", "scheduler"}
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
    package = sys.modules["safeguarding.jobs"]  # loaded before this module
    for info in pkgutil.iter_modules(package.__path__):
        if info.name not in _MACHINERY and not info.name.startswith("_"):
            importlib.import_module(f"safeguarding.jobs.{info.name}")
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
