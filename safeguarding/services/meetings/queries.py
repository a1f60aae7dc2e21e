"""Meetings: who sees what, and the lists and lookups the pages read (meetings, their
agenda, papers and actions, the calendar feed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    Meeting,
    MeetingAction,
    MeetingState,
    Membership,
    Minutes,
    MinutesState,
    Paper,
    User,
)
from safeguarding.models.meetings import HELD_STATES, UPCOMING_STATES
from safeguarding.services.errors import NotFound
from safeguarding.services.meetings.common import MEMBER_ROLES, SEE_ALL, _current

# --- who sees what ------------------------------------------------------------------------


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


# --- lists --------------------------------------------------------------------------------


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


def _needs_minutes() -> sa.ColumnElement[bool]:
    has_final = sa.exists().where(Minutes.meeting_id == Meeting.id, Minutes.state != MinutesState.draft)
    return sa.and_(Meeting.state.in_(HELD_STATES), ~has_final)


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


# --- lookups ------------------------------------------------------------------------------


def board() -> Group | None:
    """The Partnership Board (the active group of kind board)."""
    return db.session.scalar(
        sa.select(Group).where(Group.kind == GroupKind.board, Group.active.is_(True)).order_by(Group.id).limit(1)
    )


def next_meeting(group_id: int, after: date) -> Meeting | None:
    """The group's next meeting after `after` (strictly) that is still to happen: not
    cancelled, closed or recorded as inquorate."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.group_id == group_id, Meeting.meeting_date > after, Meeting.state.in_(UPCOMING_STATES))
        .order_by(Meeting.meeting_date, Meeting.starts_at, Meeting.id)
        .limit(1)
    )


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


def papers_of(meeting: Meeting) -> list[Paper]:
    return list(db.session.scalars(sa.select(Paper).where(Paper.meeting_id == meeting.id).order_by(Paper.id)))


def get_paper(meeting: Meeting, paper_id: int, user: Any) -> Paper:
    paper = db.session.get(Paper, paper_id)
    if paper is None or paper.meeting_id != meeting.id or not may_see_papers(meeting, user):
        raise NotFound("Paper not found")
    return paper


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


# --- calendar feed ------------------------------------------------------------------------


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
