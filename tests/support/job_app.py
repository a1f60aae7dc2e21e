"""The app child processes load in the jobs tests (`flask --app tests.support.job_app`):
the real app, plus a test job whose effect is not idempotent by itself — it queues an
email with no dedupe key and sleeps, so two runners overlapping would queue two. Only
the runner's claim stops that."""

from __future__ import annotations

import os
import time
from datetime import date

from safeguarding import create_app as _create_app
from safeguarding.jobs import job
from safeguarding.notify import queue_email

JOB = "test_queue_one_email"


def _wait() -> None:
    """Until the file TEST_JOB_GATE exists (the test opens the gate), or TEST_JOB_SECONDS.
    With TEST_JOB_STARTED, the job first writes that file (with its pid): the test then
    knows the job is under way, inside its transaction."""
    started = os.environ.get("TEST_JOB_STARTED")
    if started:
        with open(started, "a") as marker:
            marker.write(f"{os.getpid()}\n")
    gate = os.environ.get("TEST_JOB_GATE")
    if not gate:
        time.sleep(float(os.environ.get("TEST_JOB_SECONDS", "0.5")))
        return
    deadline = time.monotonic() + 30
    while not os.path.exists(gate):
        if time.monotonic() > deadline:
            raise TimeoutError("the test never opened the gate")
        time.sleep(0.05)


@job(JOB, description="Test: queue one email (no dedupe key), slowly")
def queue_one_email(as_of: date) -> dict[str, int]:
    _wait()
    queue_email(
        ["office@demo.test"],
        f"Test job ran for {as_of.isoformat()}",
        "message",
        {"text": f"The test job ran for {as_of.isoformat()}."},
        kind="test_job",
    )
    return {"emails": 1}


def create_app():
    return _create_app()
