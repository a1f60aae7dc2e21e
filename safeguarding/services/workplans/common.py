"""Work plans: the constants, permissions and guards every part of the service shares."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Membership, MembershipRole, Role, WorkPlan, WorkPlanItem
from safeguarding.services.errors import Forbidden, StaleVersion, ValidationFailed

WORK_PLAN = "work_plan"  # subject_type of the Board's agenda items and decisions on a work plan
OFFICE = (Role.business_office,)
# Work plans, their items and progress, highlight reports and terms-of-reference reviews
# are the groups' working papers: the office, the chair and members. Viewers read only
# "the published strategic and business plans" (domain.md, "Who uses it").
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
BUSINESS_PLAN_READERS = (*READERS, Role.viewer)
MEMBER_ROLES = (Role.partner_member, Role.subgroup_chair)


# --- permissions ---------------------------------------------------------------------------


def chaired_group_ids(user: Any, on: date | None = None) -> set[int]:
    """The sub-groups the user chairs (or vice-chairs) today."""
    if user is None or not getattr(user, "person_id", None) or not user.has_role(*MEMBER_ROLES):
        return set()
    on = on or today()
    return set(
        db.session.scalars(
            sa.select(Membership.group_id).where(
                Membership.person_id == user.person_id,
                Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
                Membership.start_date <= on,
                sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            )
        )
    )


def may_edit_plan(plan: WorkPlan | int, user: Any) -> bool:
    """The business office, or the chair of the plan's sub-group."""
    if user is None:
        return False
    if user.has_role(Role.business_office):
        return True
    group_id = plan if isinstance(plan, int) else plan.group_id
    return group_id in chaired_group_ids(user)


def may_update_item(item: WorkPlanItem, plan: WorkPlan, user: Any) -> bool:
    """The office, the sub-group's chair, or the item's lead (the lead person's user)."""
    if user is None:
        return False
    if user.person_id is not None and item.lead_person_id == user.person_id:
        return True
    return may_edit_plan(plan, user)


def _require_edit(plan: WorkPlan, user: Any) -> None:
    if not may_edit_plan(plan, user):
        raise Forbidden("Only the business office and the sub-group's chair can change this work plan")


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can do this")


def _check_version(row: Any, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(errors={"version": "Give the version of the record you are changing"})
    if version != row.version:
        raise StaleVersion()


def _text(value: str | None) -> str:
    return (value or "").strip()
