"""The Board's agreement of the adults' annual report (the constitution: the Partnership
will "produce, authorise and agree" it). After the Independent Chair approves the report
it goes on the next Board meeting's agenda (`subject_type="annual_report"`); a standing
decision on that item (agreed by consensus or carried, at a quorate meeting; an interim
one once validated by every organisation asked: `meetings.decision_stands`) records the
Board's agreement on the report, and only then may the office publish it.

The children's yearly report is signed off by the safeguarding partners jointly
(services/annual/yearly.py) and never waits for the Board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AgendaItem,
    AnnualReport,
    AnnualReportState,
    Decision,
    Meeting,
    ReportKind,
)
from safeguarding.models.meetings import UPCOMING_STATES
from safeguarding.services import audit, meetings
from safeguarding.services.annual.common import OFFICE, _require
from safeguarding.services.annual.queries import title
from safeguarding.services.errors import Conflict
from safeguarding.workflows.annual import BOARD_AGENDA, BOARD_AGREED, annual_report_lifecycle
from safeguarding.workflows.base import TransitionContext

SUBJECT = "annual_report"  # subject_type of the Board's agenda items and decisions on a report


@dataclass(frozen=True)
class BoardAgreement:
    """What the report page and the API show: the agreement, or what is awaited."""

    decision_id: int | None
    meeting_id: int | None  # the meeting that agreed it, else the one it is on the agenda of
    agenda_item_id: int | None
    agreed_on: date | None
    on_agenda_for: date | None  # not yet agreed: the date of the Board meeting it is before
    undecided: list[Decision]  # decisions on the report that did not agree it
    before_approval: bool = False  # the chair has not approved it yet: it goes to the Board after

    @property
    def agreed(self) -> bool:
        return self.decision_id is not None

    @property
    def text(self) -> str:
        if self.agreed_on is not None:
            return f"Agreed by the Board at its meeting on {long_date(self.agreed_on)}"
        if self.before_approval:
            return "To be agreed by the Board once the chair has approved it"
        if self.on_agenda_for is not None:
            return (
                f"Awaiting the Board's agreement: on the agenda of the Board meeting on {long_date(self.on_agenda_for)}"
            )
        return "Awaiting the Board's agreement: not yet on a Board meeting's agenda"


def agreement(report: AnnualReport) -> BoardAgreement | None:
    """The Board's agreement of an adults' report, or what it waits for (None for the
    children's yearly report)."""
    if report.kind != ReportKind.adults:
        return None
    if report.board_decision_id is not None:
        decision = db.session.get(Decision, report.board_decision_id)
        return BoardAgreement(
            decision.id, decision.meeting_id, decision.agenda_item_id, report.board_agreed_on, None, []
        )
    if report.state not in (AnnualReportState.approved, AnnualReportState.published):
        return BoardAgreement(None, None, None, None, None, [], before_approval=True)
    upcoming = db.session.execute(
        sa.select(AgendaItem.id, Meeting.id, Meeting.meeting_date)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.subject_type == SUBJECT,
            AgendaItem.subject_id == report.id,
            AgendaItem.withdrawn.is_(False),
            Meeting.state.in_(UPCOMING_STATES),
        )
        .order_by(Meeting.meeting_date)
        .limit(1)
    ).first()
    undecided = [d for d in meetings.decisions_for(SUBJECT, report.id) if not meetings.decision_stands(d)]
    if upcoming is None:
        return BoardAgreement(None, None, None, None, None, undecided)
    return BoardAgreement(None, upcoming[1], upcoming[0], None, upcoming[2], undecided)


def put_on_board_agenda(report: AnnualReport, user: Any | None = None, *, after: date | None = None) -> date | None:
    """Put the approved adults' report before the Board for its agreement (once: the
    meetings feature keeps one item per subject until the Board decides it, and puts it on
    the next meeting scheduled when none is). Returns the meeting's date, or None when no
    Board meeting is scheduled yet."""
    if user is not None:
        _require(user, OFFICE, "put the report on the Board's agenda")
    if report.kind != ReportKind.adults:
        raise Conflict("The children's yearly report is signed off by the safeguarding partners, not the Board")
    if report.state != AnnualReportState.approved:
        raise Conflict("The report goes before the Board once the chair has approved it, and until it is published")
    if report.board_decision_id is not None:
        raise Conflict(f"The Board agreed the report on {long_date(report.board_agreed_on)}")
    item = meetings.add_to_next_board_agenda(
        f"Agreement of the {title(report)[0].lower()}{title(report)[1:]}",
        subject_type=SUBJECT,
        subject_id=report.id,
        after=after or today(),
    )
    if user is not None:
        audit.mark_action(report, "board_agenda")
    return db.session.get(Meeting, item.meeting_id).meeting_date if item is not None else None


@meetings.on_final_decision(SUBJECT)
def board_decided(decision: Decision, meeting: Meeting) -> None:
    """Registered with the meetings service: a standing decision of the Board on an
    approved adults' report records the Board's agreement (the decision and the meeting's
    date). A decision that did not agree it, at another group's meeting, or on a report
    not approved by the chair records nothing."""
    report = db.session.get(AnnualReport, decision.subject_id)
    board = meetings.board()
    if (
        report is None
        or report.kind != ReportKind.adults
        or report.state != AnnualReportState.approved
        or report.board_decision_id is not None
        or board is None
        or meeting.group_id != board.id
        or not meetings.decision_stands(decision)
    ):
        return
    report.board_decision_id = decision.id
    report.board_agreed_on = meeting.meeting_date
    audit.mark_action(report, "board_agreed")
    db.session.flush()


@annual_report_lifecycle.guard(BOARD_AGREED)
def _board_agreed(ctx: TransitionContext) -> str | None:
    report = ctx.row
    if report.kind != ReportKind.adults or report.board_decision_id is not None:
        return None
    a = agreement(report)
    where = (
        f"it is on the agenda of the Board meeting on {long_date(a.on_agenda_for)}"
        if a is not None and a.on_agenda_for is not None
        else "put it on a Board meeting's agenda"
    )
    return f"The Board has not agreed the report yet: {where}; it is published once the Board's decision agrees it"


@annual_report_lifecycle.effect(BOARD_AGENDA)
def _board_agenda(ctx: TransitionContext) -> None:
    if ctx.row.kind == ReportKind.adults:
        put_on_board_agenda(ctx.row, after=ctx.as_of)
