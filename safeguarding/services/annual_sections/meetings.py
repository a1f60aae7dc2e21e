"""The annual report's built-in sections: Board and sub-group meetings, and the meetings and
attendance figures other sections reuse."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title
from safeguarding.extensions import db
from safeguarding.models import Area, Arm, Attendance, Group, Meeting, MeetingState, Membership, Organisation
from safeguarding.models.meetings import REPRESENTED, AttendanceStatus
from safeguarding.services.annual_sections.common import _pct, _plural, _scope
from safeguarding.services.annual_sections.registry import ChartData, Figure, SectionData, Table, section


def _held_meetings(year: int, arm: str | None, area: str | None):
    start, end = financial_year_bounds(year)
    stmt = (
        sa.select(Meeting.id, Meeting.state, Group.name, Group.id.label("group_id"))
        .join(Group, Group.id == Meeting.group_id)
        .where(
            Meeting.meeting_date.between(start, end),
            Meeting.state.in_((MeetingState.closed, MeetingState.inquorate, MeetingState.cancelled)),
        )
    )
    if arm:
        stmt = stmt.where(Group.arm == Arm(arm))
    if area:
        stmt = stmt.where(Group.area == Area(area))
    return list(db.session.execute(stmt.order_by(Group.name)))


def attendance_by_organisation(meeting_ids: list[int]) -> dict[int, tuple[int, int]]:
    """organisation id → (meetings represented, seats expected) over the given meetings."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(
        sa.select(Membership.organisation_id, Attendance.status)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(Attendance.meeting_id.in_(meeting_ids), Membership.organisation_id.is_not(None))
    )
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, status in rows:
        out[org_id][1] += 1
        if AttendanceStatus(status) in REPRESENTED:
            out[org_id][0] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _org_names() -> dict[int, str]:
    return {k: v for k, v in db.session.execute(sa.select(Organisation.id, Organisation.name))}


@section("meetings", 30, "Board and sub-group meetings")
def meetings_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    rows = _held_meetings(year, arm, area)
    held = [r for r in rows if r.state != MeetingState.cancelled]
    quorate = sum(1 for r in held if r.state == MeetingState.closed)
    cancelled = len(rows) - len(held)
    by_group: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        g = by_group[r.name]
        if r.state == MeetingState.cancelled:
            g[2] += 1
        else:
            g[0] += 1
            g[1] += r.state == MeetingState.closed
    attendance = attendance_by_organisation([r.id for r in held])
    names = _org_names()
    att_rows = sorted(((names.get(o, "?"), a, e, _pct(a, e)) for o, (a, e) in attendance.items()), key=lambda x: x[0])
    figures = [
        Figure("held", "Meetings held", len(held)),
        Figure("quorate", "Quorate meetings", quorate),
        Figure("inquorate", "Inquorate meetings", len(held) - quorate),
        Figure("cancelled", "Meetings cancelled", cancelled),
        Figure(
            "attendance_rate",
            "Attendance (seats represented)",
            _pct(sum(a for _, a, _, _ in att_rows), sum(e for _, _, e, _ in att_rows)),
            "percent",
        ),
    ]
    tables = [
        Table(
            "Meetings by group",
            ["Group", "Held", "Quorate", "Cancelled"],
            [[g, *v] for g, v in sorted(by_group.items())],
            ["text", "number", "number", "number"],
        ),
        Table(
            "Attendance by partner organisation",
            ["Organisation", "Seats represented", "Seats expected", "Attendance"],
            [list(r) for r in att_rows],
            ["text", "number", "number", "percent"],
        ),
    ]
    short = {k: v for k, v in db.session.execute(sa.select(Organisation.name, Organisation.short_name))}
    charts = (
        [
            ChartData(
                "Attendance by partner organisation (per cent of seats represented)",
                [short.get(r[0]) or r[0] for r in att_rows],
                [("Attendance", [r[3] or 0 for r in att_rows])],
                "percent",
            )
        ]
        if att_rows
        else []
    )
    summary = (
        f"{_plural(len(held), 'meeting')} of the Board and its groups took place{_scope(arm, area)} in "
        f"{financial_year_title(year)}, {quorate} of them quorate"
        + (f"; {cancelled} {'was' if cancelled == 1 else 'were'} cancelled" if cancelled else "")
        + "."
    )
    if att_rows:
        summary += f" Partners were represented at {figures[4].value}% of the seats they held."
    return SectionData(figures, tables, charts, summary)
