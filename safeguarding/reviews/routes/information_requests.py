"""Information requests: sending one, answering it (the agency, or the office for a return
by email) and downloading its chronology."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import today
from safeguarding.models import RequestStatus, ReviewKind
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import ANSWERERS, READERS, WORKERS, _back, _organisations, _review, _summary, bp
from safeguarding.services import reviews as svc
from safeguarding.services import storage
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import choices, form_failed
from safeguarding.workflows.reviews import request_lifecycle

request_lifecycle.serve(
    url=lambda req: url_for("reviews.information_request", review_id=req.review_id, request_id=req.id)
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
