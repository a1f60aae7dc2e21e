"""What each transition of a review does (and who it tells).

The effects here change the review (and record a pause) from the trigger's fields. Those
that need the service (telling the chair, the report's due date, the budget commitment,
the pauses so far, the Board's sign-off) are names, registered by
services/reviews/lifecycle.py."""

from __future__ import annotations

from safeguarding.extensions import db
from safeguarding.models import PanelOutcome, ParallelProcess, Review, ReviewKind, ReviewOutcome, ReviewPause
from safeguarding.workflows.base import TransitionContext

# Registered by services/reviews/lifecycle.py.
TELL_CHAIR = "tell_chair"
PUT_TO_PARTNERS = "put_to_partners"  # the rapid review and its recommendation, to the partners of the area
SET_DECISION = "set_decision"
COMMIT_CONTRACT = "commit_contract"
END_PAUSE = "end_pause"
SIGNED_OFF = "signed_off"

# --- what each transition does ---------------------------------------------------------------------


def _set_recommendation(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    r.recommendation = ReviewOutcome(ctx.params["recommendation"])
    r.recommendation_reason = ctx.params["recommendation_reason"]
    r.recommended_on = ctx.as_of


def _decision_dest(ctx: TransitionContext) -> str:
    outcome = ReviewOutcome(ctx.params["outcome"])
    if ctx.row.kind == ReviewKind.cspr:
        return "no_lcspr" if outcome is ReviewOutcome.not_commissioned else "lcspr_commissioned"
    return "not_commissioned" if outcome is ReviewOutcome.not_commissioned else "commissioned"


def _set_started(ctx: TransitionContext) -> None:
    ctx.row.review_started_on = ctx.as_of


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


def _draft_submitted(ctx: TransitionContext) -> None:
    if ctx.row.draft_received_on is None:
        ctx.row.draft_received_on = ctx.as_of


def _draft_returned(ctx: TransitionContext) -> None:
    r: Review = ctx.row
    r.quality_check_passed = None
    r.quality_checked_on = None


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


def _national_review(ctx: TransitionContext) -> None:
    """The Panel takes the case as a national review: the local route closes into it."""
    r: Review = ctx.row
    r.panel_outcome = PanelOutcome.national_review
    r.panel_response_on = ctx.params.get("panel_response_on") or ctx.as_of
    r.panel_response = ctx.comment
    r.closed_on = ctx.as_of
