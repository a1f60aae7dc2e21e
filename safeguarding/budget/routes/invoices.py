"""Invoices and payments, and each partner's account."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.budget.forms import PaymentForm, ReasonForm
from safeguarding.budget.routes.blueprint import FINANCE, OFFICE, _summary, _year_arg, bp
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import INVOICE_STATUS_LABELS, Organisation
from safeguarding.services import budget as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed, int_arg


@bp.route("/budget/invoices")
@access.roles(*FINANCE)
def invoices():
    status = request.args.get("status") or None
    if status and status not in svc.INVOICE_FILTERS:
        abort(400)
    year, arm = _year_arg()
    f = svc.InvoiceFilters(
        financial_year=year,
        arm=arm,
        organisation_id=int_arg("organisation"),
        status=status,
        page=int_arg("page", 1) or 1,
    )
    rows, total = svc.list_invoices(current_user, f)
    orgs = (
        db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
        if svc.sees_all(current_user)
        else []
    )
    years = svc.list_budgets(current_user)
    return render_template(
        "budget/invoices.html",
        invoices=rows,
        total=total,
        f=f,
        orgs=orgs,
        years=years,
        status=status or "",
        today=today(),
        labels=INVOICE_STATUS_LABELS,
        year=request.args.get("year") or "",
    )


@bp.route("/budget/invoices/<int:invoice_id>", methods=["GET", "POST"])
@access.roles(*FINANCE, post=OFFICE)  # recording a payment is the office's
def invoice(invoice_id: int):
    inv = svc.get_invoice(invoice_id, current_user)
    form = PaymentForm()
    if request.method == "GET":
        form.version.data = str(inv.version)
    extra = {}
    if request.method == "POST":
        if not svc.manages(current_user):
            abort(403)
        if form.validate_on_submit():
            try:
                payment = svc.record_payment(
                    inv,
                    amount_pence=form.amount.data,
                    received_on=form.received_on.data,
                    reference=form.reference.data,
                    version=form.version_value,
                    user=current_user,
                )
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash(f"Payment of {money(payment.amount_pence)} recorded against invoice {inv.number}", "success")
                return redirect(url_for("budget.invoice", invoice_id=inv.id))
    return render_template(
        "budget/invoice.html",
        inv=inv,
        payments=svc.payments_of(inv),
        form=form,
        summary=_summary(form, extra),
        manages=svc.manages(current_user),
        today=today(),
        labels=INVOICE_STATUS_LABELS,
    )


@bp.route("/budget/invoices/<int:invoice_id>/pdf")
@access.roles(*FINANCE)
def invoice_pdf(invoice_id: int):
    """The invoice as a PDF (partners: their own organisation's only)."""
    from safeguarding.documents import send_file

    inv = svc.get_invoice(invoice_id, current_user)
    return send_file(svc.invoice_pdf(inv), f"{inv.number}.pdf")


@bp.route("/budget/invoices/<int:invoice_id>/cancel", methods=["GET", "POST"])
@access.roles(*OFFICE)
def cancel_invoice(invoice_id: int):
    inv = svc.get_invoice(invoice_id, current_user)
    form = ReasonForm()
    if request.method == "GET":
        form.version.data = str(inv.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.cancel_invoice(inv, version=form.version_value, reason=form.reason.data, user=current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Invoice {inv.number} cancelled", "success")
            return redirect(url_for("budget.invoice", invoice_id=inv.id))
    return render_template(
        "budget/confirm.html",
        form=form,
        summary=_summary(form, extra),
        title=f"Cancel invoice {inv.number}",
        button="Cancel the invoice",
        back=url_for("budget.invoice", invoice_id=inv.id),
        explanation=f"The invoice for {money(inv.amount_pence)} to {inv.organisation.name} is kept "
        "and marked cancelled; the amount can be invoiced again.",
        reason_label="Reason for cancelling the invoice",
    )


@bp.route("/budget/payments/<int:payment_id>/reverse", methods=["GET", "POST"])
@access.roles(*OFFICE)
def reverse_payment(payment_id: int):
    p = svc.get_payment(payment_id, current_user)
    form = ReasonForm()
    if request.method == "GET":
        form.version.data = str(p.invoice.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.reverse_payment(p, reason=form.reason.data, version=form.version_value, user=current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Payment of {money(p.amount_pence)} reversed", "success")
            return redirect(url_for("budget.invoice", invoice_id=p.invoice_id))
    return render_template(
        "budget/confirm.html",
        form=form,
        summary=_summary(form, extra),
        title=f"Reverse a payment of {money(p.amount_pence)}",
        button="Reverse the payment",
        back=url_for("budget.invoice", invoice_id=p.invoice_id),
        explanation=f"The payment received on {p.received_on.day} {p.received_on:%B %Y} against "
        f"invoice {p.invoice.number} is kept and marked reversed; the invoice is owed "
        "again.",
        reason_label="Reason for reversing the payment",
    )


@bp.route("/budget/organisations/<int:org_id>")
@access.roles(*FINANCE)
def account(org_id: int):
    acc = svc.account(org_id, current_user)
    return render_template(
        "budget/account.html", acc=acc, today=today(), labels=INVOICE_STATUS_LABELS, manages=svc.manages(current_user)
    )
