"""Meetings and governance: scheduling, agendas and papers, the register and quorum,
declarations of interest, decisions and votes, chair's actions, minutes.

Rules (../shared/docs/domain.md, "Meetings"; constitution):

- **Quorum**: the chair or vice chair of the group (or a person recorded as the nominated
  chair for the meeting) present in person, AND each of the three key statutory partner
  kinds — local authority, police, integrated care board — represented by its member in
  person or by a deputy (`deputy_present`: the member's named deputy, or another person of
  the organisation the member named for that meeting). The partnership serves two
  councils: the local-authority requirement is met when at least one of them is
  represented. The Board and the Executive always need all three kinds; a sub-group
  needs those statutory kinds that hold a seat on it (the Communications and Engagement
  sub-group has no police seat, and could otherwise never meet).
- **Voting**: one vote per organisation, cast by its member present or by the deputy
  present for them; only a person who has signed the memorandum of understanding votes
  (a deputy must have signed it themselves: the member's signature does not pass to
  them); advisers, people sitting for no organisation (the independent chair) and anyone
  who declared an interest in the item do not vote. A simple majority of those voting
  for or against decides; abstentions do not count; a tie needs the chair's casting vote.
- No decision is recorded unless the meeting is in session and quorate. An *interim*
  decision also needs the electronic validation, after the meeting, of every
  organisation with a voting seat on the group whose member has signed the memorandum
  (and did not declare an interest in the item); it stands when all have validated.
- Minutes are immutable once approved; corrections are recorded amendments. They are
  ratified only at a later, quorate meeting of the same group that is in session.
"""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload

from safeguarding.calendar import today
from safeguarding.calendar import working_days as _working_days
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Action,
    ActionSource,
    AgendaItem,
    AgendaItemKind,
    AgendaRequest,
    Attendance,
    AttendanceStatus,
    ChairAction,
    ChairActionConsultation,
    ChairActionStatus,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    DecisionValidation,
    DecisionVote,
    Declaration,
    Group,
    GroupKind,
    Meeting,
    MeetingAction,
    MeetingKind,
    MeetingState,
    Membership,
    MembershipRole,
    Minutes,
    MinutesAmendment,
    MinutesSection,
    MinutesState,
    Organisation,
    OrganisationKind,
    Paper,
    Person,
    Role,
    User,
    UserRole,
    VoteChoice,
)
from safeguarding.models.base import utcnow
from safeguarding.models.enums import STATUTORY_KINDS
from safeguarding.models.files import StoredFile
from safeguarding.models.meetings import HELD_STATES, UPCOMING_STATES
from safeguarding.services import actions as action_service
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.services.partnership import mou_signed_person_ids

SEE_ALL = (Role.business_office, Role.independent_chair)
MEMBER_ROLES = (Role.partner_member, Role.subgroup_chair)
# Papers are published this many working days before the meeting (default; domain.md).
PAPERS_WORKING_DAYS = 5
KIND_PHRASES = {
    OrganisationKind.local_authority: "a local authority",
    OrganisationKind.police: "the police",
    OrganisationKind.icb: "the integrated care board",
}
CHAIR_ACTION = "chair_action"
MINUTES = "minutes"


def _check_version(row: Any, version: int | None) -> None:
    if version is not None and version != row.version:
        raise StaleVersion()


def _require_office(user: Any, what: str) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden(f"Only the business office can {what}")


def _current(on: date | sa.ColumnElement) -> sa.ColumnElement[bool]:
    return sa.and_(Membership.start_date <= on, sa.or_(Membership.end_date.is_(None), Membership.end_date >= on))


# --- who sees what ----------------------------------------------------------------------


def meeting_visibility(user: Any) -> sa.ColumnElement[bool]:
    """Which meetings `user` may see: the office and the chair see all; partner members
    and sub-group chairs see the meetings of groups they sit on (as member or named
    deputy) now or sat on at the time, and meetings they were named to attend as a
    deputy. Viewers and administrators see none (viewers read ratified minutes)."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    if not (user.has_role(*MEMBER_ROLES) and user.person_id):
        return sa.false()
    pid = user.person_id
    # The uncorrelated IN lists are small and evaluated once; the correlated check of the
    # membership dates then runs only for meetings of the person's groups.
    groups = sa.select(Membership.group_id).where(
        sa.or_(Membership.person_id == pid, Membership.deputy_person_id == pid)
    )
    sits = sa.exists().where(
        Membership.group_id == Meeting.group_id,
        sa.or_(Membership.person_id == pid, Membership.deputy_person_id == pid),
        sa.or_(_current(today()), _current(Meeting.meeting_date)),
    )
    deputised = sa.select(Attendance.meeting_id).where(Attendance.deputy_person_id == pid)
    return sa.or_(sa.and_(Meeting.group_id.in_(groups), sits), Meeting.id.in_(deputised))


def get_meeting(meeting_id: int, user: Any, *, with_minutes: bool = False) -> Meeting:
    """The meeting if `user` may see it (NotFound otherwise); `with_minutes` loads its
    minutes in the same query."""
    stmt = sa.select(Meeting).where(Meeting.id == meeting_id, meeting_visibility(user))
    if with_minutes:
        stmt = stmt.options(joinedload(Meeting.minutes).lazyload(Minutes.meeting))
    meeting = db.session.scalar(stmt)
    if meeting is None:
        raise NotFound("Meeting not found")
    return meeting


def may_see_papers(meeting: Meeting, user: Any) -> bool:
    """Papers: the office and the chair always; members of the group (and deputies named
    for the meeting) once the papers are published; viewers never. Call only for a
    meeting `user` may see."""
    if user.has_role(*SEE_ALL):
        return True
    return bool(user.has_role(*MEMBER_ROLES) and meeting.papers_published_on is not None)


@dataclass
class MeetingFilters:
    group_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    state: str | None = None
    # "upcoming" (from today, soonest first), "past" (before today, latest first) or None
    # (all, by date).
    when: str | None = None
    # Held meetings with no minutes yet, or minutes still in draft.
    needs_minutes: bool = False
    page: int = 1
    per_page: int = 50


def list_meetings(user: Any, f: MeetingFilters) -> tuple[list[Meeting], int]:
    stmt = sa.select(Meeting).where(meeting_visibility(user))
    if f.group_id:
        stmt = stmt.where(Meeting.group_id == f.group_id)
    if f.date_from:
        stmt = stmt.where(Meeting.meeting_date >= f.date_from)
    if f.date_to:
        stmt = stmt.where(Meeting.meeting_date <= f.date_to)
    if f.state:
        stmt = stmt.where(Meeting.state == MeetingState(f.state))
    if f.needs_minutes:
        stmt = stmt.where(_needs_minutes())
    order: Sequence[Any] = (Meeting.meeting_date, Meeting.starts_at, Meeting.id)
    if f.when == "upcoming":
        stmt = stmt.where(Meeting.meeting_date >= today())
    elif f.when == "past":
        stmt = stmt.where(Meeting.meeting_date < today())
        order = (Meeting.meeting_date.desc(), Meeting.starts_at.desc(), Meeting.id.desc())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = db.session.scalars(stmt.order_by(*order).limit(f.per_page).offset((f.page - 1) * f.per_page))
    return list(rows), total


def attendance_summaries(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """Counts of each attendance status per meeting, in one query (for lists)."""
    if not meeting_ids:
        return {}
    out: dict[int, dict[str, int]] = {}
    for meeting_id, status, n in db.session.execute(
        sa.select(Attendance.meeting_id, Attendance.status, sa.func.count())
        .where(Attendance.meeting_id.in_(meeting_ids))
        .group_by(Attendance.meeting_id, Attendance.status)
    ):
        out.setdefault(meeting_id, {})[AttendanceStatus(status).value] = n
    return out


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


def board() -> Group | None:
    """The Partnership Board (the active group of kind board)."""
    return db.session.scalar(
        sa.select(Group).where(Group.kind == GroupKind.board, Group.active.is_(True)).order_by(Group.id).limit(1)
    )


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


def next_meeting(group_id: int, after: date) -> Meeting | None:
    """The group's next meeting after `after` (strictly) that is still to happen: not
    cancelled, closed or recorded as inquorate."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.meeting_date > after, Meeting.state.in_(UPCOMING_STATES))
        .order_by(Meeting.meeting_date, Meeting.starts_at, Meeting.id)
        .limit(1)
    )


# --- agenda -------------------------------------------------------------------------------


