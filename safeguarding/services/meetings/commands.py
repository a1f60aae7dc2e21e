"""Meetings: scheduling and changing meetings, and recording the actions raised at them."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import working_days as _working_days
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Action,
    ActionSource,
    AgendaItem,
    AgendaItemKind,
    Declaration,
    Group,
    GroupKind,
    Meeting,
    MeetingAction,
    MeetingKind,
    MeetingState,
)
from safeguarding.models.meetings import HELD_STATES
from safeguarding.services import actions as action_service
from safeguarding.services.errors import Conflict, ValidationFailed
from safeguarding.services.meetings.agenda import _place_waiting_requests, add_agenda_item
from safeguarding.services.meetings.common import (
    ATTENDANCE_REPORT,
    ATTENDANCE_REPORT_TITLE,
    PAPERS_WORKING_DAYS,
    TOP_RISKS,
    TOP_RISKS_TITLE,
    _check_version,
    _require_office,
)

# --- scheduling ---------------------------------------------------------------------------


def working_days_before(d: date, n: int) -> date:
    """The working day `n` working days before `d` (so that adding `n` working days to
    the result gives `d` again when `d` is a working day)."""
    cal = _working_days()
    counted = 0
    while counted < n:
        d -= timedelta(days=1)
        if cal.is_working_day(d):
            counted += 1
    return d


def papers_due_date(meeting_date: date) -> date:
    """When papers are due: 5 working days before the meeting (default)."""
    return working_days_before(meeting_date, PAPERS_WORKING_DAYS)


def _check_meeting_fields(
    group: Group | None,
    meeting_date: date | None,
    starts_at: time | None,
    ends_at: time | None,
    *,
    exclude_id: int | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if group is None:
        errors["group_id"] = "Select the group that is meeting"
    elif not group.active:
        errors["group_id"] = "This group has been stood down"
    if meeting_date is None:
        errors["meeting_date"] = "Enter the date of the meeting"
    if starts_at is None:
        errors["starts_at"] = "Enter the time the meeting starts"
    if ends_at is None:
        errors["ends_at"] = "Enter the time the meeting ends"
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The meeting must end after it starts"
    if group is not None and meeting_date is not None:
        clash = sa.select(Meeting.id).where(
            Meeting.group_id == group.id, Meeting.meeting_date == meeting_date, Meeting.state != MeetingState.cancelled
        )
        if exclude_id is not None:
            clash = clash.where(Meeting.id != exclude_id)
        if db.session.scalar(clash) is not None:
            errors["meeting_date"] = f"The {group.short_name} already has a meeting on {long_date(meeting_date)}"
    return errors


def schedule_meeting(
    *,
    group_id: int,
    meeting_date: date,
    starts_at: time = time(10, 0),
    ends_at: time = time(12, 0),
    location: str | None = None,
    kind: MeetingKind = MeetingKind.ordinary,
    purpose: str | None = None,
    papers_due_on: date | None = None,
    created_by_id: int | None = None,
) -> Meeting:
    """Schedule one meeting (ordinary or extraordinary) and add its standing agenda items:
    apologies, declarations of interest, minutes of the previous meeting, the action log;
    for the Board also chair's actions for ratification and, at ordinary meetings, a
    report slot for each active sub-group. Subjects waiting for the group's next meeting
    (see `add_to_next_board_agenda`) are placed on it."""
    group = db.session.get(Group, group_id) if group_id else None
    errors = _check_meeting_fields(group, meeting_date, starts_at, ends_at)
    kind = MeetingKind(kind)
    purpose = (purpose or "").strip() or None
    if kind == MeetingKind.extraordinary and not purpose:
        errors["purpose"] = "Enter what the extraordinary meeting is for"
    if papers_due_on is not None and meeting_date is not None and papers_due_on > meeting_date:
        errors["papers_due_on"] = "Papers must be due on or before the day of the meeting"
    if errors:
        raise ValidationFailed(errors=errors)
    assert group is not None
    meeting = Meeting(
        group_id=group.id,
        kind=kind,
        purpose=purpose,
        meeting_date=meeting_date,
        starts_at=starts_at,
        ends_at=ends_at,
        location=(location or "").strip() or None,
        papers_due_on=papers_due_on or papers_due_date(meeting_date),
        state=MeetingState.scheduled,
        created_by_id=created_by_id,
    )
    db.session.add(meeting)
    db.session.flush()
    _add_standing_items(meeting, group)
    _place_waiting_requests(meeting)
    return meeting


def _add_standing_items(meeting: Meeting, group: Group) -> None:
    items = [
        ("Apologies", AgendaItemKind.apologies, None),
        ("Declarations of interest", AgendaItemKind.declarations, None),
        ("Minutes of the previous meeting", AgendaItemKind.previous_minutes, None),
        ("Action log", AgendaItemKind.action_log, None),
    ]
    if group.kind == GroupKind.board:
        items.append(
            ("Chair's actions taken since the last meeting (for ratification)", AgendaItemKind.chair_actions, None)
        )
        if meeting.kind == MeetingKind.ordinary:
            subgroups = db.session.scalars(
                sa.select(Group).where(Group.kind == GroupKind.subgroup, Group.active.is_(True)).order_by(Group.name)
            )
            items += [(f"Report from the {g.name}", AgendaItemKind.subgroup_report, g.id) for g in subgroups]
    for position, (title, kind, group_id) in enumerate(items, start=1):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title, kind=kind, group_id=group_id))
    db.session.flush()
    if group.kind == GroupKind.board and meeting.kind == MeetingKind.ordinary:
        _add_board_reports(meeting)


def _add_board_reports(meeting: Meeting) -> None:
    """The attendance report and the top risks go to each ordinary Board meeting (once:
    an item per subject per meeting)."""
    for title, subject, description in (
        (ATTENDANCE_REPORT_TITLE, ATTENDANCE_REPORT, "For information: the attendance report, attached"),
        (TOP_RISKS_TITLE, TOP_RISKS, "For assurance: the top risks by current score, attached"),
    ):
        add_agenda_item(meeting, title=title, subject_type=subject, subject_id=meeting.id, description=description)


def series_dates(first_date: date, count: int, interval_months: int) -> list[date]:
    """`count` dates `interval_months` apart on the same weekday of the month as
    `first_date` (the third Tuesday stays the third Tuesday; a fifth weekday becomes the
    last), each moved to the next working day if it falls on a bank holiday."""
    nth = (first_date.day - 1) // 7  # 0-based week of the month
    weekday = first_date.weekday()
    cal = _working_days()
    out = [first_date]
    for i in range(1, count):
        month0 = first_date.month - 1 + i * interval_months
        year, month = first_date.year + month0 // 12, month0 % 12 + 1
        first_weekday = (weekday - pycalendar.weekday(year, month, 1)) % 7 + 1
        day = first_weekday + 7 * nth
        if day > pycalendar.monthrange(year, month)[1]:
            day -= 7
        d = date(year, month, day)
        while not cal.is_working_day(d):
            d += timedelta(days=1)
        out.append(d)
    return out


def schedule_series(
    *,
    group_id: int,
    first_date: date,
    count: int = 6,
    interval_months: int = 2,
    starts_at: time = time(10, 0),
    ends_at: time = time(12, 0),
    location: str | None = None,
    created_by_id: int | None = None,
) -> list[Meeting]:
    """A year of meetings in one go: by default 6 meetings 2 months apart (the Board meets
    bi-monthly), on the same weekday of the month as the first."""
    errors: dict[str, str] = {}
    if first_date is None:
        errors["first_date"] = "Enter the date of the first meeting"
    if count is None or not 1 <= count <= 12:
        errors["count"] = "The number of meetings must be between 1 and 12"
    if interval_months is None or not 1 <= interval_months <= 6:
        errors["interval_months"] = "The months between meetings must be between 1 and 6"
    if errors:
        raise ValidationFailed(errors=errors)
    meetings = []
    for d in series_dates(first_date, count, interval_months):
        try:
            meetings.append(
                schedule_meeting(
                    group_id=group_id,
                    meeting_date=d,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    location=location,
                    created_by_id=created_by_id,
                )
            )
        except ValidationFailed as exc:
            if "meeting_date" in exc.errors:
                exc.errors["first_date"] = exc.errors.pop("meeting_date")
            raise
    return meetings


def update_meeting(
    meeting: Meeting,
    *,
    version: int | None,
    meeting_date: date,
    starts_at: time,
    ends_at: time,
    location: str | None,
    purpose: str | None = None,
    papers_due_on: date | None = None,
) -> Meeting:
    """Change when or where a meeting is (before it opens). Moving the date moves the
    papers' due date with it unless one is given."""
    _check_version(meeting, version)
    if meeting.state not in (MeetingState.scheduled, MeetingState.papers_published):
        raise Conflict(f"A meeting that is {meeting.state.label.lower()} cannot be changed")
    errors = _check_meeting_fields(meeting.group, meeting_date, starts_at, ends_at, exclude_id=meeting.id)
    if meeting.kind == MeetingKind.extraordinary and not (purpose or "").strip():
        errors["purpose"] = "Enter what the extraordinary meeting is for"
    if papers_due_on is not None and meeting_date is not None and papers_due_on > meeting_date:
        errors["papers_due_on"] = "Papers must be due on or before the day of the meeting"
    if errors:
        raise ValidationFailed(errors=errors)
    if papers_due_on is None:
        papers_due_on = meeting.papers_due_on if meeting_date == meeting.meeting_date else papers_due_date(meeting_date)
    meeting.meeting_date = meeting_date
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.location = (location or "").strip() or None
    if meeting.kind == MeetingKind.extraordinary:
        meeting.purpose = (purpose or "").strip()
    meeting.papers_due_on = papers_due_on
    db.session.flush()
    return meeting


