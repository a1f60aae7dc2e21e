"""What the budget's lifecycle (workflows/budget.py) needs from this service, registered
under the names it declares: the expenditure and year-end guards, recording the Board's
approval and closing the year; and how its pages and API load a budget."""

from __future__ import annotations

from safeguarding.services.budget.commands import close, close_guard, record_approval
from safeguarding.services.budget.figures import totals
from safeguarding.services.budget.queries import get_budget
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.budget import CLOSE_YEAR, HAS_EXPENDITURE, RECORD_APPROVAL, YEAR_OVER, budget_lifecycle


@budget_lifecycle.guard(HAS_EXPENDITURE)
def _has_expenditure(ctx: TransitionContext) -> str | None:
    if totals(ctx.row).expenditure_pence <= 0:
        return "Add the budget's expenditure lines before proposing it to the Board"
    return None


@budget_lifecycle.guard(YEAR_OVER)
def _year_over(ctx: TransitionContext) -> str | None:
    return close_guard(ctx.row, ctx.as_of)


@budget_lifecycle.effect(RECORD_APPROVAL)
def _approved(ctx: TransitionContext) -> None:
    record_approval(
        ctx.row,
        board_meeting_on=ctx.params["board_meeting_on"],
        minute_reference=ctx.params.get("minute_reference"),
        user=ctx.user,
    )


@budget_lifecycle.effect(CLOSE_YEAR)
def _closed(ctx: TransitionContext) -> None:
    close(ctx.row, ctx.as_of)


budget_lifecycle.serve(loader=lambda entity_id, user: get_budget(entity_id, user))
