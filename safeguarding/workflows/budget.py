"""A financial year's budget: draft → proposed (to the Board) → approved (the Board's
decision, recorded with the meeting date and minute reference) → closed (year end,
carrying the surplus or deficit into next year's reserves); a proposed budget can go
back to draft with what needs to change.

The meetings feature is built in parallel, so the Board's approval is recorded here by
the business office or the independent chair, giving the date of the Board meeting that
agreed the budget (and its minute reference): the history row is the record of the
Board's decision. After approval the budget changes only through in-year variations
(services/budget/), each with a reason and an approver.
"""

from __future__ import annotations

from flask import url_for

from safeguarding.calendar import financial_year_label
from safeguarding.formatting import long_date
from safeguarding.models import Budget, BudgetState, Role
from safeguarding.services import budget as svc
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}


def _has_expenditure(ctx: TransitionContext) -> str | None:
    if svc.totals(ctx.row).expenditure_pence <= 0:
        return "Add the budget's expenditure lines before proposing it to the Board"
    return None


def _meeting_not_in_future(ctx: TransitionContext) -> str | None:
    on = ctx.params.get("board_meeting_on")
    if on and on > ctx.as_of:
        return f"The Board meeting date must be today or in the past (not {long_date(on)})"
    return None


def _year_over(ctx: TransitionContext) -> str | None:
    return svc.close_guard(ctx.row, ctx.as_of)


def _approved(ctx: TransitionContext) -> None:
    svc.record_approval(
        ctx.row,
        board_meeting_on=ctx.params["board_meeting_on"],
        minute_reference=ctx.params.get("minute_reference"),
        user=ctx.user,
    )


def _closed(ctx: TransitionContext) -> None:
    svc.close(ctx.row, ctx.as_of)


budget_lifecycle = Lifecycle(
    "budget",
    Budget,
    BudgetState,
    [
        Transition(
            "propose",
            "draft",
            "proposed",
            OFFICE,
            "Propose to the Board",
            guards=[_has_expenditure],
            confirm="The budget goes to the Board for approval. It cannot be changed while the Board "
            "considers it (return it to draft to change it).",
        ),
        Transition(
            "return_to_draft",
            "proposed",
            "draft",
            OFFICE_OR_CHAIR,
            "Return to draft",
            comment="required",
            comment_label="What needs to change",
        ),
        Transition(
            "approve",
            "proposed",
            "approved",
            OFFICE_OR_CHAIR,
            "Record the Board's approval",
            params=[
                Param(
                    "board_meeting_on",
                    "date",
                    "Date of the Board meeting that approved the budget",
                    message="Enter the date of the Board meeting that approved the budget",
                ),
                Param(
                    "minute_reference",
                    "text",
                    "Minute reference",
                    required=False,
                    hint="For example ‘SPB 28/01/20 item 6’",
                ),
            ],
            guards=[_meeting_not_in_future],
            apply=_approved,
        ),
        Transition(
            "close_year",
            "approved",
            "closed",
            OFFICE,
            "Close the year",
            guards=[_year_over],
            apply=_closed,
            destructive=True,
            confirm="Closing the year records its income (contributions agreed and other income) less its "
            "actual spend as the surplus or deficit, and carries the reserves into next year. The "
            "budget cannot change afterwards; payments can still be recorded against its invoices.",
        ),
    ],
    initial="draft",
    noun="budget",
    loader=lambda entity_id, user: svc.get_budget(entity_id, user),
    url=lambda b: url_for("budget.budget", year=financial_year_label(b.financial_year)),
)
