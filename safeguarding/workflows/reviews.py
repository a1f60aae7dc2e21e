"""Case reviews, from referral (SAR) or serious incident notification (CSPR) to the closed
action plan:

    SAR   referred → screening → information_gathering → awaiting_decision
    CSPR  notified → rapid_review → awaiting_decision
    both  awaiting_decision → commissioned | not_commissioned (closed)            (SAR)
                            → lcspr_commissioned | no_lcspr (closed)           (CSPR)
          → in_review ⇄ paused → draft_report → signed_off → published
          → action_monitoring → closed

Only the independent chair decides. The business office and the review's sub-group
screen, gather information, recommend and quality-check; the business office runs the
rest. An information request is sent → returned (by the agency) or withdrawn.
"""

from __future__ import annotations

from flask import url_for

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    DeadlineKind,
    InformationRequest,
    ParallelProcess,
    RequestStatus,
    Review,
    ReviewKind,
    ReviewOutcome,
    ReviewPause,
    ReviewState,
    Role,
)
from safeguarding.services import reviews as svc
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
WORKERS = {Role.business_office, Role.partner_member, Role.subgroup_chair}


def _worker(review: Review, user) -> bool:
    return svc.may_work_on(review, user)


# --- guards ------------------------------------------------------------------------------------


def _screened(ctx: TransitionContext) -> str | None:
    if ctx.row.screening_outcome is None:
        return "Record the screening against the s44 criteria first"
    return None


def _no_outstanding_requests(ctx: TransitionContext) -> str | None:
    n = svc.outstanding_requests(ctx.row)
    if n:
        return (
            f"{n} information {'request is' if n == 1 else 'requests are'} still awaited: record "
            f"{'its return' if n == 1 else 'their returns'} or withdraw {'it' if n == 1 else 'them'} first"
        )
    return None


def _route_fits(field_name: str):
    def guard(ctx: TransitionContext) -> str | None:
        return svc.route_refusal(ctx.row, ctx.params.get(field_name))

    return guard


def _notification_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.notified_on is None:
        return "Record the date the notification was sent to the national panel first"
    return None


def _rapid_review_recorded(ctx: TransitionContext) -> str | None:
    r: Review = ctx.row
    if not r.rapid_review_reasons or r.rapid_review_sent_on is None:
        return "Record the rapid review's findings and the date it was sent to the national panel first"
    if ctx.params.get("recommendation") == ReviewOutcome.lcspr.value and not r.lcspr_criteria:
        return "Record which criteria for a local review the case meets first"
    return None


def _late(ctx: TransitionContext, kind) -> bool:
    for d in svc.deadlines(ctx.row, ctx.as_of):
        if d.kind == kind and (d.status == "breached" or d.status == "met_late"):
            return True
    return False


def _delay_explained(kind):
    def guard(ctx: TransitionContext) -> str | None:
        if _late(ctx, kind) and not ctx.row.delay_explanation:
            return f"The deadline ({kind.label.lower()}) has passed: record an explanation of the delay first"
        return None

    return guard


def _commissioning_recorded(ctx: TransitionContext) -> str | None:
    r: Review = ctx.row
    missing = [
        what
        for what, value in (
            ("the terms of reference", r.terms_of_reference),
            ("the methodology", r.methodology),
            ("the independent reviewer", r.reviewer),
        )
        if not value
    ]
    if r.kind == ReviewKind.sar and r.contract_value_pence is None:
        missing.append("the contract value")
    if missing:
        return "Record " + ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1] + " first"
    return None


def _period_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.period_from is None or ctx.row.period_to is None:
        return "Record the period the review covers first"
    return None


def _resume_after_today(ctx: TransitionContext) -> str | None:
    resume = ctx.params.get("expected_resume_on")
    if resume is not None and resume <= ctx.as_of:
        return "The expected resume date must be in the future"
    return None


def _draft_uploaded(ctx: TransitionContext) -> str | None:
    if ctx.row.draft_report_file_id is None:
        return "Upload the draft report first"
    return None


def _family_recorded(ctx: TransitionContext) -> str | None:
    if ctx.row.family_invited is None:
        return "Record whether the family was invited to contribute first"
    return None