def agenda_of(meeting: Meeting, *, include_withdrawn: bool = False) -> list[AgendaItem]:
    stmt = sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    if not include_withdrawn:
        stmt = stmt.where(AgendaItem.withdrawn.is_(False))
    return list(db.session.scalars(stmt.order_by(AgendaItem.withdrawn, AgendaItem.position, AgendaItem.id)))


def get_agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound("Agenda item not found")
    return item


def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    kind: AgendaItemKind = AgendaItemKind.business,
    subject_type: str | None = None,
    subject_id: int | None = None,
    group_id: int | None = None,
    description: str | None = None,
    presenter: str | None = None,
) -> AgendaItem:
    """Add an item to a meeting's agenda (at the end). Items about a record of another
    feature carry `subject_type`/`subject_id`: at most one per subject per meeting, so
    adding the same subject again returns the existing item. A "report from
    <sub-group>" slot carries the sub-group's `group_id`."""
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"Items cannot be added to a meeting that is {meeting.state.label.lower()}")
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter the title of the agenda item"
    elif len(title) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    if (subject_type is None) != (subject_id is None):
        errors["subject_id"] = "Give both the subject's type and its id, or neither"
    if group_id is not None and db.session.get(Group, group_id) is None:
        errors["group_id"] = "Select a group from the list"
    if errors:
        raise ValidationFailed(errors=errors)
    if subject_type is not None:
        existing = db.session.scalar(
            sa.select(AgendaItem).where(
                AgendaItem.meeting_id == meeting.id,
                AgendaItem.subject_type == subject_type,
                AgendaItem.subject_id == subject_id,
            )
        )
        if existing is not None:
            if existing.withdrawn:
                existing.withdrawn = False
                existing.withdrawn_reason = None
                db.session.flush()
            return existing
    position = _next_position(meeting, subject_type)
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        title=title,
        kind=AgendaItemKind(kind),
        subject_type=subject_type,
        subject_id=subject_id,
        group_id=group_id,
        description=(description or "").strip() or None,
        presenter=(presenter or "").strip() or None,
    )
    db.session.add(item)
    db.session.flush()
    return item


def _next_position(meeting: Meeting, subject_type: str | None) -> int:
    """At the end, except that a chair's action for ratification follows the standing item
    "chair's actions for ratification" (and the other chair's actions already there)."""
    last = (
        db.session.scalar(sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0
    )
    if subject_type != CHAIR_ACTION:
        return last + 1
    anchor = db.session.scalar(
        sa.select(sa.func.max(AgendaItem.position)).where(
            AgendaItem.meeting_id == meeting.id,
            sa.or_(AgendaItem.kind == AgendaItemKind.chair_actions, AgendaItem.subject_type == CHAIR_ACTION),
        )
    )
    if anchor is None:
        return last + 1
    for later in db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.position > anchor)
    ):
        later.position += 1
    db.session.flush()
    return anchor + 1


def _item_on_upcoming_meeting(group_id: int, subject_type: str, subject_id: int) -> AgendaItem | None:
    return db.session.scalar(
        sa.select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            Meeting.group_id == group_id,
            Meeting.state.in_(UPCOMING_STATES),
            AgendaItem.subject_type == subject_type,
            AgendaItem.subject_id == subject_id,
            AgendaItem.withdrawn.is_(False),
        )
        .order_by(Meeting.meeting_date)
        .limit(1)
    )


def _place(request: AgendaRequest, after: date) -> AgendaItem | None:
    existing = _item_on_upcoming_meeting(request.group_id, request.subject_type, request.subject_id)
    if existing is not None:
        return existing
    meeting = next_meeting(request.group_id, after)
    if meeting is None:
        return None
    return add_agenda_item(
        meeting, title=request.title, subject_type=request.subject_type, subject_id=request.subject_id
    )


def add_to_next_board_agenda(title: str, *, subject_type: str, subject_id: int, after: date) -> AgendaItem | None:
    """Put a subject before the Board at its next meeting after `after`, and keep it
    there until the Board decides it: idempotent per subject (calling twice adds one
    item). Returns the agenda item, or None when no Board meeting is scheduled yet — the
    subject is then placed on the next Board meeting when it is scheduled. When a meeting
    is cancelled, or ends without a final decision on the subject, the item is carried to
    the following meeting. Used by chair's action, attendance escalations, review
    sign-off, work plan and budget approval."""
    group = board()
    if group is None:
        return None
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(errors={"title": "Enter the title of the agenda item"})
    request = db.session.scalar(
        sa.select(AgendaRequest).where(
            AgendaRequest.group_id == group.id,
            AgendaRequest.subject_type == subject_type,
            AgendaRequest.subject_id == subject_id,
        )
    )
    if request is None:
        request = AgendaRequest(group_id=group.id, subject_type=subject_type, subject_id=subject_id, title=title)
        db.session.add(request)
        db.session.flush()
    elif request.closed_at is not None:
        existing = _item_on_upcoming_meeting(group.id, subject_type, subject_id)
        if existing is not None:
            return existing
        request.closed_at = None
        request.title = title
    return _place(request, after)


def _place_waiting_requests(meeting: Meeting) -> None:
    """A newly scheduled meeting takes the group's open requests that are on no upcoming
    agenda."""
    for request in db.session.scalars(
        sa.select(AgendaRequest)
        .where(AgendaRequest.group_id == meeting.group_id, AgendaRequest.closed_at.is_(None))
        .order_by(AgendaRequest.id)
    ):
        if _item_on_upcoming_meeting(meeting.group_id, request.subject_type, request.subject_id) is None:
            add_agenda_item(
                meeting, title=request.title, subject_type=request.subject_type, subject_id=request.subject_id
            )


def carry_forward(meeting: Meeting) -> None:
    """After a meeting is cancelled or ends: open requests it carried move to the group's
    next meeting (or wait for one to be scheduled)."""
    subjects = {
        (i.subject_type, i.subject_id)
        for i in db.session.scalars(
            sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.subject_type.is_not(None))
        )
    }
    if not subjects:
        return
    for request in db.session.scalars(
        sa.select(AgendaRequest)
        .where(AgendaRequest.group_id == meeting.group_id, AgendaRequest.closed_at.is_(None))
        .order_by(AgendaRequest.id)
    ):
        if (request.subject_type, request.subject_id) in subjects:
            _place(request, meeting.meeting_date)


