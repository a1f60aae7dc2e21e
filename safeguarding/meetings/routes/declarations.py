"""Meeting pages: declaring an interest, and the register of declarations."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import READERS, _meeting_url, _summary, bp
from safeguarding.models import Meeting, Role
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed, int_arg

# --- declarations ---------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/declarations/new", methods=["GET", "POST"])
@access.roles(*READERS)
def declare(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    office = current_user.has_role(Role.business_office)
    form = f.DeclarationForm()
    form.agenda_item_id.choices = [("", "Select an item")] + [
        (str(i.id), f"{n}. {i.title}") for n, i in enumerate(svc.agenda_of(m), start=1)
    ]
    if request.method == "GET" and request.args.get("item"):
        form.agenda_item_id.data = request.args.get("item")
    form.person_id.choices = [("", "Select a person")]
    if office:
        people = svc.people_by_id(svc.load_register(m).people_ids)
        form.person_id.choices += sorted(((str(p.id), p.name) for p in people.values()), key=lambda c: c[1])
    extra = {}
    if form.validate_on_submit():
        if office and not form.person_id.data:
            form.person_id.errors.append("Select who is declaring the interest")
        else:
            try:
                item = svc.get_agenda_item(m, int(form.agenda_item_id.data))
                svc.declare_interest(
                    item,
                    user=current_user,
                    nature=form.nature.data,
                    person_id=int(form.person_id.data) if office else None,
                )
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("Declaration of interest recorded and sent to the chair", "success")
                return redirect(_meeting_url(m))
    return render_template("meetings/declare.html", form=form, m=m, office=office, summary=_summary(form, extra))


@bp.route("/declarations")
@access.roles(*READERS)
def declarations():
    page = int_arg("page", 1) or 1
    rows, total = svc.list_declarations(current_user, page=page, per_page=50)
    meetings = (
        {m.id: m for m in db.session.scalars(sa.select(Meeting).where(Meeting.id.in_({d.meeting_id for d in rows})))}
        if rows
        else {}
    )
    return render_template(
        "meetings/declarations.html", declarations=rows, total=total, page=page, per_page=50, meetings=meetings
    )
