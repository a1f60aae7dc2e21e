"""Meetings: chair's action — urgent decisions between meetings, consulted on and ratified
by the Board."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    ChairAction,
    ChairActionConsultation,
    ChairActionStatus,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from safeguarding.models.enums import STATUTORY_KINDS
from safeguarding.services.errors import Forbidden, NotFound, ValidationFailed
from safeguarding.services.meetings.agenda import add_to_next_board_agenda
from safeguarding.services.meetings.common import CHAIR_ACTION, KIND_PHRASES, MEMBER_ROLES, SEE_ALL, _current
from safeguarding.services.meetings.queries import board


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
    title, decision, urgency = (title or "").strip(), (decision or "").strip(), (urgency or "").strip()
    errors = _chair_action_errors(title, decision, urgency, decided_on, as_of)
    reasons: list[str] = []
    group = board()
    if group is None:
        reasons.append("There is no Board to ratify the decision")
    clean, covered = _check_consultations(consultations, decided_on, errors)
    reasons += _unconsulted_reasons(covered)
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


def _chair_action_errors(
    title: str, decision: str, urgency: str, decided_on: date | None, as_of: date
) -> dict[str, str]:
    """What is wrong with the chair's action's own fields (already stripped)."""
    errors: dict[str, str] = {}
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
    return errors


_Consultation = tuple[Organisation, date | None, str, int | None]


def _check_consultations(
    consultations: list[dict[str, Any]] | None, decided_on: date | None, errors: dict[str, str]
) -> tuple[list[_Consultation], set[OrganisationKind]]:
    """The consultations as (organisation, consulted on, view, person consulted), one per
    statutory agency, and the kinds of agency they cover; what is wrong goes into `errors`."""
    orgs = {o.id: o for o in statutory_organisations()}
    covered: set[OrganisationKind] = set()
    clean: list[_Consultation] = []
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
        _check_when_and_view(org, consulted_on, view, decided_on, errors)
        person_id = c.get("consulted_person_id")
        if person_id:
            person = db.session.get(Person, person_id)
            if person is None or person.organisation_id != org.id:
                errors[f"consulted_person_{org.id}"] = f"The person consulted must work for {org.name}"
        covered.add(org.kind)
        clean.append((org, consulted_on, view, person_id or None))
    return clean, covered


def _check_when_and_view(
    org: Organisation, consulted_on: date | None, view: str, decided_on: date | None, errors: dict[str, str]
) -> None:
    """One agency's consultation: when (on or before the decision), and its view."""
    if consulted_on is None:
        errors[f"consulted_on_{org.id}"] = f"Enter the date {org.name} was consulted"
    elif decided_on is not None and consulted_on > decided_on:
        errors[f"consulted_on_{org.id}"] = f"{org.name} must have been consulted on or before the decision"
    if not view:
        errors[f"view_{org.id}"] = f"Enter {org.name}'s view"


def _unconsulted_reasons(covered: set[OrganisationKind]) -> list[str]:
    """A reason for each statutory kind of agency no consultation covers."""
    return [
        f"Record the consultation of {KIND_PHRASES[kind]}: the chair decides in consultation "
        "with the three statutory agencies"
        for kind in STATUTORY_KINDS
        if kind not in covered
    ]


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
