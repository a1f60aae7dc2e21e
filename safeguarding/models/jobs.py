"""Runs of the scheduled jobs: one row per job and `as_of` date.

The unique constraint on (job, as_of) is what stops a second scheduler (or a second
`jobs run`) doing a day's work twice: a runner claims the day by inserting the row or, for
a failed run, by a compare-and-set update (see safeguarding/jobs/runner.py).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from safeguarding.models.base import Base, str_enum, utcnow


class JobOutcome(StrEnum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    skipped = "skipped"  # the job decided there was nothing to do on that date

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def final(self) -> bool:
        """A run with this outcome is never repeated for the same date."""
        return self in (JobOutcome.succeeded, JobOutcome.skipped)


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (
        sa.UniqueConstraint("job", "as_of"),
        sa.Index("ix_job_runs_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(sa.String(60))
    as_of: Mapped[date]
    outcome: Mapped[JobOutcome] = mapped_column(str_enum(JobOutcome, name="job_outcome"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # What the job did, e.g. {"reminders": 2, "escalations": 1}.
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The exception and traceback of a failed attempt; the reason a run was skipped.
    error: Mapped[str | None] = mapped_column(sa.Text)
    # 1 for the first attempt; each retry of a failed run adds one. Also the fencing
    # token: only the runner holding the current attempt may record the result.
    attempts: Mapped[int] = mapped_column(default=1)
    # host:pid of the process that made the latest attempt.
    runner: Mapped[str | None] = mapped_column(sa.String(120))

    # Not stored: set by run_job on what it returns — True when this call made the attempt,
    # False when it found the run already done (or running elsewhere).
    ran_here = False

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def error_summary(self) -> str:
        """The last line of the traceback ("ValueError: …"): what a person reads first."""
        lines = [line for line in (self.error or "").strip().splitlines() if line.strip()]
        return lines[-1].strip() if lines else ""

    def __repr__(self) -> str:
        return f"<JobRun {self.job} {self.as_of} {self.outcome}>"


class Heartbeat(Base):
    """When each part of the background machinery last ran, one row each: `scheduler`
    (every minute while the scheduler process lives), `daily_jobs` (each daily run),
    `outbox` (each delivery round). /readyz and the office's home page read them.
    Written with plain UPDATEs (see jobs/health.py): not audited, not versioned."""

    __tablename__ = "heartbeats"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    beat_at: Mapped[datetime]
    # host:pid of the process that beat last.
    runner: Mapped[str | None] = mapped_column(sa.String(120))
