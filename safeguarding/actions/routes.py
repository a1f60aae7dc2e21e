"""The action log: every action the user may see, with filters; an action's page with
its progress, evidence and lifecycle buttons."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home, nav
from safeguarding.actions.forms import ActionForm, UpdateForm
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import ActionSource, ActionStatus, ActionUpdate, Organisation, Person, Role
from safeguarding.services import actions as svc
from safeguarding.services import storage
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.actions import action_lifecycle

bp = Blueprint("actions", __name__)
action_lifecycle.serve(url=lambda a: url_for("actions.action", action_id=a.id))

READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
OFFICE = (Role.business_office,)
# Progress and evidence: the owner organisation's partner members and the office
# (domain.md, "Actions"; the service checks the organisation).
UPDATERS = (Role.business_office, Role.partner_member)

nav.add("Actions", "actions.log", order=40, group="Plans and actions")


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _filters() -> svc.ActionFilters:
    status = request.args.get("status") or "open"
    if status not in {"open", "closed", "all", *ActionStatus}:
        abort(400)
    source = request.args.get("source") or None
    if source and source not in ActionSource.__members__:
        abort(400)
    return svc.ActionFilters(
        status=None if status == "all" else status,
        organisation_id=int_arg("organisation"),
        source_type=source,
        group_id=int_arg("group"),
        overdue=request.args.get("overdue") == "1",
        page=int_arg("page", 1) or 1,
    )


@bp.route("/actions")
@access.roles(*READERS)
def log():
    f = _filters()
    rows, total = svc.list_actions(current_user, f)
    latest = svc.latest_updates([a.id for a in rows])
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return render_template(
        "actions/log.html",
        actions=rows,
        total=total,
        f=f,
        latest=latest,
        orgs=orgs,
        status=request.args.get("status") or "open",
        today=today(),
        statuses=ActionStatus,
        sources=ActionSource,
    )


def _form_choices(form: ActionForm, organisation_id: int | None) -> None:
    form.owner_organisation_id.choices = choices(
        db.session.scalars(sa.select(Organisation).where(Organisation.state != "left").order_by(Organisation.name)),
        blank="Select an organisation",
    )
    people = sa.select(Person).where(Person.active.is_(True)).order_by(Person.name)
    if organisation_id:
        people = people.where(Person.organisation_id == organisation_id)
    form.owner_person_id.choices = choices(db.session.scalars(people), blank="No named person")


@bp.route("/actions/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new():
    form = ActionForm()
    _form_choices(form, None)
    extra = {}
    if form.validate_on_submit():
        try:
            action = svc.create_action(
                title=form.title.data,
                description=form.description.data,
                owner_organisation_id=int(form.owner_organisation_id.data),
                owner_person_id=int(form.owner_person_id.data) if form.owner_person_id.data else None,
                due_date=form.due_date.data,
                source_type=ActionSource.other,
                source_label=(form.source_label.data or "").strip() or None,
                created_by_id=current_user.id,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Action added to the log", "success")
            return redirect(url_for("actions.action", action_id=action.id))
    return render_template("actions/form.html", form=form, action=None, summary=_summary(form, extra))


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@access.roles(*READERS, post=UPDATERS)
def action(action_id: int):
    a = svc.get_action(action_id, current_user)
    form = UpdateForm()
    extra = {}
    if request.method == "POST":
        if not svc.may_update(a, current_user):
            abort(403)
        if form.validate_on_submit():
            try:
                evidence = storage.save_upload(
                    form.evidence.data,
                    purpose="evidence",
                    field="evidence",
                    uploaded_by_id=current_user.id,
                    required=False,
                )
                svc.add_update(a, current_user, text=form.text.data, progress=form.progress.data, evidence=evidence)
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("Progress recorded", "success")
                return redirect(url_for("actions.action", action_id=a.id))
    return render_template(
        "actions/action.html",
        a=a,
        updates=svc.updates_of(a),
        form=form,
        summary=_summary(form, extra),
        can_update=svc.may_update(a, current_user),
        options=action_lifecycle.options(a, current_user),
        lifecycle=action_lifecycle,
        history=action_lifecycle.history(a.id),
        today=today(),
    )


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit(action_id: int):
    a = svc.get_action(action_id, current_user)
    form = ActionForm(obj=a)
    _form_choices(form, a.owner_organisation_id)
    if request.method == "GET":
        form.version.data = str(a.version)
        form.owner_organisation_id.data = str(a.owner_organisation_id)
        form.owner_person_id.data = str(a.owner_person_id or "")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_action(
                a,
                version=int(form.version.data or 0) or None,
                title=form.title.data,
                description=form.description.data,
                owner_organisation_id=int(form.owner_organisation_id.data),
                owner_person_id=int(form.owner_person_id.data) if form.owner_person_id.data else None,
                due_date=form.due_date.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Action updated", "success")
            return redirect(url_for("actions.action", action_id=a.id))
    return render_template("actions/form.html", form=form, action=a, summary=_summary(form, extra))


@bp.route("/actions/<int:action_id>/updates/<int:update_id>/evidence")
@access.roles(*READERS)
def evidence(action_id: int, update_id: int):
    a = svc.get_action(action_id, current_user)
    update = db.session.get(ActionUpdate, update_id)
    if update is None or update.action_id != a.id or update.evidence is None:
        abort(404)
    return storage.send_stored(
        update.evidence, f"action-{a.id}-evidence-{update.id}.{update.evidence.storage_key.rsplit('.', 1)[-1]}"
    )


home.count(
    {Role.business_office, Role.partner_member, Role.independent_chair},
    30,
    "Overdue actions",
    lambda u: url_for("actions.log", overdue=1),
    "past their due date",
    lambda u: svc.home_count(u, overdue=True),
    key="actions.overdue",
    kind=home.DUE,
)
home.count(
    {Role.partner_member},
    31,
    "Your organisation's open actions",
    lambda u: url_for("actions.log", organisation=u.organisation_id),
    lambda n, x: f"{x['overdue'] or 0} past their due date" if x.get("overdue") else "none past its due date",
    lambda u: svc.home_count(u, own_organisation=True),
    key="actions.organisation",
    kind=home.TASK,
    extras={"overdue": lambda u: svc.home_count(u, overdue=True, own_organisation=True)},
)
home.count(
    {Role.subgroup_chair},
    12,
    "Your groups' open actions",
    lambda u: url_for("actions.log"),
    lambda n, x: f"{x['overdue'] or 0} past their due date" if x.get("overdue") else "none past its due date",
    lambda u: svc.home_count(u, chaired_groups=True),
    key="actions.chaired_groups",
    kind=home.TASK,
    extras={"overdue": lambda u: svc.home_count(u, overdue=True, chaired_groups=True)},
)
