"""A budget's contribution scheme (the office changes it; the chair reads it), the
combined monitoring of every arm of a year (with its downloads) and an invoice's finance
reference from the host council's ledger."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.budget import exports
from safeguarding.budget.forms import FinanceReferenceForm, scheme_form
from safeguarding.budget.routes.blueprint import FINANCE, OFFICE, SEE_ALL, _budget, _download, _summary, _year_url, bp
from safeguarding.calendar import financial_year_label, parse_financial_year, today
from safeguarding.extensions import db
from safeguarding.models import AgreementKind, ContributionScheme, Organisation, PartnershipState
from safeguarding.services import budget as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import form_failed

# --- the contribution scheme -------------------------------------------------------------


def _partners_offered(view: svc.SchemeView) -> list[Organisation]:
    """Every partner with an agreement on the budget, and every partner still in the
    partnership, by name."""
    taken = {a.organisation_id for a in view.agreements}
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(sa.or_(Organisation.id.in_(taken), Organisation.state != PartnershipState.left))
            .order_by(Organisation.name)
        )
    )


def _fill(form, view: svc.SchemeView, orgs: list[Organisation]) -> None:
    b = view.budget
    form.version.data = str(b.version)
    form.scheme.data = view.scheme.value
    form.target.data = view.target_pence
    form.figure_label.data = b.figure_label
    by_org = {a.organisation_id: a for a in view.agreements}
    for org in orgs:
        a = by_org.get(org.id)
        if a is None:
            continue
        part = {AgreementKind.equal_share: "share", AgreementKind.scheme_fixed: "fixed"}.get(AgreementKind(a.kind), "")
        getattr(form, f"part_{org.id}").data = part
        getattr(form, f"pct_{org.id}").data = a.share_bp
        getattr(form, f"figure_{org.id}").data = "" if a.share_figure is None else str(a.share_figure)
        getattr(form, f"fixed_{org.id}").data = a.fixed_pence


@bp.route("/budget/<year>/scheme", methods=["GET", "POST"])
@access.roles(*SEE_ALL, post=OFFICE)
def scheme(year: str):
    """The scheme beside the contributions it produced; the office changes it (until the
    first invoice)."""
    b = _budget(year)
    view = svc.scheme_of(b)
    orgs = _partners_offered(view)
    form = scheme_form(orgs)
    if request.method == "GET":
        _fill(form, view, orgs)
    extra: dict[str, str] = {}
    if request.method == "POST":
        if not svc.manages(current_user):
            abort(403)
        if form.validate_on_submit():
            partners = form.partners([o.id for o in orgs])
            if partners is not None:
                try:
                    svc.set_scheme(
                        b,
                        version=form.version_value,
                        scheme=form.scheme.data,
                        target_pence=form.target.data,
                        figure_label=form.figure_label.data,
                        partners=partners,
                        variation=form.variation(),
                        user=current_user,
                    )
                except ServiceError as exc:
                    if isinstance(exc, ValidationFailed):
                        exc.errors = _form_keys(exc.errors, [p.organisation_id for p in partners])
                    extra = form_failed(form, exc)
                else:
                    flash("Contribution scheme saved: the contributions have been worked out again", "success")
                    return redirect(_year_url(b, "budget.scheme"))
    return render_template(
        "budget/scheme.html",
        b=b,
        view=view,
        describe=svc.describe(view),
        orgs=orgs,
        form=form,
        summary=_summary(form, extra),
        manages=svc.manages(current_user),
        Scheme=ContributionScheme,
    )


FIELD_PREFIX = {"percentage": "pct", "figure": "figure", "fixed_amount": "fixed", "share": "part"}


def _form_keys(errors: dict[str, str], listed: list[int]) -> dict[str, str]:
    """The service names a partner's field `partners.<i>.<name>` (the i-th partner sent):
    put the message on the form's own field for that partner."""
    out = {}
    for key, message in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "partners" and parts[1].isdigit() and int(parts[1]) < len(listed):
            key = f"{FIELD_PREFIX.get(parts[2], 'part')}_{listed[int(parts[1])]}"
        out[key] = message
    return out


# --- combined monitoring -----------------------------------------------------------------


def _financial_year(raw: str) -> int:
    try:
        return parse_financial_year(raw)
    except ValueError:
        abort(404)


@bp.route("/budget/combined/<year>/monitoring")
@access.roles(*FINANCE)
def combined_monitoring(year: str):
    """Every arm's budget of a financial year side by side, and each arm with its share
    of the joint budget."""
    fy = _financial_year(year)
    c = svc.combined_monitoring(fy, current_user)
    if not c.rows:
        abort(404)
    return render_template("budget/combined.html", c=c, year_label=financial_year_label(fy))


@bp.route("/budget/combined/<year>/monitoring.<fmt>")
@access.roles(*FINANCE)
def combined_monitoring_download(year: str, fmt: str):
    fy = _financial_year(year)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    c = svc.combined_monitoring(fy, current_user)
    if not c.rows:
        abort(404)
    table = exports.combined_table(c)
    name = f"budget-monitoring-{financial_year_label(fy)}-all-arms.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(table), name, "text/csv")
    return _download(exports.to_xlsx(table, generated_on=today()), name, exports.XLSX_MIMETYPE)


# --- an invoice's finance reference ------------------------------------------------------


@bp.route("/budget/invoices/<int:invoice_id>/reference", methods=["GET", "POST"])
@access.roles(*OFFICE)
def invoice_reference(invoice_id: int):
    """The host council's purchase order and ledger invoice number on an invoice."""
    inv = svc.get_invoice(invoice_id, current_user)
    form = FinanceReferenceForm()
    if request.method == "GET":
        form.version.data = str(inv.version)
        form.purchase_order.data = inv.purchase_order
        form.ledger_invoice_number.data = inv.ledger_invoice_number
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            svc.set_finance_reference(
                inv,
                version=form.version_value,
                purchase_order=form.purchase_order.data,
                ledger_invoice_number=form.ledger_invoice_number.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Finance reference saved on invoice {inv.number}", "success")
            return redirect(url_for("budget.invoice", invoice_id=inv.id))
    return render_template("budget/invoice_reference.html", inv=inv, form=form, summary=_summary(form, extra))


@bp.route("/budget/<year>/invoices.<fmt>")
@access.roles(*FINANCE)
def invoices_download(year: str, fmt: str):
    """A budget's invoices (partners: their own) with the host council's finance reference."""
    b = _budget(year)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = svc.invoices_of(b, current_user)
    table = exports.invoices_table(svc.title(b), rows, today())
    name = f"invoices-{svc.label(b)}.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(table), name, "text/csv")
    return _download(exports.to_xlsx(table, generated_on=today()), name, exports.XLSX_MIMETYPE)
