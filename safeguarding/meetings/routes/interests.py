"""Meeting pages: the annual register of interests — a Board member's return (or the
office recording one received on paper), and the register with who has not yet declared."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import financial_year_start, financial_year_title, parse_financial_year, today
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import OFFICE_OR_CHAIR, READERS, _summary, bp
from safeguarding.models import Role
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed


@bp.route("/interests")
@access.roles(*OFFICE_OR_CHAIR)
def register_of_interests():
    current = financial_year_start(today())
    label = request.args.get("year")
    try:
        year = parse_financial_year(label) if label else current
    except ValueError:
        abort(400)
    rows = svc.register_of_interests(year)
    return render_template(
        "meetings/interests.html",
        rows=rows,
        year=year,
        title=financial_year_title(year),
        years=[current, current - 1],
        waiting=sum(1 for r in rows if r.interest_return is None),
    )


@bp.route("/interests/return", methods=["GET", "POST"])
@access.roles(*READERS)
def interest_return():
    office = current_user.has_role(Role.business_office)
    current = financial_year_start(today())
    form = f.InterestReturnForm()
    form.financial_year.choices = [(str(y), financial_year_title(y)) for y in (current, current - 1)]
    if request.method == "GET":
        form.financial_year.data = str(current)
    form.person_id.choices = [("", "Select a Board member")]
    if office:
        form.person_id.choices += [(str(r.person.id), r.person.name) for r in svc.register_of_interests(current)]
    extra = {}
    if form.validate_on_submit():
        if office and not form.person_id.data:
            form.person_id.errors.append("Select the Board member whose return this is")
        else:
            try:
                svc.record_interest_return(
                    current_user,
                    financial_year=int(form.financial_year.data),
                    nil=bool(form.nil.data),
                    interests=form.interests.data,
                    person_id=int(form.person_id.data) if office else None,
                )
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("The return of interests is recorded", "success")
                return redirect(url_for("meetings.register_of_interests") if office else url_for("main.home"))
    return render_template("meetings/interest_return.html", form=form, office=office, summary=_summary(form, extra))