def move_agenda_item(item: AgendaItem, direction: str, *, user: Any) -> None:
    _require_office(user, "change the agenda")
    meeting = db.session.get(Meeting, item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict("The agenda of a meeting that has ended cannot be changed")
    items = agenda_of(meeting)
    index = next((i for i, x in enumerate(items) if x.id == item.id), None)
    if index is None:
        raise Conflict("A withdrawn item cannot be moved")
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return
    a, b = items[index], items[other]
    a.position, b.position = b.position, a.position
    db.session.flush()


UNWITHDRAWABLE = (AgendaItemKind.apologies, AgendaItemKind.declarations)


def withdraw_agenda_item(item: AgendaItem, *, user: Any, reason: str) -> AgendaItem:
    """Take an item off the agenda (kept, marked withdrawn, with the reason)."""
    _require_office(user, "change the agenda")
    meeting = db.session.get(Meeting, item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict("The agenda of a meeting that has ended cannot be changed")
    if item.withdrawn:
        raise Conflict("This item has already been withdrawn")
    if item.kind in UNWITHDRAWABLE:
        raise ValidationFailed(reasons=[f"“{item.title}” is a standing item on every agenda: it cannot be withdrawn"])
    if db.session.scalar(sa.select(Decision.id).where(Decision.agenda_item_id == item.id).limit(1)):
        raise ValidationFailed(reasons=["A decision has been recorded on this item: it cannot be withdrawn"])
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": "Enter why the item is withdrawn"})
    item.withdrawn = True
    item.withdrawn_reason = reason
    db.session.flush()
    return item


# --- papers -------------------------------------------------------------------------------


def attach_paper(
    agenda_item: AgendaItem, stored_file: StoredFile, *, title: str, added_by_id: int | None = None
) -> Paper:
    """Attach a stored file (checked by `storage.save_upload`, or generated by another
    feature — a sub-group's highlight report goes on the Board's "report from
    <sub-group>" slot, the item whose `group_id` is the sub-group) to an agenda item."""
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"Papers cannot be added to a meeting that is {meeting.state.label.lower()}")
    if agenda_item.withdrawn:
        raise Conflict("This item has been withdrawn from the agenda")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(errors={"title": "Enter the title of the paper"})
    if len(title) > 300:
        raise ValidationFailed(errors={"title": "The title must be 300 characters or fewer"})
    paper = Paper(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item.id,
        stored_file_id=stored_file.id,
        title=title,
        added_by_id=added_by_id,
    )
    db.session.add(paper)
    db.session.flush()
    return paper


def papers_of(meeting: Meeting) -> list[Paper]:
    return list(db.session.scalars(sa.select(Paper).where(Paper.meeting_id == meeting.id).order_by(Paper.id)))


def get_paper(meeting: Meeting, paper_id: int, user: Any) -> Paper:
    paper = db.session.get(Paper, paper_id)
    if paper is None or paper.meeting_id != meeting.id or not may_see_papers(meeting, user):
        raise NotFound("Paper not found")
    return paper


# --- the register and quorum -------------------------------------------------------------


@dataclass
class Seat:
    """A membership of the group on the meeting date and its attendance row, if any."""

    membership: Membership
    row: Attendance | None = None

    @property
    def status(self) -> AttendanceStatus | None:
        return self.row.status if self.row else None

    @property
    def represented(self) -> bool:
        return self.row is not None and self.row.represented

    @property
    def attendee_id(self) -> int | None:
        """Who sat in this seat at the meeting: the member, or the deputy for them."""
        if self.status == AttendanceStatus.present:
            return self.membership.person_id
        if self.status == AttendanceStatus.deputy_present:
            return self.row.deputy_person_id
        return None

    @property
    def attendee(self) -> Person | None:
        if self.status == AttendanceStatus.present:
            return self.membership.person
        if self.status == AttendanceStatus.deputy_present:
            return self.row.deputy
        return None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation


@dataclass
class Register:
    meeting: Meeting
    seats: list[Seat] = field(default_factory=list)

    def seat(self, membership_id: Any) -> Seat | None:
        return next((s for s in self.seats if s.membership.id == membership_id), None)

    @property
    def attendee_ids(self) -> set[int]:
        return {pid for s in self.seats if (pid := s.attendee_id) is not None}

    @property
    def people_ids(self) -> set[int]:
        """Members, their named deputies and deputies named for this meeting."""
        out: set[int] = set()
        for s in self.seats:
            out.add(s.membership.person_id)
            if s.membership.deputy_person_id:
                out.add(s.membership.deputy_person_id)
            if s.row is not None and s.row.deputy_person_id:
                out.add(s.row.deputy_person_id)
        return out

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in AttendanceStatus}
        out["not_recorded"] = 0
        for s in self.seats:
            out[s.status.value if s.status else "not_recorded"] += 1
        return out


_ROLE_ORDER = {
    MembershipRole.chair: 0,
    MembershipRole.vice_chair: 1,
    MembershipRole.member: 2,
    MembershipRole.adviser: 3,
}


def load_register(meeting: Meeting) -> Register:
    """The group's memberships on the meeting date with their attendance rows, in one
    query (a row for a seat whose dates have since changed still belongs to it)."""
    rows = db.session.execute(
        sa.select(Membership, Attendance)
        .outerjoin(Attendance, sa.and_(Attendance.membership_id == Membership.id, Attendance.meeting_id == meeting.id))
        .where(
            Membership.group_id == meeting.group_id, sa.or_(_current(meeting.meeting_date), Attendance.id.is_not(None))
        )
        .options(lazyload(Attendance.membership))
    ).all()
    seats = [Seat(m, a) for m, a in rows]
    seats.sort(
        key=lambda s: (
            _ROLE_ORDER.get(s.membership.role, 9),
            s.membership.organisation.name if s.membership.organisation else "",
            s.membership.person.name,
        )
    )
    return Register(meeting, seats)


def _required_kinds(group: Group, register: Register) -> list[OrganisationKind]:
    if group.kind in (GroupKind.board, GroupKind.executive):
        return list(STATUTORY_KINDS)
    seated = {s.organisation.kind for s in register.seats if s.organisation is not None}
    return [k for k in STATUTORY_KINDS if k in seated]


def presiding_chair(meeting: Meeting, register: Register) -> Person | None:
    """Who chairs: the chair if present, else the vice chair, else the nominated chair."""
    for role in (MembershipRole.chair, MembershipRole.vice_chair):
        for s in register.seats:
            if s.membership.role == role and s.status == AttendanceStatus.present:
                return s.membership.person
    if meeting.nominated_chair_person_id and meeting.nominated_chair_person_id in register.attendee_ids:
        return meeting.nominated_chair
    return None


def is_quorate(meeting: Meeting, register: Register | None = None) -> tuple[bool, list[str]]:
    """Whether the meeting is quorate now, and if not, what is missing (readable
    sentences such as "No one from the police is present")."""
    register = register or load_register(meeting)
    missing = []
    if presiding_chair(meeting, register) is None:
        missing.append("The chair, the vice chair or a nominated chair is not present")
    for kind in _required_kinds(meeting.group, register):
        if not any(
            s.represented and s.organisation is not None and s.organisation.kind == kind for s in register.seats
        ):
            missing.append(f"No one from {KIND_PHRASES[kind]} is present")
    return not missing, missing


def missing_phrase(missing: list[str]) -> str:
    """ "no one from the police is present and no one from …"."""
    parts = [m[0].lower() + m[1:] for m in missing]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def quorum_sentence(missing: list[str]) -> str:
    """ "Not quorate: no one from the police is present"."""
    return f"Not quorate: {missing_phrase(missing)}" if missing else "Quorate"


