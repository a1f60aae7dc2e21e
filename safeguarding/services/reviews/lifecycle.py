"""What the review and information request lifecycles (workflows/reviews/) need from this
service, registered with them by name: who may work on a review or answer a request, the
guards that read through the service, the effects that tell people or write through it,
and how the generic pages and API load a record."""

from __future__ import annotations

from safeguarding.extensions import db
from safeguarding.models import (
    DeadlineKind,
    InformationRequest,
    JointDecisionSubject,
    Meeting,
    Review,
    ReviewKind,
    ReviewOutcome,
    Role,
)
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.reviews.alerts import tell_chair_decision_waiting
from safeguarding.services.reviews.commissioning import commit_contract_value, commitment_due
from safeguarding.services.reviews.deadlines import deadlines, pauses_of, report_due_after
from safeguarding.services.reviews.information_requests import get_request, may_answer, outstanding_requests
from safeguarding.services.reviews.notification import publication_refusal
from safeguarding.services.reviews.partners import carried_decision, partners_refusal, put_rapid_review
from safeguarding.services.reviews.queries import get_review, may_work_on
from safeguarding.services.reviews.recommendations import actions_of, open_action_count, recommendations_of
from safeguarding.services.reviews.reports import board_sign_off
from safeguarding.services.reviews.screening import route_refusal
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.reviews import request_lifecycle, review_lifecycle
from safeguarding.workflows.reviews.effects import (
    COMMIT_CONTRACT,
    END_PAUSE,
    PUT_TO_PARTNERS,
    SET_DECISION,
    SIGNED_OFF,
    TELL_CHAIR,
)
from safeguarding.workflows.reviews.guards import (
    ACTION_PLAN_IN_PLACE,
    ALL_ACTIONS_CLOSED,
    BOARD_SIGNED_OFF,
    NO_OUTSTANDING_REQUESTS,
    PARTNERS_AGREED_PUBLICATION,
    PARTNERS_DECIDED,
    PUBLICATION_AFTER_PANEL,
    RAPID_REVIEW_DELAY_EXPLAINED,
    REPORT_DELAY_EXPLAINED,
    ROUTE_FITS_OUTCOME,
    ROUTE_FITS_RECOMMENDATION,
    WORKER_PERMISSION,
)
from safeguarding.workflows.reviews.information_requests import ANSWERER_PERMISSION, REQUEST_WORKER_PERMISSION

# --- the review: who may work on it, and how it is loaded -------------------------------------------

review_lifecycle.permission(WORKER_PERMISSION)(may_work_on)
review_lifecycle.serve(loader=get_review)

# --- the review's guards -------------------------------------------------------------------------------


@review_lifecycle.guard(NO_OUTSTANDING_REQUESTS)
def _no_outstanding_requests(ctx: TransitionContext) -> str | None:
    n = outstanding_requests(ctx.row)
    if n:
        return (
            f"{n} information {'request is' if n == 1 else 'requests are'} still awaited: record "
            f"{'its return' if n == 1 else 'their returns'} or withdraw {'it' if n == 1 else 'them'} first"
        )
    return None


def _route_fits(field_name: str):
    def guard(ctx: TransitionContext) -> str | None:
        return route_refusal(ctx.row, ctx.params.get(field_name))

    return guard


review_lifecycle.guard(ROUTE_FITS_RECOMMENDATION)(_route_fits("recommendation"))
review_lifecycle.guard(ROUTE_FITS_OUTCOME)(_route_fits("outcome"))


def _late(ctx: TransitionContext, kind) -> bool:
    for d in deadlines(ctx.row, ctx.as_of):
        if d.kind == kind and (d.status == "breached" or d.status == "met_late"):
            return True
    return False


def _delay_explained(kind):
    def guard(ctx: TransitionContext) -> str | None:
        if _late(ctx, kind) and not ctx.row.delay_explanation:
            return f"The deadline ({kind.label.lower()}) has passed: record an explanation of the delay first"
        return None

    return guard


review_lifecycle.guard(RAPID_REVIEW_DELAY_EXPLAINED)(_delay_explained(DeadlineKind.rapid_review))
review_lifecycle.guard(REPORT_DELAY_EXPLAINED)(_delay_explained(DeadlineKind.report))


@review_lifecycle.guard(PARTNERS_DECIDED)
def _partners_decided(ctx: TransitionContext) -> str | None:
    if ctx.row.kind != ReviewKind.cspr:
        return None
    return partners_refusal(ctx.row, JointDecisionSubject.rapid_review, outcome=ctx.params.get("outcome"))


@review_lifecycle.guard(PARTNERS_AGREED_PUBLICATION)
def _partners_agreed_publication(ctx: TransitionContext) -> str | None:
    if ctx.row.kind != ReviewKind.cspr:
        return None
    return partners_refusal(ctx.row, JointDecisionSubject.publication, publish=ctx.params.get("publish"))