def _quality_checked(ctx: TransitionContext) -> str | None:
    if ctx.row.quality_check_passed is not True:
        return "The sub-group has not passed the draft report in its quality check"
    return None


def _board_signed_off(ctx: TransitionContext) -> str | None:
    if svc.board_sign_off(ctx.row) is None:
        return "The Board has not signed off this review: add it to a Board agenda"
    return None


def _final_uploaded(ctx: TransitionContext) -> str | None:
    if ctx.row.final_report_file_id is None:
        return "Upload the final report first"
    return None


def _publication_complete(ctx: TransitionContext) -> str | None:
    p = ctx.params
    if p.get("publish") is True:
        if p.get("published_on") is None or not p.get("publication_url"):
            return "Enter the publication date and the link to the published report"
    elif p.get("publish") is False and not p.get("not_published_reason"):
        return "Enter the reasons the report will not be published"
    return None


def _action_plan_in_place(ctx: TransitionContext) -> str | None:
    recs = svc.recommendations_of(ctx.row)
    if not recs:
        return "Add the report's recommendations and their actions first"
    actions = svc.actions_of(ctx.row)
    bare = [str(r.number) for r in recs if not actions.get(r.id)]
    if bare:
        return (
            f"Recommendation{'s' if len(bare) > 1 else ''} {', '.join(bare)} "
            f"{'have' if len(bare) > 1 else 'has'} no actions: add at least one for each"
        )
    return None


def _all_actions_closed(ctx: TransitionContext) -> str | None:
    n = svc.open_action_count(ctx.row)
    if n:
        return (
            f"{n} {'action is' if n == 1 else 'actions are'} still open: each must be completed or accepted "
            "as not implemented with a reason"
        )
    return None


# --- what each transition does ---------------------------------------------------------------------


