"""Attendance monitoring: the attendance report (each organisation's attendance at a group's
held meetings) and the escalations per organisation for annual reports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Attendance, Group, Meeting, Membership, Organisation, Role
from safeguarding.services.attendance.common import _RANK, CELL_LABELS, months_before
from safeguarding.services.attendance.policy import get_group
from safeguarding.services.attendance.queries import sees_whole_report
from safeguarding.services.errors import ValidationFailed


@dataclass
class OrgRow:
    organisation: Organisation
    cells: dict[int, str]  # meeting id → "Present" / "Deputy" / "Apologies" / "Absent"
    held: int = 0
    represented: int = 0

    @property
    def percent(self) -> int | None:
        return self.represented * 100 // self.held if self.held else None


@dataclass
class AttendanceReport:
    group: Group
    start: date
    end: date
    meetings: list[tuple[int, date]]
    rows: list[OrgRow]


def report_period(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or today()
    return (start or months_before(end, 12) + timedelta(days=1)), end


def attendance_report(user: Any, group_id: int, start: date | None = None, end: date | None = None) -> AttendanceReport:
    """Each organisation's attendance at the group's held meetings from `start` to `end`
    (default: the last 12 months). A partner member sees only their own organisation.
    Two queries whatever the size."""
    if sees_whole_report(user):
        only = None
    elif user.has_role(Role.partner_member) and user.organisation_id:
        only = user.organisation_id
    else:
        only = -1
    return group_report(group_id, start, end, only_organisation=only)


def group_report(
    group_id: int, start: date | None = None, end: date | None = None, *, only_organisation: int | None = None
) -> AttendanceReport:
    """The report for every organisation (or `only_organisation`: one; -1: none): the
    Board's paper in the agenda pack uses it whole. Two queries whatever the size."""
    group = get_group(group_id)
    start, end = report_period(start, end)
    if start > end:
        raise ValidationFailed(errors={"from": "The start date must be on or before the end date"})
    rank = sa.func.max(sa.case(*[(Attendance.status == s.value, r) for s, r in _RANK.items()], else_=0))
    stmt = (
        sa.select(Meeting.id, Meeting.meeting_date, Membership.organisation_id, rank)
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(
            Meeting.group_id == group_id,
            Meeting.is_held,
            Meeting.meeting_date >= start,
            Meeting.meeting_date <= end,
            Membership.organisation_id.is_not(None),
        )
        .group_by(Meeting.id, Meeting.meeting_date, Membership.organisation_id)
        .order_by(Meeting.meeting_date, Meeting.id)
    )
    if only_organisation == -1:
        stmt = stmt.where(sa.false())
    elif only_organisation is not None:
        stmt = stmt.where(Membership.organisation_id == only_organisation)
    meetings: dict[int, date] = {}
    by_org: dict[int, dict[int, int]] = {}
    for mid, on, org_id, r in db.session.execute(stmt):
        meetings[mid] = on
        by_org.setdefault(org_id, {})[mid] = r
    orgs = (
        {o.id: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(by_org)))}
        if by_org
        else {}
    )
    rows = []
    for org_id, cells in by_org.items():
        row = OrgRow(orgs[org_id], {mid: CELL_LABELS.get(r, "Absent") for mid, r in cells.items()})
        row.held = len(cells)
        row.represented = sum(1 for r in cells.values() if r >= 3)
        rows.append(row)
    rows.sort(key=lambda r: r.organisation.name)
    return AttendanceReport(group, start, end, list(meetings.items()), rows)


def report_csv(report: AttendanceReport) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "Organisation",
            *[d.isoformat() for _, d in report.meetings],
            "Meetings held",
            "Represented",
            "Percentage represented",
        ]
    )
    for row in report.rows:
        w.writerow(
            [
                row.organisation.name,
                *[row.cells.get(mid, "Not a member") for mid, _ in report.meetings],
                row.held,
                row.represented,
                "" if row.percent is None else row.percent,
            ]
        )
    return out.getvalue()