def people_by_id(ids: Iterable[int]) -> dict[int, Person]:
    """People by id, in one query."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(ids)))}


def _deputy_problem(membership: Membership, deputy: Person | None, meeting: Meeting) -> str | None:
    if deputy is None:
        return "Select a person from the list"
    if deputy.id == membership.person_id:
        return "The deputy must be a different person from the member"
    if membership.organisation_id is not None and deputy.organisation_id != membership.organisation_id:
        name = membership.organisation.name if membership.organisation else "the member's organisation"
        return f"The deputy must work for {name}"
    if meeting.meeting_date >= today() and not deputy.active:
        return "This person is deactivated"
    return None


def record_attendance(
    meeting: Meeting, entries: list[dict[str, Any]], *, user: Any, as_of: date | None = None
) -> Register:
    """The business office records the register: for each membership `present`,
    `deputy_present` (which deputy: the member's named deputy unless another is given),
    `apologies` (optionally the deputy who is to come) or `absent`. Before the day of the
    meeting only apologies can be recorded. Returns the register as it now stands.

    Field errors are keyed `status_<membership_id>` and `deputy_<membership_id>`."""
    _require_office(user, "record the register")
    if meeting.state == MeetingState.cancelled:
        raise Conflict("The meeting was cancelled: there is no register to record")
    as_of = as_of or today()
    register = load_register(meeting)
    deputies = people_by_id(e.get("deputy_person_id") for e in entries if isinstance(e.get("deputy_person_id"), int))
    errors: dict[str, str] = {}
    changes: list[tuple[Seat, AttendanceStatus, int | None, str | None]] = []
    seen: set[int] = set()
    for e in entries:
        mid = e.get("membership_id")
        seat = register.seat(mid)
        if seat is None:
            errors[f"membership_{mid}"] = "This membership is not a seat on the group on the date of the meeting"
            continue
        if mid in seen:
            errors[f"membership_{mid}"] = "Each membership can appear only once in the register"
            continue
        seen.add(mid)
        who = seat.membership.person.name
        try:
            status = AttendanceStatus(e.get("status")) if e.get("status") else None
        except ValueError:
            status = None
        if status is None:
            errors[f"status_{mid}"] = f"Select whether {who} attended"
            continue
        if status != AttendanceStatus.apologies and as_of < meeting.meeting_date:
            errors[f"status_{mid}"] = (
                f"The register can be recorded on or after {long_date(meeting.meeting_date)}: "
                f"until then record only apologies ({who})"
            )
            continue
        deputy_id = e.get("deputy_person_id")
        if status == AttendanceStatus.deputy_present and not deputy_id:
            deputy_id = (seat.row.deputy_person_id if seat.row else None) or seat.membership.deputy_person_id
            if deputy_id:
                deputies.update(people_by_id([deputy_id]))
            else:
                errors[f"deputy_{mid}"] = f"Select the deputy who attended for {who}"
                continue
        if status in (AttendanceStatus.present, AttendanceStatus.absent) and deputy_id:
            errors[f"deputy_{mid}"] = f"Name a deputy for {who} only when a deputy attended or is to attend"
            continue
        if deputy_id:
            problem = _deputy_problem(seat.membership, deputies.get(deputy_id), meeting)
            if problem:
                errors[f"deputy_{mid}"] = f"{problem} ({who}'s deputy)"
                continue
        note = (e.get("note") or "").strip() or None
        changes.append((seat, status, deputy_id or None, note))
    if errors:
        raise ValidationFailed(errors=errors)
    for seat, status, deputy_id, note in changes:
        _set_row(meeting, seat, status, deputy_id, note, user)
    db.session.flush()
    return register


def _set_row(
    meeting: Meeting, seat: Seat, status: AttendanceStatus, deputy_id: int | None, note: str | None, user: Any
) -> None:
    if seat.row is None:
        seat.row = Attendance(meeting_id=meeting.id, membership_id=seat.membership.id, membership=seat.membership)
        db.session.add(seat.row)
    seat.row.status = status
    seat.row.deputy_person_id = deputy_id
    seat.row.deputy = db.session.get(Person, deputy_id) if deputy_id else None
    if note is not None:
        seat.row.note = note
    seat.row.recorded_by_id = user.id if user is not None else None


def own_seats(register: Register, user: Any) -> list[Seat]:
    """The seats `user` holds as the member (not as someone's deputy)."""
    if not user.person_id:
        return []
    return [s for s in register.seats if s.membership.person_id == user.person_id]


def send_apologies(
    meeting: Meeting,
    membership_id: int,
    *,
    user: Any,
    deputy_person_id: int | None = None,
    note: str | None = None,
    as_of: date | None = None,
) -> Attendance:
    """A member sends apologies for an upcoming meeting and may name who will come in
    their place (their named deputy, or another person from their organisation for this
    meeting). The business office may record apologies received for any member."""
    as_of = as_of or today()
    if meeting.state not in (MeetingState.scheduled, MeetingState.papers_published) or meeting.meeting_date < as_of:
        raise Conflict("Apologies can be sent only before the meeting")
    register = load_register(meeting)
    seat = register.seat(membership_id)
    if seat is None:
        raise ValidationFailed(errors={"membership_id": "Select your seat on this group"})
    if not user.has_role(Role.business_office) and seat.membership.person_id != user.person_id:
        raise Forbidden("You can send apologies only for your own seat")
    if deputy_person_id:
        problem = _deputy_problem(seat.membership, db.session.get(Person, deputy_person_id), meeting)
        if problem:
            raise ValidationFailed(errors={"deputy_person_id": problem})
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise ValidationFailed(errors={"note": "The note must be 500 characters or fewer"})
    _set_row(meeting, seat, AttendanceStatus.apologies, deputy_person_id or None, note, user)
    db.session.flush()
    return seat.row


def name_deputy(
    meeting: Meeting, membership_id: int, deputy_person_id: int, *, user: Any, as_of: date | None = None
) -> Attendance:
    """Name who will attend a meeting in the member's place (this sends apologies)."""
    if not deputy_person_id:
        raise ValidationFailed(errors={"deputy_person_id": "Select who will attend in your place"})
    return send_apologies(meeting, membership_id, user=user, deputy_person_id=deputy_person_id, as_of=as_of)


def nominate_chair(meeting: Meeting, person_id: int | None, *, user: Any) -> Meeting:
    """Record who chairs the meeting when neither the chair nor the vice chair is there
    (the Board agrees a nominated lead officer: constitution)."""
    _require_office(user, "record the nominated chair")
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"The chair of a meeting that is {meeting.state.label.lower()} cannot be changed")
    if person_id and person_id not in load_register(meeting).people_ids:
        raise ValidationFailed(
            errors={"nominated_chair_person_id": "The nominated chair must be a member of the group or a deputy"}
        )
    meeting.nominated_chair_person_id = person_id or None
    meeting.nominated_chair = db.session.get(Person, person_id) if person_id else None
    db.session.flush()
    return meeting


def complete_register(meeting: Meeting, user: Any | None = None) -> None:
    """When the meeting ends every seat with no row is recorded absent (no apologies)."""
    register = load_register(meeting)
    for seat in register.seats:
        if seat.row is None:
            _set_row(meeting, seat, AttendanceStatus.absent, None, None, user)
    db.session.flush()


# --- declarations of interest ------------------------------------------------------------


def declare_interest(agenda_item: AgendaItem, *, user: Any, nature: str, person_id: int | None = None) -> Declaration:
    """Declare an interest in an agenda item, in writing to the chair. Members and
    deputies declare their own; the business office may record one made by a member or
    deputy of the group (for example, on the day)."""
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"Interests cannot be declared for a meeting that is {meeting.state.label.lower()}")
    if agenda_item.withdrawn:
        raise Conflict("This item has been withdrawn from the agenda")
    if person_id and person_id != user.person_id and not user.has_role(Role.business_office):
        raise Forbidden("You can declare only your own interests")
    person_id = person_id or user.person_id
    if not person_id:
        raise Forbidden("Your account is not linked to a person who sits on this group")
    errors = {}
    if person_id not in load_register(meeting).people_ids:
        errors["person_id"] = "Only a member of the group or a deputy can declare an interest in its business"
    nature = (nature or "").strip()
    if not nature:
        errors["nature"] = "Enter the nature of the interest"
    if db.session.scalar(
        sa.select(Declaration.id).where(
            Declaration.agenda_item_id == agenda_item.id, Declaration.person_id == person_id
        )
    ):
        errors["agenda_item_id"] = "An interest in this item has already been declared"
    if errors:
        raise ValidationFailed(errors=errors)
    person = db.session.get(Person, person_id)
    declaration = Declaration(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item.id,
        person_id=person_id,
        organisation_id=person.organisation_id,
        nature=nature,
        recorded_by_id=user.id,
    )
    db.session.add(declaration)
    db.session.flush()
    _tell_the_chair(declaration, meeting, agenda_item, person)
    return declaration


def _tell_the_chair(declaration: Declaration, meeting: Meeting, item: AgendaItem, person: Person) -> None:
    """A declaration is made in writing to the Independent Chair: each chair's account
    gets an email with a link to the register (the item and the nature of the interest
    stay in the service, where access is checked)."""
    from safeguarding.notify import queue_email, service_url

    chairs = db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.independent_chair, User.active.is_(True))
        .order_by(User.id)
    ).all()
    for chair in chairs:
        queue_email(
            [chair.email],
            f"Declaration of interest: {meeting.name}",
            "message",
            {
                "text": f"{person.name} has declared an interest in an item of the {meeting.name}. The "
                "declaration is in the register of declarations of interest.",
                "link": service_url("meetings.declarations"),
            },
            kind="declaration_of_interest",
            dedupe_key=f"declaration:{declaration.id}:{chair.id}",
        )


