"""One page route for every lifecycle: a trigger's confirmation form (GET) and firing it
(POST). Pages show the user's triggers as buttons that post here."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_login import current_user

from safeguarding import access
from safeguarding.forms import error_summary
from safeguarding.models import Role
from safeguarding.services.errors import Conflict, Forbidden, ServiceError, ValidationFailed
from safeguarding.web import form_failed
from safeguarding.workflows.base import Lifecycle
from safeguarding.workflows.forms import form_params, trigger_form_class

bp = Blueprint("workflow", __name__, url_prefix="/workflow")


def _load(lifecycle_name: str, entity_id: int):
    lifecycle = Lifecycle.registry.get(lifecycle_name)
    if lifecycle is None or lifecycle.loader is None:
        abort(404)
    return lifecycle, lifecycle.loader(entity_id, current_user)


# The roles that hold a trigger of some lifecycle (viewers and administrators hold none);
# the loader hides the records a user may not know of, and each trigger names its roles.
FIRERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)


@bp.route("/<lifecycle_name>/<int:entity_id>/<trigger>", methods=["GET", "POST"])
@access.roles(*FIRERS)
def fire(lifecycle_name: str, entity_id: int, trigger: str):
    lifecycle, row = _load(lifecycle_name, entity_id)
    spec = lifecycle.transitions.get(trigger)
    if spec is None:
        abort(404)
    if not lifecycle.may_fire(row, current_user, trigger):
        if lifecycle.state_of(row) not in spec.sources and spec.role_set.intersection(current_user.roles):
            flash(
                f"You cannot {spec.label.lower()} now: the {lifecycle.noun} is "
                f"{lifecycle.state_of(row).replace('_', ' ')}",
                "error",
            )
            return redirect(lifecycle.url(row))
        raise Forbidden(f"You do not have permission to {spec.label.lower()}")
    form = trigger_form_class(spec)()
    if request.method == "GET":
        form.version.data = str(row.version)
    extra: dict[str, str] = {}
    submitted = request.method == "POST"
    if submitted and (not spec.needs_form or request.form.get("confirmed") == "1") and form.validate():
        try:
            version = int(form.version.data) if form.version.data else None
        except ValueError:
            version = -1
        try:
            lifecycle.fire(
                row,
                trigger,
                user=current_user,
                version=version,
                params=form_params(spec, form),
                comment=getattr(form, "comment", None) and form.comment.data,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return redirect(lifecycle.url(row))
        except (ValidationFailed, ServiceError) as exc:
            extra = form_failed(form, exc)
        else:
            flash(lifecycle.done_message(row), "success")
            return redirect(lifecycle.url(row))
    elif submitted and not spec.needs_form:
        # A one-click trigger whose version field was tampered with or lost.
        flash("This record was changed by someone else. Reload it and try again.", "error")
        return redirect(lifecycle.url(row))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(
        "workflow/fire.html",
        form=form,
        spec=spec,
        lifecycle=lifecycle,
        row=row,
        summary=summary,
        back=lifecycle.url(row),
    )
