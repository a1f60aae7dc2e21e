"""Attendance monitoring: who sees what, and lists and counts of escalations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Escalation, EscalationState, Role
from safeguarding.models.attendance import OPEN_ESCALATION_STATES
from safeguarding.services.attendance.common import REPORT_ALL, SEE_ALL
from safeguarding.services.errors import NotFound


def sees_all(user: Any) -> bool:
    return user.has_role(*SEE_ALL)


def sees_whole_report(user: Any) -> bool:
    """Every organisation's row of the attendance report (a partner member: their own)."""
    return user.has_role(*REPORT_ALL)


def escalation_visibility(user: Any) -> sa.ColumnElement[bool]:
    """The office and the chair see every escalation; a partner member sees the letters
    addressed to their own organisation once sent; others (viewers too) see none."""
    if sees_all(user):
        return sa.true()
    if user.has_role(Role.partner_member) and user.organisation_id:
        return sa.and_(Escalation.organisation_id == user.organisation_id, Escalation.sent_on.is_not(None))
    return sa.false()


def get_escalation(escalation_id: int, user: Any) -> Escalation:
    e = db.session.scalar(sa.select(Escalation).where(Escalation.id == escalation_id, escalation_visibility(user)))
    if e is None:
        raise NotFound("Escalation not found")
    return e


@dataclass
class EscalationFilters:
    state: str | None = None  # a state, "open", "closed" or None for all
    group_id: int | None = None
    organisation_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_escalations(user: Any, f: EscalationFilters) -> tuple[list[Escalation], int]:
    stmt = sa.select(Escalation).where(escalation_visibility(user))
    if f.state == "open":
        stmt = stmt.where(Escalation.state.in_(OPEN_ESCALATION_STATES))
    elif f.state == "closed":
        stmt = stmt.where(Escalation.state.not_in(OPEN_ESCALATION_STATES))
    elif f.state:
        stmt = stmt.where(Escalation.state == EscalationState(f.state))
    if f.group_id:
        stmt = stmt.where(Escalation.group_id == f.group_id)
    if f.organisation_id:
        stmt = stmt.where(Escalation.organisation_id == f.organisation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Escalation.detected_on.desc(), Escalation.id.desc())
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    ).all()
    return list(rows), total


def open_count() -> int:
    return db.session.scalar(count_select(OPEN_ESCALATION_STATES)) or 0


def count_select(
    states, *, organisation_id: int | None = None, or_response_overdue_on: date | None = None
) -> sa.Select:
    """A COUNT of escalations in `states` (for the home page: no query of its own);
    with `organisation_id`, only that organisation's; with `or_response_overdue_on`, also
    those sent whose response date has passed by then."""
    where = Escalation.state.in_(tuple(states))
    if or_response_overdue_on is not None:
        where = sa.or_(
            where,
            sa.and_(Escalation.state == EscalationState.sent, Escalation.response_due_on < or_response_overdue_on),
        )
    stmt = sa.select(sa.func.count()).select_from(Escalation).where(where)
    if organisation_id is not None:
        stmt = stmt.where(Escalation.organisation_id == organisation_id)
    return stmt
