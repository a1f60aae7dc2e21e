"""Pages for case reviews: the dashboard and the chair's queue, the list, referral and
notification forms, a review's page (or, for a partner of a named agency, the page of
their own requests and actions), the forms that move a review on, and the timeliness
report.

Each page's roles are declared (a role that may never use it: 403 for every id); within
them, record-level access is the service's: a review the user may not know exists is a
404; a review they know but may not change here is a 403."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from safeguarding import access, charts, home, nav
from safeguarding.calendar import (
    financial_year_label,
    financial_year_start,
    parse_financial_year,
    today,
)
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.forms import error_summary
from safeguarding.models import (
    Area,
    Group,
    Organisation,
    ParallelProcess,
    RequestStatus,
    ReviewKind,
    ReviewOutcome,
    ReviewState,
    Role,
)
from safeguarding.models.actions import OPEN_STATUSES as ACTION_OPEN
from safeguarding.reviews import forms as f
from safeguarding.services import reviews as svc
from safeguarding.services import storage
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.reviews import request_lifecycle, review_lifecycle

bp = Blueprint("reviews", __name__)

# Need-to-know (domain.md, "Who uses it"): viewers and administrators never see case
# content, so the role gate refuses them every review page (403, whatever the id); within
# these roles the service decides which reviews a user may know of (404 for the others).
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)
OFFICE = (Role.business_office,)
# The review's sub-group (partner members and sub-group chairs sitting on it) and the
# office screen, gather information and quality-check (`svc.may_work_on`).
WORKERS = (Role.business_office, Role.partner_member, Role.subgroup_chair)
# A request is answered by the agency's partner members, or entered by the office.
ANSWERERS = (Role.business_office, Role.partner_member)

nav.add("Case reviews", "reviews.dashboard", order=20, section=("reviews",))


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _review(review_id: int, need: str = "full"):
    """The review (404 unless the user sees it in full), then the page's own rule (403)."""
    review = svc.get_review(review_id, current_user)
    if need == "office" and not current_user.has_role(Role.business_office):
        abort(403)
    if need == "worker" and not svc.may_work_on(review, current_user):
        abort(403)
    if need == "chair" and not current_user.has_role(Role.independent_chair):
        abort(403)
    return review


def _organisations():
    return list(
        db.session.scalars(sa.select(Organisation).where(Organisation.state != "left").order_by(Organisation.name))
    )


def _back(review):
    return redirect(url_for("reviews.review", review_id=review.id))


# --- dashboard and lists --------------------------------------------------------------------------


@bp.route("/reviews")
@access.roles(*READERS)
def dashboard():
    on = today()
    board = svc.dashboard(current_user, on)
    return render_template("reviews/dashboard.html", board=board, on=on, kinds=ReviewKind)


@bp.route("/reviews/all")
@access.roles(*READERS)
def all_reviews():
    kind, state, area = (
        request.args.get("kind") or None,
        request.args.get("state") or None,
        request.args.get("area") or None,
    )
    status = request.args.get("status") or "all"
    if (
        (kind and kind not in ReviewKind.__members__)
        or (state and state not in ReviewState.__members__)
        or (area and area not in Area.__members__)
        or status not in ("open", "closed", "all")
    ):
        abort(400)
    filters = svc.ReviewFilters(
        kind=kind,
        state=state,
        area=area,
        status=None if status == "all" else status,
        q=(request.args.get("q") or "").strip() or None,
        page=int_arg("page", 1) or 1,
    )
    rows, total = svc.list_reviews(current_user, filters)
    return render_template(
        "reviews/list.html",
        reviews=rows,
        total=total,
        f=filters,
        status=status,
        states=ReviewState,
        areas=Area,
        kinds=ReviewKind,
    )


@bp.route("/reviews/requests")
@access.roles(*READERS)
def my_requests():
    """Information requests the user may see: for a partner, their organisation's."""
    status = request.args.get("status") or "sent"
    if status not in ("sent", "returned", "withdrawn", "all"):
        abort(400)
    org_id = svc.agency_organisation_id(current_user) if not svc.sees_everything(current_user) else None
    page = int_arg("page", 1) or 1
    rows, total = svc.list_requests(
        current_user,
        status=None if status == "all" else status,
        organisation_id=org_id if request.args.get("mine", "1") == "1" else None,
        page=page,
    )
    return render_template("reviews/requests.html", requests=rows, total=total, status=status, page=page, today=today())


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
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Serious incident notification recorded: {review.reference}", "success")
            return redirect(url_for("reviews.review", review_id=review.id))
    return render_template("reviews/notify.html", form=form, summary=_summary(form, extra))


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
    )


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
        try:
            svc.update_case_details(r, current_user, version=form.version_value, **values)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{r.reference} updated", "success")
            return _back(r)
    return render_template("reviews/edit.html", form=form, review=r, summary=_summary(form, extra))


