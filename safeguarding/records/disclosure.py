"""Pages of "find what we hold" for a subject access request: run the search, decide on
each record found, build and download the disclosure bundle (business office only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.models import Role
from safeguarding.records.forms import DecisionForm
from safeguarding.services import storage
from safeguarding.services.errors import ServiceError
from safeguarding.services.records import access as requests_svc
from safeguarding.services.records import bundle as bundle_svc
from safeguarding.services.records import disclosure as svc
from safeguarding.web import form_page, int_arg

from .blueprint import bp

OFFICE = (Role.business_office,)
PER_PAGE = 50


def _items_url(request_id: int) -> str:
    return url_for("records.disclosure_items", request_id=request_id)


def _post(request_id: int, do, done) -> object:
    """A button's POST: one service call, a message, back to the items."""
    r = requests_svc.get_request(request_id, current_user)
    try:
        result = do(r)
    except ServiceError as exc:
        flash(exc.message, "error")
    else:
        flash(done(result), "success")
    return redirect(_items_url(r.id))


@bp.route("/subject-access-requests/<int:request_id>/find", methods=["POST"])
@access.roles(*OFFICE)
def find_what_we_hold(request_id: int):
    def done(added: int) -> str:
        return f"The search is done: {added} new record{'s' if added != 1 else ''} found"

    return _post(request_id, lambda r: svc.find_what_we_hold(r, user=current_user), done)


@bp.route("/subject-access-requests/<int:request_id>/items")
@access.roles(*OFFICE)
def disclosure_items(request_id: int):
    r = requests_svc.get_request(request_id, current_user)
    page = int_arg("page", 1) or 1
    return render_template(
        "records/disclosure_items.html",
        r=r,
        rows=svc.items(r, page=page, per_page=PER_PAGE),
        page=page,
        per_page=PER_PAGE,
        counts=svc.counts(r),
        type_name=svc.type_name,
        file_types=svc.FILE_TYPES,
    )


@bp.route("/subject-access-requests/<int:request_id>/items/disclose-undecided", methods=["POST"])
@access.roles(*OFFICE)
def disclose_undecided(request_id: int):
    def done(n: int) -> str:
        return f"{n} record{'s are' if n != 1 else ' is'} marked to disclose"

    return _post(request_id, lambda r: svc.disclose_pending(r, user=current_user), done)


@bp.route("/subject-access-requests/<int:request_id>/items/<int:item_id>", methods=["GET", "POST"])
@access.roles(*OFFICE)
def disclosure_item(request_id: int, item_id: int):
    r = requests_svc.get_request(request_id, current_user)
    item = svc.get_item(r, item_id)
    form = DecisionForm()
    if request.method == "GET":
        form.version.data = str(item.version)
        if item.decision.value != "pending":
            form.decision.data = item.decision.value
        form.reason.data, form.redactions.data = item.reason, item.redactions

    def save():
        copy = None
        if form.decision.data == "redact" and item.record_type in svc.FILE_TYPES:
            copy = storage.save_upload(
                form.redacted_file.data,
                purpose="redacted_copy",
                field="redacted_file",
                kinds=("pdf", "docx"),
                uploaded_by_id=current_user.id,
                required=item.redacted_file_id is None,
            )
        return svc.decide(
            r,
            item,
            user=current_user,
            version=form.version_value,
            decision=form.decision.data,
            reason=form.reason.data,
            redactions=form.redactions.data,
            redacted_file=copy,
        )

    return form_page(
        form,
        save,
        done=lambda i: f"The decision on ‘{i.title}’ is recorded: {i.decision.label.lower()}",
        then=_items_url(r.id),
        template="records/disclosure_item.html",
        r=r,
        item=item,
        type_name=svc.type_name(item.record_type),
        is_file=item.record_type in svc.FILE_TYPES,
    )


@bp.route("/subject-access-requests/<int:request_id>/bundle", methods=["GET", "POST"])
@access.roles(*OFFICE)
def disclosure_bundle(request_id: int):
    if request.method == "POST":

        def done(stored) -> str:
            return f"The disclosure bundle is built (sha256 {stored.sha256[:12]}…)"

        return _post(request_id, lambda r: bundle_svc.build_bundle(r, user=current_user), done)
    r = requests_svc.get_request(request_id, current_user)
    stored = bundle_svc.bundle_file(r, user=current_user)
    return storage.send_stored(stored, f"{r.reference}-disclosure.zip")
