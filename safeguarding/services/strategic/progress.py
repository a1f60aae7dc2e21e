"""How far the strategic plan's objectives were achieved: each objective through the
business plan priorities linked to it and the sub-groups' work plan items on those
priorities; and each member organisation's commitments with the items it leads. The plan's
page and the annual report's sections (b) and (c) read these."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    ItemStatus,
    Priority,
    Rag,
    StrategicObjective,
    StrategicPlan,
    WorkPlanItem,
    strategic_objective_priorities,
)
from safeguarding.services.strategic.common import commitments_of, objectives_of


@dataclass
class Tally:
    items: int = 0
    completed: int = 0
    in_progress: int = 0
    red: int = 0
    amber: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.items) if self.items else None

    def add(self, status: ItemStatus, rating: Rag) -> None:
        self.items += 1
        if status == ItemStatus.completed:
            self.completed += 1
        elif status == ItemStatus.in_progress:
            self.in_progress += 1
        if status != ItemStatus.completed and rating == Rag.red:
            self.red += 1
        elif status != ItemStatus.completed and rating == Rag.amber:
            self.amber += 1


@dataclass
class ObjectiveProgress:
    objective: StrategicObjective
    priorities: list[Priority]
    tally: Tally


@dataclass
class OrganisationProgress:
    organisation: str
    commitments: list[tuple[str, str]]  # (objective label, what it will do)
    tally: Tally = field(default_factory=Tally)


def priorities_by_objective(plan: StrategicPlan) -> dict[int, list[Priority]]:
    rows = db.session.execute(
        sa.select(strategic_objective_priorities.c.objective_id, Priority)
        .join(Priority, Priority.id == strategic_objective_priorities.c.priority_id)
        .join(StrategicObjective, StrategicObjective.id == strategic_objective_priorities.c.objective_id)
        .where(StrategicObjective.plan_id == plan.id)
        .order_by(Priority.number)
    ).all()
    out: dict[int, list[Priority]] = {}
    for objective_id, priority in rows:
        out.setdefault(objective_id, []).append(priority)
    return out


def _items(priority_ids: set[int]) -> list[tuple[int, int | None, ItemStatus, Rag]]:
    if not priority_ids:
        return []
    return [
        (p, org, status, override or rag)
        for p, org, status, rag, override in db.session.execute(
            sa.select(
                WorkPlanItem.priority_id,
                WorkPlanItem.lead_organisation_id,
                WorkPlanItem.status,
                WorkPlanItem.rag,
                WorkPlanItem.rag_override,
            ).where(
                WorkPlanItem.priority_id.in_(priority_ids),
                WorkPlanItem.status != ItemStatus.cancelled,
            )
        )
    ]


def progress_of(plan: StrategicPlan) -> tuple[list[ObjectiveProgress], list[OrganisationProgress]]:
    """(b) each objective's progress; (c) each member organisation's commitments and the
    work plan items it leads on the plan's priorities."""
    objectives = objectives_of(plan)
    linked = priorities_by_objective(plan)
    items = _items({p.id for ps in linked.values() for p in ps})
    by_priority: dict[int, list[tuple[int | None, ItemStatus, Rag]]] = {}
    for p, org, status, rating in items:
        by_priority.setdefault(p, []).append((org, status, rating))
    out = []
    for o in objectives:
        tally = Tally()
        for p in linked.get(o.id, []):
            for _, status, rating in by_priority.get(p.id, []):
                tally.add(status, rating)
        out.append(ObjectiveProgress(o, linked.get(o.id, []), tally))
    labels = {o.id: o.label for o in objectives}
    orgs: dict[int, OrganisationProgress] = {}
    for objective_id, rows in commitments_of(plan).items():
        for c in rows:
            orgs.setdefault(c.organisation_id, OrganisationProgress(c.organisation.name, [])).commitments.append(
                (labels[objective_id], c.text)
            )
    for _, org, status, rating in items:
        if org in orgs:
            orgs[org].tally.add(status, rating)
    for org_progress in orgs.values():
        org_progress.commitments.sort()
    return out, sorted(orgs.values(), key=lambda o: o.organisation)
