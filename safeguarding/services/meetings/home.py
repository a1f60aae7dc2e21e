"""Meetings: the counts on each role's home page (as selects, so the home page asks them in
one query)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Attendance,
    ChairAction,
    ChairActionStatus,
    Decision,
    DecisionValidation,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Minutes,
    MinutesState,
)
from safeguarding.models.meetings import HELD_STATES
from safeguarding.services.meetings.common import MEMBER_ROLES, _current
from safeguarding.services.meetings.queries import _needs_minutes


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