def declarations_visibility(user: Any) -> sa.ColumnElement[bool]:
    """The register of declarations: the chair and the office see all; others see their own."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    if user.person_id and user.has_role(*MEMBER_ROLES):
        return Declaration.person_id == user.person_id
    return sa.false()


def list_declarations(
    user: Any, *, meeting_id: int | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[Declaration], int]:
    stmt = sa.select(Declaration).where(declarations_visibility(user))
    if meeting_id:
        stmt = stmt.where(Declaration.meeting_id == meeting_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Declaration.declared_at.desc(), Declaration.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def declarations_of(meeting: Meeting) -> list[Declaration]:
    return list(
        db.session.scalars(sa.select(Declaration).where(Declaration.meeting_id == meeting.id).order_by(Declaration.id))
    )


# --- decisions and votes ------------------------------------------------------------------


@dataclass
class Voter:
    organisation: Organisation
    person: Person
    as_deputy: bool


@dataclass
class Eligibility:
    """Who may vote on one agenda item: one voter per organisation, and why others may not."""

    voters: dict[int, Voter] = field(default_factory=dict)
    # (person, organisation or None, reason) for attendees who may not vote
    excluded: list[tuple[Person, Organisation | None, str]] = field(default_factory=list)

    @property
    def unrepresented_excluded(self) -> list[tuple[Person, Organisation | None, str]]:
        """Exclusions that leave an organisation without a vote (what the form explains)."""
        return [e for e in self.excluded if e[1] is None or e[1].id not in self.voters]


def voting_eligibility(meeting: Meeting, agenda_item: AgendaItem, register: Register | None = None) -> Eligibility:
    register = register or load_register(meeting)
    attending = [s for s in register.seats if s.represented]
    signed = mou_signed_person_ids([s.attendee_id for s in attending])
    declared = set(
        db.session.scalars(sa.select(Declaration.person_id).where(Declaration.agenda_item_id == agenda_item.id))
    )
    out = Eligibility()
    for s in attending:
        m, person, org = s.membership, s.attendee, s.organisation
        if org is None:
            reason = "sits for no organisation (the chair has a casting vote only)"
        elif m.role == MembershipRole.adviser:
            reason = "is an adviser (advisers do not vote)"
        elif person.id not in signed:
            reason = "has not signed the memorandum of understanding"
        elif person.id in declared:
            reason = "declared an interest in this item"
        else:
            out.voters.setdefault(org.id, Voter(org, person, s.status == AttendanceStatus.deputy_present))
            continue
        out.excluded.append((person, org, reason))
    return out


def _validation_electorate(meeting: Meeting, agenda_item: AgendaItem, register: Register) -> set[int]:
    """Organisations asked to validate an interim decision: each with a voting seat on the
    group (not an adviser) whose member has signed the memorandum and did not declare an
    interest in the item."""
    seats = [s for s in register.seats if s.organisation is not None and s.membership.role != MembershipRole.adviser]
    signed = mou_signed_person_ids([s.membership.person_id for s in seats])
    declared = set(
        db.session.scalars(sa.select(Declaration.person_id).where(Declaration.agenda_item_id == agenda_item.id))
    )
    return {
        s.organisation.id for s in seats if s.membership.person_id in signed and s.membership.person_id not in declared
    }


def _parse_vote(value: Any) -> VoteChoice | None:
    try:
        return VoteChoice(value) if value else None
    except ValueError:
        return None


def record_decision(
    agenda_item: AgendaItem,
    *,
    user: Any,
    method: DecisionMethod | str,
    text: str,
    votes: list[dict[str, Any]] | None = None,
    casting_vote: VoteChoice | str | None = None,
    interim: bool = False,
    system: bool = False,
) -> Decision:
    """Record a decision on an agenda item while the meeting is in session and quorate.

    `method` "consensus" → agreed. "vote" → `votes` is a list of
    `{"organisation_id", "vote": "for" | "against" | "abstain"}`, one per organisation
    entitled to vote (see `voting_eligibility`); a simple majority of votes for and
    against decides; a tie needs `casting_vote` ("for" or "against"), the chair's.
    `interim` decisions stand once every organisation asked has validated them."""
    if not system and (user is None or not user.has_role(Role.business_office, Role.independent_chair)):
        raise Forbidden("Only the business office or the chair can record decisions")
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state != MeetingState.in_session:
        raise Conflict(
            f"Decisions can be recorded only while the meeting is in session: it is {meeting.state.label.lower()}"
        )
    if agenda_item.withdrawn:
        raise Conflict("This item has been withdrawn from the agenda")
    register = load_register(meeting)
    quorate, missing = is_quorate(meeting, register)
    if not quorate:
        raise ValidationFailed("The meeting is not quorate", reasons=[quorum_sentence(missing)])
    errors: dict[str, str] = {}
    try:
        method = DecisionMethod(method)
    except ValueError:
        raise ValidationFailed(errors={"method": "Select how the decision was made"}) from None
    text = (text or "").strip()
    if not text:
        errors["text"] = "Enter what was decided"
    casting = _parse_vote(casting_vote) if casting_vote else None
    if casting_vote and casting not in (VoteChoice.for_, VoteChoice.against):
        errors["casting_vote"] = "The casting vote must be for or against"
    cast: list[tuple[Voter, VoteChoice]] = []
    outcome = DecisionOutcome.agreed
    presiding = presiding_chair(meeting, register)
    counts = {VoteChoice.for_: 0, VoteChoice.against: 0, VoteChoice.abstain: 0}
    if method == DecisionMethod.consensus:
        if votes:
            errors["votes"] = "A decision by consensus has no votes: choose a vote instead"
        if casting_vote:
            errors["casting_vote"] = "The chair has a casting vote only when the votes are tied"
    else:
        eligibility = voting_eligibility(meeting, agenda_item, register)
        seen: set[int] = set()
        for v in votes or []:
            org_id = v.get("organisation_id")
            choice = _parse_vote(v.get("vote"))
            key = f"vote_{org_id}"
            voter = eligibility.voters.get(org_id)
            if voter is None:
                errors[key] = _not_entitled_message(org_id, eligibility)
            elif org_id in seen:
                errors[key] = f"{voter.organisation.name} has already voted: one vote per organisation"
            elif choice is None:
                errors[key] = f"Select how {voter.organisation.name} voted"
            else:
                seen.add(org_id)
                cast.append((voter, choice))
                counts[choice] += 1
        if not errors and counts[VoteChoice.for_] + counts[VoteChoice.against] == 0:
            errors["votes"] = "Record at least one vote for or against"
        if not errors:
            if counts[VoteChoice.for_] == counts[VoteChoice.against]:
                if casting is None:
                    errors["casting_vote"] = (
                        f"The votes are tied {counts[VoteChoice.for_]} to "
                        f"{counts[VoteChoice.against]}: record the chair's casting vote"
                    )
                else:
                    outcome = DecisionOutcome.carried if casting == VoteChoice.for_ else DecisionOutcome.not_carried
            elif casting_vote:
                errors["casting_vote"] = "The chair has a casting vote only when the votes are tied"
            else:
                outcome = (
                    DecisionOutcome.carried
                    if counts[VoteChoice.for_] > counts[VoteChoice.against]
                    else DecisionOutcome.not_carried
                )
    if errors:
        raise ValidationFailed(errors=errors)
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item.id,
        method=method,
        outcome=outcome,
        text=text,
        subject_type=agenda_item.subject_type,
        subject_id=agenda_item.subject_id,
        quorate=True,
        interim=bool(interim),
        votes_for=counts[VoteChoice.for_],
        votes_against=counts[VoteChoice.against],
        abstentions=counts[VoteChoice.abstain],
        casting_vote=casting if method == DecisionMethod.vote else None,
        casting_vote_by_person_id=presiding.id if (casting and presiding) else None,
        recorded_by_id=user.id if user is not None else None,
    )
    db.session.add(decision)
    db.session.flush()
    for voter, choice in cast:
        db.session.add(
            DecisionVote(
                decision_id=decision.id,
                organisation_id=voter.organisation.id,
                voter_person_id=voter.person.id,
                vote=choice,
            )
        )
    if interim:
        for org_id in sorted(_validation_electorate(meeting, agenda_item, register)):
            db.session.add(DecisionValidation(decision_id=decision.id, organisation_id=org_id))
    db.session.flush()
    db.session.refresh(decision)
    if decision.validated:
        _decision_final(decision, meeting)
    return decision


def _not_entitled_message(org_id: Any, eligibility: Eligibility) -> str:
    for person, org, reason in eligibility.excluded:
        if org is not None and org.id == org_id:
            return f"{org.name} cannot vote on this item: {person.name} {reason}"
    org = db.session.get(Organisation, org_id) if isinstance(org_id, int) else None
    if org is None:
        return "Select an organisation from the list"
    return f"{org.name} is not represented at the meeting, so it cannot vote"


def decision_stands(decision: Decision) -> bool:
    """A decision stands when it agreed or carried the matter, was made at a quorate
    meeting and, if interim, has been validated by every organisation asked."""
    return (
        decision.outcome in (DecisionOutcome.agreed, DecisionOutcome.carried)
        and decision.quorate
        and (not decision.interim or decision.validated)
    )


def decisions_for(subject_type: str, subject_id: int) -> list[Decision]:
    """Every decision on a subject (a record of another feature), oldest first. Guards
    such as "approved by the Board" ask `any(decision_stands(d) for d in ...)`."""
    return list(
        db.session.scalars(
            sa.select(Decision)
            .where(Decision.subject_type == subject_type, Decision.subject_id == subject_id)
            .order_by(Decision.recorded_at, Decision.id)
        )
    )


def decisions_of(meeting: Meeting) -> list[Decision]:
    """The meeting's decisions with their votes and validations, in one query."""
    return list(
        db.session.scalars(
            sa.select(Decision)
            .where(Decision.meeting_id == meeting.id)
            .options(joinedload(Decision.votes), joinedload(Decision.validations))
            .order_by(Decision.id)
        ).unique()
    )


def get_decision(decision_id: int, user: Any) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        raise NotFound("Decision not found")
    get_meeting(decision.meeting_id, user)
    return decision


