"""Jobs defined by the tests themselves (the registry holds no daily jobs of its own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from safeguarding import jobs


@pytest.fixture
def define_job() -> Iterator[Callable[..., Callable]]:
    """`define_job("name", fn)` registers fn as a daily job for this test only."""
    names: list[str] = []

    def define(
        name: str, fn: Callable[[date], dict | None], *, order: int = 100, description: str = "A job defined by a test"
    ) -> Callable:
        jobs.job(name, description=description, order=order)(fn)
        names.append(name)
        return fn

    yield define
    for name in names:
        jobs.unregister(name)
