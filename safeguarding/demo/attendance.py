"""Attendance monitoring in the demo, found by the scan itself: Public Health missed the
Board's April, June and August 2025 meetings — the Chair wrote, the Director replied, and
Public Health was represented at the next two meetings, so the escalation is resolved;
Healthwatch missed June, August and October 2026 (and the extraordinary meeting in
November) — a reminder went after two, and the Chair's letter is drafted, waiting for her
approval."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.extensions import db
from safeguarding.models import Attendance, AttendanceStatus, Escalation, Meeting
from safeguarding.services import attendance as svc
from safeguarding.workflows.attendance import escalation_lifecycle


def _board_meeting(ctx: DemoContext, year: int, month: int) -> Meeting:
    """The Board's meeting of the story's `month` (wherever the load day moved it)."""
    return ctx.extra["board_by_month"][f"{year}-{month:02}"]


def _not_represented(ctx: DemoContext, meeting: Meeting, person: str, note: str) -> None:
    """The register of a held meeting as it was: the member sent apologies and no deputy."""
    seat = ctx.memberships[f"board:{person}"]
    row = db.session.scalar(
        sa.select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.membership_id == seat.id)
    )
    row.status = AttendanceStatus.apologies
    row.deputy_person_id = None
    row.note = note


def _escalation(ctx: DemoContext, org: str) -> Escalation:
    return db.session.scalar(
        sa.select(Escalation).where(Escalation.organisation_id == ctx.orgs[org].id).order_by(Escalation.id.desc())
    )


@step(80, "attendance monitoring")
def seed_attendance(ctx: DemoContext) -> None:
    office, chair = ctx.users["office"], ctx.users["chair"]

    # 2025: Public Health away three times running, then back.
    missed = [_board_meeting(ctx, 2025, m) for m in (4, 6, 8)]
    for m in missed:
        _not_represented(ctx, m, "ph_lead", "Apologies: public health emergency response")
    db.session.flush()
    with at(missed[-1].meeting_date):
        svc.scan(missed[-1].meeting_date)
    resolved = _escalation(ctx, "public_health")
    sent_on = missed[-1].meeting_date + timedelta(days=7)
    with at(sent_on):
        escalation_lifecycle.fire(resolved, "approve", user=chair, version=resolved.version, as_of=sent_on)
        escalation_lifecycle.fire(resolved, "send", user=office, version=resolved.version, as_of=sent_on)
    replied = sent_on + timedelta(days=12)
    with at(replied):
        escalation_lifecycle.fire(
            resolved,
            "record_response",
            user=office,
            version=resolved.version,
            as_of=replied,
            params={
                "response_received_on": replied,
                "response_summary": "The Director of Public Health apologised: the outbreak "
                "response took the team's time. A consultant in public "
                "health is named as deputy from October.",
            },
        )
    with at(_board_meeting(ctx, 2025, 12).meeting_date):
        svc.scan(_board_meeting(ctx, 2025, 12).meeting_date)  # represented in October and December: resolved

    # 2026: Healthwatch away from every Board meeting held since June (June, August,
    # October and the extraordinary meeting in November).
    missed = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.group_id == ctx.groups["board"].id,
            Meeting.is_held,
            Meeting.meeting_date >= day(2026, 6, 1),
            Meeting.meeting_date <= day(2026, 11, 23),
        )
        .order_by(Meeting.meeting_date)
    ).all()
    for m in missed:
        _not_represented(ctx, m, "healthwatch_lead", "Apologies sent on the day")
    db.session.flush()
    with at(missed[1].meeting_date):
        svc.scan(missed[1].meeting_date)  # two in a row: the reminder
    with at(missed[2].meeting_date):
        svc.scan(missed[2].meeting_date)  # three: the escalation, its letter drafted
    with at(missed[-1].meeting_date):
        svc.scan(missed[-1].meeting_date)  # one more: the same episode, nothing new
    drafted = _escalation(ctx, "healthwatch")

    ctx.extra["escalations"] = {"drafted": drafted, "resolved": resolved}
