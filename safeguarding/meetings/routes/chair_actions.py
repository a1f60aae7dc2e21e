"""Meeting pages: chair's actions — the list, taking one, reading one."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import MEMBERS, READERS, _summary, bp
from safeguarding.models import AgendaItem, Meeting, Role
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed, int_arg
from safeguarding.workflows.meetings import chair_action_lifecycle

# --- chair's action ---------------------------------------------------------------------------


@bp.route("/chair-actions")
@access.roles(*READERS)
def chair_actions():
    page = int_arg("page", 1) or 1
    rows, total = svc.list_chair_actions(current_user, page=page, per_page=25)
    return render_template(
        "meetings/chair_actions.html",
        actions=rows,
        total=total,
        page=page,
        per_page=25,
        may_take=svc.may_take_chairs_action(current_user),
    )


@bp.route("/chair-actions/new", methods=["GET", "POST"])
@access.roles(Role.independent_chair, *MEMBERS)
def new_chair_action():
    if not svc.may_take_chairs_action(current_user):
        flash("Only the chair, or the Board's vice chair in their absence, can take chair's action", "error")
        return redirect(url_for("meetings.chair_actions"))
    orgs = svc.statutory_organisations()
    form = f.chair_action_form(orgs)()
    extra = {}
    if form.validate_on_submit():
        consultations = []
        for org in orgs:
            consulted_on = getattr(form, f"consulted_on_{org.id}").data
            view = getattr(form, f"view_{org.id}").data
            if consulted_on or (view or "").strip():
                consultations.append({"organisation_id": org.id, "consulted_on": consulted_on, "view": view})
        try:
            action = svc.record_chair_action(
                user=current_user,
                title=form.title.data,
                decision=form.decision.data,
                urgency=form.urgency.data,
                decided_on=form.decided_on.data,
                consultations=consultations,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Chair's action recorded: it is on the next Board agenda for ratification", "success")
            return redirect(url_for("meetings.chair_action", action_id=action.id))
    return render_template("meetings/chair_action_form.html", form=form, orgs=orgs, summary=_summary(form, extra))


@bp.route("/chair-actions/<int:action_id>")
@access.roles(*READERS)
def chair_action(action_id: int):
    action = svc.get_chair_action(action_id, current_user)
    item = db.session.scalar(
        sa.select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.subject_type == svc.CHAIR_ACTION,
            AgendaItem.subject_id == action.id,
            AgendaItem.withdrawn.is_(False),
        )
        .order_by(Meeting.meeting_date.desc())
        .limit(1)
    )
    item_meeting = db.session.get(Meeting, item.meeting_id) if item else None
    return render_template(
        "meetings/chair_action.html",
        action=action,
        item=item,
        item_meeting=item_meeting,
        decisions=svc.decisions_for(svc.CHAIR_ACTION, action.id),
        history=chair_action_lifecycle.history(action.id),
        decision_stands=svc.decision_stands,
    )
