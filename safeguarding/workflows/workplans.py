"""A sub-group's work plan: draft → submitted (on the next Board agenda) → approved (only
by a standing Board decision on the plan) → closed at year end (every incomplete item
carried into next year's plan or closed with a reason). `return_for_changes` sends a
submitted plan back to draft with a comment.

What needs the work plans service (who may edit a plan, the Board's decision, putting the
plan on the Board's agenda, the items still to settle) is named here and registered by
services/workplans/lifecycle.py; the page link by workplans/routes."""

from __future__ import annotations

from safeguarding.extensions import db
from safeguarding.models import Role, WorkPlan, WorkPlanItem, WorkPlanState
from safeguarding.workflows.base import Lifecycle, Transition, TransitionContext

EDITORS = {Role.business_office, Role.subgroup_chair}
OFFICE = {Role.business_office}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}

# Registered by services/workplans/lifecycle.py.
EDITOR = "editor"  # permission: the office, or the chair of the plan's sub-group
OFFICE_CHAIR_OR_EDITOR = "office_chair_or_editor"  # permission: OFFICE_OR_CHAIR, or an editor
BOARD_APPROVED = "board_approved"  # guard: a standing Board decision approves the plan
EVERY_ITEM_SETTLED = "every_item_settled"  # guard: no incomplete item left unsettled
ON_BOARD_AGENDA = "on_board_agenda"  # effect: the plan goes on the next Board agenda
RECORD_APPROVAL = "record_approval"  # effect: the decision and date of approval; items' RAG


def _has_items(ctx: TransitionContext) -> str | None:
    has = db.session.query(WorkPlanItem.id).filter(WorkPlanItem.work_plan_id == ctx.row.id).first()
    return None if has else "Add at least one item to the work plan first"


def _set_submitted(ctx: TransitionContext) -> None:
    ctx.row.submitted_on = ctx.as_of


def _set_returned(ctx: TransitionContext) -> None:
    ctx.row.submitted_on = None


def _set_closed(ctx: TransitionContext) -> None:
    ctx.row.closed_on = ctx.as_of


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
            after=ON_BOARD_AGENDA,
            allowed=EDITOR,
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
            allowed=OFFICE_CHAIR_OR_EDITOR,
        ),
        Transition(
            "approve",
            "submitted",
            "approved",
            OFFICE,
            "Record the Board's approval",
            guards=[BOARD_APPROVED],
            apply=RECORD_APPROVAL,
            confirm="The Board's decision approving the plan is recorded on it.",
        ),
        Transition(
            "close",
            "approved",
            "closed",
            EDITORS,
            "Close at year end",
            guards=[EVERY_ITEM_SETTLED],
            apply=_set_closed,
            allowed=EDITOR,
            destructive=True,
            confirm="The work plan is closed for the year. Its record is kept.",
        ),
    ],
    initial="draft",
    noun="work plan",
)
