"""Attendance monitoring: the Chair's escalation letter to the organisation's chief executive,
sending it, and putting an escalation before the Board."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.documents import Letter, Table
from safeguarding.documents.letterhead import letterhead
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Attendance,
    DisposalRecord,
    Escalation,
    EscalationState,
    EscalationTrigger,
    Meeting,
    Membership,
)
from safeguarding.services.attendance.common import _RANK, CELL_LABELS, CONSTITUTION, SUBJECT_TYPE, months_before
from safeguarding.services.attendance.policy import policy_for
from safeguarding.services.errors import Gone


def default_letter_text(e: Escalation) -> str:
    org, group = e.organisation, e.group
    dates = [long_date(d) for d in e.missed_dates]
    listed = dates[0] if len(dates) == 1 else ", ".join(dates[:-1]) + " and " + dates[-1]
    first = (
        f"I am writing to you as the Independent Chair of the {letterhead().name} about {org.name}'s "
        f"attendance at meetings of the {group.name}."
    )
    if e.trigger_reason == EscalationTrigger.consecutive:
        second = (
            f"{org.name} was not represented at the last {len(dates)} meetings, held on {listed}. Members are "
            "expected to attend or to send their named deputy; apologies without a deputy are recorded as "
            "non-attendance."
        )
    else:
        second = (
            f"In the last 12 months {org.name} was represented at {e.represented_percent}% of the "
            f"{e.held_in_window} meetings held. It was not represented on {listed}."
        )
    third = (
        f"Your organisation's contribution to the partnership matters, and I would be grateful for your help in "
        f"making sure that {org.name} is represented at future meetings."
    )
    return "\n\n".join([first, second, third])


def attendance_record(e: Escalation, end: date) -> list[list[str]]:
    """The organisation's attendance at the group's held meetings in the 12 months to `end`."""
    start = months_before(end, 12) + timedelta(days=1)
    rank = sa.func.max(sa.case(*[(Attendance.status == s.value, r) for s, r in _RANK.items()], else_=0))
    rows = db.session.execute(
        sa.select(Meeting.meeting_date, rank)
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(
            Meeting.group_id == e.group_id,
            Meeting.is_held,
            Meeting.meeting_date >= start,
            Meeting.meeting_date <= end,
            Membership.organisation_id == e.organisation_id,
        )
        .group_by(Meeting.id, Meeting.meeting_date)
        .order_by(Meeting.meeting_date, Meeting.id)
    )
    return [[long_date(on), CELL_LABELS.get(r, "Absent")] for on, r in rows]


def response_due(e: Escalation, on: date) -> date:
    return e.response_due_on or on + timedelta(days=policy_for(e.group_id).response_days)


def build_letter(e: Escalation, on: date | None = None) -> Letter:
    """The Chair's letter to the organisation's chief executive, as drafted, approved or sent."""
    on = e.sent_on or on or today()
    org, group = e.organisation, e.group
    due = response_due(e, on)
    paragraphs: list[Any] = [p.strip() for p in (e.letter_text or default_letter_text(e)).split("\n\n") if p.strip()]
    paragraphs.append(
        Table("Meetings not attended", ["Date", "Meeting"], [[long_date(d), f"{group.name}"] for d in e.missed_dates])
    )
    paragraphs.append(CONSTITUTION)
    record = attendance_record(e, on)
    paragraphs.append(
        Table(
            f"{org.name}'s attendance at the {group.short_name} in the last 12 months",
            ["Meeting date", "Attendance"],
            record or [["No meetings held", ""]],
        )
    )
    paragraphs.append(
        f"Please reply to the business office by {long_date(due)}, telling me how {org.name} will make "
        f"sure it is represented at future meetings of the {group.name}."
    )
    return Letter(
        reference=e.reference,
        date=on,
        recipient_name=org.chief_executive_name or "The Chief Executive",
        recipient_title=org.chief_executive_title or "",
        recipient_organisation=org.name,
        address_lines=[line for line in (org.chief_executive_address or "").splitlines() if line.strip()],
        subject=f"Attendance at {group.name} meetings",
        salutation=f"Dear {org.chief_executive_name}" if org.chief_executive_name else "Dear Chief Executive",
        paragraphs=paragraphs,
        draft=e.state in (EscalationState.detected, EscalationState.letter_drafted),
    )


def require_letter(e: Escalation) -> None:
    """A letter disposed of under the retention schedule is gone: it is not rendered again
    (its text would say "Disposed of", addressed to today's chief executive)."""
    disposed_on = db.session.scalar(
        sa.select(DisposalRecord.disposed_on).where(
            DisposalRecord.record_table == Escalation.__tablename__,
            DisposalRecord.record_id == e.id,
            DisposalRecord.disposed_on.is_not(None),
        )
    )
    if disposed_on is not None:
        raise Gone(f"The letter {e.reference} was disposed of on {long_date(disposed_on)} under the retention schedule")


def letter_pdf(e: Escalation) -> bytes:
    from safeguarding.documents import render_pdf

    require_letter(e)
    return e.sent_pdf if e.sent_pdf else render_pdf(build_letter(e))


def letter_docx(e: Escalation) -> bytes:
    from safeguarding.documents import render_docx

    require_letter(e)
    return e.sent_docx if e.sent_docx else render_docx(build_letter(e))


def send_letter(e: Escalation) -> None:
    """Render the approved letter, keep the PDF and DOCX, and email the PDF to the chief
    executive (once: the dedupe key)."""
    from safeguarding.documents import render_docx, render_pdf
    from safeguarding.notify import Attachment, queue_email, service_url

    letter = build_letter(e)
    e.sent_pdf = render_pdf(letter)
    e.sent_docx = render_docx(letter)
    org = e.organisation
    queue_email(
        [org.chief_executive_email],
        f"Attendance at {e.group.short_name} meetings ({e.reference})",
        "attendance_escalation",
        {
            "recipient": org.chief_executive_name or "Chief Executive",
            "reference": e.reference,
            "organisation": org.name,
            "group": e.group.name,
            "due": long_date(e.response_due_on),
            "link": service_url("attendance.escalation", escalation_id=e.id),
        },
        kind="attendance_escalation",
        dedupe_key=f"escalation-sent:{e.id}",
        attachments=[Attachment(f"{e.reference}-letter.pdf", "application/pdf", e.sent_pdf)],
    )


def put_before_board(e: Escalation, as_of: date) -> None:
    from safeguarding.services import meetings

    meetings.add_to_next_board_agenda(
        f"Escalation {e.reference}: {e.organisation.name} attendance at the {e.group.short_name}",
        subject_type=SUBJECT_TYPE,
        subject_id=e.id,
        after=as_of,
    )