@bp.route("/reviews/<int:review_id>/screening", methods=["GET", "POST"])
@access.roles(*WORKERS)
def screening(review_id: int):
    r = _review(review_id, "worker")
    form = f.ScreeningForm()
    if request.method == "GET":
        form.version.data = str(r.version)
        form.needs.data, form.concern.data = f.as_yes_no(r.s44_needs), f.as_yes_no(r.s44_concern)
        form.harm.data = r.s44_harm.value if r.s44_harm else None
        form.needs_reason.data, form.harm_reason.data = r.s44_needs_reason, r.s44_harm_reason
        form.concern_reason.data = r.s44_concern_reason
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_screening(
                r,
                current_user,
                version=form.version_value,
                needs=f.yes_no(form.needs.data),
                needs_reason=form.needs_reason.data,
                harm=form.harm.data,
                harm_reason=form.harm_reason.data,
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
        intro="Answer each criterion with a reason. The route (mandatory, discretionary or criteria not met) is worked out from the answers.",
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


@bp.route("/reviews/<int:review_id>/commissioning", methods=["GET", "POST"])
@access.roles(*OFFICE)
def commissioning(review_id: int):
    r = _review(review_id, "office")
    form = f.CommissioningForm(obj=r)
    if request.method == "GET":
        form.version.data = str(r.version)
        form.methodology.data = r.methodology.value if r.methodology else None
        form.contract_value.data = r.contract_value_pence
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_commissioning(
                r,
                current_user,
                version=form.version_value,
                terms_of_reference=form.terms_of_reference.data,
                methodology=form.methodology.data,
                reviewer=form.reviewer.data,
                contract_value_pence=form.contract_value.data,
                period_from=form.period_from.data,
                period_to=form.period_to.data,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Commissioning recorded", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Commissioning",
        intro="For a SAR the contract value is committed against the budget line ‘Safeguarding Adult Reviews – Independent Authors’ when the review starts.",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/commitment", methods=["POST"])
@access.roles(*OFFICE)
def commitment(review_id: int):
    """Commit the reviewer's contract in the budget (when it could not be at the start)."""
    r = _review(review_id, "office")
    form = f.VersionedForm()
    if form.validate_on_submit():
        try:
            svc.commit_contract_value(r, current_user)
        except ServiceError as exc:
            form_failed(form, exc)
            for message in getattr(exc, "messages", None) or [exc.message]:
                flash(message, "error")
        else:
            flash("The contract value is committed in the budget", "success")
    return _back(r)


@bp.route("/reviews/<int:review_id>/board-agenda", methods=["POST"])
@access.roles(*OFFICE)
def board_agenda(review_id: int):
    """Put the review's sign-off on the next Board agenda (the quality check does it too)."""
    r = _review(review_id, "office")
    form = f.VersionedForm()
    if form.validate_on_submit():
        try:
            on = svc.put_on_board_agenda(r, current_user)
        except ServiceError as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
        else:
            if on is None:
                flash("No Board meeting is scheduled yet: the sign-off goes on the next one when it is", "success")
            else:
                flash(f"On the agenda of the Board meeting on {long_date(on)}", "success")
    return _back(r)


@bp.route("/reviews/<int:review_id>/events/new", methods=["GET", "POST"])
@access.roles(*WORKERS)
def new_event(review_id: int):
    r = _review(review_id, "worker")
    form = f.EventForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_event(r, current_user, kind=form.kind.data, held_on=form.held_on.data, notes=form.notes.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Recorded", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Record a panel meeting, practitioner event or family involvement",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/reports/<which>", methods=["GET", "POST"])
@access.roles(*OFFICE)
def upload_report(review_id: int, which: str):
    if which not in ("draft", "final"):
        abort(404)
    r = _review(review_id, "office")
    form = f.ReportForm()
    if request.method == "GET":
        form.version.data = str(r.version)
    extra = {}
    if form.validate_on_submit():
        try:
            stored = storage.save_upload(
                form.file.data, purpose="review_report", kinds=("pdf", "docx"), uploaded_by_id=current_user.id
            )
            svc.attach_report(r, current_user, stored, which=which, version=form.version_value)
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"The {which} report has been uploaded", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title=f"Upload the {which} report",
        form=form,
        review=r,
        multipart=True,
        button="Upload",
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/reports/<which>/download")
@access.roles(*READERS)
def download_report(review_id: int, which: str):
    r = _review(review_id)
    if which not in ("draft", "final"):
        abort(404)
    stored = svc.report_file(r, which)
    extension = stored.storage_key.rsplit(".", 1)[-1]
    return storage.send_stored(stored, f"{r.reference}-{which}-report.{extension}")


@bp.route("/reviews/<int:review_id>/quality-check", methods=["GET", "POST"])
@access.roles(*WORKERS)
def quality_check(review_id: int):
    r = _review(review_id, "worker")
    form = f.QualityCheckForm()
    if request.method == "GET":
        form.version.data = str(r.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_quality_check(
                r, current_user, version=form.version_value, passed=f.yes_no(form.passed.data), notes=form.notes.data
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Quality check recorded", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Quality check of the draft report",
        intro="Check the draft against the SCIE quality markers before it goes to the Board for sign-off.",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/agencies/new", methods=["GET", "POST"])
@access.roles(*WORKERS)
def new_agency(review_id: int):
    r = _review(review_id, "worker")
    form = f.AgencyForm()
    form.organisation_id.choices = choices(_organisations(), blank="Select an agency")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.name_agency(r, current_user, int(form.organisation_id.data))
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Agency added to the review", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Add an agency involved",
        intro="Partner members of the agency will see their own information requests and actions for this review, not the case detail.",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


# --- information requests ----------------------------------------------------------------------------


@bp.route("/reviews/<int:review_id>/requests/new", methods=["GET", "POST"])
@access.roles(*WORKERS)
def new_request(review_id: int):
    r = _review(review_id, "worker")
    form = f.RequestForm()
    form.organisation_id.choices = choices(_organisations(), blank="Select an agency")
    if r.kind == ReviewKind.cspr:
        del form.conditions  # s45 is the adults' board's power
    extra = {}
    if form.validate_on_submit():
        try:
            req = svc.send_information_request(
                r,
                current_user,
                organisation_id=int(form.organisation_id.data),
                request=form.request.data,
                conditions=(form.conditions.data or []) if "conditions" in form else [],
                sent_on=form.sent_on.data,
                due_on=form.due_on.data,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Request sent to {req.organisation.name}, due {req.due_on.day} {req.due_on:%B %Y}", "success")
            return _back(r)
    intro = (
        f"The agency's partner members see and answer the request. It is due "
        f"{svc.setting('REVIEW_REQUEST_WORKING_DAYS')} working days after sending unless you give a date; "
        "overdue requests are chased automatically."
    )
    return render_template(
        "reviews/form.html",
        title="Send an information request",
        intro=intro,
        form=form,
        review=r,
        button="Send the request",
        summary=_summary(form, extra),
    )


def _request(review_id: int, request_id: int):
    req = svc.get_request(request_id, current_user)
    if req.review_id != review_id:
        abort(404)
    return req


@bp.route("/reviews/<int:review_id>/requests/<int:request_id>", methods=["GET", "POST"])
@access.roles(*READERS, post=ANSWERERS)
def information_request(review_id: int, request_id: int):
    http = request
    req = _request(review_id, request_id)
    svc.record_request_view(req)
    form = f.AnswerForm()
    can_answer = svc.may_answer(req, current_user) and req.status == RequestStatus.sent
    if http.method == "GET":
        form.version.data = str(req.version)
    extra = {}
    if http.method == "POST":
        if not svc.may_answer(req, current_user):
            abort(403)
        if form.validate_on_submit():
            try:
                stored = storage.save_upload(
                    form.chronology.data,
                    purpose="chronology",
                    field="chronology",
                    uploaded_by_id=current_user.id,
                    required=False,
                )
                svc.return_information(
                    req, current_user, version=form.version_value, response=form.response.data, chronology=stored
                )
            except Conflict as exc:
                form_failed(form, exc)
                flash(exc.message, "error")
                return redirect(url_for("reviews.information_request", review_id=review_id, request_id=request_id))
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("Thank you: the information has been returned", "success")
                return redirect(url_for("reviews.information_request", review_id=review_id, request_id=request_id))
    options = [o for o in request_lifecycle.options(req, current_user) if o.trigger != "respond"]
    return render_template(
        "reviews/request.html",
        req=req,
        form=form,
        can_answer=can_answer,
        options=options,
        lifecycle=request_lifecycle,
        history=request_lifecycle.history(req.id),
        full=svc.access_to(req.review, current_user) == "full",
        today=today(),
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/requests/<int:request_id>/chronology")
@access.roles(*READERS)
def chronology(review_id: int, request_id: int):
    req = _request(review_id, request_id)
    stored = svc.chronology_file(req)
    extension = stored.storage_key.rsplit(".", 1)[-1]
    return storage.send_stored(stored, f"{req.review.reference}-chronology-{req.id}.{extension}")


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


# --- the timeliness report ------------------------------------------------------------------------------


@bp.route("/reviews/timeliness")
@access.roles(*OFFICE_OR_CHAIR)
def timeliness():
    label = request.args.get("year") or financial_year_label(financial_year_start(today()))
    try:
        year = parse_financial_year(label)
    except ValueError:
        abort(400)
    figures = svc.timeliness_by_area(year)
    overall = figures[None]["timeliness"]
    measures = [
        ("referral_to_decision", "Referral to decision"),
        ("decision_to_draft", "Decision to draft report"),
        ("draft_to_publication", "Draft report to publication"),
    ]
    chart = charts.bar_chart(
        "Median days for each stage (paused time left out)",
        [m[1] for m in measures],
        [
            charts.Series("SARs", [overall[m]["sar"]["median_days"] or 0 for m, _ in measures]),
            charts.Series("CSPRs", [overall[m]["cspr"]["median_days"] or 0 for m, _ in measures]),
        ],
        value_format=lambda v: f"{v:g} days",
    )
    this_year = financial_year_start(today())
    years = [financial_year_label(y) for y in range(this_year, this_year - 10, -1)]
    return render_template(
        "reviews/timeliness.html",
        figures=figures,
        year=year,
        label=financial_year_label(year),
        measures=measures,
        chart=chart,
        areas=Area,
        years=years,
    )


# --- home panels --------------------------------------------------------------------------------------


def _office_deadlines_panel(user):
    # Review deadlines count working days (closure days included), so this one panel is
    # computed in Python from one query rather than as a scalar select.
    n = svc.office_attention(user).deadlines_this_week
    if not n:
        return None
    return home.Panel(
        "Review deadlines this week",
        n,
        url_for("reviews.dashboard", _anchor="deadlines"),
        "due in the next 5 working days or already passed",
        home.DUE,
        "reviews.deadlines",
    )


def _refer_panel(user):
    if user.has_role(*READERS):
        return None  # the case reviews dashboard has the link
    return home.Panel(
        "Refer an adult for a Safeguarding Adults Review",
        None,
        url_for("reviews.refer"),
        "anyone may refer; give initials, never names",
        home.INFO,
        "reviews.refer",
    )


home.count(
    {Role.independent_chair},
    5,
    "Review decisions waiting",
    lambda u: url_for("reviews.dashboard", _anchor="decisions"),
    "referrals and rapid reviews for your decision",
    svc.decisions_waiting_select,
    key="reviews.decisions",
    kind=home.APPROVAL,
)
home.add({Role.viewer, Role.admin}, 95, _refer_panel)
home.add({Role.business_office}, 6, _office_deadlines_panel)
home.count(
    {Role.business_office},
    7,
    "Overdue information requests",
    lambda u: url_for("reviews.my_requests", status="sent", mine=0),
    "past their due date",
    svc.overdue_requests_select,
    key="reviews.overdue_requests",
    kind=home.DUE,
)
home.count(
    {Role.partner_member},
    8,
    "Information requests",
    "reviews.my_requests",
    "waiting for your organisation",
    lambda u: svc.agency_waiting_selects(u)[0] if svc.agency_organisation_id(u) else None,
    key="reviews.requests",
    kind=home.TASK,
)
home.count(
    {Role.partner_member},
    9,
    "Case review actions",
    lambda u: url_for("actions.log", source="review", organisation=u.organisation_id),
    "open for your organisation",
    lambda u: svc.agency_waiting_selects(u)[1] if svc.agency_organisation_id(u) else None,
    key="reviews.actions",
    kind=home.TASK,
)
