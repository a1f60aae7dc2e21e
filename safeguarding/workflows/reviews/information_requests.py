"""The "information_request" lifecycle: sent → returned (by the agency) or withdrawn, and
asked again."""

from __future__ import annotations

from safeguarding.formatting import long_date
from safeguarding.models import InformationRequest, RequestStatus, Role
from safeguarding.services import reviews as svc
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext
from safeguarding.workflows.reviews.guards import WORKERS

# --- information requests ------------------------------------------------------------------------


def _answerer(req: InformationRequest, user) -> bool:
    return svc.may_answer(req, user)


def _request_worker(req: InformationRequest, user) -> bool:
    return svc.may_work_on(req.review, user)


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
            allowed=_answerer,
            params=[Param("response", "textarea", "The information requested")],
            apply=_returned,
            comment=None,
        ),
        Transition(
            "withdraw",
            "sent",
            "withdrawn",
            WORKERS,
            "Withdraw the request",
            allowed=_request_worker,
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
            allowed=_request_worker,
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
    loader=lambda entity_id, user: svc.get_request(entity_id, user),
)
