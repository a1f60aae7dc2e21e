"""Up to the decision: the s44 screening, the CSPR rapid review and the chair's decision."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.models import ReviewKind, ReviewOutcome, ReviewState, Role
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import WORKERS, _back, _review, _summary, bp
from safeguarding.services import reviews as svc
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import form_failed
from safeguarding.workflows.reviews import review_lifecycle


@bp.route("/reviews/<int:review_id>/screening", methods=["GET", "POST"])
@access.roles(*WORKERS)
def screening(review_id: int):
    r = _review(review_id, "worker")
    form = f.ScreeningForm()
    if request.method == "GET":
        form.version.data = str(r.version)
        for name in ("in_area", "needs", "died", "abuse", "concern"):
            getattr(form, name).data = f.as_yes_no(getattr(r, f"s44_{name}"))
        for name in ("in_area_reason", "needs_reason", "abuse_reason", "concern_reason"):
            getattr(form, name).data = getattr(r, f"s44_{name}")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_screening(
                r,
                current_user,
                version=form.version_value,
                in_area=f.yes_no(form.in_area.data),
                in_area_reason=form.in_area_reason.data,
                needs=f.yes_no(form.needs.data),
                needs_reason=form.needs_reason.data,
                died=f.yes_no(form.died.data),
                abuse=f.yes_no(form.abuse.data),
                abuse_reason=form.abuse_reason.data,
                concern=f.yes_no(form.concern.data),
                concern_reason=form.concern_reason.data,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Screening recorded: {r.screening_outcome.label}", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Screening against the s44 criteria",
        intro="Answer each question of the Care Act 2014 section 44, in its words, with a reason (suspicion is enough). "
        "The route (mandatory, discretionary or criteria not met) is worked out from the answers.",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/rapid-review", methods=["GET", "POST"])
@access.roles(*WORKERS)
def rapid_review(review_id: int):
    r = _review(review_id, "worker")
    form = f.RapidReviewForm()
    if request.method == "GET":
        form.version.data = str(r.version)
        form.criteria.data = list(r.lcspr_criteria or [])
        form.reasons.data, form.sent_on.data = r.rapid_review_reasons, r.rapid_review_sent_on
        form.panel_response.data, form.panel_response_on.data = r.panel_response, r.panel_response_on
        form.panel_outcome.data = r.panel_outcome.value if r.panel_outcome else ""
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_rapid_review(
                r,
                current_user,
                version=form.version_value,
                criteria=form.criteria.data or [],
                reasons=form.reasons.data,
                sent_on=form.sent_on.data,
                panel_response=form.panel_response.data,
                panel_response_on=form.panel_response_on.data,
                panel_outcome=form.panel_outcome.data or None,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Rapid review recorded", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Rapid review",
        intro="The rapid review is due with the national panel 15 working days after the notification.",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


DECISIONS = {
    ReviewKind.sar: [ReviewOutcome.mandatory, ReviewOutcome.discretionary, ReviewOutcome.not_commissioned],
    ReviewKind.cspr: [ReviewOutcome.lcspr, ReviewOutcome.not_commissioned],
}


@bp.route("/reviews/<int:review_id>/decide", methods=["GET", "POST"])
@access.roles(Role.independent_chair)
def decide(review_id: int):
    """The independent chair's decision, with the choices that fit the kind of review."""
    r = _review(review_id, "chair")
    if r.state != ReviewState.awaiting_decision:
        flash(f"You cannot decide now: the review is {r.state.label.lower()}", "error")
        return _back(r)
    form = f.DecideForm()
    form.outcome.choices = [(o.value, o.label) for o in DECISIONS[r.kind]]
    if request.method == "GET":
        form.version.data = str(r.version)
    extra = {}
    if form.validate_on_submit():
        try:
            review_lifecycle.fire(
                r,
                "decide",
                user=current_user,
                version=form.version_value,
                params={
                    "outcome": form.outcome.data,
                    "decision_reason": form.decision_reason.data,
                    "alternative_learning": form.alternative_learning.data,
                },
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Decision recorded: {r.decision.label}", "success")
            return _back(r)
    return render_template("reviews/decide.html", form=form, review=r, summary=_summary(form, extra))
