"""Attendance monitoring's daily job (services/attendance.py `scan`)."""

from __future__ import annotations

from datetime import date

from safeguarding.jobs import job
from safeguarding.services import attendance


@job(
    "attendance_scan",
    description="Attendance: find organisations not represented at held meetings; remind the "
    "member after 2 in a row; escalate (the Chair's letter is drafted) after 3 in a "
    "row or under 50% in 12 months; escalate unanswered or unimproved letters to the "
    "Board; resolve improved ones",
)
def attendance_scan(as_of: date) -> dict[str, int]:
    return attendance.scan(as_of).as_dict()
