"""A sub-group's work plan: draft → submitted (on the next Board agenda) → approved (only
by a standing Board decision on the plan) → closed at year end (every incomplete item
carried into next year's plan or closed with a reason). `return_for_changes` sends a
submitted plan back to draft with a comment."""

from __future__ import annotations

from flask import url_for

from safeguarding.extensions import db
from safeguarding.models import Role, WorkPlan, WorkPlanItem, WorkPlanState
from safeguarding.services import workplans as svc
from safeguarding.workflows.base import Lifecycle, Transition, TransitionContext

EDITORS = {Role.business_office, Role.subgroup_chair}
OFFICE = {Role.business_office}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}


def _has_items(ctx: TransitionContext) -> str | None:
    has = db.session.query(WorkPlanItem.id).filter(WorkPlanItem.work_plan_id == ctx.row.id).first()
    return None if has else "Add at least one item to the work plan first"


def _set_submitted(ctx: TransitionContext) -> None:
    ctx.row.submitted_on = ctx.as_of


def _on_board_agenda(ctx: TransitionContext) -> None:
    svc.put_on_board_agenda(ctx.row, after=ctx.as_of)


def _board_approved(ctx: TransitionContext) -> str | None:
    if svc.board_approval(ctx.row) is None:
        return "The Board has not approved this work plan: it needs a standing decision at a quorate Board meeting"
    return None


def _set_approved(ctx: TransitionContext) -> None:
    decision = svc.board_approval(ctx.row)
    ctx.row.approved_on = ctx.as_of
    ctx.row.approved_decision_id = decision.id if decision is not None else None
    for item in svc.items_of(ctx.row):
        svc.recalculate(item, ctx.as_of)


def _set_returned(ctx: TransitionContext) -> None:
    ctx.row.submitted_on = None


def _every_item_settled(ctx: TransitionContext) -> str | None:
    n = svc.unsettled_items(ctx.row)
    if n:
        return (
            f"{n} incomplete item{'s' if n != 1 else ''} must be carried forward into next year's plan or "
            "closed with a reason first"
        )
    return None


def _set_closed(ctx: TransitionContext) -> None:
    ctx.row.closed_on = ctx.as_of


def _editor(plan: WorkPlan, user) -> bool:
    return svc.may_edit_plan(plan, user)


work_plan_lifecycle = Lifecycle(
    "work_plan",
    WorkPlan,
    WorkPlanState,
    [
        Transition(
            "submit",
            "draft",
            "submitted",
            EDITORS,
            "Submit to the Board for approval",
            guards=[_has_items],
            apply=_set_submitted,
            after=_on_board_agenda,
            allowed=_editor,
            confirm="The work plan goes on the agenda of the next Board meeting for approval.",
        ),
        Transition(
            "return_for_changes",
            "submitted",
            "draft",
            {*EDITORS, Role.independent_chair},
            "Return for changes",
            comment="required",
            comment_label="What needs to change",
            apply=_set_returned,
            allowed=lambda plan, user: user.has_role(*OFFICE_OR_CHAIR) or svc.may_edit_plan(plan, user),
        ),
        Transition(
            "approve",
            "submitted",
            "approved",
            OFFICE,
            "Record the Board's approval",
            guards=[_board_approved],
            apply=_set_approved,
            confirm="The Board's decision approving the plan is recorded on it.",
        ),
        Transition(
            "close",
            "approved",
            "closed",
            EDITORS,
            "Close at year end",
            guards=[_every_item_settled],
            apply=_set_closed,
            allowed=_editor,
            destructive=True,
            confirm="The work plan is closed for the year. Its record is kept.",
        ),
    ],
    initial="draft",
    noun="work plan",
    loader=lambda entity_id, user: svc.get_work_plan(entity_id),
    url=lambda p: url_for("workplans.plan", plan_id=p.id),
)
