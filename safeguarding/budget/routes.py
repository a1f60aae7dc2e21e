"""Budget pages: the years, a year's summary (lines, income, funding gap, reserves,
variations), contributions and invoices, payments, spend, the monitoring report with
its chart and downloads, and each partner's account."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home, nav
from safeguarding.budget import exports
from safeguarding.budget.forms import (
    AgreementForm,
    ForecastForm,
    IncomeForm,
    InvoiceForm,
    LineForm,
    NewYearForm,
    PaymentForm,
    ReasonForm,
    SettingsForm,
    SpendForm,
)
from safeguarding.calendar import (
    financial_year_label,
    financial_year_title,
    parse_financial_year,
    today,
)
from safeguarding.charts import Series, bar_chart
from safeguarding.extensions import db
from safeguarding.formatting import money, plural
from safeguarding.forms import error_summary
from safeguarding.models import (
    INVOICE_STATUS_LABELS,
    AgreementKind,
    BudgetState,
    IncomeKind,
    Organisation,
    PartnershipState,
    Role,
    SpendKind,
)
from safeguarding.services import budget as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.budget import budget_lifecycle

bp = Blueprint("budget", __name__)

OFFICE = (Role.business_office,)
SEE_ALL = (Role.business_office, Role.independent_chair)
FINANCE = (Role.business_office, Role.independent_chair, Role.partner_member)
READERS = (*FINANCE, Role.viewer)

nav.add("Budget", "budget.index", order=70)


@bp.app_template_filter("fy_title")
def _fy_title(start_year: int) -> str:
    """2020 → 2020/21"""
    return financial_year_title(start_year)


@bp.app_template_filter("fy_label")
def _fy_label(start_year: int) -> str:
    """2020 → 2020-21 (URLs)"""
    return financial_year_label(start_year)


@bp.app_template_filter("percent")
def _percent(basis_points: int | None) -> str:
    """1250 → 12.5%"""
    return svc.format_percentage(basis_points)


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _budget(year: str):
    return svc.get_budget(year, current_user)


def _year_url(budget, endpoint: str = "budget.budget", **kw) -> str:
    return url_for(endpoint, year=financial_year_label(budget.financial_year), **kw)


def _year_arg() -> int | None:
    raw = request.args.get("year")
    if not raw:
        return None
    try:
        return parse_financial_year(raw)
    except ValueError:
        abort(400)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- years -------------------------------------------------------------------------------


@bp.route("/budget")
@access.roles(*READERS)
def index():
    budgets = svc.list_budgets(current_user)
    totals = svc.totals_for([b.id for b in budgets])
    overdue = svc.overdue_summary(current_user) if svc.sees_all(current_user) else None
    return render_template(
        "budget/index.html",
        budgets=budgets,
        totals=totals,
        overdue=overdue,
        own_org=svc.partner_organisation_id(current_user),
    )


@bp.route("/budget/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_year():
    form = NewYearForm()
    years = svc.list_budgets(current_user)
    form.copy_from.choices = [("", "A blank budget")] + [(str(b.id), f"A copy of {svc.title(b)}") for b in years]
    if request.method == "GET" and years:
        form.copy_from.data = str(years[0].id)
        form.financial_year.data = financial_year_label(years[0].financial_year + 1)
    extra = {}
    if form.validate_on_submit():
        copy_from = next((b for b in years if str(b.id) == form.copy_from.data), None)
        try:
            budget = svc.start_year(
                financial_year=form.year_value, copy_from=copy_from, uplift_bp=form.uplift.data or 0, user=current_user
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"The {svc.title(budget)} budget has been started as a draft", "success")
            return redirect(_year_url(budget))
    return render_template("budget/new_year.html", form=form, summary=_summary(form, extra))


@bp.route("/budget/<year>")
@access.roles(*READERS)
def budget(year: str):
    b = _budget(year)
    s = svc.summary(b)
    sees_all = svc.sees_all(current_user)
    position = svc.year_end_position(b, s) if sees_all and b.state == BudgetState.approved else None
    return render_template(
        "budget/budget.html",
        b=s.budget,
        s=s,
        t=s.totals,
        sees_all=sees_all,
        manages=svc.manages(current_user),
        finance=current_user.has_role(*FINANCE),
        variations=svc.variations_of(b) if sees_all else [],
        position=position,
        options=budget_lifecycle.options(b, current_user),
        lifecycle=budget_lifecycle,
        history=budget_lifecycle.history(b.id) if current_user.has_role(*FINANCE) else [],
        own_org=svc.partner_organisation_id(current_user),
        AgreementKind=AgreementKind,
        IncomeKind=IncomeKind,
    )


@bp.route("/budget/<year>/settings", methods=["GET", "POST"])
@access.roles(*OFFICE)
def settings(year: str):
    b = _budget(year)
    form = SettingsForm(obj=b)
    if request.method == "GET":
        form.version.data = str(b.version)
        form.equal_share_target.data = b.equal_share_target_pence
        form.reserves_brought_forward.data = b.reserves_brought_forward_pence
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_settings(
                b,
                version=form.version_value,
                equal_share_target_pence=form.equal_share_target.data,
                reserves_brought_forward_pence=None if b.reserves_carried_in else form.reserves_brought_forward.data,
                notes=form.notes.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Budget settings saved", "success")
            return redirect(_year_url(b))
    return render_template("budget/settings.html", form=form, b=b, summary=_summary(form, extra))


# --- lines and income --------------------------------------------------------------------


@bp.route("/budget/<year>/lines/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_line(year: str):
    b = _budget(year)
    form = LineForm()
    extra = {}
    if form.validate_on_submit():
        try:
            line = svc.add_line(
                b,
                name=form.name.data,
                category=form.category.data,
                amount_pence=form.amount.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"‘{line.name}’ added", "success")
            return redirect(_year_url(b))
    return render_template("budget/line_form.html", form=form, b=b, line=None, summary=_summary(form, extra))


@bp.route("/budget/<year>/lines/<int:line_id>", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_line(year: str, line_id: int):
    b = _budget(year)
    line = svc.get_line(b, line_id)
    form = LineForm(obj=line)
    if request.method == "GET":
        form.version.data = str(line.version)
        form.category.data = line.category.value
        form.amount.data = line.amount_pence
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_line(
                line,
                version=form.version_value,
                name=form.name.data,
                category=form.category.data,
                amount_pence=form.amount.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"‘{line.name}’ updated", "success")
            return redirect(_year_url(b))
    return render_template("budget/line_form.html", form=form, b=b, line=line, summary=_summary(form, extra))


@bp.route("/budget/<year>/lines/<int:line_id>/forecast", methods=["GET", "POST"])
@access.roles(*OFFICE)
def forecast(year: str, line_id: int):
    b = _budget(year)
    line = svc.get_line(b, line_id)
    form = ForecastForm()
    if request.method == "GET":
        form.version.data = str(line.version)
        form.forecast.data = line.forecast_pence
    extra = {}
    if form.validate_on_submit():
        try:
            svc.set_forecast(line, version=form.version_value, forecast_pence=form.forecast.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Forecast for ‘{line.name}’ saved", "success")
            return redirect(_year_url(b, "budget.monitoring"))
    return render_template("budget/forecast.html", form=form, b=b, line=line, summary=_summary(form, extra))


@bp.route("/budget/<year>/income/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_income(year: str):
    b = _budget(year)
    form = IncomeForm()
    extra = {}
    if form.validate_on_submit():
        try:
            row = svc.add_income(
                b,
                name=form.name.data,
                kind=form.kind.data,
                amount_pence=form.amount.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"‘{row.name}’ added", "success")
            return redirect(_year_url(b))
    return render_template("budget/income_form.html", form=form, b=b, row=None, summary=_summary(form, extra))


@bp.route("/budget/<year>/income/<int:income_id>", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_income(year: str, income_id: int):
    b = _budget(year)
    row = svc.get_income(b, income_id)
    form = IncomeForm(obj=row)
    if request.method == "GET":
        form.version.data = str(row.version)
        form.kind.data = row.kind.value
        form.amount.data = row.amount_pence
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_income(
                row,
                version=form.version_value,
                name=form.name.data,
                kind=form.kind.data,
                amount_pence=form.amount.data,
                variation=form.variation(),
                user=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"‘{row.name}’ updated", "success")
            return redirect(_year_url(b))
    return render_template("budget/income_form.html", form=form, b=b, row=row, summary=_summary(form, extra))


# --- contributions -----------------------------------------------------------------------


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
    name = f"contributions-{financial_year_label(b.financial_year)}.{fmt}"
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
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Invoice {invoice.number} raised for {money(invoice.amount_pence)}", "success")
            return redirect(url_for("budget.invoice", invoice_id=invoice.id))
    return render_template("budget/invoice_form.html", form=form, a=a, balance=balance, summary=_summary(form, extra))


# --- invoices and payments ---------------------------------------------------------------


@bp.route("/budget/invoices")
@access.roles(*FINANCE)
def invoices():
    status = request.args.get("status") or None
    if status and status not in svc.INVOICE_FILTERS:
        abort(400)
    f = svc.InvoiceFilters(
        financial_year=_year_arg(), organisation_id=int_arg("organisation"), status=status, page=int_arg("page", 1) or 1
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


# --- spend -------------------------------------------------------------------------------


@bp.route("/budget/<year>/spend")
@access.roles(*SEE_ALL)
def spend(year: str):
    b = _budget(year)
    kind = request.args.get("kind") or None
    if kind and kind not in SpendKind.__members__:
        abort(400)
    f = svc.SpendFilters(
        financial_year=b.financial_year, line_id=int_arg("line"), kind=kind, page=int_arg("page", 1) or 1
    )
    rows, total = svc.list_spend(current_user, f)
    remaining = svc.commitment_remaining([r.id for r in rows if r.kind == SpendKind.commitment])
    return render_template(
        "budget/spend.html",
        b=b,
        rows=rows,
        total=total,
        f=f,
        lines=svc.lines_of(b),
        remaining=remaining,
        manages=svc.manages(current_user),
        kind=kind or "",
    )


@bp.route("/budget/<year>/spend/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_spend(year: str):
    b = _budget(year)
    kind = request.args.get("kind", "actual")
    if kind not in SpendKind.__members__:
        abort(400)
    form = SpendForm()
    lines = svc.lines_of(b)
    form.line_id.choices = choices(lines, blank="Select a line")
    open_commitments = svc.open_commitments(b) if kind == "actual" else []
    form.commitment_id.choices = [("", "No commitment")] + [
        (str(c.id), f"{c.reference} – {c.supplier} ({money(c.amount_pence)}, {c.line.name})") for c in open_commitments
    ]
    if request.method == "GET":
        form.line_id.data = request.args.get("line") or ""
        form.dated_on.data = today()
    extra = {}
    if form.validate_on_submit():
        line = next((x for x in lines if str(x.id) == form.line_id.data), None)
        try:
            if line is None:
                raise ValidationFailed(errors={"line_id": "Select the budget line"})
            common = dict(
                financial_year=b.financial_year,
                line_name=line.name,
                amount_pence=form.amount.data,
                supplier=form.supplier.data,
                reference=form.reference.data,
                description=form.description.data,
                recorded_by_id=current_user.id,
            )
            if kind == "commitment":
                svc.record_commitment(committed_on=form.dated_on.data, **common)
            else:
                svc.record_spend(
                    spent_on=form.dated_on.data,
                    commitment_id=int(form.commitment_id.data) if form.commitment_id.data else None,
                    **common,
                )
        except ValidationFailed as exc:
            remap = {
                "committed_on": "dated_on",
                "spent_on": "dated_on",
                "line_name": "line_id",
                "financial_year": "line_id",
            }
            extra = form_failed(
                form,
                ValidationFailed(
                    exc.message, errors={remap.get(k, k): v for k, v in exc.errors.items()}, reasons=exc.reasons
                ),
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(
                f"{'Commitment' if kind == 'commitment' else 'Spend'} of {money(form.amount.data)} recorded "
                f"against ‘{line.name}’",
                "success",
            )
            return redirect(_year_url(b, "budget.spend"))
    return render_template("budget/spend_form.html", form=form, b=b, kind=kind, summary=_summary(form, extra))


@bp.route("/budget/spend/<int:entry_id>/end", methods=["GET", "POST"])
@access.roles(*OFFICE)
def end_spend(entry_id: int):
    entry = svc.get_spend(entry_id, current_user)
    b = entry.line.budget
    commitment = entry.kind == SpendKind.commitment
    form = ReasonForm()
    if request.method == "GET":
        form.version.data = str(entry.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.end_spend(entry, version=form.version_value, reason=form.reason.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{'Commitment released' if commitment else 'Spend reversed'}: {entry.reference}", "success")
            return redirect(_year_url(b, "budget.spend"))
    what = "commitment" if commitment else "spend"
    effect = (
        "released: what is not yet spent stops counting as committed"
        if commitment
        else "reversed: it stops counting as actual spend"
    )
    return render_template(
        "budget/confirm.html",
        form=form,
        summary=_summary(form, extra),
        title=f"{'Release the commitment' if commitment else 'Reverse the spend'} {entry.reference}",
        button="Release the commitment" if commitment else "Reverse the spend",
        back=_year_url(b, "budget.spend"),
        explanation=f"The {what} of {money(entry.amount_pence)} with {entry.supplier} against ‘{entry.line.name}’ is "
        f"kept and marked {effect}.",
        reason_label=f"Reason for {'releasing the commitment' if commitment else 'reversing the spend'}",
    )


# --- monitoring --------------------------------------------------------------------------


@bp.route("/budget/<year>/monitoring")
@access.roles(*FINANCE)
def monitoring(year: str):
    b = _budget(year)
    m = svc.monitoring(b)
    chart = (
        bar_chart(
            f"Budget, forecast outturn and actual spend by line, {svc.title(b)}",
            [r.line.name for r in m.rows],
            [
                Series("Budget", [r.budget_pence for r in m.rows]),
                Series("Forecast outturn", [r.forecast_pence for r in m.rows]),
                Series("Actual", [r.actual_pence for r in m.rows]),
            ],
            value_format=money,
        )
        if m.rows
        else None
    )
    return render_template(
        "budget/monitoring.html",
        b=b,
        m=m,
        chart=chart,
        manages=svc.manages(current_user),
        sees_all=svc.sees_all(current_user),
    )


@bp.route("/budget/<year>/monitoring.<fmt>")
@access.roles(*FINANCE)
def monitoring_download(year: str, fmt: str):
    b = _budget(year)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    table = exports.monitoring_table(svc.monitoring(b))
    name = f"budget-monitoring-{financial_year_label(b.financial_year)}.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(table), name, "text/csv")
    return _download(exports.to_xlsx(table, generated_on=today()), name, exports.XLSX_MIMETYPE)


# --- home panels -------------------------------------------------------------------------


def _office_detail(n: int, x) -> str:
    return f"{plural(n, 'invoice')} past due: {money(int(x.get('owed') or 0))} owed"


def _partner_detail(n: int, x) -> str:
    owed, overdue = int(x.get("owed") or 0), int(x.get("overdue") or 0)
    detail = (
        f"{money(owed)} outstanding" + (f", {money(overdue)} overdue" if overdue else "")
        if n
        else "Nothing outstanding"
    )
    return f"{'unpaid invoice' if n == 1 else 'unpaid invoices'}: {detail}"


home.count(
    {Role.business_office},
    35,
    "Overdue contributions",
    lambda u: url_for("budget.invoices", status="overdue"),
    _office_detail,
    lambda u: svc.home_selects(u, "overdue")["count"],
    key="budget.overdue",
    kind=home.DUE,
    extras={"owed": lambda u: svc.home_selects(u, "overdue")["owed"]},
)
home.count(
    {Role.partner_member},
    36,
    "Your organisation's contributions",
    lambda u: url_for("budget.account", org_id=svc.partner_organisation_id(u)),
    _partner_detail,
    lambda u: svc.home_selects(u, "outstanding")["count"] if svc.partner_organisation_id(u) else None,
    key="budget.contributions",
    kind=home.TASK,
    show_zero=True,
    extras={
        "owed": lambda u: svc.home_selects(u, "outstanding")["owed"],
        "overdue": lambda u: svc.home_selects(u, "outstanding")["overdue"],
    },
)
