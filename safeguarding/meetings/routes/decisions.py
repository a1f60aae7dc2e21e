"""Meeting pages: recording a decision (and the votes), validating interim decisions,
raising actions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import MEMBERS, OFFICE, OFFICE_OR_CHAIR, _meeting_url, _summary, bp
from safeguarding.models import Decision, DecisionMethod, Meeting, Organisation, Person
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed

# --- decisions --------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR)
def decide(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    if m.state not in svc.DECIDING_STATES:
        flash(f"Decisions can be recorded only while the meeting is in session: it is {m.state.label.lower()}", "error")
        return redirect(_meeting_url(m))
    register = svc.load_register(m)
    quorate, missing = svc.is_quorate(m, register)
    eligibility = svc.voting_eligibility(m, item, register)
    voters = list(eligibility.voters.values())
    form = f.decision_form(voters)()
    if not quorate and not form.is_submitted():
        form.interim.data = True  # without quorum only an interim decision can be agreed
    extra = {}
    if form.validate_on_submit():
        votes = []
        if form.method.data == DecisionMethod.vote.value:
            for v in voters:
                choice = getattr(form, f"vote_{v.organisation.id}").data
                if choice:
                    votes.append({"organisation_id": v.organisation.id, "vote": choice})
        try:
            svc.record_decision(
                item,
                user=current_user,
                method=form.method.data,
                text=form.text.data,
                votes=votes,
                casting_vote=form.casting_vote.data or None,
                interim=form.interim.data,
                decided_at=form.decided_at.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Decision recorded", "success")
            return redirect(_meeting_url(m) + f"#item-{item.id}")
    return render_template(
        "meetings/decide.html",
        form=form,
        m=m,
        item=item,
        voters=voters,
        excluded=eligibility.unrepresented_excluded,
        quorate=quorate,
        quorum_sentence=svc.quorum_sentence(missing),
        presiding=svc.presiding_chair(m, register),
        movements=svc.movements(m, register),
        summary=_summary(form, extra),
    )


@bp.route("/decisions/<int:decision_id>/validate", methods=["POST"])
@access.roles(*MEMBERS)
def validate_decision(decision_id: int):
    decision = svc.get_decision(decision_id, current_user)
    form = f.CsrfForm()
    if form.validate_on_submit():
        svc.validate_decision(decision, user=current_user)
        flash("Your organisation's validation is recorded", "success")
    return redirect(url_for("meetings.meeting", meeting_id=decision.meeting_id) + f"#item-{decision.agenda_item_id}")


@bp.route("/decisions/awaiting-validation")
@access.roles(*MEMBERS)
def awaiting_validation():
    rows = svc.validations_awaiting(current_user)
    decisions = (
        {d.id: d for d in db.session.scalars(sa.select(Decision).where(Decision.id.in_({v.decision_id for v in rows})))}
        if rows
        else {}
    )
    meetings = (
        {
            m.id: m
            for m in db.session.scalars(
                sa.select(Meeting).where(Meeting.id.in_({d.meeting_id for d in decisions.values()}))
            )
        }
        if decisions
        else {}
    )
    return render_template(
        "meetings/awaiting_validation.html", rows=rows, decisions=decisions, meetings=meetings, csrf_form=f.CsrfForm()
    )


# --- actions ----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/actions/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def raise_action(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.MeetingActionForm()
    form.owner_organisation_id.choices = choices(
        db.session.scalars(sa.select(Organisation).where(Organisation.state != "left").order_by(Organisation.name)),
        blank="Select an organisation",
    )
    form.owner_person_id.choices = choices(
        db.session.scalars(sa.select(Person).where(Person.active.is_(True)).order_by(Person.name)),
        label=lambda p: f"{p.name} ({p.organisation.short_name})" if p.organisation else p.name,
        blank="No named person",
    )
    extra = {}
    if form.validate_on_submit():
        try:
            svc.raise_action(
                item,
                user=current_user,
                title=form.title.data,
                owner_organisation_id=int(form.owner_organisation_id.data),
                owner_person_id=int(form.owner_person_id.data) if form.owner_person_id.data else None,
                due_date=form.due_date.data,
                description=form.description.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Action added to the action log", "success")
            return redirect(_meeting_url(m) + f"#item-{item.id}")
    return render_template("meetings/action_form.html", form=form, m=m, item=item, summary=_summary(form, extra))