# --- actions raised at meetings -----------------------------------------------------------


def raise_action(
    agenda_item: AgendaItem,
    *,
    user: Any,
    title: str,
    owner_organisation_id: int,
    due_date: date,
    owner_person_id: int | None = None,
    description: str | None = None,
) -> Action:
    """An action raised at a meeting goes into the shared action log. A person who declared
    an interest in the item takes no part in the decision on it nor in the consequent action
    (the constitution), so the action is not given to them."""
    _require_office(user, "record actions from a meeting")
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state not in (MeetingState.in_session, *HELD_STATES):
        raise Conflict("Actions are recorded once the meeting is in session")
    if owner_person_id and db.session.scalar(
        sa.select(Declaration.id).where(
            Declaration.agenda_item_id == agenda_item.id, Declaration.person_id == owner_person_id
        )
    ):
        raise ValidationFailed(
            errors={
                "owner_person_id": "This person declared an interest in the item, so they take no part in the "
                "action that follows from it: give it to someone else"
            }
        )
    action = action_service.create_action(
        title=title,
        description=description,
        owner_organisation_id=owner_organisation_id,
        owner_person_id=owner_person_id,
        due_date=due_date,
        source_type=ActionSource.meeting,
        source_id=meeting.id,
        source_label=f"{meeting.name}: {agenda_item.title}"[:300],
        group_id=meeting.group_id,
        area=meeting.group.area,
        arm=meeting.group.arm,
        restricted=agenda_item.restricted,
        created_by_id=user.id,
    )
    db.session.add(MeetingAction(meeting_id=meeting.id, agenda_item_id=agenda_item.id, action_id=action.id))
    db.session.flush()
    return action