def _decision_final(decision: Decision, meeting: Meeting) -> None:
    """The decision is final (recorded, or interim and now validated by all): the subject
    leaves the Board's waiting list; a chair's action is ratified or not."""
    if decision.subject_type is None:
        return
    for request in db.session.scalars(
        sa.select(AgendaRequest).where(
            AgendaRequest.subject_type == decision.subject_type,
            AgendaRequest.subject_id == decision.subject_id,
            AgendaRequest.closed_at.is_(None),
        )
    ):
        request.closed_at = utcnow()
    if decision.subject_type == CHAIR_ACTION:
        from safeguarding.workflows.meetings import chair_action_lifecycle

        action = db.session.get(ChairAction, decision.subject_id)
        if action is not None and action.status == ChairActionStatus.awaiting_ratification:
            trigger = "ratify" if decision_stands(decision) else "reject"
            chair_action_lifecycle.fire(
                action,
                trigger,
                user=None,
                system=True,
                as_of=meeting.meeting_date,
                comment=f"Decision {decision.id} at meeting {meeting.id}",
            )
    if decision.subject_type == "work_plan":
        from safeguarding.services import workplans

        workplans.board_decided(decision, meeting)
    db.session.flush()


def validate_decision(decision: Decision, *, user: Any) -> DecisionValidation:
    """A member (or their named deputy who has signed the memorandum) validates an interim
    decision electronically for their organisation."""
    if not decision.interim:
        raise Conflict("Only interim decisions are validated after the meeting")
    meeting = db.session.get(Meeting, decision.meeting_id)
    if meeting.state not in HELD_STATES:
        raise Conflict("Interim decisions are validated after the meeting has closed")
    if not user.person_id or not user.has_role(*MEMBER_ROLES):
        raise Forbidden("Only members of the group validate interim decisions")
    seats = [
        s
        for s in load_register(meeting).seats
        if s.organisation is not None
        and s.membership.role != MembershipRole.adviser
        and user.person_id in (s.membership.person_id, s.membership.deputy_person_id)
    ]
    if not seats:
        raise Forbidden("Only members of the group validate interim decisions")
    if all(s.membership.person_id != user.person_id for s in seats) and not mou_signed_person_ids([user.person_id]):
        raise Forbidden("A deputy must have signed the memorandum of understanding to validate a decision")
    org_ids = {s.organisation.id for s in seats}
    pending = [v for v in decision.validations if v.organisation_id in org_ids]
    if not pending:
        raise Forbidden("Your organisation is not asked to validate this decision")
    row = next((v for v in pending if v.validated_at is None), None)
    if row is None:
        raise Conflict("Your organisation has already validated this decision")
    row.validated_at = utcnow()
    row.validated_by_person_id = user.person_id
    row.validated_by_user_id = user.id
    db.session.flush()
    if decision.validated:
        _decision_final(decision, meeting)
    return row


def validations_awaiting(user: Any) -> list[DecisionValidation]:
    """Interim decisions waiting for the user's organisation's validation, at meetings of
    groups the user sits on (as member or named deputy). One query when nothing waits."""
    if not (user.person_id and user.organisation_id and user.has_role(*MEMBER_ROLES)):
        return []
    pending = db.session.execute(
        sa.select(DecisionValidation, Meeting.group_id, Meeting.meeting_date)
        .join(Decision, Decision.id == DecisionValidation.decision_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(
            DecisionValidation.organisation_id == user.organisation_id,
            DecisionValidation.validated_at.is_(None),
            Meeting.state.in_(HELD_STATES),
        )
        .order_by(DecisionValidation.id)
        .limit(200)
    ).all()
    if not pending:
        return []
    seats = db.session.execute(
        sa.select(Membership.group_id, Membership.start_date, Membership.end_date).where(
            Membership.organisation_id == user.organisation_id,
            sa.or_(Membership.person_id == user.person_id, Membership.deputy_person_id == user.person_id),
        )
    ).all()
    return [
        v
        for v, group_id, day in pending
        if any(g == group_id and start <= day and (end is None or end >= day) for g, start, end in seats)
    ]


# --- actions raised at meetings ----------------------------------------------------------


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
    """An action raised at a meeting goes into the shared action log."""
    _require_office(user, "record actions from a meeting")
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state not in (MeetingState.in_session, *HELD_STATES):
        raise Conflict("Actions are recorded once the meeting is in session")
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
        created_by_id=user.id,
    )
    db.session.add(MeetingAction(meeting_id=meeting.id, agenda_item_id=agenda_item.id, action_id=action.id))
    db.session.flush()
    return action


def actions_of(meeting: Meeting) -> dict[int, list[Action]]:
    """Actions raised at the meeting, by agenda item (one query)."""
    out: dict[int, list[Action]] = {}
    for link, action in db.session.execute(
        sa.select(MeetingAction, Action)
        .join(Action, Action.id == MeetingAction.action_id)
        .where(MeetingAction.meeting_id == meeting.id)
        .order_by(Action.id)
    ):
        out.setdefault(link.agenda_item_id, []).append(action)
    return out


# --- chair's action -----------------------------------------------------------------------


def may_take_chairs_action(user: Any) -> bool:
    """The independent chair, or the Board's vice chair acting in their absence."""
    if user.has_role(Role.independent_chair):
        return True
    group = board()
    if group is None or not user.person_id or not user.has_role(*MEMBER_ROLES):
        return False
    return bool(
        db.session.scalar(
            sa.select(Membership.id)
            .where(
                Membership.group_id == group.id,
                Membership.person_id == user.person_id,
                Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
                _current(today()),
            )
            .limit(1)
        )
    )


def statutory_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind.in_(STATUTORY_KINDS), Organisation.state.in_(("active", "leaving")))
            .order_by(Organisation.kind, Organisation.name)
        )
    )


def record_chair_action(
    *,
    user: Any,
    title: str,
    decision: str,
    urgency: str,
    decided_on: date | None,
    consultations: list[dict[str, Any]],
    as_of: date | None = None,
) -> ChairAction:
    """The chair (or vice chair) records an urgent decision taken between meetings, with
    the consultation of each of the three statutory agencies (a local authority, the
    police, the integrated care board): date and view. It goes on the next Board
    agenda for ratification."""
    if not may_take_chairs_action(user):
        raise Forbidden("Only the chair or the Board's vice chair can take chair's action")
    if not user.person_id:
        raise Forbidden("Your account is not linked to a person")
    as_of = as_of or today()
    errors: dict[str, str] = {}
    reasons: list[str] = []
    title, decision, urgency = (title or "").strip(), (decision or "").strip(), (urgency or "").strip()
    if not title:
        errors["title"] = "Enter a short title for the decision"
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    if not decision:
        errors["decision"] = "Enter the decision taken"
    if not urgency:
        errors["urgency"] = "Enter why the decision could not wait for the next meeting"
    if decided_on is None:
        errors["decided_on"] = "Enter the date the decision was taken"
    elif decided_on > as_of:
        errors["decided_on"] = "The date the decision was taken must be today or in the past"
    group = board()
    if group is None:
        reasons.append("There is no Board to ratify the decision")
    orgs = {o.id: o for o in statutory_organisations()}
    covered: set[OrganisationKind] = set()
    clean = []
    seen: set[int] = set()
    for c in consultations or []:
        org = orgs.get(c.get("organisation_id"))
        key = f"consultation_{c.get('organisation_id')}"
        if org is None:
            errors[key] = "Record consultations with the statutory agencies only"
            continue
        if org.id in seen:
            errors[key] = f"{org.name} is listed twice"
            continue
        seen.add(org.id)
        consulted_on, view = c.get("consulted_on"), (c.get("view") or "").strip()
        if consulted_on is None:
            errors[f"consulted_on_{org.id}"] = f"Enter the date {org.name} was consulted"
        elif decided_on is not None and consulted_on > decided_on:
            errors[f"consulted_on_{org.id}"] = f"{org.name} must have been consulted on or before the decision"
        if not view:
            errors[f"view_{org.id}"] = f"Enter {org.name}'s view"
        person_id = c.get("consulted_person_id")
        if person_id:
            person = db.session.get(Person, person_id)
            if person is None or person.organisation_id != org.id:
                errors[f"consulted_person_{org.id}"] = f"The person consulted must work for {org.name}"
        covered.add(org.kind)
        clean.append((org, consulted_on, view, person_id or None))
    for kind in STATUTORY_KINDS:
        if kind not in covered:
            reasons.append(
                f"Record the consultation of {KIND_PHRASES[kind]}: the chair decides in consultation "
                "with the three statutory agencies"
            )
    if errors or reasons:
        raise ValidationFailed(errors=errors, reasons=reasons)
    assert group is not None and decided_on is not None
    action = ChairAction(
        group_id=group.id,
        title=title,
        decision=decision,
        urgency=urgency,
        decided_on=decided_on,
        decided_by_person_id=user.person_id,
        recorded_by_id=user.id,
        status=ChairActionStatus.awaiting_ratification,
    )
    db.session.add(action)
    db.session.flush()
    for org, consulted_on, view, person_id in clean:
        db.session.add(
            ChairActionConsultation(
                chair_action_id=action.id,
                organisation_id=org.id,
                consulted_on=consulted_on,
                view=view,
                consulted_person_id=person_id,
            )
        )
    db.session.flush()
    add_to_next_board_agenda(
        f"Ratification of chair's action: {title}", subject_type=CHAIR_ACTION, subject_id=action.id, after=decided_on
    )
    db.session.refresh(action)
    return action


