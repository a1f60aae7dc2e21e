"""Pages that follow learning to impact: the re-audits (scheduled by the daily job when a
recommendation's actions are complete) and their results, and which findings a
recommendation answers. Added to the library's blueprint (routes.py imports this module)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import Reaudit, ReauditState, Review, Role
from safeguarding.services import learning
from safeguarding.services import reviews as reviews_svc
from safeguarding.services.errors import ServiceError
from safeguarding.services.learning import reaudits as reaudit_svc
from safeguarding.web import form_failed

from .blueprint import bp
from .forms import AnsweredFindingsForm, ReauditForm

# Re-audits concern case reviews' recommendations: the office runs them, the chair
# oversees (as the reviews' timeliness report).
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)


@bp.route("/reaudits")
@access.roles(*OFFICE_OR_CHAIR)
def reaudits():
    state = request.args.get("state") or "scheduled"
    if state not in ("scheduled", "completed", "all"):
        state = "scheduled"
    rows = reaudit_svc.list_reaudits(None if state == "all" else state)
    counts = {stage: n for stage, n in reaudit_svc.stage_counts().items() if n}
    return render_template(
        "library/reaudits.html",
        rows=rows,
        state=state,
        counts=counts,
        stages=reaudit_svc.STAGE_LABELS,
    )


@bp.route("/reaudits/<int:reaudit_id>", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR, post=(Role.business_office,))
def reaudit(reaudit_id: int):
    row: Reaudit = reaudit_svc.get_reaudit(reaudit_id)
    rec = db.session.get(reaudit_svc.ReviewRecommendation, row.recommendation_id)
    review = db.session.get(Review, rec.review_id)
    office = current_user.has_role(Role.business_office)
    form = ReauditForm()
    extra: dict[str, str] = {}
    if request.method == "GET":
        form.version.data = str(row.version)
    elif row.state is ReauditState.scheduled and form.validate_on_submit():
        try:
            reaudit_svc.record_reaudit(
                row,
                current_user,
                version=form.version_value,
                completed_on=form.completed_on.data,
                checked=form.checked.data,
                rating=form.rating.data,
                evidence=form.evidence.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Re-audit recorded", "success")
            return redirect(url_for("library.reaudit", reaudit_id=row.id))
    return render_template(
        "library/reaudit.html",
        reaudit=row,
        recommendation=rec,
        review=review,
        stage=reaudit_svc.STAGE_LABELS[reaudit_svc.stage_of(rec)],
        form=form if office and row.state is ReauditState.scheduled else None,
        summary=error_summary(form, extra) if (form.errors or extra) else None,
    )


@bp.route("/reviews/<int:review_id>/recommendations/<int:recommendation_id>/findings", methods=["GET", "POST"])
@access.roles(Role.business_office)
def answered_findings(review_id: int, recommendation_id: int):
    review = reviews_svc.get_review(review_id, current_user)
    rec = reviews_svc.get_recommendation(review, recommendation_id)
    findings = learning.findings_of(learning.Source(review))
    form = AnsweredFindingsForm()
    form.finding_ids.choices = [(f.id, f"Finding {f.id}: {f.statement[:120]}") for f in findings]
    if not findings:
        abort(404)
    extra: dict[str, str] = {}
    if request.method == "GET":
        form.finding_ids.data = learning.answered_findings(rec.id)
    elif form.validate_on_submit():
        try:
            learning.link_findings(rec, form.finding_ids.data or [], current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Recommendation {rec.number}: findings it answers saved", "success")
            return redirect(url_for("reviews.review", review_id=review.id, _anchor="recommendations"))
    return render_template(
        "library/form.html",
        title=f"Findings recommendation {rec.number} answers",
        caption=f"{review.reference} · {review.kind.label}",
        intro=rec.text,
        form=form,
        back=url_for("reviews.review", review_id=review.id),
        summary=error_summary(form, extra) if (form.errors or extra) else None,
    )