def _set_recommendation(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    r.recommendation = ReviewOutcome(ctx.params["recommendation"])
    r.recommendation_reason = ctx.params["recommendation_reason"]
    r.recommended_on = ctx.as_of


def _tell_chair(ctx: TransitionContext) -> None:
    svc.tell_chair_decision_waiting(ctx.row)


def _decision_dest(ctx: TransitionContext) -> str:
    outcome = ReviewOutcome(ctx.params["outcome"])
    if ctx.row.kind == ReviewKind.cspr:
        return "no_lcspr" if outcome is ReviewOutcome.not_commissioned else "lcspr_commissioned"
    return "not_commissioned" if outcome is ReviewOutcome.not_commissioned else "commissioned"


def _set_decision(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    outcome = ReviewOutcome(ctx.params["outcome"])
    r.decision = outcome
    r.decision_reason = ctx.params["decision_reason"]
    r.alternative_learning = ctx.params.get("alternative_learning")
    r.decided_on = ctx.as_of
    r.decided_by_id = ctx.user.id if ctx.user is not None else None
    r.report_due_on = svc.report_due_after(r.kind, ctx.as_of) if outcome.commissions else None


def _set_started(ctx: TransitionContext) -> None:
    ctx.row.review_started_on = ctx.as_of


def _commit_contract(ctx: TransitionContext) -> None:
    """Commit a SAR reviewer's contract in the budget. A budget that cannot take it yet
    (no budget for the year, say) does not hold the review up: the review's page shows the
    reason and the office records the commitment once the budget is in place."""
    from safeguarding.services.errors import ValidationFailed

    if not svc.commitment_due(ctx.row):
        return
    try:
        with db.session.begin_nested():
            svc.commit_contract_value(ctx.row, ctx.user, on=ctx.as_of)
    except ValidationFailed:
        ctx.row.commitment_recorded = False


def _start_pause(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    process = ParallelProcess(ctx.params["process"])
    db.session.add(
        ReviewPause(
            review_id=r.id,
            started_on=ctx.as_of,
            process=process,
            reason=ctx.params["pause_reason"],
            expected_resume_on=ctx.params["expected_resume_on"],
        )
    )
    r.paused_since = ctx.as_of
    if process.value not in (r.parallel_processes or []):
        r.parallel_processes = sorted({*(r.parallel_processes or []), process.value})


def _end_pause(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    for p in svc.pauses_of([r.id]).get(r.id, []):
        if p.ended_on is None:
            p.ended_on = max(ctx.as_of, p.started_on)
            r.paused_days = (r.paused_days or 0) + (p.ended_on - p.started_on).days
    r.paused_since = None


def _draft_submitted(ctx: TransitionContext) -> None:
    if ctx.row.draft_received_on is None:
        ctx.row.draft_received_on = ctx.as_of


def _draft_returned(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    r.quality_check_passed = None
    r.quality_checked_on = None


def _signed_off(ctx: TransitionContext) -> None:
    from safeguarding.models import Meeting

    decision = svc.board_sign_off(ctx.row)
    ctx.row.board_decision_id = decision.id
    # Signed off on the day the Board decided (the office may record it later).
    ctx.row.signed_off_on = db.session.get(Meeting, decision.meeting_id).meeting_date


def _publication_decided(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    p = ctx.params
    r.published = bool(p["publish"])
    r.publication_decided_on = ctx.as_of
    r.published_on = p.get("published_on") if r.published else None
    r.publication_url = p.get("publication_url") if r.published else None
    r.not_published_reason = None if r.published else p.get("not_published_reason")
    r.family_informed = p["family_informed"]


def _monitoring_started(ctx: TransitionContext) -> None:
    ctx.row.monitoring_started_on = ctx.as_of


def _closed(ctx: TransitionContext) -> None:
    ctx.row.closed_on = ctx.as_of


RECOMMEND_SAR = (
    (ReviewOutcome.mandatory.value, "Commission a mandatory SAR"),
    (ReviewOutcome.discretionary.value, "Commission a discretionary SAR"),
    (ReviewOutcome.not_commissioned.value, "Do not commission a SAR"),
)
RECOMMEND_CSPR = (
    (ReviewOutcome.lcspr.value, "Recommend a local child safeguarding practice review"),
    (ReviewOutcome.not_commissioned.value, "Do not recommend a local review"),
)
DECIDE_CHOICES = tuple((o.value, o.label) for o in ReviewOutcome)


review_lifecycle = Lifecycle(
    "review",
    Review,
    ReviewState,
    [
        # SAR: screening and information gathering by the sub-group.
        Transition("start_screening", "referred", "screening", WORKERS, "Start screening", allowed=_worker),
        Transition(
            "request_information",
            "screening",
            "information_gathering",
            WORKERS,
            "Start gathering information",
            allowed=_worker,
            guards=[_screened],
        ),
        Transition(
            "recommend",
            "information_gathering",
            "awaiting_decision",
            WORKERS,
            "Recommend a decision to the chair",
            allowed=_worker,
            params=[
                Param("recommendation", "choice", "The sub-group's recommendation", choices=RECOMMEND_SAR),
                Param(
                    "recommendation_reason",
                    "textarea",
                    "Reasons for the recommendation",
                    hint="Say why the route is mandatory or discretionary, or why no review is needed",
                ),
            ],
            guards=[_screened, _no_outstanding_requests, _route_fits("recommendation")],
            apply=_set_recommendation,
            after=_tell_chair,
        ),
        # CSPR: the rapid review.
        Transition(
            "start_rapid_review",
            "notified",
            "rapid_review",
            WORKERS,
            "Start the rapid review",
            allowed=_worker,
            guards=[_notification_recorded],
        ),
        Transition(
            "complete_rapid_review",
            "rapid_review",
            "awaiting_decision",
            WORKERS,
            "Send the rapid review for decision",
            allowed=_worker,
            params=[
                Param("recommendation", "choice", "The rapid review's recommendation", choices=RECOMMEND_CSPR),
                Param("recommendation_reason", "textarea", "Reasons for the recommendation"),
            ],
            guards=[_rapid_review_recorded, _route_fits("recommendation"), _delay_explained(DeadlineKind.rapid_review)],
            apply=_set_recommendation,
            after=_tell_chair,
        ),
        # The independent chair decides.
        Transition(
            "decide",
            "awaiting_decision",
            "commissioned",
            CHAIR,
            "Decide whether to commission a review",
            alternatives=("not_commissioned", "lcspr_commissioned", "no_lcspr"),
            branch=_decision_dest,
            params=[
                Param("outcome", "choice", "Decision", choices=DECIDE_CHOICES),
                Param(
                    "decision_reason",
                    "textarea",
                    "Reasons for the decision",
                    hint="For a SAR, why the route is mandatory or discretionary, or why no review",
                ),
                Param(
                    "alternative_learning",
                    "textarea",
                    "Alternative learning activity (optional)",
                    required=False,
                    hint="When no review is commissioned: any other learning activity required",
                ),
            ],
            guards=[_route_fits("outcome")],
            apply=_set_decision,
            comment=None,
        ),
        # The review itself.
        Transition(
            "start_review",
            ["commissioned", "lcspr_commissioned"],
            "in_review",
            OFFICE,
            "Start the review",
            guards=[_commissioning_recorded, _period_recorded],
            apply=_set_started,
            after=_commit_contract,
        ),
        Transition(
            "pause",
            "in_review",
            "paused",
            OFFICE,
            "Pause the review",
            params=[
                Param(
                    "process",
                    "choice",
                    "Parallel proceedings",
                    choices=tuple((p.value, p.label) for p in ParallelProcess),
                ),
                Param("pause_reason", "textarea", "Reason for the pause"),
                Param("expected_resume_on", "date", "Expected resume date"),
            ],
            guards=[_resume_after_today],
            apply=_start_pause,
            comment=None,
        ),
        Transition(
            "resume",
            "paused",
            "in_review",
            OFFICE,
            "Resume the review",
            apply=_end_pause,
            confirm="The pause ends today; its days are left out of the review's elapsed time.",
        ),
        Transition(
            "submit_draft",
            "in_review",
            "draft_report",
            OFFICE,
            "Submit the draft report",
            guards=[_draft_uploaded, _family_recorded],
            apply=_draft_submitted,
        ),
        Transition(
            "revise_draft",
            "draft_report",
            "in_review",
            WORKERS,
            "Return the draft for revision",
            allowed=_worker,
            comment="required",
            comment_label="What needs to change",
            apply=_draft_returned,
        ),
        Transition(
            "sign_off",
            "draft_report",
            "signed_off",
            OFFICE,
            "Record the Board's sign-off",
            guards=[_quality_checked, _board_signed_off, _delay_explained(DeadlineKind.report)],
            apply=_signed_off,
        ),
        Transition(
            "publish",
            "signed_off",
            "published",
            OFFICE,
            "Record the publication decision",
            params=[
                Param(
                    "publish",
                    "bool",
                    "Will the report be published?",
                    message="Select whether the report will be published",
                ),
                Param("published_on", "date", "Publication date", required=False),
                Param("publication_url", "text", "Link to the published report", required=False),
                Param("not_published_reason", "textarea", "Reasons for not publishing", required=False),
                Param(
                    "family_informed",
                    "choice",
                    "The family and the publication decision",
                    choices=tuple(svc.FAMILY_INFORMED.items()),
                    message="Select whether the family has been told of the publication decision",
                ),
            ],
            guards=[_final_uploaded, _publication_complete],
            apply=_publication_decided,
            comment=None,
        ),
        Transition(
            "start_monitoring",
            "published",
            "action_monitoring",
            OFFICE,
            "Start monitoring the action plan",
            guards=[_action_plan_in_place],
            apply=_monitoring_started,
        ),
        Transition(
            "close",
            "action_monitoring",
            "closed",
            OFFICE,
            "Close the review",
            guards=[_all_actions_closed],
            apply=_closed,
            confirm="The review will be closed. Its record, report and action plan are kept.",
        ),
    ],
    initial="referred",
    noun="review",
    loader=lambda entity_id, user: svc.get_review(entity_id, user),
    url=lambda r: url_for("reviews.review", review_id=r.id),
)


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
    url=lambda req: url_for("reviews.information_request", review_id=req.review_id, request_id=req.id),
)
