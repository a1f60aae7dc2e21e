"""Meeting pages: the agenda (adding, moving and withdrawing items) and papers."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import OFFICE, READERS, _meeting_url, _summary, bp
from safeguarding.services import agenda_pack, storage
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed

# --- agenda and papers --------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def add_item(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    form = f.AgendaItemForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_agenda_item(
                m,
                title=form.title.data,
                presenter=form.presenter.data,
                description=form.description.data,
                restricted=form.restricted.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Item added to the agenda", "success")
            return redirect(_meeting_url(m) + "#agenda")
    return render_template("meetings/item_form.html", form=form, m=m, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/restricted", methods=["POST"])
@access.roles(*OFFICE)
def restrict_item(meeting_id: int, item_id: int):
    """Mark an item as confidential business (Part B), or open it again."""
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.CsrfForm()
    if form.validate_on_submit():
        choice = request.form.get("restricted", "")
        if choice not in ("yes", "no"):
            flash("Choose whether the item is restricted", "error")
        else:
            try:
                svc.set_restricted(item, choice == "yes", user=current_user)
            except ServiceError as exc:
                form_failed(form, exc)
                flash(exc.message, "error")
            else:
                flash(
                    "The item is restricted: it is taken in private"
                    if item.restricted
                    else "The item is no longer restricted",
                    "success",
                )
    return redirect(_meeting_url(m) + f"#item-{item.id}")


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@access.roles(*OFFICE)
def move_item(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.CsrfForm()
    if form.validate_on_submit():
        svc.move_agenda_item(item, request.form.get("direction", ""), user=current_user)
    return redirect(_meeting_url(m) + f"#item-{item.id}")


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/withdraw", methods=["GET", "POST"])
@access.roles(*OFFICE)
def withdraw_item(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.ReasonForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.withdraw_agenda_item(item, user=current_user, reason=form.reason.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"“{item.title}” withdrawn from the agenda", "success")
            return redirect(_meeting_url(m) + "#agenda")
    return render_template("meetings/withdraw_item.html", form=form, m=m, item=item, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/papers/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def add_paper(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.PaperForm()
    form.set_sponsors()
    extra = {}
    if form.validate_on_submit():
        try:
            stored = storage.save_upload(
                form.file.data, purpose="meeting_paper", field="file", uploaded_by_id=current_user.id
            )
            p = svc.attach_paper(item, stored, title=form.title.data, added_by_id=current_user.id)
            if form.has_sheet():
                agenda_pack.save_cover_sheet(p, user=current_user, **form.sheet_values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Paper added", "success")
            return redirect(_meeting_url(m) + f"#item-{item.id}")
    return render_template("meetings/paper_form.html", form=form, m=m, item=item, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>/papers/<int:paper_id>")
@access.roles(*READERS)
def paper(meeting_id: int, paper_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    p = svc.get_paper(m, paper_id, current_user)
    extension = p.stored_file.storage_key.rsplit(".", 1)[-1]
    return storage.send_stored(p.stored_file, f"meeting-{m.id}-paper-{p.id}.{extension}")
