"""A review's page (for an agency, its own requests and actions) and its case details."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Group, ParallelProcess, ReviewKind, Role
from safeguarding.models.actions import OPEN_STATUSES as ACTION_OPEN
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import OFFICE, READERS, _back, _organisations, _review, _summary, bp
from safeguarding.services import learning
from safeguarding.services import reviews as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed
from safeguarding.workflows.reviews import review_lifecycle

review_lifecycle.serve(url=lambda r: url_for("reviews.review", review_id=r.id))

# --- a review -----------------------------------------------------------------------------------------


@bp.route("/reviews/<int:review_id>")
@access.roles(*READERS)
def review(review_id: int):
    r, level = svc.view_review(review_id, current_user)
    on = today()
    if level == "agency":
        return render_template(
            "reviews/agency.html",
            review=r,
            requests=svc.requests_of(r, current_user),
            recommendations=svc.recommendations_with_actions(r, current_user),
            today=on,
        )
    cal = svc.LazyWorkingDays()
    pauses = svc.pauses_of([r.id]).get(r.id, []) if (r.paused_days or r.paused_since) else []
    options = review_lifecycle.options(r, current_user)
    return render_template(
        "reviews/review.html",
        review=r,
        today=on,
        deadlines=svc.deadlines(r, on, cal),
        pauses=pauses,
        agencies=svc.agencies_of(r),
        requests=svc.requests_of(r, current_user),
        events=svc.events_of(r),
        recommendations=svc.recommendations_with_actions(r),
        findings=learning.findings_with_tags(learning.Source(r)),
        history=review_lifecycle.history(r.id),
        options=[o for o in options if o.trigger != "decide"],
        can_decide=any(o.trigger == "decide" for o in options),
        lifecycle=review_lifecycle,
        worker=svc.may_work_on(r, current_user),
        office=current_user.has_role(Role.business_office),
        criteria=svc.LCSPR_CRITERIA,
        family_informed=svc.FAMILY_INFORMED,
        processes=ParallelProcess,
        action_open=ACTION_OPEN,
        commitment_due=svc.commitment_due(r),
        cspr=_cspr_dates(r, on) if r.kind == ReviewKind.cspr else None,
    )


def _cspr_dates(r, on):
    """A CSPR's statutory dates for its page (services/reviews/notification.py)."""
    moved = svc.report_due(r, on)
    return {
        "partners_due_on": svc.partners_due_on(r),
        "earliest_publication_on": svc.earliest_publication(r),
        "published_until": svc.published_until(r),
        "statutory_target_on": svc.statutory_report_target(r),
        "report_due_moved": moved if moved and r.report_due_on and moved != r.report_due_on else None,
        "may_record_report_sent": r.state in svc.REPORT_SENT_STATES and r.final_report_file_id is not None,
    }


@bp.route("/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit(review_id: int):
    r = _review(review_id, "office")
    form = f.CaseDetailsForm(obj=r)
    orgs = _organisations()
    form.age_band.choices = f._bands(r.kind == ReviewKind.sar)
    form.referrer_organisation_id.choices = choices(orgs, blank="Not an organisation")
    groups = db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.name))
    form.group_id.choices = choices(groups, blank="Select the sub-group")
    if request.method == "GET":
        form.version.data = str(r.version)
        form.age_band.data, form.area.data = r.age_band.value, r.area.value
        form.referrer_organisation_id.data = str(r.referrer_organisation_id or "")
        form.group_id.data = str(r.group_id)
        form.family_invited.data = f.as_yes_no(r.family_invited)
        form.parallel_processes.data = list(r.parallel_processes or [])
        form.looked_after.data = f.as_yes_no(r.looked_after)
        form.incident.data = r.incident.value if r.incident else None
        form.abuse_or_neglect.data = r.abuse_or_neglect.value if r.abuse_or_neglect else None
    extra = {}
    if form.validate_on_submit():
        values = dict(
            initials=form.initials.data,
            age_band=form.age_band.data,
            area=form.area.data,
            harm_date=form.harm_date.data,
            summary=form.summary.data,
            referral_source=form.referral_source.data,
            referrer_organisation_id=int(form.referrer_organisation_id.data)
            if form.referrer_organisation_id.data
            else None,
            group_id=int(form.group_id.data),
            period_from=form.period_from.data,
            period_to=form.period_to.data,
            family_invited=f.yes_no(form.family_invited.data),
            family_notes=form.family_notes.data,
            parallel_processes=form.parallel_processes.data or [],
            parallel_notes=form.parallel_notes.data,
            delay_explanation=form.delay_explanation.data,
        )
        if r.kind == ReviewKind.cspr:
            values.update(notified_on=form.notified_on.data, children_count=form.children_count.data)
            values.update(f.notification_values(form))
            if form.looked_after.data:
                values["looked_after"] = f.yes_no(form.looked_after.data)
            if values["partners_told_on"] is None:
                values.pop("partners_told_on")  # left blank: the service's record stands
        try:
            svc.update_case_details(r, current_user, version=form.version_value, **values)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{r.reference} updated", "success")
            return _back(r)
    return render_template("reviews/edit.html", form=form, review=r, summary=_summary(form, extra))
