"""The outbox page for the business office: every email, its status and attempts, the
text it carries, and "Send again" for the ones that failed."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from safeguarding import access, documents, home, nav
from safeguarding.models import OutboxMessage, OutboxStatus, Role
from safeguarding.notify import outbox
from safeguarding.notify.forms import ConfirmForm
from safeguarding.services.errors import ServiceError
from safeguarding.web import int_arg

bp = Blueprint("notify", __name__)

OFFICE = (Role.business_office,)
PER_PAGE = 50

nav.add("Jobs and email", "notify.outbox", order=85, section=("notify", "jobs"))


def _failed_emails(user) -> sa.Select:
    return sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.status == OutboxStatus.failed)


home.count(
    {Role.business_office},
    20,
    "Emails that could not be sent",
    lambda u: url_for("notify.outbox", status="failed"),
    "the mail server refused them or could not be reached: check and send again",
    _failed_emails,
    key="notify.failed",
    kind=home.DUE,
)


@bp.route("/outbox", endpoint="outbox")
@access.roles(*OFFICE)
def outbox_page():
    raw = request.args.get("status") or None
    try:
        status = OutboxStatus(raw) if raw else None
    except ValueError:
        abort(404)
    page = int_arg("page", 1)
    rows, total = outbox.list_messages(status, page=page, per_page=PER_PAGE)
    return render_template(
        "notify/outbox.html",
        messages=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        status=status,
        counts=outbox.status_counts(),
        statuses=list(OutboxStatus),
        mail_configured=outbox.mail_configured(),
        mail_server=current_app.config.get("MAIL_SERVER"),
    )


@bp.route("/outbox/<int:message_id>")
@access.roles(*OFFICE)
def message(message_id: int):
    m = outbox.get_message(message_id)
    return render_template(
        "notify/message.html", m=m, can_send_again=outbox.can_send_again(m), mail_configured=outbox.mail_configured()
    )


@bp.route("/outbox/<int:message_id>/attachments/<int:attachment_id>")
@access.roles(*OFFICE)
def attachment(message_id: int, attachment_id: int):
    a = outbox.attachment_data(message_id, attachment_id)
    return documents.send_file(a.data, a.filename, content_type=a.content_type)


@bp.route("/outbox/<int:message_id>/send-again", methods=["GET", "POST"])
@access.roles(*OFFICE)
def send_again(message_id: int):
    m = outbox.get_message(message_id)
    if not outbox.can_send_again(m):
        flash(f"This message is {m.status.label.lower()}: only failed messages can be sent again", "error")
        return redirect(url_for("notify.message", message_id=m.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            outbox.send_again(m)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash("The message is back in the queue: it will be sent within a minute", "success")
        return redirect(url_for("notify.message", message_id=m.id))
    return render_template("notify/send_again.html", m=m, form=form)
