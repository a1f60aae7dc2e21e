"""User accounts, for administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, nav
from safeguarding.admin.forms import ConfirmUserForm, EditUserForm, NewUserForm
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import Organisation, Person, Role, User
from safeguarding.services import accounts
from safeguarding.services.errors import NotFound, ServiceError, StaleVersion
from safeguarding.web import choices, form_failed

bp = Blueprint("admin", __name__, url_prefix="/admin")
ADMIN = (Role.admin,)

nav.add("User accounts", "admin.users", order=90, group="Administration")


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def _org_choices():
    return choices(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)), blank="No organisation")


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _check_version(user: User, raw: str | None) -> None:
    try:
        if raw and int(raw) != user.version:
            raise StaleVersion()
    except ValueError:
        raise StaleVersion() from None


@bp.route("/users")
@access.roles(*ADMIN)
def users():
    rows = db.session.scalars(sa.select(User).order_by(User.active.desc(), User.email)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@access.roles(*ADMIN)
def new_user():
    form = NewUserForm()
    form.organisation_id.choices = _org_choices()
    form.person_id.choices = choices(
        db.session.scalars(sa.select(Person).where(Person.active.is_(True)).order_by(Person.name)), blank="Not linked"
    )
    extra = {}
    if form.validate_on_submit():
        org = db.session.get(Organisation, int(form.organisation_id.data)) if form.organisation_id.data else None
        person = db.session.get(Person, int(form.person_id.data)) if form.person_id.data else None
        try:
            user = accounts.create_user(
                email=form.email.data,
                password=form.password.data,
                roles=[Role(r) for r in form.roles.data],
                organisation=org,
                person=person,
                granted_by=current_user,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Account created for {user.email}", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_new.html", form=form, summary=_summary(form, extra))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access.roles(*ADMIN)
def user(user_id: int):
    u = _get_user(user_id)
    form = EditUserForm()
    form.organisation_id.choices = _org_choices()
    if request.method == "GET":
        form.version.data = str(u.version)
        form.roles.data = [r.value for r in u.roles]
        form.organisation_id.data = str(u.organisation_id or "")
    extra = {}
    if form.validate_on_submit():
        org = db.session.get(Organisation, int(form.organisation_id.data)) if form.organisation_id.data else None
        try:
            _check_version(u, form.version.data)
            accounts.set_roles(u, [Role(r) for r in form.roles.data], organisation=org, acting=current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Roles of {u.email} updated", "success")
            return redirect(url_for("admin.user", user_id=u.id))
    return render_template(
        "admin/user.html",
        u=u,
        form=form,
        summary=_summary(form, extra),
        confirm=ConfirmUserForm(version=str(u.version)),
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@access.roles(*ADMIN)
def deactivate_user(user_id: int):
    u = _get_user(user_id)
    form = ConfirmUserForm()
    if request.method == "GET":
        form.version.data = str(u.version)
    extra = {}
    if form.validate_on_submit():
        try:
            _check_version(u, form.version.data)
            accounts.deactivate_user(u, current_user)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{u.email} can no longer sign in; their sessions and tokens are revoked", "success")
            return redirect(url_for("admin.user", user_id=u.id))
    return render_template("admin/user_deactivate.html", u=u, form=form, summary=_summary(form, extra))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@access.roles(*ADMIN)
def reactivate_user(user_id: int):
    u = _get_user(user_id)
    form = ConfirmUserForm()
    if form.validate_on_submit():
        try:
            _check_version(u, form.version.data)
            accounts.reactivate_user(u)
        except ServiceError as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
        else:
            flash(f"{u.email} can sign in again", "success")
    return redirect(url_for("admin.user", user_id=u.id))
