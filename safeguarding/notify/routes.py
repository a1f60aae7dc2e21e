"""The outbox page for the business office: every email, its status and attempts, the
text it carries; "Send again" for the ones that failed, one at a time or in bulk; held
emails released or discarded once a mail server is configured; and, while the mail
server is not accepting mail, how long and how many are waiting (also on the home page)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from safeguarding import access, documents, home, nav
from safeguarding.formatting import plural
from safeguarding.forms import error_summary
from safeguarding.models import OutboxMessage, OutboxStatus, Role
from safeguarding.notify import delivery, outbox
from safeguarding.notify.forms import ConfirmForm, DiscardHeldForm
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import form_failed, int_arg

bp = Blueprint("notify", __name__)

OFFICE = (Role.business_office,)
PER_PAGE = 50

nav.add("Jobs and email", "notify.outbox", order=85, section=("notify", "jobs"), group="Administration")


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

home.count(
    {Role.business_office},
    19,
    "Email is not being delivered",
    lambda u: url_for("notify.outbox"),
    lambda n, extras: outbox.stalled_sentence(n, outbox.stalled_since(extras["first_failing"], extras["accepted"])),
    outbox.stalled_select,
    key="notify.stalled",
    kind=home.DUE,
    extras={"first_failing": outbox.first_failing_select, "accepted": outbox.last_accepted_select},
)


@bp.route("/outbox", endpoint="outbox")
@access.roles(*OFFICE)
def outbox_page():
    return _outbox_page()


def _outbox_page(errors: dict[str, str] | None = None, selected: frozenset[int] = frozenset()):
    raw = request.args.get("status") or None
    try:
        status = OutboxStatus(raw) if raw else None
    except ValueError:
        abort(404)
    page = int_arg("page", 1)
    rows, total = outbox.list_messages(status, page=page, per_page=PER_PAGE)
    held, oldest_held = outbox.held_summary()
    counts = outbox.status_counts()
    return render_template(
        "notify/outbox.html",
        messages=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        status=status,
        counts=counts,
        failed_total=counts[OutboxStatus.failed],
        give_up_hours=f"{delivery.give_up_after().total_seconds() / 3600:g}",
        statuses=list(OutboxStatus),
        mail_configured=outbox.mail_configured(),
        mail_server=current_app.config.get("MAIL_SERVER"),
        stalled=outbox.stalled(),
        held=held,
        oldest_held=oldest_held,
        resendable={m.id for m in rows if outbox.can_send_again(m)},
        selected=selected,
        summary={"titleText": "There is a problem", "errorList": [{"text": t, "href": "#ids"} for t in errors.values()]}
        if errors
        else None,
    )


@bp.route("/outbox/<int:message_id>")
@access.roles(*OFFICE)
def message(message_id: int):
    m = outbox.get_message(message_id)
    waiting = m.status in (OutboxStatus.pending, OutboxStatus.sending) and m.queued_at is not None
    return render_template(
        "notify/message.html",
        m=m,
        can_send_again=outbox.can_send_again(m),
        mail_configured=outbox.mail_configured(),
        give_up_at=m.queued_at + delivery.give_up_after() if waiting and m.queued_at else None,
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


# --- in bulk -------------------------------------------------------------------------------


def _selection() -> tuple[outbox.Selection, frozenset[int]]:
    """From the outbox page's form (or the confirmation page's hidden fields): `all=failed`,
    `all=held`, or `ids` ticked. Raises ValidationFailed for anything else."""
    which = request.values.get("all")
    if which in (outbox.ALL_FAILED, outbox.ALL_HELD):
        return which, frozenset()
    if which:
        raise ValidationFailed(errors={"ids": "Select the emails to send again"})
    ids: list[int] = []
    for raw in request.values.getlist("ids"):
        if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
            raise ValidationFailed(errors={"ids": "Select the emails to send again"})
        ids.append(int(raw))
    return ids, frozenset(ids)


def _first_message(exc: ServiceError) -> str:
    return next(iter(exc.errors.values()), exc.message)


@bp.route("/outbox/send-again", methods=["GET", "POST"], endpoint="send_again_many")
@access.roles(*OFFICE)
def send_again_many():
    """One confirmation page for a selection, every failed email or every held one."""
    selected: frozenset[int] = frozenset()
    try:
        selection, selected = _selection()
        count = outbox.selection_count(selection)
    except ServiceError as exc:
        return _outbox_page({"ids": _first_message(exc)}, selected)
    if count == 0:
        return _outbox_page({"ids": "There are no emails to send again"}, selected)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            done = outbox.send_again_many(selection)
        except ServiceError as exc:
            form_failed(form, exc)
            flash(_first_message(exc), "error")
            return redirect(url_for("notify.outbox"))
        flash(f"{plural(done, 'email')} back in the queue: they will be sent within a minute", "success")
        return redirect(url_for("notify.outbox"))
    return render_template(
        "notify/send_again_many.html", form=form, selection=selection, ids=sorted(selected), count=count
    )


@bp.route("/outbox/discard-held", methods=["GET", "POST"])
@access.roles(*OFFICE)
def discard_held():
    """Discard every held email, with a reason: kept on this page, never sent."""
    held, oldest = outbox.held_summary()
    if not held:
        flash("There are no held emails", "error")
        return redirect(url_for("notify.outbox"))
    form = DiscardHeldForm()
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            done = outbox.discard_held(form.reason.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{plural(done, 'held email')} discarded: they will not be sent", "success")
            return redirect(url_for("notify.outbox", status="discarded"))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template("notify/discard_held.html", form=form, held=held, oldest=oldest, summary=summary)
