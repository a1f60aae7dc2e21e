"""A child safeguarding practice review's decisions that the law gives the safeguarding
partners jointly (Children Act 2004 s16F; Working Together 2023, chapter 5): the rapid
review's sign-off with the decision whether to commission a local review (one question,
taken with the rapid review, which goes to the Panel with it), the local review's final
report sign-off, and its publication decision. The independent chair may comment on each;
the chair does not decide (the review lifecycle refuses the chair's `decide` on a CSPR).

Each question goes to the partners of the child's area: that council, the ICB and the
police (services/joint_decisions.py). What a carried answer does is registered here."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguarding.calendar import today, working_days
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import JointDecision, JointDecisionSubject, Review, ReviewKind, ReviewOutcome, ReviewState
from safeguarding.services import joint_decisions
from safeguarding.services.errors import Conflict, ServiceError, ValidationFailed
from safeguarding.services.reviews.checks import _require_office
from safeguarding.services.reviews.deadlines import RAPID_REVIEW_WORKING_DAYS
from safeguarding.workflows.reviews import review_lifecycle

# Working days the partners are given to answer when no earlier date is due (*default*).
ANSWER_WORKING_DAYS = 5
CASE_SUBJECTS = (JointDecisionSubject.rapid_review, JointDecisionSubject.lcspr_report, JointDecisionSubject.publication)


def _require_cspr(review: Review) -> None:
    if review.kind != ReviewKind.cspr:
        raise Conflict("Only a child safeguarding practice review is decided by the safeguarding partners")


def _default_due(review: Review) -> date:
    on = today()
    cal = working_days()
    due = cal.add(on, ANSWER_WORKING_DAYS)
    if review.notified_on is not None:
        rapid_due = cal.add(review.notified_on, RAPID_REVIEW_WORKING_DAYS)
        if on <= rapid_due < due:
            due = rapid_due
    return due


def put_rapid_review(review: Review, user: Any, *, due_on: date | None = None) -> JointDecision:
    """The rapid review and its recommendation go to the partners of the child's area for
    one joint answer: sign the rapid review off and commission a local review (or not)."""
    _require_cspr(review)
    outcome = review.recommendation
    if outcome is None:
        raise ValidationFailed(errors={"recommendation": "Record the rapid review's recommendation first"})
    return joint_decisions.put_question(
        JointDecisionSubject.rapid_review,
        question=_rapid_review_question(review, outcome),
        area=review.area,
        due_on=due_on or _default_due(review),
        user=user,
        review_id=review.id,
        proposal={"outcome": outcome.value},
    )


def _rapid_review_question(review: Review, outcome: ReviewOutcome) -> str:
    route = (
        "commission a local child safeguarding practice review"
        if outcome is not ReviewOutcome.not_commissioned
        else "not commission a local child safeguarding practice review"
    )
    return (
        f"Do you sign off the rapid review of {review.reference} and agree to {route}? "
        f"The rapid review recommends this because: {review.recommendation_reason}"
    )


def record_rapid_review_decision(
    review: Review, user: Any, *, outcome: ReviewOutcome, decided_on: date | None, recorded_from: str | None
) -> JointDecision:
    """The office records the partners' joint decision on a rapid review taken before the
    case came into the service (an import of the office's tracker), as minuted: the review
    is decided on that date, as if the partners had answered in the service."""
    _require_office(user)
    _require_cspr(review)
    if review.state != ReviewState.awaiting_decision:
        raise Conflict("Only a review waiting for the partners' decision can have it recorded")
    return joint_decisions.record_taken(
        JointDecisionSubject.rapid_review,
        question=_rapid_review_question(review, outcome),
        area=review.area,
        decided_on=decided_on,
        recorded_from=recorded_from,
        user=user,
        review_id=review.id,
        proposal={"outcome": outcome.value},
    )


def put_report_sign_off(review: Review, user: Any, *, due_on: date | None) -> JointDecision:
    """The office puts a local review's final report to the partners for sign-off, once
    the sub-group has passed it in its quality check."""
    _require_office(user)
    _require_cspr(review)
    if review.state != ReviewState.draft_report:
        raise Conflict("Only a review with a draft report can be put to the partners for sign-off")
    if review.quality_check_passed is not True:
        raise ValidationFailed(reasons=["The sub-group has not passed the draft report in its quality check"])
    return joint_decisions.put_question(
        JointDecisionSubject.lcspr_report,
        question=f"Do you sign off the final report of the local child safeguarding practice review {review.reference}?",
        area=review.area,
        due_on=due_on or working_days().add(today(), ANSWER_WORKING_DAYS),
        user=user,
        review_id=review.id,
    )


def put_publication(
    review: Review,
    user: Any,
    *,
    publish: bool | None,
    reason: str | None,
    due_on: date | None,
) -> JointDecision:
    """The office puts the publication decision to the partners: publish the report, or
    not (with the reasons, and the improvements to be published instead)."""
    _require_office(user)
    _require_cspr(review)
    if review.state != ReviewState.signed_off:
        raise Conflict("Only a signed-off review has a publication decision to make")
    reason = (reason or "").strip()
    if publish is None:
        raise ValidationFailed(errors={"publish": "Select whether the report is to be published"})
    if publish is False and not reason:
        raise ValidationFailed(
            errors={"reason": "Enter why the report will not be published and the improvements to be published instead"}
        )
    question = (
        f"Do you agree to publish the final report of {review.reference}?"
        if publish
        else f"Do you agree not to publish the final report of {review.reference}, for these reasons, and to "
        f"publish the improvements to be made instead? {reason}"
    )
    return joint_decisions.put_question(
        JointDecisionSubject.publication,
        question=question,
        area=review.area,
        due_on=due_on or working_days().add(today(), ANSWER_WORKING_DAYS),
        user=user,
        review_id=review.id,
        proposal={"publish": bool(publish), "reason": reason or None},
    )


def put(subject: JointDecisionSubject, review: Review, user: Any, **values: Any) -> JointDecision:
    """Put a case question by its subject (the pages and the API)."""
    if subject == JointDecisionSubject.lcspr_report:
        return put_report_sign_off(review, user, due_on=values.get("due_on"))
    if subject == JointDecisionSubject.publication:
        return put_publication(
            review, user, publish=values.get("publish"), reason=values.get("reason"), due_on=values.get("due_on")
        )
    if subject == JointDecisionSubject.rapid_review:
        _require_office(user)
        if review.state != ReviewState.awaiting_decision:
            raise Conflict("The rapid review goes to the partners when it is sent for decision")
        return put_rapid_review(review, user, due_on=values.get("due_on"))
    raise ValidationFailed(errors={"subject": "Select a question about a case review"})


def carried_decision(review: Review, subject: JointDecisionSubject) -> JointDecision | None:
    return joint_decisions.carried(subject, review_id=review.id)


def partners_refusal(review: Review, subject: JointDecisionSubject, **expect: Any) -> str | None:
    """Why a CSPR transition that needs the partners' joint decision cannot happen yet."""
    decision = carried_decision(review, subject)
    if decision is None:
        return {
            JointDecisionSubject.rapid_review: "The safeguarding partners have not yet decided jointly on a local review",
            JointDecisionSubject.lcspr_report: "The safeguarding partners have not yet signed off the final report",
            JointDecisionSubject.publication: "The safeguarding partners have not yet agreed the publication decision",
        }[subject]
    for key, value in expect.items():
        if value is not None and decision.proposal.get(key) != value:
            return f"The safeguarding partners agreed otherwise (JD-{decision.id}, {long_date(decision.decided_on)})"
    return None


# --- what a carried decision does ------------------------------------------------------------------


@joint_decisions.on_carried(JointDecisionSubject.rapid_review)
def _rapid_review_carried(decision: JointDecision, user: Any) -> None:
    review = db.session.get(Review, decision.review_id)
    if review is None or review.state != ReviewState.awaiting_decision:
        return
    review_lifecycle.fire(
        review,
        "decide",
        user=user,
        system=True,
        params={
            "outcome": decision.proposal["outcome"],
            "decision_reason": f"Decided jointly by the safeguarding partners (JD-{decision.id}): "
            f"{review.recommendation_reason}",
            "decided_on": decision.decided_on,
        },
    )


@joint_decisions.on_carried(JointDecisionSubject.lcspr_report)
def _report_carried(decision: JointDecision, user: Any) -> None:
    """Signed off: record it on the review when nothing else holds it up (a late report's
    explanation, say); otherwise the office records the sign-off once that is done."""
    review = db.session.get(Review, decision.review_id)
    if review is None or review.state != ReviewState.draft_report:
        return
    try:
        with db.session.begin_nested():
            review_lifecycle.fire(review, "sign_off", user=user, system=True)
    except ServiceError:
        pass