def chair_action_visibility(user: Any) -> sa.ColumnElement[bool]:
    """Chair's actions are reported to the Board: the office and the chair see them all,
    members of the group they were taken for (as member or named deputy) see its ones."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    if not (user.has_role(*MEMBER_ROLES) and user.person_id):
        return sa.false()
    return sa.exists().where(
        Membership.group_id == ChairAction.group_id,
        sa.or_(Membership.person_id == user.person_id, Membership.deputy_person_id == user.person_id),
        sa.or_(_current(today()), _current(ChairAction.decided_on)),
    )


def list_chair_actions(
    user: Any, *, status: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[ChairAction], int]:
    stmt = sa.select(ChairAction).where(chair_action_visibility(user))
    if status:
        stmt = stmt.where(ChairAction.status == ChairActionStatus(status))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(ChairAction.decided_on.desc(), ChairAction.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def get_chair_action(action_id: int, user: Any) -> ChairAction:
    action = db.session.scalar(sa.select(ChairAction).where(ChairAction.id == action_id, chair_action_visibility(user)))
    if action is None:
        raise NotFound("Chair's action not found")
    return action


def awaiting_ratification() -> list[ChairAction]:
    """Chair's actions the Board has still to ratify (without their consultations)."""
    return list(
        db.session.scalars(
            sa.select(ChairAction)
            .where(ChairAction.status == ChairActionStatus.awaiting_ratification)
            .options(lazyload(ChairAction.consultations))
            .order_by(ChairAction.decided_on)
        )
    )


# --- minutes ------------------------------------------------------------------------------


def case_group_ids() -> list[int]:
    """The groups that discuss cases, whose minutes are restricted as a whole (domain.md,
    "Confidential business": the SAR and CSPR sub-groups; viewers never see them): the
    sub-groups case reviews go to, and any group a review has been given to."""
    from safeguarding.models import Review, ReviewKind
    from safeguarding.services import reviews

    ids = set(db.session.scalars(sa.select(Review.group_id).distinct()))
    for kind in ReviewKind:
        group = reviews.default_group(kind)
        if group is not None:
            ids.add(group.id)
    return sorted(ids)


def minutes_visibility(user: Any) -> sa.ColumnElement[bool]:
    """The office and the chair see every draft; members see their groups' approved
    (circulated) and ratified minutes; viewers see ratified minutes only, and never those
    of the groups that discuss cases (`case_group_ids`)."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    clauses = []
    if user.has_role(Role.viewer):
        restricted = case_group_ids()
        public_record = Minutes.state == MinutesState.ratified
        if restricted:
            public_record = sa.and_(
                public_record, Minutes.meeting_id.in_(sa.select(Meeting.id).where(Meeting.group_id.not_in(restricted)))
            )
        clauses.append(public_record)
    if user.has_role(*MEMBER_ROLES) and user.person_id:
        clauses.append(
            sa.and_(
                Minutes.state.in_((MinutesState.approved, MinutesState.ratified)),
                Minutes.meeting_id.in_(sa.select(Meeting.id).where(meeting_visibility(user))),
            )
        )
    return sa.or_(*clauses) if clauses else sa.false()


def get_minutes(minutes_id: int, user: Any) -> Minutes:
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.id == minutes_id, minutes_visibility(user)))
    if minutes is None:
        raise NotFound("Minutes not found")
    return minutes


def minutes_of(meeting: Meeting) -> Minutes | None:
    return db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id))


@dataclass
class MinutesFilters:
    state: str | None = None
    group_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_minutes(user: Any, f: MinutesFilters) -> tuple[list[Minutes], int]:
    stmt = sa.select(Minutes).join(Meeting, Meeting.id == Minutes.meeting_id).where(minutes_visibility(user))
    if f.state:
        stmt = stmt.where(Minutes.state == MinutesState(f.state))
    if f.group_id:
        stmt = stmt.where(Meeting.group_id == f.group_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Meeting.meeting_date.desc(), Minutes.id.desc())
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    return list(rows), total


def start_minutes(meeting: Meeting, *, user: Any) -> Minutes:
    """Start the minutes of a meeting: one section per agenda item."""
    _require_office(user, "draft minutes")
    if meeting.state not in (MeetingState.in_session, *HELD_STATES):
        raise Conflict("Minutes are written once the meeting is in session")
    if minutes_of(meeting) is not None:
        raise Conflict("This meeting already has minutes")
    minutes = Minutes(meeting_id=meeting.id, meeting=meeting, state=MinutesState.draft, drafted_by_id=user.id)
    db.session.add(minutes)
    db.session.flush()
    for item in agenda_of(meeting):
        db.session.add(MinutesSection(minutes_id=minutes.id, agenda_item_id=item.id, text=""))
    db.session.flush()
    return minutes


def sections_of(minutes: Minutes) -> dict[int, MinutesSection]:
    return {
        s.agenda_item_id: s
        for s in db.session.scalars(sa.select(MinutesSection).where(MinutesSection.minutes_id == minutes.id))
    }


def update_minutes(minutes: Minutes, *, version: int | None, sections: dict[int, str], user: Any) -> Minutes:
    """Write the minutes (a text per agenda item) while they are a draft."""
    _require_office(user, "write minutes")
    _check_version(minutes, version)
    if minutes.state == MinutesState.ratified:
        raise Conflict("Ratified minutes are the permanent record: record an amendment instead")
    if minutes.state != MinutesState.draft:
        raise Conflict(
            f"Minutes that are {minutes.state.label.lower()} cannot be changed"
            + (": record an amendment instead" if minutes.state == MinutesState.approved else "")
        )
    existing = sections_of(minutes)
    items = {i.id: i for i in agenda_of(minutes.meeting, include_withdrawn=True)}
    errors = {}
    for item_id in sections:
        if item_id not in items:
            errors[f"section_{item_id}"] = "This is not an item on the meeting's agenda"
    if errors:
        raise ValidationFailed(errors=errors)
    for item_id, text in sections.items():
        section = existing.get(item_id)
        if section is None:
            section = MinutesSection(minutes_id=minutes.id, agenda_item_id=item_id)
            db.session.add(section)
        section.text = (text or "").strip()
    minutes.updated_at = utcnow()  # the minutes' version moves with any section
    db.session.flush()
    return minutes


def add_amendment(
    minutes: Minutes, *, user: Any, text: str, reason: str, agenda_item_id: int | None = None
) -> MinutesAmendment:
    """Correct approved or ratified minutes: the original stays; the amendment is recorded."""
    _require_office(user, "amend minutes")
    if minutes.state not in (MinutesState.approved, MinutesState.ratified):
        raise Conflict("Draft and submitted minutes are changed directly, not amended")
    errors = {}
    text, reason = (text or "").strip(), (reason or "").strip()
    if not text:
        errors["text"] = "Enter the correction"
    if not reason:
        errors["reason"] = "Enter why the minutes are corrected"
    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != minutes.meeting_id:
            errors["agenda_item_id"] = "Select an item of the meeting"
    if errors:
        raise ValidationFailed(errors=errors)
    amendment = MinutesAmendment(
        minutes_id=minutes.id, agenda_item_id=agenda_item_id, text=text, reason=reason, recorded_by_id=user.id
    )
    db.session.add(amendment)
    db.session.flush()
    return amendment


def amendments_of(minutes: Minutes) -> list[MinutesAmendment]:
    return list(
        db.session.scalars(
            sa.select(MinutesAmendment).where(MinutesAmendment.minutes_id == minutes.id).order_by(MinutesAmendment.id)
        )
    )


def ratifying_candidates(minutes: Minutes) -> list[Meeting]:
    """Later meetings of the same group now in session (where minutes may be ratified)."""
    m = minutes.meeting
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.group_id == m.group_id,
                Meeting.meeting_date > m.meeting_date,
                Meeting.state == MeetingState.in_session,
            )
            .order_by(Meeting.meeting_date)
        )
    )


def ratification_problem(minutes: Minutes, meeting: Meeting | None) -> str | None:
    """Why `meeting` cannot ratify `minutes` (None if it can)."""
    if meeting is None:
        return "Choose the meeting of the group, now in session, that ratifies the minutes"
    if meeting.group_id != minutes.meeting.group_id:
        return f"Minutes are ratified by a meeting of the same group ({minutes.meeting.group.name})"
    if meeting.meeting_date <= minutes.meeting.meeting_date:
        return "Minutes are ratified only at a later meeting of the group"
    if meeting.state != MeetingState.in_session:
        return "The meeting that ratifies the minutes must be in session"
    quorate, missing = is_quorate(meeting)
    if not quorate:
        return f"The meeting that ratifies the minutes is not quorate: {missing_phrase(missing)}"
    return None


def circulate_minutes(minutes: Minutes, on: date | None = None) -> int:
    """Email each member of the group on `on` (the day of approval), and each named
    deputy, that the minutes are approved, with a link to them (one message each, so
    addresses are not shared; the outbox's dedupe key makes a second call send nothing
    new). Returns the number of messages."""
    from safeguarding.notify import queue_email, service_url

    meeting = minutes.meeting
    seats = db.session.execute(
        sa.select(Membership.person_id, Membership.deputy_person_id).where(
            Membership.group_id == meeting.group_id, _current(on or today())
        )
    ).all()
    ids = {pid for seat in seats for pid in seat if pid}
    people = (
        db.session.scalars(
            sa.select(Person)
            .where(Person.id.in_(ids), Person.active.is_(True), Person.email.is_not(None))
            .order_by(Person.id)
        )
        if ids
        else []
    )
    link = service_url("meetings.minutes", minutes_id=minutes.id)
    queued = 0
    for person in people:
        queue_email(
            [person.email],
            f"Approved minutes: {meeting.name}",
            "minutes_approved",
            {"name": person.name, "meeting": meeting.name, "group": meeting.group.name, "link": link},
            kind="minutes_circulated",
            dedupe_key=f"minutes-circulated:{minutes.id}:{person.id}",
        )
        queued += 1
    if queued:
        minutes.circulated_at = utcnow()
        db.session.flush()
    return queued


def record_ratification(minutes: Minutes, meeting: Meeting, user: Any) -> Decision:
    """The ratifying meeting's "minutes of the previous meeting" item records the
    decision (by consensus) that the minutes are a true record."""
    item = db.session.scalar(
        sa.select(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.kind == AgendaItemKind.previous_minutes,
            AgendaItem.withdrawn.is_(False),
        )
        .order_by(AgendaItem.position)
        .limit(1)
    )
    if item is None:
        item = add_agenda_item(meeting, title="Minutes of the previous meeting", kind=AgendaItemKind.previous_minutes)
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        method=DecisionMethod.consensus,
        outcome=DecisionOutcome.agreed,
        quorate=True,
        subject_type=MINUTES,
        subject_id=minutes.id,
        text=f"The minutes of the {minutes.meeting.name} were agreed as a true record.",
        recorded_by_id=user.id if user is not None else None,
    )
    db.session.add(decision)
    db.session.flush()
    return decision


# --- calendar feed --------------------------------------------------------------------------


def user_for_calendar_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(User).where(User.calendar_token == token, User.active.is_(True)))


def calendar_meetings(user: Any, *, since: date | None = None, limit: int = 500) -> list[Meeting]:
    """The meetings in `user`'s calendar feed: those they may see, from a year ago."""
    since = since or (today() - timedelta(days=365))
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(meeting_visibility(user), Meeting.meeting_date >= since)
            .order_by(Meeting.meeting_date, Meeting.id)
            .limit(limit)
        )
    )


