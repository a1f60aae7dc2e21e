"""Referring an adult for a SAR (anyone with an account) and recording a serious incident
notification (CSPR, the business office)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.models import Role
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import _organisations, _summary, bp
from safeguarding.services import reviews as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed

# --- referral and notification ---------------------------------------------------------------------


@bp.route("/reviews/refer", methods=["GET", "POST"])
@access.signed_in
def refer():
    """Anyone with an account may refer an adult for a SAR."""
    form = f.ReferralForm()
    orgs = _organisations()
    form.referrer_organisation_id.choices = choices(orgs, blank="Select an organisation")
    form.agency_ids.choices = [(o.id, o.name) for o in orgs]
    office = current_user.has_role(Role.business_office)
    if request.method == "GET" and current_user.organisation_id:
        form.referrer_organisation_id.data = str(current_user.organisation_id)
    extra = {}
    if form.validate_on_submit():
        try:
            review = svc.refer_sar(
                current_user,
                initials=form.initials.data,
                age_band=form.age_band.data,
                area=form.area.data,
                harm_date=form.harm_date.data,
                summary=form.summary.data,
                referral_source=form.referral_source.data,
                referrer_organisation_id=int(form.referrer_organisation_id.data)
                if form.referrer_organisation_id.data
                else None,
                agency_ids=form.agency_ids.data or [],
                received_on=form.received_on.data if office else None,
                received_by_email=bool(form.received_by_email.data) if office else False,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            if svc.access_to(review, current_user) == "full":
                flash(f"Referral recorded: {review.reference}", "success")
                return redirect(url_for("reviews.review", review_id=review.id))
            session["review_referred"] = review.reference
            return redirect(url_for("reviews.referral_sent"))
    return render_template("reviews/refer.html", form=form, office=office, summary=_summary(form, extra))


@bp.route("/reviews/referral-sent")
@access.signed_in
def referral_sent():
    reference = session.pop("review_referred", None)
    if reference is None:
        return redirect(url_for("main.home"))
    return render_template("reviews/referral_sent.html", reference=reference)


@bp.route("/reviews/notify", methods=["GET", "POST"])
@access.roles(Role.business_office)
def notify():
    form = f.NotificationForm()
    orgs = _organisations()
    form.agency_ids.choices = [(o.id, o.name) for o in orgs]
    extra = {}
    if form.validate_on_submit():
        try:
            review = svc.notify_serious_incident(
                current_user,
                initials=form.initials.data,
                age_band=form.age_band.data,
                area=form.area.data,
                harm_date=form.harm_date.data,
                summary=form.summary.data,
                la_aware_on=form.la_aware_on.data,
                notified_on=form.notified_on.data,
                children_count=form.children_count.data,
                looked_after=f.yes_no(form.looked_after.data),
                referral_source=form.referral_source.data,
                agency_ids=form.agency_ids.data or [],
                **f.notification_values(form),
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Serious incident notification recorded: {review.reference}", "success")
            return redirect(url_for("reviews.review", review_id=review.id))
    return render_template("reviews/notify.html", form=form, summary=_summary(form, extra))
