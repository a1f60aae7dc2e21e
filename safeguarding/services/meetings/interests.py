"""Meetings: the annual register of interests. Each member of the Board (not its advisers)
declares their interests in writing, or makes a nil return, once a financial year; the
office records returns for anyone and sees who has not yet made one; the independent chair
reads the register. (Declarations about an agenda item are `declarations.py`.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_start, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.models import Group, GroupKind, InterestReturn, Membership, MembershipRole, Person, Role
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.services.meetings.common import _current

SEE_REGISTER = (Role.business_office, Role.independent_chair)


@dataclass
class RegisterRow:
    person: Person
    interest_return: InterestReturn | None


def _board_members_select(on: date) -> sa.Select:
    """The Board's members on `on` (not its advisers), as a subquery: no query of its own,
    so the home page's counts stay one statement."""
    boards = sa.select(Group.id).where(Group.kind == GroupKind.board, Group.active.is_(True))
    return sa.select(Membership.person_id).where(
        Membership.group_id.in_(boards), Membership.role != MembershipRole.adviser, _current(on)
    )


def register_of_interests(financial_year: int) -> list[RegisterRow]:
    """Each current Board member with their return for `financial_year` (None: not yet
    made), by name — two queries whatever the size."""
    people = list(
        db.session.scalars(sa.select(Person).where(Person.id.in_(_board_members_select(today()))).order_by(Person.name))
    )
    returns = {
        r.person_id: r
        for r in db.session.scalars(
            sa.select(InterestReturn).where(
                InterestReturn.financial_year == financial_year,
                InterestReturn.person_id.in_([p.id for p in people] or [0]),
            )
        )
    }
    return [RegisterRow(p, returns.get(p.id)) for p in people]


def yet_to_declare_select(financial_year: int | None = None, person_id: int | None = None) -> sa.Select:
    """A count of current Board members (or of `person_id` alone) with no return for the
    year (default: this one)."""
    year = financial_year if financial_year is not None else financial_year_start(today())
    made = sa.select(InterestReturn.person_id).where(InterestReturn.financial_year == year)
    stmt = sa.select(sa.func.count(sa.distinct(Membership.person_id))).where(
        Membership.person_id.in_(_board_members_select(today())), Membership.person_id.not_in(made)
    )
    return stmt if person_id is None else stmt.where(Membership.person_id == person_id)


def record_interest_return(
    user: Any,
    *,
    financial_year: int | None,
    nil: bool,
    interests: str | None,
    declared_on: date | None = None,
    person_id: int | None = None,
) -> InterestReturn:
    """A Board member's return for a financial year: their interests, or nil. Members make
    their own; the office may record one received on paper for any Board member
    (`person_id`). One return per person per year; the current or the previous year only."""
    office = user is not None and user.has_role(Role.business_office)
    if person_id is None or not office:
        if person_id is not None and person_id != getattr(user, "person_id", None):
            raise Forbidden("Only the business office records a return for someone else")
        person_id = getattr(user, "person_id", None)
    if person_id is None:
        raise Forbidden("Only Board members make a return of their interests")
    current = financial_year_start(today())
    errors: dict[str, str] = {}
    if financial_year not in (current, current - 1):
        errors["financial_year"] = f"Select {financial_year_title(current)} or {financial_year_title(current - 1)}"
    text = (interests or "").strip()
    if nil and text:
        errors["interests"] = "A nil return lists no interests: remove them or untick ‘nil return’"
    elif not nil and not text:
        errors["interests"] = "Enter your interests, or make a nil return"
    declared_on = declared_on or today()
    if declared_on > today():
        errors["declared_on"] = "The date of the return must be today or in the past"
    if errors:
        raise ValidationFailed(errors=errors)
    if person_id not in set(db.session.scalars(_board_members_select(today()))):
        raise Forbidden("Only current Board members make a return of their interests")
    existing = db.session.scalar(
        sa.select(InterestReturn.id).where(
            InterestReturn.person_id == person_id, InterestReturn.financial_year == financial_year
        )
    )
    if existing is not None:
        raise Conflict(f"A return for {financial_year_title(financial_year)} has already been made")
    row = InterestReturn(
        person_id=person_id,
        financial_year=financial_year,
        nil=bool(nil),
        interests=text,
        declared_on=declared_on,
        recorded_by_id=user.id if user is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def may_read_register(user: Any) -> bool:
    return user is not None and user.has_role(*SEE_REGISTER)