# --- home panels and lists ------------------------------------------------------------------


def upcoming_without_reply_select(user: Any, *, days: int = 56) -> sa.Select | None:
    """Upcoming meetings (next `days` days) where the user holds a seat and has sent no
    apologies: the ones to attend or send apologies for (a count, for the home page)."""
    if not user.person_id:
        return None
    on = today()
    reply = sa.exists().where(Attendance.meeting_id == Meeting.id, Attendance.membership_id == Membership.id)
    return (
        sa.select(sa.func.count(sa.distinct(Meeting.id)))
        .select_from(Meeting)
        .join(Membership, Membership.group_id == Meeting.group_id)
        .where(
            Membership.person_id == user.person_id,
            _current(Meeting.meeting_date),
            Meeting.state.in_((MeetingState.scheduled, MeetingState.papers_published)),
            Meeting.meeting_date >= on,
            Meeting.meeting_date <= on + timedelta(days=days),
            ~reply,
        )
    )


def upcoming_without_reply(user: Any, *, days: int = 56) -> int:
    stmt = upcoming_without_reply_select(user, days=days)
    return 0 if stmt is None else db.session.scalar(stmt) or 0


def chaired_meetings_select(user: Any, *, days: int = 56) -> sa.Select | None:
    """Meetings in the next `days` days of the groups the user chairs or vice-chairs."""
    if not user.person_id:
        return None
    on = today()
    chaired = sa.select(Membership.group_id).where(
        Membership.person_id == user.person_id,
        _current(on),
        Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
    )
    return (
        sa.select(sa.func.count())
        .select_from(Meeting)
        .where(
            Meeting.group_id.in_(chaired),
            Meeting.state.in_((MeetingState.scheduled, MeetingState.papers_published)),
            Meeting.meeting_date >= on,
            Meeting.meeting_date <= on + timedelta(days=days),
        )
    )


def validations_awaiting_select(user: Any) -> sa.Select | None:
    """How many interim decisions wait for the user's organisation's validation at
    meetings of groups the user sat on that day (as member or deputy): `validations_awaiting`
    as one count."""
    if not (user.person_id and user.organisation_id and user.has_role(*MEMBER_ROLES)):
        return None
    seat = sa.exists().where(
        Membership.group_id == Meeting.group_id,
        Membership.organisation_id == user.organisation_id,
        sa.or_(Membership.person_id == user.person_id, Membership.deputy_person_id == user.person_id),
        _current(Meeting.meeting_date),
    )
    return (
        sa.select(sa.func.count())
        .select_from(DecisionValidation)
        .join(Decision, Decision.id == DecisionValidation.decision_id)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(
            DecisionValidation.organisation_id == user.organisation_id,
            DecisionValidation.validated_at.is_(None),
            Meeting.state.in_(HELD_STATES),
            seat,
        )
    )


def papers_due_soon_select(*, days: int = 7) -> sa.Select:
    """Meetings whose papers are not yet published and are due within `days` (or overdue)."""
    return (
        sa.select(sa.func.count())
        .select_from(Meeting)
        .where(Meeting.state == MeetingState.scheduled, Meeting.papers_due_on <= today() + timedelta(days=days))
    )


def papers_due_soon(*, days: int = 7) -> int:
    return db.session.scalar(papers_due_soon_select(days=days)) or 0


def _needs_minutes() -> sa.ColumnElement[bool]:
    has_final = sa.exists().where(Minutes.meeting_id == Meeting.id, Minutes.state != MinutesState.draft)
    return sa.and_(Meeting.state.in_(HELD_STATES), ~has_final)


def meetings_needing_minutes_select() -> sa.Select:
    """Held meetings with no minutes yet, or minutes still in draft."""
    return sa.select(sa.func.count()).select_from(Meeting).where(_needs_minutes())


def meetings_needing_minutes() -> int:
    return db.session.scalar(meetings_needing_minutes_select()) or 0


def count_minutes_select(state: MinutesState) -> sa.Select:
    return sa.select(sa.func.count()).select_from(Minutes).where(Minutes.state == state)


def count_minutes(state: MinutesState) -> int:
    return db.session.scalar(count_minutes_select(state)) or 0


def awaiting_ratification_select() -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(ChairAction)
        .where(ChairAction.status == ChairActionStatus.awaiting_ratification)
    )


def count_awaiting_ratification() -> int:
    return db.session.scalar(awaiting_ratification_select()) or 0
