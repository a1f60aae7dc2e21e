"""The business office's closure days: extra non-working days for every working-day
deadline (case reviews, papers)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from safeguarding import access
from safeguarding.closures.forms import ClosureForm, ConfirmForm
from safeguarding.formatting import long_date
from safeguarding.forms import error_summary
from safeguarding.models import Role
from safeguarding.services import closures as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed

bp = Blueprint("closures", __name__)


@bp.route("/calendar/closure-days", methods=["GET", "POST"])
@access.roles(Role.business_office)
def closure_days():
    form = ClosureForm()
    extra = {}
    if form.validate_on_submit():
        try:
            row = svc.add_closure_day(form.day.data, form.reason.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{long_date(row.day)} added as a closure day", "success")
            return redirect(url_for("closures.closure_days"))
    include_past = request.args.get("past") == "1"
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(
        "closures/closure_days.html",
        form=form,
        rows=svc.list_closure_days(include_past=include_past),
        include_past=include_past,
        summary=summary,
    )


@bp.route("/calendar/closure-days/<int:closure_id>/remove", methods=["GET", "POST"])
@access.roles(Role.business_office)
def remove(closure_id: int):
    row = svc.get_closure_day(closure_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        svc.remove_closure_day(row)
        flash(f"{long_date(row.day)} is a working day again", "success")
        return redirect(url_for("closures.closure_days"))
    return render_template("closures/remove.html", form=form, row=row)
