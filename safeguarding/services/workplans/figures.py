"""Work plans: counts by RAG rating: the partnership view of a year, the annual report's
summary per sub-group and the home page's counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Area, Arm, BusinessPlan, Group, Priority, Rag, WorkPlan, WorkPlanItem, WorkPlanState
from safeguarding.services.workplans.queries import (
    TorStatus,
    business_plan_for_year,
    priorities_of,
    subgroups,
    tor_status,
)

# --- the partnership view ------------------------------------------------------------------


RAG_ORDER = (Rag.red, Rag.amber, Rag.green, Rag.complete, Rag.not_rated)


@dataclass
class PartnershipView:
    year: int
    business_plan: BusinessPlan | None
    priorities: list[Priority]
    groups: list[Group]
    plans: dict[int, WorkPlan]
    by_priority: dict[int, dict[Rag, int]]
    by_group: dict[int, dict[Rag, int]]
    tor: list[TorStatus] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.by_group.values())


def partnership_view(
    year: int,
    *,
    arm: str | None = None,
    area: str | None = None,
    organisation_id: int | None = None,
    as_of: date | None = None,
) -> PartnershipView:
    """Every sub-group's plan for the year: counts by rating per priority and per
    sub-group, filtered by the priority's arm and area (a priority for both counts for
    each) and the items' lead organisation. A fixed number of queries."""
    business_plan = business_plan_for_year(year)
    priorities = priorities_of(business_plan.id) if business_plan else []
    if arm:
        priorities = [p for p in priorities if p.arm in (Arm(arm), Arm.both) or arm == Arm.both.value]
    if area:
        priorities = [p for p in priorities if p.area in (Area(area), Area.both) or area == Area.both.value]
    groups = subgroups()
    plans = {p.group_id: p for p in db.session.scalars(sa.select(WorkPlan).where(WorkPlan.financial_year == year))}
    by_priority: dict[int, dict[Rag, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[int, dict[Rag, int]] = defaultdict(lambda: defaultdict(int))
    if plans and priorities:
        rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
        stmt = (
            sa.select(WorkPlan.group_id, WorkPlanItem.priority_id, rating, sa.func.count())
            .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
            .where(WorkPlan.financial_year == year, WorkPlanItem.priority_id.in_([p.id for p in priorities]))
            .group_by(WorkPlan.group_id, WorkPlanItem.priority_id, rating)
        )
        if organisation_id:
            stmt = stmt.where(WorkPlanItem.lead_organisation_id == organisation_id)
        for group_id, priority_id, value, n in db.session.execute(stmt):
            r = Rag(value)
            by_priority[priority_id][r] += n
            by_group[group_id][r] += n
    return PartnershipView(
        year, business_plan, priorities, groups, plans, by_priority, by_group, tor_status(year, as_of, groups)
    )


# --- for other features and the home page ---------------------------------------------------


def year_summary(year: int) -> dict[int, dict[str, int]]:
    """Per sub-group for a year: items by rating, completed and carried forward (for the
    annual report), over the plans the Board approved (approved or closed; drafts and
    plans awaiting the Board are not the partnership's). One query."""
    rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
    out: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        sa.select(
            WorkPlan.group_id,
            rating,
            sa.func.count(),
            sa.func.sum(sa.case((WorkPlanItem.carried_to_item_id.is_not(None), 1), else_=0)),
        )
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(WorkPlan.financial_year == year, WorkPlan.state.in_((WorkPlanState.approved, WorkPlanState.closed)))
        .group_by(WorkPlan.group_id, rating)
    )
    for group_id, value, n, carried in rows:
        counts = out.setdefault(group_id, {"total": 0, "carried_forward": 0})
        key = Rag(value).value
        counts[key] = counts.get(key, 0) + n
        counts["total"] += n
        counts["carried_forward"] += int(carried or 0)
    for counts in out.values():
        counts["completed"] = counts.get(Rag.complete.value, 0)
    return out


def rating_count_select(year: int, ratings, *, group_ids: sa.Select | None = None) -> sa.Select:
    """A COUNT of items rated (the override when set) one of `ratings` in the year's
    approved plans, optionally of the sub-groups in `group_ids` (a subquery): for the home
    page, no query of its own."""
    rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
    stmt = (
        sa.select(sa.func.count())
        .select_from(WorkPlanItem)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(
            WorkPlan.financial_year == year,
            WorkPlan.state == WorkPlanState.approved,
            rating.in_([r.value for r in ratings]),
        )
    )
    if group_ids is not None:
        stmt = stmt.where(WorkPlan.group_id.in_(group_ids))
    return stmt
