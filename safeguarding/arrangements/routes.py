"""Pages for the children's safeguarding arrangements as published: the safeguarding
partners and their people, the partnership chair, the independent scrutineer, the
relevant agencies, the publication and the history of changes. The business office
changes them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, nav
from safeguarding.arrangements.forms import ArrangementsForm, PartnerForm
from safeguarding.forms import error_summary
from safeguarding.models import Role
from safeguarding.services import arrangements as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed

bp = Blueprint("arrangements", __name__)

OFFICE = (Role.business_office,)
# Published arrangements are public record (viewers read what is published); everyone who
# works in or scrutinises the partnership reads them. Not the administrator (accounts only).
READERS = (
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.viewer,
    Role.safeguarding_partner,
    Role.scrutineer,
)

nav.add("Children's arrangements", "arrangements.index", order=65, group="Partnership")


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _person_label(p) -> str:
    return f"{p.name} ({p.organisation.short_name})" if p.organisation else p.name


@bp.route("/arrangements")
@access.roles(*READERS)
def index():
    return render_template(
        "arrangements/index.html", view=svc.published(), may_edit=access.user_has(current_user, OFFICE)
    )


def _partner_form(partner=None) -> PartnerForm:
    form = PartnerForm(obj=partner)
    people = svc.candidate_people()
    form.lead_person_id.choices = choices(people, label=_person_label, blank="Select a person")
    form.delegate_person_id.choices = choices(people, label=_person_label, blank="No delegate")
    if partner is None:
        form.organisation_id.choices = choices(svc.candidate_organisations(), blank="Select an organisation")
    else:
        del form.organisation_id
    if request.method == "GET" and partner is not None:
        form.version.data = str(partner.version)
        form.lead_person_id.data = str(partner.lead_person_id or "")
        form.delegate_person_id.data = str(partner.delegate_person_id or "")
    return form


@bp.route("/arrangements/partners/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_partner():
    form = _partner_form()
    extra = {}
    if form.validate_on_submit():
        try:
            partner = svc.record_partner(**form.values(new=True), user=current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{partner.organisation.name} recorded as a safeguarding partner", "success")
            return redirect(url_for("arrangements.index"))
    return render_template("arrangements/partner_form.html", form=form, summary=_summary(form, extra), partner=None)


@bp.route("/arrangements/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_partner(partner_id: int):
    partner = svc.get_partner(partner_id)
    form = _partner_form(partner)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_partner(partner, version=form.version_value, user=current_user, **form.values(new=False))
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{partner.organisation.name} updated", "success")
            return redirect(url_for("arrangements.index"))
    return render_template("arrangements/partner_form.html", form=form, summary=_summary(form, extra), partner=partner)


@bp.route("/arrangements/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit():
    row = svc.get_arrangements()
    form = ArrangementsForm()
    form.scrutineer_person_id.choices = choices(svc.independent_people(), label=_person_label, blank="Not recorded")
    if request.method == "GET" and row is not None:
        form.version.data = str(row.version)
        form.scrutineer_person_id.data = str(row.scrutineer_person_id or "")
        form.relevant_agencies.data = "\n".join(row.relevant_agencies or [])
        form.published_on.data, form.publication_url.data = row.published_on, row.publication_url
        form.summary.data = row.summary
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_arrangements(version=form.version_value, user=current_user, **form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Arrangements updated", "success")
            return redirect(url_for("arrangements.index"))
    return render_template("arrangements/edit.html", form=form, summary=_summary(form, extra), row=row)
