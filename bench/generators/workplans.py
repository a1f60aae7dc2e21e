"""Ten years of business plans (five priorities each) and work plans for ten sub-groups:
30 items a plan, 12 progress updates an item (3,000 items, 36,000 updates), ratings in
every RAG state; past years' plans closed, the latest approved."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from safeguarding.models import (
    BusinessPlan,
    ItemStatus,
    Priority,
    ProgressUpdate,
    Rag,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from safeguarding.models.base import utcnow

ORDER = 70

STATUS_RAG = (
    [(ItemStatus.completed, Rag.complete)] * 5
    + [(ItemStatus.in_progress, Rag.green)] * 3
    + [
        (ItemStatus.in_progress, Rag.amber),
        (ItemStatus.not_started, Rag.red),
        (ItemStatus.deferred, Rag.not_rated),
        (ItemStatus.cancelled, Rag.not_rated),
    ]
)


def generate(ctx) -> None:
    import sqlalchemy as sa

    from bench.generate import FIRST_YEAR, YEARS
    from safeguarding.extensions import db
    from safeguarding.models import Group

    rng = ctx.rng
    now = utcnow()
    orgs, people, office_user = ctx.ids["organisations"], ctx.ids["people"], ctx.ids["users"][0]
    groups = list(db.session.scalars(sa.select(Group.id).where(Group.kind == "subgroup").order_by(Group.id)))[:10]
    plans, priorities, work_plans, items, updates = [], [], [], [], []
    item_id = update_id = 0
    for y in range(YEARS):
        year = FIRST_YEAR + y
        plans.append(
            {
                "id": y + 1,
                "financial_year": year,
                "strategic_plan": "Generated for the benchmark.",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        year_priorities = []
        for n in range(1, 6):
            pid = y * 5 + n
            year_priorities.append(pid)
            priorities.append(
                {
                    "id": pid,
                    "business_plan_id": y + 1,
                    "number": n,
                    "title": f"Priority {n}",
                    "description": "",
                    "arm": rng.choice(["adults", "children", "both"]),
                    "area": rng.choice(["north", "west", "both"]),
                    "outcomes": "An outcome",
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        latest = y == YEARS - 1
        for g, group_id in enumerate(groups):
            wid = y * len(groups) + g + 1
            work_plans.append(
                {
                    "id": wid,
                    "group_id": group_id,
                    "financial_year": year,
                    "state": (WorkPlanState.approved if latest else WorkPlanState.closed).value,
                    "submitted_on": date(year, 4, 10),
                    "approved_on": date(year, 4, 20),
                    "closed_on": None if latest else date(year + 1, 3, 31),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            for k in range(ctx.n(30)):
                item_id += 1
                status, rag = rng.choice(STATUS_RAG)
                due = date(year, 4, 1) + timedelta(days=rng.randint(30, 360))
                last = datetime(year, 4, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 360))
                items.append(
                    {
                        "id": item_id,
                        "work_plan_id": wid,
                        "priority_id": rng.choice(year_priorities),
                        "title": f"Bench item {k + 1}",
                        "lead_person_id": rng.choice(people),
                        "lead_organisation_id": rng.choice(orgs),
                        "due_date": due,
                        "success_measure": "Generated",
                        "status": status.value,
                        "rag": rag.value,
                        "at_risk": rag == Rag.amber and rng.random() < 0.5,
                        "completed_on": due if status == ItemStatus.completed else None,
                        "status_reason": "Generated" if status in (ItemStatus.deferred, ItemStatus.cancelled) else None,
                        "closed_reason": None
                        if latest or status not in (ItemStatus.not_started, ItemStatus.in_progress)
                        else "Closed at year end",
                        "last_update_at": last,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                for u in range(ctx.n(12)):
                    update_id += 1
                    updates.append(
                        {
                            "id": update_id,
                            "item_id": item_id,
                            "text": "Progress generated for the bench",
                            "percent": min(100, (u + 1) * 8),
                            "author_id": office_user,
                            "created_at": last - timedelta(days=(12 - u) * 7),
                        }
                    )
    ctx.insert(BusinessPlan.__table__, plans, "business plans")
    ctx.insert(Priority.__table__, priorities, "priorities")
    ctx.insert(WorkPlan.__table__, work_plans, "work plans")
    ctx.insert(WorkPlanItem.__table__, items, "work plan items")
    ctx.insert(ProgressUpdate.__table__, updates, "progress updates")
    ctx.ids["work_plans"] = [w["id"] for w in work_plans]
    ctx.ids["work_plan_items"] = [i["id"] for i in items]
