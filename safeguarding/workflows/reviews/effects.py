"""What each transition of a review does (and who it tells)."""

from __future__ import annotations

from safeguarding.extensions import db
from safeguarding.models import ParallelProcess, Review, ReviewKind, ReviewOutcome, ReviewPause
from safeguarding.services import reviews as svc
from safeguarding.workflows.base import TransitionContext

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
