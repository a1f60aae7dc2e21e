"""Build business plans, work plans and items through the services."""

from __future__ import annotations

from datetime import date
from itertools import count

from safeguarding.models import WorkPlan, WorkPlanState
from safeguarding.services import workplans as svc
from safeguarding.workflows.workplans import work_plan_lifecycle as lifecycle

_years = count(2040)


def business_plan(demo, year: int | None = None, priorities: int = 2):
    year = year or next(_years)
    bp = svc.business_plan_for_year(year) or svc.create_business_plan(
        demo.user("office"), financial_year=year, strategic_plan="Keep people safe"
    )
    for n in range(priorities - len(svc.priorities_of(bp.id))):
        svc.add_priority(
            bp,
            demo.user("office"),
            title=f"Priority {n + 1}",
            arm="both",
            area="both",
            outcomes="Fewer repeat referrals",
        )
    return bp


def plan(
    demo,
    group: str = "sar",
    year: int | None = None,
    items: int = 1,
    state: str = "draft",
    due: date = date(2099, 1, 1),
) -> WorkPlan:
    bp = business_plan(demo, year)
    p = svc.create_work_plan(demo.user("office"), group_id=demo.group(group).id, financial_year=bp.financial_year)
    first = svc.priorities_of(bp.id)[0]
    for n in range(items):
        svc.add_item(
            p,
            demo.user("office"),
            priority_id=first.id,
            title=f"Item {n}",
            lead_person_id=demo.person("police_lead").id,
            lead_organisation_id=demo.org("police").id,
            due_date=due,
            success_measure="Audit shows it",
        )
    if state in ("submitted", "approved", "closed"):
        lifecycle.fire(p, "submit", user=demo.user("office"), version=p.version)
    if state in ("approved", "closed"):
        approve_directly(p)
    return p


def approve_directly(p: WorkPlan) -> None:
    """As the Board's decision would (tested separately in test_lifecycle)."""
    lifecycle.fire(p, "approve", user=None, system=True) if svc.board_approval(p) else _force(p)


def _force(p: WorkPlan) -> None:
    p.state = WorkPlanState.approved
    p.approved_on = date(2026, 11, 23)
    from safeguarding.extensions import db

    db.session.flush()
