"""Case reviews' daily jobs: deadline warnings and breaches, and chasing overdue
information requests. The services do the work and are idempotent on their own."""

from __future__ import annotations

from datetime import date

from safeguarding.calendar import working_days
from safeguarding.jobs import SkipRun, job
from safeguarding.services import reviews


@job("review_deadlines", description="Warn the office and the chair before case review deadlines; record breaches")
def review_deadlines(as_of: date) -> dict[str, int]:
    return reviews.check_deadlines(as_of)


@job("review_request_chasing", description="Chase overdue information requests for case reviews")
def review_request_chasing(as_of: date) -> dict[str, int]:
    if not working_days().is_working_day(as_of):
        raise SkipRun("Not a working day: agencies are chased on working days")
    return reviews.chase_information_requests(as_of)
