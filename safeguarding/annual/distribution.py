"""The annual report's pages for the Board's agreement and the distribution: putting the
approved report on the Board's agenda, the distribution list (each recipient's address
and how it gets the report, kept by the office), sending the report again to one
recipient, and the published report's PDF for the recipients sent a link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from safeguarding import access, documents
from safeguarding.annual.common import bp
from safeguarding.annual.forms import BoardAgendaForm, ContactForm, SendToRecipientForm
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.forms import error_summary
from safeguarding.models import AnnualReport, AnnualReportState
from safeguarding.services import annual as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed


def _back(report_id: int, anchor: str | None = None):
    return redirect(url_for("annual.report", report_id=report_id, _anchor=anchor))


@bp.route("/annual-reports/<int:report_id>/board-agenda", methods=["POST"])
@access.roles(*svc.OFFICE)
def board_agenda(report_id: int):
    """Put the approved adults' report on the next Board meeting's agenda for its agreement
    (approval does it; again after a decision that did not agree it)."""
    r = svc.get_report(report_id, current_user)
    form = BoardAgendaForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        on = svc.put_on_board_agenda(r, current_user)
    except ServiceError as exc:
        form_failed(form, exc)
        flash(exc.message, "error")
    else:
        if on is None:
            flash("No Board meeting is scheduled yet: the report goes on the next one when it is", "success")
        else:
            flash(f"On the agenda of the Board meeting on {long_date(on)}", "success")
    return _back(r.id, "board-agreement")


@bp.route("/annual-reports/<int:report_id>/recipients/<int:recipient_id>/send", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def send_to_recipient(report_id: int, recipient_id: int):
    """Send the report again to one recipient (failed or held at the outbox; or one that
    had no address when it was published): a confirmation page."""
    r = svc.get_report(report_id, current_user)
    recipient = svc.get_recipient(r, recipient_id)
    delivery = next((d for d in svc.deliveries(r) if d.recipient.id == recipient.id), None)
    if delivery is None or not delivery.may_send:
        flash("The report is on its way to this recipient, or has reached it: there is nothing to send", "error")
        return _back(r.id, "recipients")
    form = SendToRecipientForm()
    if form.validate_on_submit():
        try:
            svc.send_to_recipient(r, recipient, current_user)
        except ServiceError as exc:
            form_failed(form, exc)
            flash(next(iter(exc.errors.values()), exc.message), "error")
        else:
            flash(f"The report is in the outbox's queue for {recipient.role}", "success")
        return _back(r.id, "recipients")
    entry = svc.entry_for(recipient.organisation_id, recipient.role_key) if recipient.role_key else None
    return render_template(
        "annual/send_to_recipient.html", r=r, title=svc.title(r), delivery=delivery, entry=entry, form=form
    )


@bp.route("/annual-reports/distribution-list")
@access.roles(*svc.OFFICE)
def distribution_list():
    return render_template("annual/distribution_list.html", entries=svc.distribution_list())


@bp.route("/annual-reports/distribution-list/<int:organisation_id>/<role_key>", methods=["GET", "POST"])
@access.roles(*svc.OFFICE)
def edit_contact(organisation_id: int, role_key: str):
    if role_key not in svc.ROLES:
        abort(404)
    entry = svc.entry_for(organisation_id, role_key)
    form = ContactForm()
    if not form.is_submitted():
        form.email.data = entry.contact.email if entry.contact else None
        form.send_as.data = entry.send_as.value
        form.version.data = str(entry.contact.version) if entry.contact else ""
    extra = {}
    if form.validate_on_submit():
        try:
            svc.set_contact(
                entry, current_user, email=form.email.data, send_as=form.send_as.data, version=form.version_value
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"The address for {entry.role} is saved", "success")
            return redirect(url_for("annual.distribution_list"))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    status = 400 if summary else 200
    return render_template("annual/edit_contact.html", entry=entry, form=form, summary=summary), status


@bp.route("/published/annual-reports/<int:report_id>.pdf")
@access.public
def published_pdf(report_id: int):
    """A published report's PDF, for the recipients sent a link: the partnership publishes
    its reports (Care Act 2014 Schedule 2 para 4), so a published one is public; anything
    else is not found."""
    r = db.session.get(AnnualReport, report_id)
    if r is None or r.state != AnnualReportState.published:
        abort(404)
    return documents.send_file(documents.render_pdf(svc.document(r)), svc.file_name(r, "pdf"))
