"""A report's recommendations and their actions."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import OFFICE, _back, _organisations, _review, _summary, bp
from safeguarding.services import reviews as svc
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import choices, form_failed

# --- recommendations and actions ---------------------------------------------------------------------


@bp.route("/reviews/<int:review_id>/recommendations/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_recommendation(review_id: int):
    r = _review(review_id, "office")
    form = f.RecommendationForm()
    extra = {}
    if form.validate_on_submit():
        try:
            rec = svc.add_recommendation(r, current_user, text=form.text.data)
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Recommendation {rec.number} added: now add its actions", "success")
            return redirect(url_for("reviews.review", review_id=r.id, _anchor="recommendations"))
    return render_template(
        "reviews/form.html", title="Add a recommendation", form=form, review=r, summary=_summary(form, extra)
    )


@bp.route("/reviews/<int:review_id>/recommendations/<int:recommendation_id>/actions/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_action(review_id: int, recommendation_id: int):
    r = _review(review_id, "office")
    rec = svc.get_recommendation(r, recommendation_id)
    form = f.RecommendationActionForm()
    form.owner_organisation_id.choices = choices(_organisations(), blank="Select an organisation")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_action(
                r,
                rec,
                current_user,
                title=form.title.data,
                owner_organisation_id=int(form.owner_organisation_id.data),
                due_date=form.due_date.data,
                description=form.description.data,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Action added to recommendation {rec.number}", "success")
            return redirect(url_for("reviews.review", review_id=r.id, _anchor="recommendations"))
    return render_template(
        "reviews/form.html",
        title=f"Add an action for recommendation {rec.number}",
        intro=rec.text,
        form=form,
        review=r,
        summary=_summary(form, extra),
    )
