"""Forget old sign-in attempts. The throttle only looks back a window and a lockout
(minutes); the rows are kept 30 days so that the office can look into an attack, then
deleted, since they hold client addresses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from safeguarding.jobs import job
from safeguarding.services.sign_in import forget_old_attempts

KEEP_ATTEMPTS = timedelta(days=30)


@job("forget_sign_in_attempts", description="Delete sign-in attempts older than 30 days")
def forget_sign_in_attempts(as_of: date) -> dict[str, int]:
    before = datetime.combine(as_of, time.min, tzinfo=UTC) - KEEP_ATTEMPTS
    return {"deleted": forget_old_attempts(before)}
