"""A commissioned review under way: commissioning and the budget commitment, the Board's
agenda, events, the draft and final reports, the quality check, the agencies involved."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.formatting import long_date
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import OFFICE, READERS, WORKERS, _back, _organisations, _review, _summary, bp
from safeguarding.services import reviews as svc
from safeguarding.services import storage
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import choices, form_failed


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


@bp.route("/reviews/<int:review_id>/report-sent-to-panel", methods=["GET", "POST"])
@access.roles(*OFFICE)
def report_sent(review_id: int):
    """The date an LCSPR's final report went to the Panel and the Secretary of State."""
    r = _review(review_id, "office")
    form = f.ReportSentForm()
    if request.method == "GET":
        form.version.data = str(r.version)
        form.sent_on.data = r.report_sent_to_panel_on
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_report_sent(r, current_user, version=form.version_value, sent_on=form.sent_on.data)
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Earliest publication date: {long_date(svc.earliest_publication(r))}", "success")
            return _back(r)
    return render_template(
        "reviews/form.html",
        title="Final report sent to the Panel",
        intro="The final report goes to the national Child Safeguarding Practice Review Panel and the Secretary of "
        "State at least 7 working days before it is published.",
        form=form,
        review=r,
        summary=_summary(form, extra),
    )


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
