"""The forward plan's pages: the year's cycle of business by month, with the meeting each
item goes to; the office builds the year, adds, moves and removes items."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import (
    financial_year_label,
    financial_year_start,
    financial_year_title,
    parse_financial_year,
    today,
)
from safeguarding.forms import error_summary
from safeguarding.models import ForwardKind
from safeguarding.office.forms import CsrfOnly, ForwardItemForm
from safeguarding.office.routes.common import OFFICE, RISK_READERS, bp, form_version
from safeguarding.services import forward_plan as svc
from safeguarding.services.errors import NotFound, ServiceError
from safeguarding.web import form_failed


def _year() -> int:
    raw = request.args.get("year") or request.form.get("year")
    if not raw:
        return financial_year_start(today())
    try:
        return parse_financial_year(raw)
    except ValueError as exc:
        raise NotFound("No such financial year") from exc


@bp.route("/forward-plan")
@access.roles(*RISK_READERS)
def forward_plan():
    year = _year()
    items = svc.plan_of(year)
    return render_template(
        "office/forward_plan.html",
        year=year,
        label=financial_year_label(year),
        title=financial_year_title(year),
        previous=financial_year_label(year - 1),
        following=financial_year_label(year + 1),
        items=items,
        meetings=svc.meetings_of(items),
        months=svc.MONTH_NAMES,
        office=current_user.has_role(*OFFICE),
        form=CsrfOnly(),
    )


@bp.route("/forward-plan/build", methods=["POST"])
@access.roles(*OFFICE)
def build_forward_plan():
    year = _year()
    form = CsrfOnly()
    if form.validate_on_submit():
        try:
            svc.build_year(year, user=current_user)
        except ServiceError as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
        else:
            flash(f"The forward plan for {financial_year_title(year)} is built and on the agendas", "success")
    return redirect(url_for("office.forward_plan", year=financial_year_label(year)))


def _month_choices() -> list[tuple[str, str]]:
    return [("", "Select a month")] + [(str(m), svc.MONTH_NAMES[m]) for m in svc.FY_MONTHS]


@bp.route("/forward-plan/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_forward_item():
    year = _year()
    form = ForwardItemForm()
    form.month.choices = _month_choices()
    form.kind.choices = [(k.value, k.label) for k in ForwardKind if k != ForwardKind.highlight_report]
    extra: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            svc.add_item(
                year,
                user=current_user,
                title=form.title.data,
                month=int(form.month.data),
                kind=form.kind.data,
                notes=form.notes.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Added to the forward plan", "success")
            return redirect(url_for("office.forward_plan", year=financial_year_label(year)))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(
        "office/forward_item_form.html",
        form=form,
        item=None,
        year=year,
        label=financial_year_label(year),
        summary=summary,
    )


@bp.route("/forward-plan/<int:item_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_forward_item(item_id: int):
    item = svc.get_item(item_id)
    form = ForwardItemForm(obj=item)
    form.month.choices = _month_choices()
    del form.kind  # an item's kind does not change
    if request.method == "GET":
        form.month.data = str(item.month)
    extra: dict[str, str] = {}
    label = financial_year_label(item.financial_year)
    if form.validate_on_submit():
        try:
            svc.update_item(
                item,
                user=current_user,
                title=form.title.data,
                month=int(form.month.data),
                notes=form.notes.data,
                version=form_version(),
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Forward plan item saved", "success")
            return redirect(url_for("office.forward_plan", year=label))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(
        "office/forward_item_form.html", form=form, item=item, year=item.financial_year, label=label, summary=summary
    )


@bp.route("/forward-plan/<int:item_id>/remove", methods=["POST"])
@access.roles(*OFFICE)
def remove_forward_item(item_id: int):
    item = svc.get_item(item_id)
    form = CsrfOnly()
    if form.validate_on_submit():
        try:
            svc.remove_item(item, user=current_user, version=form_version())
        except ServiceError as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
        else:
            flash(f"“{item.title}” removed from the forward plan", "success")
    return redirect(url_for("office.forward_plan", year=financial_year_label(item.financial_year)))