@review_lifecycle.guard(BOARD_SIGNED_OFF)
def _board_signed_off(ctx: TransitionContext) -> str | None:
    """A SAR is signed off by the Board; a local child safeguarding practice review by
    the safeguarding partners of the child's area, jointly."""
    if ctx.row.kind == ReviewKind.cspr:
        return partners_refusal(ctx.row, JointDecisionSubject.lcspr_report)
    if board_sign_off(ctx.row) is None:
        return "The Board has not signed off this review: add it to a Board agenda"
    return None


@review_lifecycle.guard(PUBLICATION_AFTER_PANEL)
def _publication_after_panel(ctx: TransitionContext) -> str | None:
    return publication_refusal(ctx.row, ctx.params.get("publish"), ctx.params.get("published_on"))


@review_lifecycle.guard(ACTION_PLAN_IN_PLACE)
def _action_plan_in_place(ctx: TransitionContext) -> str | None:
    recs = recommendations_of(ctx.row)
    if not recs:
        return "Add the report's recommendations and their actions first"
    actions = actions_of(ctx.row)
    bare = [str(r.number) for r in recs if not actions.get(r.id)]
    if bare:
        return (
            f"Recommendation{'s' if len(bare) > 1 else ''} {', '.join(bare)} "
            f"{'have' if len(bare) > 1 else 'has'} no actions: add at least one for each"
        )
    return None


@review_lifecycle.guard(ALL_ACTIONS_CLOSED)
def _all_actions_closed(ctx: TransitionContext) -> str | None:
    n = open_action_count(ctx.row)
    if n:
        return (
            f"{n} {'action is' if n == 1 else 'actions are'} still open: each must be completed or accepted "
            "as not implemented with a reason"
        )
    return None


# --- the review's effects ------------------------------------------------------------------------------


@review_lifecycle.effect(TELL_CHAIR)
def _tell_chair(ctx: TransitionContext) -> None:
    tell_chair_decision_waiting(ctx.row)


@review_lifecycle.effect(PUT_TO_PARTNERS)
def _put_to_partners(ctx: TransitionContext) -> None:
    put_rapid_review(ctx.row, ctx.user)


@review_lifecycle.effect(SET_DECISION)
def _set_decision(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    outcome = ReviewOutcome(ctx.params["outcome"])
    r.decision = outcome
    r.decision_reason = ctx.params["decision_reason"]
    r.alternative_learning = ctx.params.get("alternative_learning")
    # The day it was decided (a decision at Tuesday's meeting entered on Friday keeps
    # Tuesday, and the report's due date runs from it).
    r.decided_on = ctx.params.get("decided_on") or ctx.as_of
    r.decided_by_id = ctx.user.id if ctx.user is not None else None
    r.report_due_on = report_due_after(r.kind, r.decided_on) if outcome.commissions else None


@review_lifecycle.effect(COMMIT_CONTRACT)
def _commit_contract(ctx: TransitionContext) -> None:
    """Commit a SAR reviewer's contract in the budget. A budget that cannot take it yet
    (no budget for the year, say) does not hold the review up: the review's page shows the
    reason and the office records the commitment once the budget is in place."""
    if not commitment_due(ctx.row):
        return
    try:
        with db.session.begin_nested():
            commit_contract_value(ctx.row, ctx.user, on=ctx.as_of)
    except ValidationFailed:
        ctx.row.commitment_recorded = False


@review_lifecycle.effect(END_PAUSE)
def _end_pause(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    for p in pauses_of([r.id]).get(r.id, []):
        if p.ended_on is None:
            p.ended_on = max(ctx.as_of, p.started_on)
            r.paused_days = (r.paused_days or 0) + (p.ended_on - p.started_on).days
    r.paused_since = None


@review_lifecycle.effect(SIGNED_OFF)
def _signed_off(ctx: TransitionContext) -> None:
    if ctx.row.kind == ReviewKind.cspr:
        joint = carried_decision(ctx.row, JointDecisionSubject.lcspr_report)
        ctx.row.signed_off_on = joint.decided_on if joint is not None else ctx.as_of
        return
    decision = board_sign_off(ctx.row)
    ctx.row.board_decision_id = decision.id
    # Signed off on the day the Board decided (the office may record it later).
    ctx.row.signed_off_on = db.session.get(Meeting, decision.meeting_id).meeting_date


# --- an information request: who may answer it or work on it, and how it is loaded -----------------


request_lifecycle.permission(ANSWERER_PERMISSION)(may_answer)


@request_lifecycle.permission(REQUEST_WORKER_PERMISSION)
def _request_worker(req: InformationRequest, user) -> bool:
    """A review's workers; for a request for another Board function, the office."""
    if req.review is None:
        return bool(user is not None and user.has_role(Role.business_office))
    return may_work_on(req.review, user)


request_lifecycle.serve(loader=get_request)
