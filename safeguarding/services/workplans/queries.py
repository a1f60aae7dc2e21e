"""Work plans: lookups and lists of business plans, priorities, work plans, their items and
progress updates, the Board's approval and terms-of-reference reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    INCOMPLETE_STATUSES,
    BusinessPlan,
    Group,
    GroupKind,
    Meeting,
    Priority,
    ProgressUpdate,
    TorReview,
    WorkPlan,
    WorkPlanItem,
)
from safeguarding.services import meetings
from safeguarding.services.errors import NotFound
from safeguarding.services.workplans.common import WORK_PLAN

# --- business plans ------------------------------------------------------------------------


def list_business_plans() -> list[BusinessPlan]:
    return list(db.session.scalars(sa.select(BusinessPlan).order_by(BusinessPlan.financial_year.desc())))


def get_business_plan(plan_id: int) -> BusinessPlan:
    plan = db.session.get(BusinessPlan, plan_id)
    if plan is None:
        raise NotFound("Business plan not found")
    return plan


def business_plan_for_year(year: int) -> BusinessPlan | None:
    return db.session.scalar(sa.select(BusinessPlan).where(BusinessPlan.financial_year == year))


def priorities_of(business_plan_id: int) -> list[Priority]:
    return list(
        db.session.scalars(
            sa.select(Priority).where(Priority.business_plan_id == business_plan_id).order_by(Priority.number)
        )
    )


def get_priority(priority_id: int) -> Priority:
    priority = db.session.get(Priority, priority_id)
    if priority is None:
        raise NotFound("Priority not found")
    return priority


# --- work plans ----------------------------------------------------------------------------


def subgroups() -> list[Group]:
    return list(
        db.session.scalars(
            sa.select(Group).where(Group.kind == GroupKind.subgroup, Group.active.is_(True)).order_by(Group.name)
        )
    )


def get_work_plan(plan_id: int) -> WorkPlan:
    plan = db.session.get(WorkPlan, plan_id)
    if plan is None:
        raise NotFound("Work plan not found")
    return plan


def plan_for(group_id: int, year: int) -> WorkPlan | None:
    return db.session.scalar(sa.select(WorkPlan).where(WorkPlan.group_id == group_id, WorkPlan.financial_year == year))


def list_work_plans(*, year: int | None = None, group_id: int | None = None) -> list[tuple[WorkPlan, dict[str, int]]]:
    """Work plans (newest year first) with counts of their items by rating: two queries."""
    stmt = sa.select(WorkPlan).join(Group, Group.id == WorkPlan.group_id)
    if year is not None:
        stmt = stmt.where(WorkPlan.financial_year == year)
    if group_id is not None:
        stmt = stmt.where(WorkPlan.group_id == group_id)
    plans = list(db.session.scalars(stmt.order_by(WorkPlan.financial_year.desc(), Group.name).limit(500)))
    counts: dict[int, dict[str, int]] = {p.id: {} for p in plans}
    if plans:
        rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
        for plan_id, value, n in db.session.execute(
            sa.select(WorkPlanItem.work_plan_id, rating, sa.func.count())
            .where(WorkPlanItem.work_plan_id.in_([p.id for p in plans]))
            .group_by(WorkPlanItem.work_plan_id, rating)
        ):
            counts[plan_id][str(value.value if hasattr(value, "value") else value)] = n
    return [(p, counts[p.id]) for p in plans]


def items_of(plan: WorkPlan) -> list[WorkPlanItem]:
    return list(
        db.session.scalars(
            sa.select(WorkPlanItem)
            .where(WorkPlanItem.work_plan_id == plan.id)
            .order_by(WorkPlanItem.due_date, WorkPlanItem.id)
        )
    )


def get_item(item_id: int) -> tuple[WorkPlanItem, WorkPlan]:
    row = db.session.execute(
        sa.select(WorkPlanItem, WorkPlan)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(WorkPlanItem.id == item_id)
    ).first()
    if row is None:
        raise NotFound("Work plan item not found")
    return row[0], row[1]


# --- progress updates ----------------------------------------------------------------------


def updates_of(item: WorkPlanItem) -> list[ProgressUpdate]:
    return list(
        db.session.scalars(
            sa.select(ProgressUpdate)
            .where(ProgressUpdate.item_id == item.id)
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        )
    )


def get_update(update_id: int) -> tuple[ProgressUpdate, WorkPlanItem, WorkPlan]:
    update = db.session.get(ProgressUpdate, update_id)
    if update is None:
        raise NotFound("Progress update not found")
    item, plan = get_item(update.item_id)
    return update, item, plan


# --- year end ------------------------------------------------------------------------------


def unsettled_items(plan: WorkPlan) -> int:
    """Incomplete items neither carried forward nor closed with a reason."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(WorkPlanItem)
            .where(
                WorkPlanItem.work_plan_id == plan.id,
                WorkPlanItem.status.in_([s.value for s in INCOMPLETE_STATUSES]),
                WorkPlanItem.carried_to_item_id.is_(None),
                WorkPlanItem.closed_reason.is_(None),
            )
        )
        or 0
    )


# --- the Board's approval ------------------------------------------------------------------


def board_approval(plan: WorkPlan) -> Any:
    """The Board's latest standing decision on the plan, or None."""
    standing = [d for d in meetings.decisions_for(WORK_PLAN, plan.id) if meetings.decision_stands(d)]
    return standing[-1] if standing else None


# --- terms of reference reviews ------------------------------------------------------------


def tor_reviews(year: int) -> list[TorReview]:
    return list(
        db.session.scalars(sa.select(TorReview).where(TorReview.financial_year == year).order_by(TorReview.reviewed_on))
    )


@dataclass
class TorStatus:
    group: Group
    review: TorReview | None
    first_meeting_on: date | None

    @property
    def missing(self) -> bool:
        """The sub-group has met this year and has not recorded its review."""
        return self.review is None and self.first_meeting_on is not None

    @property
    def sentence(self) -> str:
        if self.review is not None:
            return f"Reviewed on {long_date(self.review.reviewed_on)}"
        if self.first_meeting_on is not None:
            return f"Missing: not reviewed at its first meeting of the year on {long_date(self.first_meeting_on)}"
        return "Not yet due: the sub-group has not met this year"


def tor_status(year: int, as_of: date | None = None, groups: list[Group] | None = None) -> list[TorStatus]:
    """Each active sub-group's terms-of-reference review for the year: three queries (two
    when the sub-groups are given)."""
    as_of = as_of or today()
    start, end = financial_year_bounds(year)
    groups = subgroups() if groups is None else groups
    reviews = {r.group_id: r for r in tor_reviews(year)}
    first = dict(
        db.session.execute(
            sa.select(Meeting.group_id, sa.func.min(Meeting.meeting_date))
            .where(
                Meeting.group_id.in_([g.id for g in groups] or [0]),
                Meeting.is_held,
                Meeting.meeting_date >= start,
                Meeting.meeting_date <= min(end, as_of),
            )
            .group_by(Meeting.group_id)
        ).all()
    )
    return [TorStatus(g, reviews.get(g.id), first.get(g.id)) for g in groups]


def tor_flags(year: int, as_of: date | None = None) -> list[TorStatus]:
    return [s for s in tor_status(year, as_of) if s.missing]
