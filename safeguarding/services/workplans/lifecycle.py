"""What the work plan's lifecycle (workflows/workplans.py) needs from this service,
registered under the names it declares: who may edit a plan, the Board's standing
decision, putting the plan on the Board's agenda, the items still to settle at year end;
and how its pages and API load a plan."""

from __future__ import annotations

from typing import Any

from safeguarding.models import WorkPlan
from safeguarding.services.workplans.commands import put_on_board_agenda
from safeguarding.services.workplans.common import may_edit_plan
from safeguarding.services.workplans.queries import board_approval, get_work_plan, items_of, unsettled_items
from safeguarding.services.workplans.rag import recalculate
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.workplans import (
    BOARD_APPROVED,
    EDITOR,
    EVERY_ITEM_SETTLED,
    OFFICE_CHAIR_OR_EDITOR,
    OFFICE_OR_CHAIR,
    ON_BOARD_AGENDA,
    RECORD_APPROVAL,
    work_plan_lifecycle,
)


@work_plan_lifecycle.permission(EDITOR)
def _editor(plan: WorkPlan, user: Any) -> bool:
    return may_edit_plan(plan, user)


@work_plan_lifecycle.permission(OFFICE_CHAIR_OR_EDITOR)
def _office_chair_or_editor(plan: WorkPlan, user: Any) -> bool:
    return user.has_role(*OFFICE_OR_CHAIR) or may_edit_plan(plan, user)


@work_plan_lifecycle.effect(ON_BOARD_AGENDA)
def _on_board_agenda(ctx: TransitionContext) -> None:
    put_on_board_agenda(ctx.row, after=ctx.as_of)


@work_plan_lifecycle.guard(BOARD_APPROVED)
def _board_approved(ctx: TransitionContext) -> str | None:
    if board_approval(ctx.row) is None:
        return "The Board has not approved this work plan: it needs a standing decision at a quorate Board meeting"
    return None


@work_plan_lifecycle.effect(RECORD_APPROVAL)
def _set_approved(ctx: TransitionContext) -> None:
    decision = board_approval(ctx.row)
    ctx.row.approved_on = ctx.as_of
    ctx.row.approved_decision_id = decision.id if decision is not None else None
    for item in items_of(ctx.row):
        recalculate(item, ctx.as_of)


@work_plan_lifecycle.guard(EVERY_ITEM_SETTLED)
def _every_item_settled(ctx: TransitionContext) -> str | None:
    n = unsettled_items(ctx.row)
    if n:
        return (
            f"{n} incomplete item{'s' if n != 1 else ''} must be carried forward into next year's plan or "
            "closed with a reason first"
        )
    return None


work_plan_lifecycle.serve(loader=lambda entity_id, user: get_work_plan(entity_id))
