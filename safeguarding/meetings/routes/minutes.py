"""Meeting pages: minutes — starting, the list, reading, writing, ratifying, amending."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import (
    MINUTES_COLOURS,
    MINUTES_READERS,
    OFFICE,
    OFFICE_OR_CHAIR,
    READERS,
    _summary,
    bp,
)
from safeguarding.models import Group, MinutesState
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed, int_arg
from safeguarding.workflows.meetings import minutes_lifecycle

# --- minutes ----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["POST"])
@access.roles(*OFFICE)
def start_minutes(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    form = f.CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    minutes = svc.start_minutes(m, user=current_user)
    flash("Minutes started: write them item by item", "success")
    return redirect(url_for("meetings.edit_minutes", minutes_id=minutes.id))


@bp.route("/minutes")
@access.roles(*MINUTES_READERS)
def minutes_list():
    state = request.args.get("state") or None
    if state and state not in MinutesState.__members__:
        abort(400)
    filters = svc.MinutesFilters(state=state, group_id=int_arg("group"), page=int_arg("page", 1) or 1, per_page=25)
    rows, total = svc.list_minutes(current_user, filters)
    return render_template(
        "meetings/minutes_list.html",
        minutes=rows,
        total=total,
        f=filters,
        states=MinutesState,
        colours=MINUTES_COLOURS,
        groups=db.session.scalars(sa.select(Group).order_by(Group.kind, Group.name)).all(),
    )


@bp.route("/minutes/<int:minutes_id>")
@access.roles(*MINUTES_READERS)
def minutes(minutes_id: int):
    mins = svc.get_minutes(minutes_id, current_user)
    m = mins.meeting
    items = svc.agenda_of(m)
    decisions: dict[int, list] = {}
    for d in svc.decisions_of(m):
        decisions.setdefault(d.agenda_item_id, []).append(d)
    register = svc.load_register(m)
    options = [o for o in minutes_lifecycle.options(mins, current_user) if o.trigger != "ratify"]
    return render_template(
        "meetings/minutes.html",
        mins=mins,
        m=m,
        items=items,
        sections=svc.sections_of(mins),
        decisions=decisions,
        actions=svc.actions_of(m),
        register=register,
        amendments=svc.amendments_of(mins),
        private=svc.private_item_ids(m, current_user),
        options=options,
        may_ratify=minutes_lifecycle.may_fire(mins, current_user, "ratify"),
        lifecycle=minutes_lifecycle,
        history=minutes_lifecycle.history(mins.id),
        colours=MINUTES_COLOURS,
        may_see_meeting=current_user.has_role(*READERS),
    )


@bp.route("/minutes/<int:minutes_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit_minutes(minutes_id: int):
    mins = svc.get_minutes(minutes_id, current_user)
    if mins.state != MinutesState.draft:
        flash(
            f"Minutes that are {mins.state.label.lower()} cannot be changed"
            + (": record an amendment instead" if mins.state in (MinutesState.approved, MinutesState.ratified) else ""),
            "error",
        )
        return redirect(url_for("meetings.minutes", minutes_id=mins.id))
    m = mins.meeting
    items = svc.agenda_of(m)
    sections = svc.sections_of(mins)
    form = f.minutes_form(items)()
    if request.method == "GET":
        form.version.data = str(mins.version)
        for item in items:
            getattr(form, f"section_{item.id}").data = sections[item.id].text if item.id in sections else ""
    extra = {}
    if form.validate_on_submit():
        try:
            version = int(form.version.data) if form.version.data else None
        except ValueError:
            version = -1
        try:
            svc.update_minutes(
                mins,
                version=version,
                user=current_user,
                sections={i.id: getattr(form, f"section_{i.id}").data or "" for i in items},
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Minutes saved", "success")
            return redirect(url_for("meetings.minutes", minutes_id=mins.id))
    decisions: dict[int, list] = {}
    for d in svc.decisions_of(m):
        decisions.setdefault(d.agenda_item_id, []).append(d)
    return render_template(
        "meetings/minutes_form.html",
        form=form,
        mins=mins,
        m=m,
        items=items,
        decisions=decisions,
        actions=svc.actions_of(m),
        summary=_summary(form, extra),
    )


@bp.route("/minutes/<int:minutes_id>/ratify", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR)
def ratify(minutes_id: int):
    mins = svc.get_minutes(minutes_id, current_user)
    if not minutes_lifecycle.may_fire(mins, current_user, "ratify"):
        flash(f"Minutes that are {mins.state.label.lower()} cannot be ratified", "error")
        return redirect(url_for("meetings.minutes", minutes_id=mins.id))
    candidates = svc.ratifying_candidates(mins)
    form = f.RatifyForm()
    form.meeting_id.choices = [(str(c.id), c.name) for c in candidates]
    if request.method == "GET":
        form.version.data = str(mins.version)
        if len(candidates) == 1:
            form.meeting_id.data = str(candidates[0].id)
    extra = {}
    if form.validate_on_submit():
        try:
            version = int(form.version.data) if form.version.data else None
        except ValueError:
            version = -1
        try:
            minutes_lifecycle.fire(
                mins, "ratify", user=current_user, version=version, params={"meeting_id": int(form.meeting_id.data)}
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("The minutes are ratified: they are now the permanent record", "success")
            return redirect(url_for("meetings.minutes", minutes_id=mins.id))
    return render_template(
        "meetings/ratify.html", form=form, mins=mins, candidates=candidates, summary=_summary(form, extra)
    )


@bp.route("/minutes/<int:minutes_id>/amendments/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def amend(minutes_id: int):
    mins = svc.get_minutes(minutes_id, current_user)
    form = f.AmendmentForm()
    form.agenda_item_id.choices = [("", "The minutes as a whole")] + [
        (str(i.id), f"{n}. {i.title}") for n, i in enumerate(svc.agenda_of(mins.meeting), start=1)
    ]
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_amendment(
                mins,
                user=current_user,
                text=form.text.data,
                reason=form.reason.data,
                agenda_item_id=int(form.agenda_item_id.data) if form.agenda_item_id.data else None,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Amendment recorded", "success")
            return redirect(url_for("meetings.minutes", minutes_id=mins.id) + "#amendments")
    return render_template("meetings/amend.html", form=form, mins=mins, summary=_summary(form, extra))
