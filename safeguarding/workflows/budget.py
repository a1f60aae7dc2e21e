"""A financial year's budget: draft → proposed (to the Board) → approved (the Board's
decision, recorded with the meeting date and minute reference) → closed (year end,
carrying the surplus or deficit into next year's reserves); a proposed budget can go
back to draft with what needs to change.

The meetings feature is built in parallel, so the Board's approval is recorded here by
the business office or the independent chair, giving the date of the Board meeting that
agreed the budget (and its minute reference): the history row is the record of the
Board's decision. After approval the budget changes only through in-year variations
(services/budget/), each with a reason and an approver.

What needs the budget service (the totals, the year-end rules, recording the approval and
the close) is named here and registered by services/budget/lifecycle.py; the page link by
budget/routes.
"""

from __future__ import annotations

from safeguarding.formatting import long_date
from safeguarding.models import Budget, BudgetState, Role
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}

# Registered by services/budget/lifecycle.py.
HAS_EXPENDITURE = "has_expenditure"  # guard: the budget has expenditure lines
YEAR_OVER = "year_over"  # guard: the year may be closed
RECORD_APPROVAL = "record_approval"  # effect: the Board's approval (meeting date, minute reference)
CLOSE_YEAR = "close_year"  # effect: the year-end position and reserves


def _meeting_not_in_future(ctx: TransitionContext) -> str | None:
    on = ctx.params.get("board_meeting_on")
    if on and on > ctx.as_of:
        return f"The Board meeting date must be today or in the past (not {long_date(on)})"
    return None


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
            guards=[HAS_EXPENDITURE],
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
            apply=RECORD_APPROVAL,
        ),
        Transition(
            "close_year",
            "approved",
            "closed",
            OFFICE,
            "Close the year",
            guards=[YEAR_OVER],
            apply=CLOSE_YEAR,
            destructive=True,
            confirm="Closing the year records its income (contributions agreed and other income) less its "
            "actual spend as the surplus or deficit, and carries the reserves into next year. The "
            "budget cannot change afterwards; payments can still be recorded against its invoices.",
        ),
    ],
    initial="draft",
    noun="budget",
)
