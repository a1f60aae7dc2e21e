"""The years, a year's summary and settings, and its lines and other income."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.budget.forms import ForecastForm, IncomeForm, LineForm, NewYearForm, SettingsForm
from safeguarding.budget.routes.blueprint import FINANCE, OFFICE, READERS, _budget, _summary, _year_url, bp
from safeguarding.calendar import financial_year_label
from safeguarding.models import AgreementKind, Arm, BudgetState, IncomeKind
from safeguarding.services import budget as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed
from safeguarding.workflows.budget import budget_lifecycle

# --- years -------------------------------------------------------------------------------


@bp.route("/budget")
@access.roles(*READERS)
def index():
    budgets = svc.list_budgets(current_user)
    totals = svc.totals_for([b.id for b in budgets])
    overdue = svc.overdue_summary(current_user) if svc.sees_all(current_user) else None
    by_arm = [(arm, [b for b in budgets if b.arm == arm]) for arm in (Arm.adults, Arm.children, Arm.both)]
    years_with_several = sorted(
        {b.financial_year for b in budgets if sum(1 for x in budgets if x.financial_year == b.financial_year) > 1},
        reverse=True,
    )
    return render_template(
        "budget/index.html",
        by_arm=[(arm, rows) for arm, rows in by_arm if rows],
        combined_years=years_with_several if current_user.has_role(*FINANCE) else [],
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
        latest = next((b for b in years if b.arm == Arm.adults), years[0])
        form.copy_from.data = str(latest.id)
        form.financial_year.data = financial_year_label(latest.financial_year + 1)
    extra = {}
    if form.validate_on_submit():
        copy_from = next((b for b in years if str(b.id) == form.copy_from.data), None)
        try:
            budget = svc.start_year(
                financial_year=form.year_value,
                arm=form.arm.data,
                adults_share_bp=form.adults_share.data,
                children_share_bp=form.children_share.data,
                copy_from=copy_from,
                uplift_bp=form.uplift.data or 0,
                user=current_user,
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
        scheme=svc.describe(svc.scheme_of(b)) if current_user.has_role(*FINANCE) else None,
        Arm=Arm,
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
        form.adults_share.data = b.adults_share_bp
        form.children_share.data = b.children_share_bp
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
                adults_share_bp=form.adults_share.data if b.arm == Arm.both else None,
                children_share_bp=form.children_share.data if b.arm == Arm.both else None,
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
