"""The "information_request" lifecycle: sent → returned (by the agency), refused (with the
recipient's reason: the Board may then seek a court order) or withdrawn, and asked again. Who may answer or work on a request, how a request is loaded and its page's
address are registered by the feature (services/reviews/lifecycle.py, reviews/routes/)."""

from __future__ import annotations

from safeguarding.formatting import long_date
from safeguarding.models import InformationRequest, RequestStatus, Role
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext
from safeguarding.workflows.reviews.guards import WORKERS

# Registered by services/reviews/lifecycle.py: the agency the request was sent to (or the
# office, for a return by email); the office or a member of the review's sub-group.
ANSWERER_PERMISSION = "answerer"
REQUEST_WORKER_PERMISSION = "request_worker"

# --- information requests ------------------------------------------------------------------------


def _due_not_past(ctx: TransitionContext) -> str | None:
    due = ctx.params.get("due_on")
    if due is not None and due < ctx.as_of:
        return f"The new due date must be today ({long_date(ctx.as_of)}) or later"
    return None


def _returned(ctx: TransitionContext) -> None:
    req: InformationRequest = ctx.row
    req.response = ctx.params["response"]
    req.returned_on = ctx.as_of
    req.returned_by_id = ctx.user.id if ctx.user is not None else None


def _withdrawn(ctx: TransitionContext) -> None:
    ctx.row.withdrawn_reason = ctx.comment


def _refused(ctx: TransitionContext) -> None:
    ctx.row.refusal_reason = ctx.comment
    ctx.row.refused_on = ctx.as_of


def _asked_again(ctx: TransitionContext) -> None:
    req: InformationRequest = ctx.row
    req.due_on = ctx.params["due_on"]
    req.returned_on = None


request_lifecycle = Lifecycle(
    "information_request",
    InformationRequest,
    RequestStatus,
    [
        Transition(
            "respond",
            "sent",
            "returned",
            {Role.business_office, Role.partner_member},
            "Return the information",
            allowed=ANSWERER_PERMISSION,
            params=[Param("response", "textarea", "The information requested")],
            apply=_returned,
            comment=None,
        ),
        Transition(
            "record_refusal",
            "sent",
            "refused",
            WORKERS,
            "Record a refusal",
            allowed=REQUEST_WORKER_PERMISSION,
            comment="required",
            comment_label="The reason given for refusing",
            apply=_refused,
        ),
        Transition(
            "withdraw",
            "sent",
            "withdrawn",
            WORKERS,
            "Withdraw the request",
            allowed=REQUEST_WORKER_PERMISSION,
            comment="required",
            comment_label="Reason for withdrawing",
            apply=_withdrawn,
            destructive=True,
        ),
        Transition(
            "ask_again",
            "returned",
            "sent",
            WORKERS,
            "Ask for more information",
            allowed=REQUEST_WORKER_PERMISSION,
            params=[Param("due_on", "date", "New due date")],
            comment="required",
            comment_label="What more is needed",
            guards=[_due_not_past],
            apply=_asked_again,
        ),
    ],
    initial="sent",
    state_attr="status",
    noun="information request",
)
