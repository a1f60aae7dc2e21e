"""The learning library's daily job: schedule re-audits of recommendations whose actions
are complete, and remind the business office of those that have fallen due. The service
is idempotent (one re-audit per recommendation until it is recorded; one reminder each)."""

from __future__ import annotations

from datetime import date

from safeguarding.jobs import job
from safeguarding.services.learning import reaudits


@job("reaudits", description="Schedule re-audits of completed recommendations; remind the office when one is due")
def reaudit_job(as_of: date) -> dict[str, int]:
    return reaudits.schedule_reaudits(as_of)
