"""The strategic plan: who may do what, finding a plan, and the checks every command shares."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_title
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Role,
    StrategicCommitment,
    StrategicConsultation,
    StrategicObjective,
    StrategicPlan,
    StrategicPlanState,
)
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion

SUBJECT = "strategic_plan"  # subject_type of the Board's agenda items and decisions on a plan
OFFICE = (Role.business_office,)
# Drafts and plans awaiting publication: the office and the independent chair.
DRAFT_READERS = (Role.business_office, Role.independent_chair)
# "the published strategic and business plans" (domain.md, "Who uses it").
READERS = (
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.viewer,
)


def title_of(plan: StrategicPlan) -> str:
    return f"Strategic plan {financial_year_title(plan.financial_year)}"


def require_office(user: Any, what: str) -> None:
    if user is None or not user.has_role(*OFFICE):
        raise Forbidden(f"Only the business office may {what}")


def check_version(plan: StrategicPlan, version: int | None) -> None:
    if version is not None and version != plan.version:
        raise StaleVersion()


def require_draft(plan: StrategicPlan) -> None:
    if plan.state != StrategicPlanState.draft:
        raise Conflict(
            f"The Board agreed the plan at its meeting on {long_date(plan.agreed_on)}: it can no longer be changed"
            if plan.agreed_on
            else "The plan can no longer be changed"
        )


def sees_drafts(user: Any) -> bool:
    return user is not None and user.has_role(*DRAFT_READERS)


def get_plan(plan_id: int, user: Any) -> StrategicPlan:
    """A plan the user may read: drafts and agreed plans only for the office and the chair
    (anyone else gets NotFound: they may not know it exists)."""
    plan = db.session.get(StrategicPlan, plan_id)
    if plan is None or (plan.state != StrategicPlanState.published and not sees_drafts(user)):
        raise NotFound("Strategic plan not found")
    return plan


def list_plans(user: Any) -> list[StrategicPlan]:
    stmt = sa.select(StrategicPlan).order_by(StrategicPlan.financial_year.desc())
    if not sees_drafts(user):
        stmt = stmt.where(StrategicPlan.state == StrategicPlanState.published)
    return list(db.session.scalars(stmt))


def plan_for_year(year: int) -> StrategicPlan | None:
    return db.session.scalar(sa.select(StrategicPlan).where(StrategicPlan.financial_year == year))


def objectives_of(plan: StrategicPlan) -> list[StrategicObjective]:
    return list(
        db.session.scalars(
            sa.select(StrategicObjective)
            .where(StrategicObjective.plan_id == plan.id)
            .order_by(StrategicObjective.number)
        )
    )


def get_objective(plan: StrategicPlan, objective_id: Any) -> StrategicObjective | None:
    if not isinstance(objective_id, int) or isinstance(objective_id, bool):
        return None
    objective = db.session.get(StrategicObjective, objective_id)
    return objective if objective is not None and objective.plan_id == plan.id else None


def commitments_of(plan: StrategicPlan) -> dict[int, list[StrategicCommitment]]:
    """Each objective's commitments (by objective id), organisations by name."""
    out: dict[int, list[StrategicCommitment]] = {}
    rows = db.session.scalars(
        sa.select(StrategicCommitment)
        .join(StrategicObjective, StrategicObjective.id == StrategicCommitment.objective_id)
        .where(StrategicObjective.plan_id == plan.id)
    )
    for c in sorted(rows, key=lambda c: c.organisation.name):
        out.setdefault(c.objective_id, []).append(c)
    return out


def consultations_of(plan: StrategicPlan) -> list[StrategicConsultation]:
    return list(
        db.session.scalars(
            sa.select(StrategicConsultation)
            .where(StrategicConsultation.plan_id == plan.id)
            .order_by(StrategicConsultation.consulted_on, StrategicConsultation.id)
        )
    )
