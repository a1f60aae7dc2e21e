"""Work plans: the highlight report a sub-group makes to a Board meeting, and the Board
meetings and agenda slots it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_start, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    Group,
    GroupKind,
    ItemStatus,
    Meeting,
    MeetingState,
    Paper,
    Rag,
    WorkPlan,
    WorkPlanItem,
)
from safeguarding.services import meetings
from safeguarding.services.errors import NotFound
from safeguarding.services.workplans.queries import TorStatus, items_of, plan_for, tor_status
from safeguarding.services.workplans.rag import rag_reason


@dataclass
class Highlight:
    group: Group
    meeting: Meeting
    plan: WorkPlan | None
    previous_on: date | None
    next_on: date | None
    completed: list[WorkPlanItem]
    red_amber: list[WorkPlanItem]
    due_next: list[WorkPlanItem]
    tor: TorStatus
    as_of: date
    # The Board's first meeting of the financial year: every sub-group's ToR status.
    first_of_year: bool = False
    all_tor: list[TorStatus] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Highlight report: {self.group.name}"

    @property
    def reference(self) -> str:
        return f"HR-{self.meeting.meeting_date:%Y-%m-%d}-{self.group.id}"


def board_meetings_around(meeting: Meeting) -> tuple[date | None, date | None]:
    prev_on = db.session.scalar(
        sa.select(sa.func.max(Meeting.meeting_date)).where(
            Meeting.group_id == meeting.group_id,
            Meeting.meeting_date < meeting.meeting_date,
            Meeting.state != MeetingState.cancelled,
        )
    )
    next_on = db.session.scalar(
        sa.select(sa.func.min(Meeting.meeting_date)).where(
            Meeting.group_id == meeting.group_id,
            Meeting.meeting_date > meeting.meeting_date,
            Meeting.state != MeetingState.cancelled,
        )
    )
    return prev_on, next_on


def get_board_meeting(meeting_id: int | None) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if meeting is None or meeting.group.kind != GroupKind.board:
        raise NotFound("Board meeting not found")
    return meeting


def get_subgroup(group_id: int | None) -> Group:
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.kind != GroupKind.subgroup:
        raise NotFound("Sub-group not found")
    return group


def highlight(group: Group, meeting: Meeting) -> Highlight:
    """What the sub-group reports to this Board meeting, from its plan for the meeting's
    financial year: items completed since the previous Board meeting, red and amber items
    with their reasons, items due before the next Board meeting, and the sub-group's
    terms-of-reference review status."""
    year = financial_year_start(meeting.meeting_date)
    as_of = min(today(), meeting.meeting_date)
    plan = plan_for(group.id, year)
    items = items_of(plan) if plan else []
    prev_on, next_on = board_meetings_around(meeting)
    since = prev_on or financial_year_bounds(year)[0]
    until = next_on or financial_year_bounds(year)[1]
    completed = [
        i
        for i in items
        if i.status == ItemStatus.completed and i.completed_on and since < i.completed_on <= meeting.meeting_date
    ]
    red_amber = [i for i in items if i.rating in (Rag.red, Rag.amber)]
    due_next = [
        i
        for i in items
        if i.status in (ItemStatus.not_started, ItemStatus.in_progress) and meeting.meeting_date <= i.due_date <= until
    ]
    statuses = tor_status(year, max(as_of, meeting.meeting_date))
    mine = next((s for s in statuses if s.group.id == group.id), TorStatus(group, None, None))
    first_board = db.session.scalar(
        sa.select(sa.func.min(Meeting.meeting_date)).where(
            Meeting.group_id == meeting.group_id,
            Meeting.state != MeetingState.cancelled,
            Meeting.meeting_date >= financial_year_bounds(year)[0],
        )
    )
    return Highlight(
        group,
        meeting,
        plan,
        prev_on,
        next_on,
        completed,
        red_amber,
        due_next,
        mine,
        as_of,
        first_of_year=first_board == meeting.meeting_date,
        all_tor=statuses,
    )


def highlight_report(h: Highlight) -> Any:
    from safeguarding.documents import Report, Section, Table

    def lead(i: WorkPlanItem) -> str:
        return i.lead_organisation.short_name if i.lead_organisation else "—"

    year = financial_year_title(financial_year_start(h.meeting.meeting_date))
    intro = (
        f"The {h.group.name}'s report to the Board meeting of {long_date(h.meeting.meeting_date)}, "
        f"from its work plan for {year}"
        + (f" ({h.plan.state.label.lower()})." if h.plan else ". The sub-group has no work plan for the year.")
    )
    since = f"since the Board met on {long_date(h.previous_on)}" if h.previous_on else "this year"
    sections = [
        Section("Summary", [intro]),
        Section(
            "Completed " + since,
            [] if h.completed else ["Nothing was completed in the period."],
            [
                Table(
                    "Completed items",
                    ["Item", "Lead organisation", "Completed"],
                    [[i.title, lead(i), long_date(i.completed_on)] for i in h.completed],
                )
            ]
            if h.completed
            else [],
        ),
        Section(
            "Red and amber items",
            [] if h.red_amber else ["No items are red or amber."],
            [
                Table(
                    "Red and amber items",
                    ["Item", "Rating", "Reason", "Due"],
                    [[i.title, i.rating.label, rag_reason(i, h.as_of), long_date(i.due_date)] for i in h.red_amber],
                )
            ]
            if h.red_amber
            else [],
        ),
        Section(
            "Due before the next meeting" + (f" ({long_date(h.next_on)})" if h.next_on else ""),
            [] if h.due_next else ["No items fall due before the next meeting."],
            [
                Table(
                    "Items due",
                    ["Item", "Lead organisation", "Due", "Rating"],
                    [[i.title, lead(i), long_date(i.due_date), i.rating.label] for i in h.due_next],
                )
            ]
            if h.due_next
            else [],
        ),
        Section("Terms of reference", [h.tor.sentence]),
    ]
    if h.first_of_year:
        sections.append(
            Section(
                "Terms of reference reviews of every sub-group",
                [
                    "This is the Board's first meeting of the financial year: it sees every sub-group's terms of reference."
                ],
                [
                    Table(
                        "Terms of reference reviews",
                        ["Sub-group", "Status"],
                        [[s.group.name, s.sentence] for s in h.all_tor],
                    )
                ],
            )
        )
    return Report(
        title=h.title,
        subtitle=f"Board meeting of {long_date(h.meeting.meeting_date)}",
        sections=sections,
        date=today(),
        reference=h.reference,
    )


def subgroup_slot(group: Group, meeting: Meeting) -> AgendaItem | None:
    return db.session.scalar(
        sa.select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.kind == AgendaItemKind.subgroup_report,
            AgendaItem.group_id == group.id,
            AgendaItem.withdrawn.is_(False),
        )
    )


def attached_papers(group: Group, meeting: Meeting) -> list[Paper]:
    return list(
        db.session.scalars(
            sa.select(Paper)
            .join(AgendaItem, AgendaItem.id == Paper.agenda_item_id)
            .where(
                Paper.meeting_id == meeting.id,
                AgendaItem.kind == AgendaItemKind.subgroup_report,
                AgendaItem.group_id == group.id,
            )
            .order_by(Paper.id)
        )
    )


def board_meetings_for_year(year: int) -> list[Meeting]:
    board = meetings.board()
    if board is None:
        return []
    start, end = financial_year_bounds(year)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.group_id == board.id,
                Meeting.meeting_date >= start,
                Meeting.meeting_date <= end,
                Meeting.state != MeetingState.cancelled,
            )
            .order_by(Meeting.meeting_date)
        )
    )
