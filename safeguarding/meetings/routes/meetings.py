"""Meeting pages: the list of meetings, scheduling (one or a series), a meeting's page, its
details and its calendar entry."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.meetings import forms as f
from safeguarding.meetings import ics
from safeguarding.meetings.routes.common import (
    MINUTES_COLOURS,
    OFFICE,
    OFFICE_OR_CHAIR,
    READERS,
    STATE_COLOURS,
    _group_choices,
    _meeting_url,
    _summary,
    bp,
)
from safeguarding.models import AgendaItemKind, Group, MeetingKind, MeetingState
from safeguarding.models.meetings import HELD_STATES, UPCOMING_STATES
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import form_failed, int_arg
from safeguarding.workflows.meetings import meeting_lifecycle

# --- the list -------------------------------------------------------------------------------


@bp.route("/meetings")
@access.roles(*READERS)
def index():
    when = request.args.get("when") or "upcoming"
    if when not in ("upcoming", "past", "all"):
        abort(400)
    state = request.args.get("state") or None
    if state and state not in MeetingState.__members__:
        abort(400)
    filters = svc.MeetingFilters(
        group_id=int_arg("group"),
        state=state,
        when=None if when == "all" else when,
        needs_minutes=request.args.get("minutes") == "needed",
        page=int_arg("page", 1) or 1,
        per_page=25,
    )
    rows, total = svc.list_meetings(current_user, filters)
    return render_template(
        "meetings/index.html",
        meetings=rows,
        total=total,
        f=filters,
        when=when,
        groups=db.session.scalars(sa.select(Group).order_by(Group.kind, Group.name)).all(),
        states=MeetingState,
        colours=STATE_COLOURS,
        counts=svc.attendance_summaries([m.id for m in rows]),
        today=today(),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def new():
    form = f.MeetingForm()
    form.group_id.choices = _group_choices()
    if request.method == "GET" and request.args.get("group"):
        form.group_id.data = request.args.get("group")
    extra = {}
    if form.validate_on_submit():
        try:
            meeting = svc.schedule_meeting(
                group_id=int(form.group_id.data),
                meeting_date=form.meeting_date.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
                location=form.location.data,
                kind=MeetingKind(form.kind.data),
                purpose=form.purpose.data,
                created_by_id=current_user.id,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{meeting.name} scheduled", "success")
            return redirect(_meeting_url(meeting))
    return render_template("meetings/form.html", form=form, meeting=None, summary=_summary(form, extra))


@bp.route("/meetings/series", methods=["GET", "POST"])
@access.roles(*OFFICE)
def series():
    form = f.SeriesForm()
    form.group_id.choices = _group_choices()
    extra = {}
    if form.validate_on_submit():
        try:
            made = svc.schedule_series(
                group_id=int(form.group_id.data),
                first_date=form.first_date.data,
                count=form.count.data,
                interval_months=int(form.interval_months.data),
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
                location=form.location.data,
                created_by_id=current_user.id,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(
                f"{len(made)} meetings scheduled, from {made[0].meeting_date.day} "
                f"{made[0].meeting_date:%B %Y} to {made[-1].meeting_date.day} {made[-1].meeting_date:%B %Y}",
                "success",
            )
            return redirect(url_for("meetings.index", group=made[0].group_id))
    return render_template("meetings/series.html", form=form, summary=_summary(form, extra))


# --- a meeting ------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>")
@access.roles(*READERS)
def meeting(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user, with_minutes=True)
    items = svc.agenda_of(m, include_withdrawn=True)
    papers: dict[int, list] = {}
    see_papers = svc.may_see_papers(m, current_user)
    if see_papers:
        for p in svc.papers_of(m):
            papers.setdefault(p.agenda_item_id, []).append(p)
    declarations: dict[int, list] = {}
    for d in svc.declarations_of(m):
        if current_user.has_role(*OFFICE_OR_CHAIR) or d.person_id == current_user.person_id:
            declarations.setdefault(d.agenda_item_id, []).append(d)
    decisions: dict[int, list] = {}
    for d in svc.decisions_of(m):
        decisions.setdefault(d.agenda_item_id, []).append(d)
    register = svc.load_register(m)
    quorate, missing = svc.is_quorate(m, register)
    # The chair's actions still to ratify, for a meeting still to happen (a held meeting's
    # ratification items show what it decided).
    awaiting = (
        svc.awaiting_ratification()
        if m.state in UPCOMING_STATES and any(i.kind == AgendaItemKind.chair_actions for i in items)
        else []
    )
    return render_template(
        "meetings/meeting.html",
        m=m,
        items=[i for i in items if not i.withdrawn],
        withdrawn=[i for i in items if i.withdrawn],
        papers=papers,
        see_papers=see_papers,
        declarations=declarations,
        decisions=decisions,
        actions=svc.actions_of(m),
        register=register,
        quorate=quorate,
        missing=missing,
        quorum_sentence=svc.quorum_sentence(missing),
        own=svc.own_seats(register, current_user),
        minutes=m.minutes,
        awaiting=awaiting,
        options=meeting_lifecycle.options(m, current_user),
        lifecycle=meeting_lifecycle,
        history=meeting_lifecycle.history(m.id),
        colours=STATE_COLOURS,
        minutes_colours=MINUTES_COLOURS,
        today=today(),
        upcoming=m.state in UPCOMING_STATES,
        held=m.state in HELD_STATES,
        decision_stands=svc.decision_stands,
        csrf_form=f.CsrfForm(),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    form = f.MeetingForm(obj=m)
    form.group_id.choices = [(str(m.group_id), m.group.name)]
    if request.method == "GET":
        form.version.data = str(m.version)
        form.group_id.data = str(m.group_id)
        form.kind.data = m.kind.value
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_meeting(
                m,
                version=form.version_value,
                meeting_date=form.meeting_date.data,
                starts_at=form.starts_at.data,
                ends_at=form.ends_at.data,
                location=form.location.data,
                purpose=form.purpose.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Meeting details updated", "success")
            return redirect(_meeting_url(m))
    return render_template("meetings/form.html", form=form, meeting=m, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>.ics")
@access.roles(*READERS)
def meeting_ics(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    body = ics.calendar([m], lambda x: url_for("meetings.meeting", meeting_id=x.id, _external=True), name=m.group.name)
    return Response(
        body, mimetype="text/calendar", headers={"Content-Disposition": f'attachment; filename="meeting-{m.id}.ics"'}
    )
