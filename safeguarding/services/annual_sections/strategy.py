"""The annual report reports against the year's strategic plan (Care Act 2014 Schedule 2
para 4(1)(b) and (c)): what was done to implement the strategy — each objective through
the business plan priorities linked to it and the sub-groups' work plan items on them —
and what each member organisation did (its commitments and the items it led)."""

from __future__ import annotations

from safeguarding.calendar import financial_year_title
from safeguarding.models import StrategicPlanState
from safeguarding.services import strategic
from safeguarding.services.annual_sections.common import _plural
from safeguarding.services.annual_sections.registry import Figure, SectionData, Table, section


@section("strategy", 25, "Implementing the strategic plan", breakdown=())
def strategy_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    plan = strategic.plan_for_year(year)
    if plan is None or plan.state == StrategicPlanState.draft:
        return SectionData(summary=f"The Board had no agreed strategic plan for {financial_year_title(year)}.")
    objectives, organisations = strategic.progress_of(plan)
    items = sum(o.tally.items for o in objectives)
    completed = sum(o.tally.completed for o in objectives)
    achieved = sum(1 for o in objectives if o.tally.items and o.tally.completed == o.tally.items)
    figures = [
        Figure("objectives", "Strategic objectives", len(objectives)),
        Figure("objectives_achieved", "Objectives with every work plan item completed", achieved),
        Figure("items", "Work plan items on the plan's priorities", items),
        Figure("completed", "Items completed", completed),
        Figure(
            "completed_percent", "Items completed (%)", round(100 * completed / items) if items else None, "percent"
        ),
    ]
    by_objective = Table(
        "(b) What was done to implement the strategy, by objective",
        ["Objective", "Business plan priorities", "Items", "Completed", "In progress", "Red", "Amber", "Completed (%)"],
        [
            [
                o.objective.label,
                "; ".join(p.label for p in o.priorities) or "None linked",
                o.tally.items,
                o.tally.completed,
                o.tally.in_progress,
                o.tally.red,
                o.tally.amber,
                o.tally.percent,
            ]
            for o in objectives
        ],
        ["text", "text", "number", "number", "number", "number", "number", "percent"],
    )
    by_member = Table(
        "(c) What each member organisation did to implement the strategy",
        ["Organisation", "What it committed to", "Items it led", "Completed"],
        [
            [
                o.organisation,
                "; ".join(f"{label}: {text}" for label, text in o.commitments),
                o.tally.items,
                o.tally.completed,
            ]
            for o in organisations
        ],
        ["text", "text", "number", "number"],
    )
    summary = (
        f"The {plan.title} ({strategic.title_of(plan).lower()}, agreed by the Board) set "
        f"{_plural(len(objectives), 'objective')}. Through the business plan priorities derived from them the "
        f"sub-groups completed {completed} of {_plural(items, 'work plan item')}; {achieved} of the objectives "
        f"had every item completed. {_plural(len(organisations), 'member organisation')} committed to actions."
    )
    return SectionData(figures, [by_objective, by_member], [], summary)
