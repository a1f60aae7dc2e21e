"""What each partner contributes (with its chart and downloads), the agreements, and
raising an invoice against one."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.budget import exports
from safeguarding.budget.forms import AgreementForm, InvoiceForm
from safeguarding.budget.routes.blueprint import FINANCE, OFFICE, _budget, _download, _summary, _year_url, bp
from safeguarding.calendar import today
from safeguarding.charts import Series, bar_chart
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import Organisation, PartnershipState
from safeguarding.services import budget as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed


def _contributions(b):
    own = None if svc.sees_all(current_user) else svc.partner_organisation_id(current_user)
    if not svc.sees_all(current_user) and own is None:
        abort(404)
    agreements = svc.agreements_of(b, organisation_id=own)
    return agreements, svc.balances_by_agreement(agreements)


def _contributions_chart(b, agreements, balances):
    series = [Series("Agreed", [a.amount_pence for a in agreements])]
    if svc.sees_all(current_user):
        series.append(Series("Paid", [balances[a.id].paid_pence for a in agreements]))
    return bar_chart(
        f"Contributions by partner, {svc.title(b)}",
        [a.organisation.short_name for a in agreements],
        series,
        value_format=money,
    )


@bp.route("/budget/<year>/contributions")
@access.roles(*FINANCE)
def contributions(year: str):
    b = _budget(year)
    agreements, balances = _contributions(b)
    return render_template(
        "budget/contributions.html",
        b=b,
        agreements=agreements,
        balances=balances,
        chart=_contributions_chart(b, agreements, balances) if agreements else None,
        scheme=svc.describe(svc.scheme_of(b)),
        sees_all=svc.sees_all(current_user),
        manages=svc.manages(current_user),
        today=today(),
    )


@bp.route("/budget/<year>/contributions.<fmt>")
@access.roles(*FINANCE)
def contributions_download(year: str, fmt: str):
    b = _budget(year)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    agreements, balances = _contributions(b)
    table = exports.contributions_table(svc.title(b), agreements, balances)
    name = f"contributions-{svc.label(b)}.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(table), name, "text/csv")
    return _download(exports.to_xlsx(table, generated_on=today()), name, exports.XLSX_MIMETYPE)


def _organisation_choices(b, exclude_existing: bool):
    taken = {a.organisation_id for a in svc.agreements_of(b)} if exclude_existing else set()
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.state != PartnershipState.left).order_by(Organisation.name)
    )
    return choices([o for o in rows if o.id not in taken], blank="Select a partner")


@bp.route("/budget/<year>/contributions/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_agreement(year: str):
    b = _budget(year)
    form = AgreementForm()
    form.organisation_id.choices = _organisation_choices(b, exclude_existing=True)
    extra = {}
    if form.validate_on_submit():
        try:
            a = svc.add_agreement(
                b,
                organisation_id=int(form.organisation_id.data),
                kind=form.kind.data,
                fixed_pence=form.fixed_amount.data,
                percentage_bp=form.percentage.data,
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                notes=form.notes.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{a.organisation.name}'s contribution for {svc.title(b)} is {money(a.amount_pence)}", "success")
            return redirect(_year_url(b, "budget.contributions"))
    return render_template("budget/agreement_form.html", form=form, b=b, a=None, summary=_summary(form, extra))


@bp.route("/budget/contributions/<int:agreement_id>", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_agreement(agreement_id: int):
    a = svc.get_agreement(agreement_id, current_user)
    b = a.budget
    form = AgreementForm(obj=a)
    form.organisation_id.choices = [(str(a.organisation_id), a.organisation.name)]
    if request.method == "GET":
        form.version.data = str(a.version)
        form.organisation_id.data = str(a.organisation_id)
        form.kind.data = a.kind.value
        form.fixed_amount.data = a.fixed_pence
        form.percentage.data = a.percentage_bp
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_agreement(
                a,
                version=form.version_value,
                kind=form.kind.data,
                fixed_pence=form.fixed_amount.data,
                percentage_bp=form.percentage.data,
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                notes=form.notes.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{a.organisation.name}'s contribution for {svc.title(b)} is {money(a.amount_pence)}", "success")
            return redirect(_year_url(b, "budget.contributions"))
    return render_template("budget/agreement_form.html", form=form, b=b, a=a, summary=_summary(form, extra))


@bp.route("/budget/contributions/<int:agreement_id>/invoice", methods=["GET", "POST"])
@access.roles(*OFFICE)
def raise_invoice(agreement_id: int):
    a = svc.get_agreement(agreement_id, current_user)
    balance = svc.balances_by_agreement([a])[a.id]
    form = InvoiceForm()
    if request.method == "GET":
        form.issued_on.data = today()
    extra = {}
    if form.validate_on_submit():
        try:
            invoice = svc.raise_invoice(
                a,
                issued_on=form.issued_on.data,
                due_on=form.due_on.data,
                amount_pence=form.amount.data,
                description=form.description.data,
                user=current_user,
                purchase_order=form.purchase_order.data,
                ledger_invoice_number=form.ledger_invoice_number.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Invoice {invoice.number} raised for {money(invoice.amount_pence)}", "success")
            return redirect(url_for("budget.invoice", invoice_id=invoice.id))
    return render_template("budget/invoice_form.html", form=form, a=a, balance=balance, summary=_summary(form, extra))
