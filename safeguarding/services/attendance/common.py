"""Attendance monitoring: the constants every part of the service shares, and `months_before`."""

from __future__ import annotations

from datetime import date

from safeguarding.models import AttendanceStatus, Role

# Escalations and their letters: the office and the chair see them all (viewers never:
# domain.md, "Who uses it").
SEE_ALL = (Role.business_office, Role.independent_chair)
# The attendance report is public record (the annual report publishes it): viewers read
# every organisation's row, as the office and the chair do.
REPORT_ALL = (*SEE_ALL, Role.viewer)
EDITORS = (Role.business_office,)
SUBJECT_TYPE = "escalation"

CONSTITUTION = (
    "The partnership's constitution says: “Attendance at meetings is recorded and reported at "
    "Partnership meetings. In the event of one member's persistent non-attendance, the Chair will "
    "write to Chief Executive of the organisation to address the concern and reach a resolution.”"
)

# The best status an organisation had at a meeting (it may hold more than one seat).
_RANK = {
    AttendanceStatus.absent: 1,
    AttendanceStatus.apologies: 2,
    AttendanceStatus.deputy_present: 3,
    AttendanceStatus.present: 4,
}
CELL_LABELS = {4: "Present", 3: "Deputy", 2: "Apologies", 1: "Absent"}


def months_before(d: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has no such day)."""
    total = d.year * 12 + d.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
