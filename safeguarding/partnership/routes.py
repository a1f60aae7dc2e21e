"""Pages for the partnership's directory: organisations, people, groups, memberships."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, nav
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.forms import error_summary
from safeguarding.models import Membership, MembershipRole, Organisation, Person, Role
from safeguarding.partnership.forms import (
    ConfirmForm,
    EndMembershipForm,
    GroupForm,
    MembershipForm,
    MouForm,
    MouVersionForm,
    OrganisationForm,
    PersonForm,
)
from safeguarding.services import partnership as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.partnership import partnership_lifecycle

bp = Blueprint("partnership", __name__)
partnership_lifecycle.serve(url=lambda org: url_for("partnership.organisation", org_id=org.id))

OFFICE = (Role.business_office,)
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair, Role.admin)

nav.add("Organisations", "partnership.organisations", order=60, section=("partnership",), group="Partnership")


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _organisation_choices(blank: str = "Select an organisation"):
    rows = db.session.scalars(sa.select(Organisation).where(Organisation.state != "left").order_by(Organisation.name))
    return choices(rows, blank=blank)


def _people_choices(organisation_id: int | None = None, blank: str = "Select a person"):
    stmt = sa.select(Person).where(Person.active.is_(True)).order_by(Person.name)
    if organisation_id is not None:
        stmt = stmt.where(Person.organisation_id == organisation_id)
    rows = db.session.scalars(stmt)
    return choices(
        rows, label=lambda p: f"{p.name} ({p.organisation.short_name})" if p.organisation else p.name, blank=blank
    )


# --- organisations ----------------------------------------------------------------------


@bp.route("/organisations")
@access.roles(*READERS)
def organisations():
    return render_template(
        "partnership/organisations.html", organisations=svc.list_organisations(), counts=svc.organisation_counts()
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_organisation():
    form = OrganisationForm()
    extra = {}
    if form.validate_on_submit():
        try:
            org = svc.create_organisation(**form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{org.name} added", "success")
            return redirect(url_for("partnership.organisation", org_id=org.id))
    return render_template("partnership/organisation_form.html", form=form, summary=_summary(form, extra), org=None)


@bp.route("/organisations/<int:org_id>")
@access.roles(*READERS)
def organisation(org_id: int):
    org = svc.get_organisation(org_id)
    on = today()
    seats = list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.organisation_id == org.id,
                Membership.start_date <= on,
                sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            )
            .order_by(Membership.group_id)
        )
    )
    people, _ = svc.list_people(organisation_id=org.id, per_page=500)
    return render_template(
        "partnership/organisation.html",
        org=org,
        seats=seats,
        people=people,
        options=partnership_lifecycle.options(org, current_user),
        history=partnership_lifecycle.history(org.id),
        lifecycle=partnership_lifecycle,
    )


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_organisation(org_id: int):
    org = svc.get_organisation(org_id)
    form = OrganisationForm(obj=org)
    extra = {}
    if request.method == "GET":
        form.version.data = str(org.version)
        form.kind.data = org.kind.value
        form.area.data = org.area.value
    if form.validate_on_submit():
        try:
            svc.update_organisation(org, version=form.version_value, **form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{org.name} updated", "success")
            return redirect(url_for("partnership.organisation", org_id=org.id))
    return render_template("partnership/organisation_form.html", form=form, summary=_summary(form, extra), org=org)


# --- people ------------------------------------------------------------------------------


@bp.route("/people")
@access.roles(*READERS)
def people():
    page = int_arg("page", 1)
    search = (request.args.get("q") or "").strip() or None
    include_inactive = request.args.get("inactive") == "1"
    rows, total = svc.list_people(page=page, per_page=50, search=search, include_inactive=include_inactive)
    return render_template(
        "partnership/people.html",
        people=rows,
        total=total,
        page=page,
        per_page=50,
        search=search or "",
        include_inactive=include_inactive,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_person():
    form = PersonForm()
    form.organisation_id.choices = _organisation_choices(blank="No organisation")
    if request.method == "GET" and request.args.get("organisation"):
        form.organisation_id.data = request.args.get("organisation")
    extra = {}
    if form.validate_on_submit():
        try:
            person = svc.create_person(**form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{person.name} added", "success")
            return redirect(url_for("partnership.person", person_id=person.id))
    return render_template("partnership/person_form.html", form=form, summary=_summary(form, extra), person=None)


@bp.route("/people/<int:person_id>")
@access.roles(*READERS)
def person(person_id: int):
    p = svc.get_person(person_id)
    memberships = svc.memberships_of_person(p.id)
    signed = svc.mou_signed_person_ids([p.id])
    in_force = svc.mou_in_force()
    return render_template(
        "partnership/person.html",
        person=p,
        memberships=memberships,
        mou_signed=p.id in signed,
        mou_version=in_force.name if in_force else "no version in force",
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_person(person_id: int):
    p = svc.get_person(person_id)
    form = PersonForm(obj=p)
    form.organisation_id.choices = _organisation_choices(blank="No organisation")
    if request.method == "GET":
        form.version.data = str(p.version)
        form.organisation_id.data = str(p.organisation_id or "")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_person(p, version=form.version_value, **form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{p.name} updated", "success")
            return redirect(url_for("partnership.person", person_id=p.id))
    return render_template("partnership/person_form.html", form=form, summary=_summary(form, extra), person=p)


@bp.route("/people/<int:person_id>/deactivate", methods=["GET", "POST"])
@access.roles(*OFFICE)
def deactivate_person(person_id: int):
    p = svc.get_person(person_id)
    form = ConfirmForm()
    if request.method == "GET":
        form.version.data = str(p.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.deactivate_person(p, version=form.version_value)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{p.name} deactivated; their memberships have ended", "success")
            return redirect(url_for("partnership.person", person_id=p.id))
    memberships = [m for m in svc.memberships_of_person(p.id) if m.is_current(today())]
    return render_template(
        "partnership/person_deactivate.html",
        form=form,
        person=p,
        memberships=memberships,
        summary=_summary(form, extra),
    )


@bp.route("/people/<int:person_id>/reactivate", methods=["POST"])
@access.roles(*OFFICE)
def reactivate_person(person_id: int):
    p = svc.get_person(person_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        svc.reactivate_person(p, version=form.version_value)
        flash(f"{p.name} reactivated", "success")
    return redirect(url_for("partnership.person", person_id=p.id))


@bp.route("/people/<int:person_id>/mou", methods=["GET", "POST"])
@access.roles(*OFFICE)
def record_mou(person_id: int):
    p = svc.get_person(person_id)
    form = MouForm()
    versions = svc.mou_versions()
    form.document_version.choices = [
        (v.name, f"{v.name} (in force from {long_date(v.in_force_from)})") for v in versions
    ]
    in_force = svc.mou_in_force()
    if request.method == "GET" and in_force is not None:
        form.document_version.data = in_force.name
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_mou_signature(
                p, form.signed_on.data, recorded_by_id=current_user.id, document_version=form.document_version.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Memorandum of understanding signature recorded for {p.name}", "success")
            return redirect(url_for("partnership.person", person_id=p.id))
    return render_template(
        "partnership/mou_form.html",
        form=form,
        person=p,
        summary=_summary(form, extra),
        mou_version=in_force.name if in_force else "no version in force",
    )


@bp.route("/memorandum")
@access.roles(*OFFICE)
def mou_list():
    """The versions of the memorandum of understanding and how many have signed each."""
    return render_template(
        "partnership/mou_versions.html",
        versions=svc.mou_versions(),
        in_force=svc.mou_in_force(),
        counts=svc.mou_signature_counts(),
    )


@bp.route("/memorandum/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_mou_version():
    form = MouVersionForm()
    extra = {}
    if form.validate_on_submit():
        try:
            v = svc.record_mou_version(
                name=form.name.data,
                in_force_from=form.in_force_from.data,
                summary=form.summary.data,
                recorded_by_id=current_user.id,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Version {v.name} of the memorandum is recorded", "success")
            return redirect(url_for("partnership.mou_list"))
    return render_template("partnership/mou_version_form.html", form=form, summary=_summary(form, extra))


# --- groups ------------------------------------------------------------------------------


@bp.route("/groups")
@access.roles(*READERS)
def groups():
    include_inactive = request.args.get("inactive") == "1"
    return render_template(
        "partnership/groups.html",
        groups=svc.list_groups(include_inactive=include_inactive),
        counts=svc.group_member_counts(),
        include_inactive=include_inactive,
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_group():
    form = GroupForm()
    extra = {}
    if form.validate_on_submit():
        try:
            group = svc.create_group(**form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{group.name} added", "success")
            return redirect(url_for("partnership.group", group_id=group.id))
    return render_template("partnership/group_form.html", form=form, summary=_summary(form, extra), group=None)


@bp.route("/groups/<int:group_id>")
@access.roles(*READERS)
def group(group_id: int):
    g = svc.get_group(group_id)
    memberships = svc.memberships_of_group(g.id)
    signed = svc.mou_signed_person_ids([m.person_id for m in memberships])
    on = today()
    return render_template(
        "partnership/group.html",
        group=g,
        current=[m for m in memberships if m.is_current(on)],
        past=[m for m in memberships if not m.is_current(on)],
        signed=signed,
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_group(group_id: int):
    g = svc.get_group(group_id)
    form = GroupForm(obj=g)
    if request.method == "GET":
        form.version.data = str(g.version)
        form.kind.data, form.arm.data, form.area.data = g.kind.value, g.arm.value, g.area.value
        form.minutes_restricted.data = {True: "yes", False: "no"}.get(g.minutes_restricted, "default")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_group(g, version=form.version_value, **form.values())
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{g.name} updated", "success")
            return redirect(url_for("partnership.group", group_id=g.id))
    return render_template("partnership/group_form.html", form=form, summary=_summary(form, extra), group=g)


@bp.route("/groups/<int:group_id>/deactivate", methods=["GET", "POST"])
@access.roles(*OFFICE)
def deactivate_group(group_id: int):
    g = svc.get_group(group_id)
    form = ConfirmForm()
    if request.method == "GET":
        form.version.data = str(g.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.deactivate_group(g, version=form.version_value)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{g.name} stood down; its memberships have ended", "success")
            return redirect(url_for("partnership.group", group_id=g.id))
    return render_template(
        "partnership/group_deactivate.html",
        form=form,
        group=g,
        summary=_summary(form, extra),
        members=len(svc.current_memberships(g.id)),
    )


# --- memberships -------------------------------------------------------------------------


def _membership_form(form: MembershipForm, organisation_id: int | None = None) -> None:
    form.person_id.choices = _people_choices()
    form.deputy_person_id.choices = _people_choices(organisation_id, blank="No deputy")


@bp.route("/groups/<int:group_id>/memberships/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new_membership(group_id: int):
    g = svc.get_group(group_id)
    form = MembershipForm()
    _membership_form(form)
    if request.method == "GET":
        form.start_date.data = today()
        form.role.data = MembershipRole.member.value
    extra = {}
    if form.validate_on_submit():
        try:
            person = svc.get_person(int(form.person_id.data))
            deputy = svc.get_person(int(form.deputy_person_id.data)) if form.deputy_person_id.data else None
            svc.add_membership(
                group=g,
                person=person,
                role=MembershipRole(form.role.data),
                deputy=deputy,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{person.name} added to {g.name}", "success")
            return redirect(url_for("partnership.group", group_id=g.id))
    return render_template(
        "partnership/membership_form.html", form=form, group=g, membership=None, summary=_summary(form, extra)
    )


@bp.route("/memberships/<int:membership_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_membership(membership_id: int):
    m = svc.get_membership(membership_id)
    form = MembershipForm(obj=m)
    _membership_form(form, m.person.organisation_id)
    form.person_id.choices = [(str(m.person_id), m.person.name)]
    if request.method == "GET":
        form.version.data = str(m.version)
        form.person_id.data = str(m.person_id)
        form.deputy_person_id.data = str(m.deputy_person_id or "")
        form.role.data = m.role.value
    extra = {}
    if form.validate_on_submit():
        try:
            deputy = svc.get_person(int(form.deputy_person_id.data)) if form.deputy_person_id.data else None
            svc.update_membership(
                m,
                version=form.version_value,
                role=MembershipRole(form.role.data),
                deputy=deputy,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Membership of {m.person.name} updated", "success")
            return redirect(url_for("partnership.group", group_id=m.group_id))
    return render_template(
        "partnership/membership_form.html", form=form, group=m.group, membership=m, summary=_summary(form, extra)
    )


@bp.route("/memberships/<int:membership_id>/end", methods=["GET", "POST"])
@access.roles(*OFFICE)
def end_membership(membership_id: int):
    m = svc.get_membership(membership_id)
    form = EndMembershipForm()
    if request.method == "GET":
        form.version.data = str(m.version)
        form.end_date.data = today()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.end_membership(
                m, version=form.version_value, end_date=form.end_date.data, notice_given_on=form.notice_given_on.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Membership of {m.person.name} ends on {long_date(form.end_date.data)}", "success")
            return redirect(url_for("partnership.group", group_id=m.group_id))
    return render_template("partnership/membership_end.html", form=form, membership=m, summary=_summary(form, extra))
