"""Information requests: sending one for a review or (the office) for another Board
function, to an agency or to anyone outside the directory; answering it (the agency, or
the office for a return by email); recording a refusal; downloading its letter and its
chronology."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import today
from safeguarding.documents import send_file
from safeguarding.models import RequestStatus, ReviewKind
from safeguarding.reviews import forms as f
from safeguarding.reviews.routes.common import (
    ANSWERERS,
    OFFICE,
    READERS,
    WORKERS,
    _back,
    _organisations,
    _review,
    _summary,
    bp,
)
from safeguarding.services import reviews as svc
from safeguarding.services import storage
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import choices, form_failed
from safeguarding.workflows.reviews import request_lifecycle


def _request_url(req) -> str:
    if req.review_id is not None:
        return url_for("reviews.information_request", review_id=req.review_id, request_id=req.id)
    return url_for("reviews.s45_request", request_id=req.id)


request_lifecycle.serve(url=_request_url)

# --- information requests ----------------------------------------------------------------------------


def _recipient_fields(form) -> dict:
    return {
        "organisation_id": int(form.organisation_id.data) if form.organisation_id.data else None,
        "recipient_name": form.recipient_name.data,
        "recipient_address": form.recipient_address.data,
        "recipient_email": form.recipient_email.data,
    }


def _sent_message(req) -> str:
    how = (
        " (letter emailed)"
        if req.recipient_email
        else (" (print the letter for the post)" if req.recipient_name else "")
    )
    return f"Request sent to {req.recipient}{how}, due {req.due_on.day} {req.due_on:%B %Y} ({req.reference})"


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
                **_recipient_fields(form),
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
            flash(_sent_message(req), "success")
            return _back(r)
    intro = (
        f"An agency's partner members see and answer the request in the service; someone outside the directory "
        f"gets the letter by email or post and the office records their reply. It is due "
        f"{svc.setting('REVIEW_REQUEST_WORKING_DAYS')} working days after sending unless you give a date; "
        "overdue requests are chased automatically."
    )
    return render_template(
        "reviews/request_form.html",
        title="Send an information request",
        intro=intro,
        form=form,
        review=r,
        back=url_for("reviews.review", review_id=r.id),
        summary=_summary(form, extra),
    )


@bp.route("/information-requests/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_board_request():
    """A request under s45 for another of the Board's functions (an audit, data)."""
    form = f.BoardRequestForm()
    form.organisation_id.choices = choices(_organisations(), blank="Select an agency")
    extra = {}
    if form.validate_on_submit():
        try:
            req = svc.send_board_request(
                current_user,
                purpose=form.purpose.data,
                purpose_detail=form.purpose_detail.data,
                **_recipient_fields(form),
                request=form.request.data,
                conditions=form.conditions.data or [],
                sent_on=form.sent_on.data,
                due_on=form.due_on.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(_sent_message(req), "success")
            return redirect(url_for("reviews.s45_request", request_id=req.id))
    return render_template(
        "reviews/request_form.html",
        title="Send a request under section 45",
        intro="Section 45 of the Care Act 2014 lets the Board ask any person or body for information for any of "
        "its functions, not only a case review. The letter cites the section and the conditions that apply.",
        form=form,
        review=None,
        back=url_for("reviews.my_requests"),
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
    return _request_page(_request(review_id, request_id))


@bp.route("/information-requests/<int:request_id>", methods=["GET", "POST"])
@access.roles(*READERS, post=ANSWERERS)
def s45_request(request_id: int):
    """A request's own page (one for another Board function); a review's request is shown
    under its review."""
    req = svc.get_request(request_id, current_user)
    if req.review_id is not None:
        return redirect(_request_url(req))
    return _request_page(req)


def _request_page(req):
    http = request
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
                return redirect(_request_url(req))
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("Thank you: the information has been returned", "success")
                return redirect(_request_url(req))
    options = [o for o in request_lifecycle.options(req, current_user) if o.trigger != "respond"]
    return render_template(
        "reviews/request.html",
        req=req,
        form=form,
        can_answer=can_answer,
        options=options,
        lifecycle=request_lifecycle,
        history=request_lifecycle.history(req.id),
        back=url_for("reviews.review", review_id=req.review_id) if req.review_id else url_for("reviews.my_requests"),
        today=today(),
        summary=_summary(form, extra),
    )


@bp.route("/reviews/<int:review_id>/requests/<int:request_id>/chronology")
@access.roles(*READERS)
def chronology(review_id: int, request_id: int):
    return _chronology(_request(review_id, request_id))


@bp.route("/information-requests/<int:request_id>/chronology")
@access.roles(*READERS)
def s45_chronology(request_id: int):
    return _chronology(svc.get_request(request_id, current_user))


def _chronology(req):
    stored = svc.chronology_file(req)
    extension = stored.storage_key.rsplit(".", 1)[-1]
    return storage.send_stored(stored, f"{req.reference.replace('/', '-')}-chronology.{extension}")


@bp.route("/information-requests/<int:request_id>/letter.<fmt>")
@access.roles(*READERS)
def request_letter(request_id: int, fmt: str):
    """The request letter as it was sent (PDF, or DOCX for the office to print or edit)."""
    if fmt not in ("pdf", "docx"):
        abort(404)
    req = svc.get_request(request_id, current_user)
    data = svc.letter_pdf(req) if fmt == "pdf" else svc.letter_docx(req)
    return send_file(data, f"{req.reference.replace('/', '-')}-letter.{fmt}")
