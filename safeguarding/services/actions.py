"""The shared action log. Meetings, reviews, work plans and disputes create actions with
`create_action`; owners post progress with `add_update`; the business office accepts
completion (see workflows/actions.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    ActionStatus,
    ActionUpdate,
    Area,
    Arm,
    Membership,
    Organisation,
    Person,
    Role,
)
from safeguarding.models.actions import CLOSED_STATUSES, OPEN_STATUSES
from safeguarding.models.files import StoredFile
from safeguarding.services.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.workflows.actions import OWNER_OR_OFFICE_PERMISSION, action_lifecycle

SEE_ALL = (Role.business_office, Role.independent_chair)


def visibility(user: Any) -> sa.ColumnElement[bool]:
    """Which actions `user` may see: the office and chair see all; others see their
    organisation's actions and those of groups they sit on (as member or deputy)."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    clauses = []
    if user.organisation_id and user.has_role(Role.partner_member, Role.subgroup_chair):
        clauses.append(Action.owner_organisation_id == user.organisation_id)
    if user.has_role(Role.partner_member, Role.subgroup_chair) and user.person_id:
        clauses.append(Action.group_id.in_(current_group_ids_select(user.person_id, today())))
    return sa.or_(*clauses) if clauses else sa.false()


def current_group_ids_select(person_id: int, on: date, *, chairing: bool = False) -> sa.Select:
    """The groups `person_id` sits on at `on` (as member or deputy; with `chairing`, as
    chair or vice chair), as a subquery: no query of its own."""
    if chairing:
        from safeguarding.models import MembershipRole

        who = sa.and_(
            Membership.person_id == person_id, Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair))
        )
    else:
        who = sa.or_(Membership.person_id == person_id, Membership.deputy_person_id == person_id)
    return sa.select(Membership.group_id).where(
        who, Membership.start_date <= on, sa.or_(Membership.end_date.is_(None), Membership.end_date >= on)
    )


def home_count(
    user: Any, *, overdue: bool = False, own_organisation: bool = False, chaired_groups: bool = False
) -> sa.Select | None:
    """A count of open actions for the home page (see `safeguarding.home`)."""
    stmt = sa.select(sa.func.count()).select_from(Action).where(Action.status.in_(OPEN_STATUSES))
    if overdue:
        stmt = stmt.where(Action.due_date < today())
    if own_organisation:
        if not user.organisation_id:
            return None
        return stmt.where(Action.owner_organisation_id == user.organisation_id)
    if chaired_groups:
        if not user.person_id:
            return None
        return stmt.where(Action.group_id.in_(current_group_ids_select(user.person_id, today(), chairing=True)))
    return stmt.where(visibility(user))


def may_update(action: Action, user: Any) -> bool:
    """The owner organisation's partner members and the business office post progress."""
    if user.has_role(Role.business_office):
        return True
    return bool(user.has_role(Role.partner_member) and user.organisation_id == action.owner_organisation_id)


def get_action(action_id: int, user: Any) -> Action:
    action = db.session.scalar(sa.select(Action).where(Action.id == action_id, visibility(user)))
    if action is None:
        raise NotFound("Action not found")
    return action


action_lifecycle.permission(OWNER_OR_OFFICE_PERMISSION)(may_update)
action_lifecycle.serve(loader=get_action)


@dataclass
class ActionFilters:
    status: str | None = None  # a status, "open" (all open ones) or "closed"
    organisation_id: int | None = None
    source_type: str | None = None
    group_id: int | None = None
    overdue: bool = False
    page: int = 1
    per_page: int = 50


def list_actions(user: Any, filters: ActionFilters) -> tuple[list[Action], int]:
    stmt = sa.select(Action).where(visibility(user))
    if filters.status == "open":
        stmt = stmt.where(Action.status.in_(OPEN_STATUSES))
    elif filters.status == "closed":
        stmt = stmt.where(Action.status.in_(CLOSED_STATUSES))
    elif filters.status:
        stmt = stmt.where(Action.status == ActionStatus(filters.status))
    if filters.organisation_id:
        stmt = stmt.where(Action.owner_organisation_id == filters.organisation_id)
    if filters.source_type:
        stmt = stmt.where(Action.source_type == ActionSource(filters.source_type))
    if filters.group_id:
        stmt = stmt.where(Action.group_id == filters.group_id)
    if filters.overdue:
        stmt = stmt.where(Action.status.in_(OPEN_STATUSES), Action.due_date < today())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Action.due_date, Action.id).limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    )
    return list(rows), total


