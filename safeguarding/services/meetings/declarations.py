"""Meetings: declarations of interest — declaring, telling the chair, the register of
declarations."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AgendaItem, Declaration, Meeting, Person, Role, User, UserRole
from safeguarding.models.meetings import UPCOMING_STATES
from safeguarding.notify import queue_email, service_url
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.services.meetings.common import MEMBER_ROLES, SEE_ALL
from safeguarding.services.meetings.register import load_register


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
