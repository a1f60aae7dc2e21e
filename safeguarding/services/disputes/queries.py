"""Disputes: who may see and act, lists and lookups of disputes, the people who may chair
the meeting, its agreed actions and the statutory partners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.orm import selectinload

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    Dispute,
    DisputeParty,
    DisputeState,
    Group,
    GroupKind,
    Membership,
    MembershipRole,
    Organisation,
    PartnershipState,
    Person,
    Role,
    User,
    UserRole,
)
from safeguarding.models.disputes import CLOSED_DISPUTE_STATES, OPEN_DISPUTE_STATES
from safeguarding.services import actions
from safeguarding.services.disputes.common import SEE_ALL
from safeguarding.services.errors import NotFound

# --- who may see and act -------------------------------------------------------------------


def visibility(user: Any) -> sa.ColumnElement[bool]:
    """The office and chair see every dispute; a partner member sees the disputes their
    organisation is a party to; nobody else sees any."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    if user.has_role(Role.partner_member) and user.organisation_id:
        return Dispute.id.in_(
            sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == user.organisation_id)
        )
    return sa.false()


def party_organisation_ids(dispute: Dispute) -> list[int]:
    if "parties" in inspect(dispute).dict:
        return [p.organisation_id for p in dispute.parties]
    return list(
        db.session.scalars(
            sa.select(DisputeParty.organisation_id)
            .where(DisputeParty.dispute_id == dispute.id)
            .order_by(DisputeParty.id)
        )
    )


def parties_of(dispute: Dispute) -> list[DisputeParty]:
    if "parties" in inspect(dispute).dict:
        return list(dispute.parties)
    return list(
        db.session.scalars(
            sa.select(DisputeParty).where(DisputeParty.dispute_id == dispute.id).order_by(DisputeParty.id)
        )
    )


def _party_names(dispute: Dispute) -> str:
    """The parties' names as a phrase ("A", "A and B", "A, B and C")."""
    names = [p.organisation.name for p in parties_of(dispute)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def is_party_representative(dispute: Dispute, user: Any) -> bool:
    """A partner member of one of the party organisations."""
    return bool(
        user.has_role(Role.partner_member)
        and user.organisation_id
        and user.organisation_id in party_organisation_ids(dispute)
    )


def get_dispute(dispute_id: int, user: Any) -> Dispute:
    dispute = db.session.scalar(
        sa.select(Dispute).where(Dispute.id == dispute_id, visibility(user)).options(selectinload(Dispute.parties))
    )
    if dispute is None:
        raise NotFound("Dispute not found")
    return dispute


@dataclass
class DisputeFilters:
    status: str | None = "open"  # "open", "closed", a state, or None for all
    breached: bool = False
    organisation_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_disputes(user: Any, filters: DisputeFilters) -> tuple[list[Dispute], int]:
    stmt = sa.select(Dispute).where(visibility(user))
    if filters.status == "open":
        stmt = stmt.where(Dispute.state.in_(OPEN_DISPUTE_STATES))
    elif filters.status == "closed":
        stmt = stmt.where(Dispute.state.in_(CLOSED_DISPUTE_STATES))
    elif filters.status:
        stmt = stmt.where(Dispute.state == DisputeState(filters.status))
    if filters.breached:
        stmt = stmt.where(Dispute.breach_recorded_on.is_not(None))
    if filters.organisation_id:
        stmt = stmt.where(
            Dispute.id.in_(
                sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == filters.organisation_id)
            )
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    # Open disputes with the nearest deadline first; undetermined ones after; then newest.
    rows = db.session.scalars(
        stmt.options(selectinload(Dispute.parties))
        .order_by(sa.case((Dispute.deadline.is_(None), 1), else_=0), Dispute.deadline, Dispute.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(rows), total


# --- the meeting and after ------------------------------------------------------------------


def independent_chair_person() -> Person | None:
    """The person of the (first) active account holding the independent chair role."""
    return db.session.scalar(
        sa.select(Person)
        .join(User, User.person_id == Person.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.independent_chair, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def chair_candidates(current_id: int | None = None) -> list[Person]:
    """Who may be chosen to chair a dispute meeting: the Independent Chair, the current
    members of the Board and the Executive, and the chairs and vice chairs of groups (and
    whoever was chosen before)."""
    on = today()
    seats = (
        sa.select(Membership.person_id)
        .join(Group, Group.id == Membership.group_id)
        .where(
            Membership.start_date <= on,
            sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            sa.or_(
                Group.kind.in_((GroupKind.board, GroupKind.executive)),
                Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
            ),
        )
    )
    chair = independent_chair_person()
    extra = [i for i in (current_id, chair.id if chair else None) if i]
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.active.is_(True), sa.or_(Person.id.in_(seats), Person.id.in_(extra or [0])))
            .order_by(Person.name)
        )
    )


def actions_of(dispute: Dispute) -> list[Action]:
    return actions.actions_for_source(ActionSource.dispute, dispute.id)


def visible_action_ids(rows: list[Action], user: Any) -> set[int]:
    """Which of a dispute's actions `user` may open in the action log."""
    if not rows:
        return set()
    return set(
        db.session.scalars(sa.select(Action.id).where(Action.id.in_([a.id for a in rows]), actions.visibility(user)))
    )


def statutory_partners() -> list[Organisation]:
    """The active statutory partners (local authorities, police, ICB): escalations go to
    their chief executives."""
    orgs = db.session.scalars(
        sa.select(Organisation).where(Organisation.state == PartnershipState.active).order_by(Organisation.name)
    )
    return [o for o in orgs if o.is_statutory]