def _check_owner(organisation_id: int | None, person_id: int | None) -> None:
    errors = {}
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if org is None:
        errors["owner_organisation_id"] = "Select the organisation that owns the action"
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None:
            errors["owner_person_id"] = "Select a person from the list"
        elif org is not None and person.organisation_id != org.id:
            errors["owner_person_id"] = "The action's owner must work for the owning organisation"
    if errors:
        raise ValidationFailed(errors=errors)


def create_action(
    *,
    title: str,
    owner_organisation_id: int,
    due_date: date,
    source_type: ActionSource,
    source_id: int | None = None,
    source_label: str | None = None,
    description: str | None = None,
    owner_person_id: int | None = None,
    group_id: int | None = None,
    area: Area = Area.both,
    arm: Arm = Arm.both,
    restricted: bool = False,
    created_by_id: int | None = None,
) -> Action:
    """Add an action to the shared log (meetings, reviews, work plans, disputes call this)."""
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(errors={"title": "Enter what needs to be done"})
    if due_date is None:
        raise ValidationFailed(errors={"due_date": "Enter the date the action is due"})
    _check_owner(owner_organisation_id, owner_person_id)
    action = Action(
        title=title,
        description=(description or "").strip() or None,
        source_type=source_type,
        source_id=source_id,
        source_label=source_label,
        group_id=group_id,
        owner_organisation_id=owner_organisation_id,
        owner_person_id=owner_person_id,
        due_date=due_date,
        area=area,
        arm=arm,
        restricted=restricted,
        created_by_id=created_by_id,
        status=ActionStatus.open,
    )
    db.session.add(action)
    db.session.flush()
    return action


def update_action(
    action: Action,
    *,
    version: int | None,
    title: str,
    description: str | None,
    owner_organisation_id: int,
    owner_person_id: int | None,
    due_date: date,
) -> Action:
    """The business office corrects an action's details."""
    if version is not None and version != action.version:
        raise StaleVersion()
    if action.status in CLOSED_STATUSES:
        raise ValidationFailed(reasons=["A closed action cannot be changed: reopen it first"])
    if not (title or "").strip():
        raise ValidationFailed(errors={"title": "Enter what needs to be done"})
    _check_owner(owner_organisation_id, owner_person_id)
    action.title = title.strip()
    action.description = (description or "").strip() or None
    action.owner_organisation_id = owner_organisation_id
    action.owner_person_id = owner_person_id
    action.due_date = due_date
    db.session.flush()
    return action


def add_update(
    action: Action, user: Any, *, text: str, progress: int | None = None, evidence: StoredFile | None = None
) -> ActionUpdate:
    """Post progress. Only the owner organisation's partner members and the office may."""
    if not may_update(action, user):
        raise Forbidden("Only the organisation that owns this action can update it")
    if action.status in CLOSED_STATUSES:
        raise ValidationFailed(reasons=["This action is closed: it cannot take more updates"])
    errors = {}
    if not (text or "").strip():
        errors["text"] = "Enter what has been done"
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = "Progress must be between 0 and 100"
    if errors:
        raise ValidationFailed(errors=errors)
    update = ActionUpdate(
        action_id=action.id,
        by_user_id=user.id,
        text=text.strip(),
        progress=progress,
        evidence_file_id=evidence.id if evidence else None,
    )
    db.session.add(update)
    db.session.flush()
    if action.status == ActionStatus.open:
        # Progress means work has started.
        action_lifecycle.fire(action, "start", user=user, version=action.version, comment="Progress posted")
    return update


def updates_of(action: Action) -> list[ActionUpdate]:
    return list(
        db.session.scalars(sa.select(ActionUpdate).where(ActionUpdate.action_id == action.id).order_by(ActionUpdate.id))
    )


def latest_updates(action_ids: list[int]) -> dict[int, ActionUpdate]:
    """The newest update of each action, in one query (for lists)."""
    if not action_ids:
        return {}
    newest = (
        sa.select(sa.func.max(ActionUpdate.id))
        .where(ActionUpdate.action_id.in_(action_ids))
        .group_by(ActionUpdate.action_id)
    )
    rows = db.session.scalars(
        sa.select(ActionUpdate)
        .where(ActionUpdate.id.in_(newest))
        .options(lazyload(ActionUpdate.by), lazyload(ActionUpdate.evidence))
    )
    return {u.action_id: u for u in rows}


def actions_for_source(source_type: ActionSource, source_id: int) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.source_type == source_type, Action.source_id == source_id)
            .order_by(Action.id)
        )
    )


def overdue_actions(on: date) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action).where(Action.status.in_(OPEN_STATUSES), Action.due_date < on).order_by(Action.due_date)
        )
    )
