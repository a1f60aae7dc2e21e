"""An action in the shared log: open → in progress → completion claimed → completed
(accepted by the business office), or not implemented (with the reason, which the annual
report states), or cancelled; closed actions can be reopened."""

from __future__ import annotations

from safeguarding.models import Action, ActionStatus, Role
from safeguarding.workflows.base import Lifecycle, Transition, TransitionContext

OFFICE = {Role.business_office}
OWNER_OR_OFFICE = {Role.business_office, Role.partner_member}
# Registered by services/actions.py: the owner's organisation, or the office.
OWNER_OR_OFFICE_PERMISSION = "owner_or_office"


def _completed(ctx: TransitionContext) -> None:
    ctx.row.completed_on = ctx.as_of
    ctx.row.closure_reason = None


def _closed_with_reason(ctx: TransitionContext) -> None:
    ctx.row.closure_reason = ctx.comment


def _reopened(ctx: TransitionContext) -> None:
    ctx.row.completed_on = None
    ctx.row.closure_reason = None


action_lifecycle = Lifecycle(
    "action",
    Action,
    ActionStatus,
    [
        Transition("start", "open", "in_progress", OWNER_OR_OFFICE, "Start work", allowed=OWNER_OR_OFFICE_PERMISSION),
        Transition(
            "claim_complete",
            ["open", "in_progress"],
            "completion_claimed",
            OWNER_OR_OFFICE,
            "Report as complete",
            allowed=OWNER_OR_OFFICE_PERMISSION,
            comment="required",
            comment_label="What was done",
        ),
        Transition(
            "accept_completion", "completion_claimed", "completed", OFFICE, "Accept as complete", apply=_completed
        ),
        Transition(
            "reject_completion",
            "completion_claimed",
            "in_progress",
            OFFICE,
            "Return as not complete",
            comment="required",
            comment_label="What is still needed",
        ),
        Transition(
            "close_not_implemented",
            ["open", "in_progress", "completion_claimed"],
            "not_implemented",
            {Role.business_office, Role.independent_chair},
            "Accept as not implemented",
            comment="required",
            comment_label="Reason it will not be implemented",
            apply=_closed_with_reason,
            destructive=True,
        ),
        Transition(
            "cancel",
            ["open", "in_progress"],
            "cancelled",
            OFFICE,
            "Cancel the action",
            comment="required",
            comment_label="Reason for cancelling",
            apply=_closed_with_reason,
            destructive=True,
        ),
        Transition(
            "reopen",
            ["completed", "not_implemented", "cancelled"],
            "in_progress",
            OFFICE,
            "Reopen",
            comment="required",
            comment_label="Why it is reopened",
            apply=_reopened,
        ),
    ],
    initial="open",
    state_attr="status",
    noun="action",
)
