"""Business plans and sub-group work plans, pages: the blueprint, who may use which pages,
the colours, and the helpers every page module shares."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from safeguarding import nav
from safeguarding.calendar import financial_year_start, parse_financial_year, today
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import Organisation, PartnershipState, Person, Rag, Role
from safeguarding.services import workplans as svc
from safeguarding.web import choices
from safeguarding.workflows.workplans import work_plan_lifecycle

bp = Blueprint("workplans", __name__)
work_plan_lifecycle.serve(url=lambda p: url_for("workplans.plan", plan_id=p.id))
READERS = svc.READERS
EDITORS = (Role.business_office, Role.subgroup_chair)
UPDATERS = (Role.business_office, Role.subgroup_chair, Role.partner_member)
OFFICE = (Role.business_office,)


nav.add("Work plans", "workplans.index", order=55, group="Plans and actions")


STATE_COLOURS = {"draft": "grey", "submitted": "yellow", "approved": "green", "closed": "blue"}
RAG_COLOURS = {r.value: r.colour for r in Rag}
RAG_HEX = {
    Rag.red: "#d4351c",
    Rag.amber: "#f47738",
    Rag.green: "#00703c",
    Rag.complete: "#1d70b8",
    Rag.not_rated: "#505a5f",
}


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _year_arg() -> int:
    raw = request.args.get("year")
    if not raw:
        return financial_year_start(today())
    try:
        return parse_financial_year(raw)
    except ValueError:
        abort(400)


def _parse_year_field(form, field: str = "financial_year") -> int | None:
    try:
        return parse_financial_year(getattr(form, field).data)
    except ValueError:
        return None


def _form(
    template_title: str,
    form,
    back: str,
    *,
    caption: str = "",
    button: str = "Save",
    intro: str = "",
    multipart: bool = False,
    extra=None,
):
    return render_template(
        "workplans/form.html",
        title=template_title,
        form=form,
        back=back,
        caption=caption,
        button=button,
        intro=intro,
        multipart=multipart,
        summary=_summary(form, extra),
    )


def _organisation_choices(blank: str):
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.state != PartnershipState.left).order_by(Organisation.name)
    )
    return choices(rows, blank=blank)


def _people_choices(blank: str):
    rows = db.session.scalars(sa.select(Person).where(Person.active.is_(True)).order_by(Person.name))
    return choices(
        rows, label=lambda p: f"{p.name} ({p.organisation.short_name})" if p.organisation else p.name, blank=blank
    )


def _item_for(item_id: int, *, edit: bool = False):
    it, p = svc.get_item(item_id)
    allowed = svc.may_edit_plan(p, current_user) if edit else svc.may_update_item(it, p, current_user)
    if not allowed:
        abort(403)
    return it, p
