"""Spend: commitments and actuals against a year's lines, recorded, released and reversed."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.budget.forms import ReasonForm, SpendForm
from safeguarding.budget.routes.blueprint import OFFICE, SEE_ALL, _budget, _summary, _year_url, bp
from safeguarding.calendar import today
from safeguarding.formatting import money
from safeguarding.models import SpendKind
from safeguarding.services import budget as svc
from safeguarding.services.errors import ServiceError, ValidationFailed
from safeguarding.web import choices, form_failed, int_arg


@bp.route("/budget/<year>/spend")
@access.roles(*SEE_ALL)
def spend(year: str):
    b = _budget(year)
    kind = request.args.get("kind") or None
    if kind and kind not in SpendKind.__members__:
        abort(400)
    f = svc.SpendFilters(
        financial_year=b.financial_year, arm=b.arm, line_id=int_arg("line"), kind=kind, page=int_arg("page", 1) or 1
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
                arm=b.arm,
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
