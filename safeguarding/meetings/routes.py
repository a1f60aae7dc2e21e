"""Pages for meetings: the list and calendar feed, scheduling, a meeting's agenda and
papers, the register with its live quorum panel, apologies and deputies, declarations,
decisions and votes, actions, minutes and chair's actions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, home, nav
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.meetings import forms as f
from safeguarding.meetings import ics
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    AttendanceStatus,
    Decision,
    DecisionMethod,
    Group,
    Meeting,
    MeetingKind,
    MeetingState,
    MinutesState,
    Organisation,
    Person,
    Role,
)
from safeguarding.models.meetings import HELD_STATES, UPCOMING_STATES
from safeguarding.services import accounts, storage
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.meetings import (
    chair_action_lifecycle,
    meeting_lifecycle,
    minutes_lifecycle,
)

bp = Blueprint("meetings", __name__)

OFFICE = (Role.business_office,)
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)
MEMBERS = (Role.partner_member, Role.subgroup_chair)
READERS = (*OFFICE_OR_CHAIR, *MEMBERS)
MINUTES_READERS = (*READERS, Role.viewer)

nav.add("Meetings", "meetings.index", order=30, section=("meetings",))
nav.add("Minutes", "meetings.minutes_list", order=35, section=("meetings.minutes",))

STATE_COLOURS = {
    "scheduled": "blue",
    "papers_published": "light-blue",
    "in_session": "green",
    "closed": "grey",
    "cancelled": "red",
    "inquorate": "orange",
}
MINUTES_COLOURS = {"draft": "grey", "submitted": "yellow", "approved": "light-blue", "ratified": "green"}


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _group_choices(blank: str = "Select a group"):
    return choices(
        db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.kind, Group.name)), blank=blank
    )


def _meeting_url(meeting: Meeting) -> str:
    return url_for("meetings.meeting", meeting_id=meeting.id)


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


# --- agenda and papers --------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def add_item(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    form = f.AgendaItemForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_agenda_item(
                m, title=form.title.data, presenter=form.presenter.data, description=form.description.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Item added to the agenda", "success")
            return redirect(_meeting_url(m) + "#agenda")
    return render_template("meetings/item_form.html", form=form, m=m, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@access.roles(*OFFICE)
def move_item(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.CsrfForm()
    if form.validate_on_submit():
        svc.move_agenda_item(item, request.form.get("direction", ""), user=current_user)
    return redirect(_meeting_url(m) + f"#item-{item.id}")


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/withdraw", methods=["GET", "POST"])
@access.roles(*OFFICE)
def withdraw_item(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.ReasonForm()
    extra = {}
    if form.validate_on_submit():
        try:
            svc.withdraw_agenda_item(item, user=current_user, reason=form.reason.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"“{item.title}” withdrawn from the agenda", "success")
            return redirect(_meeting_url(m) + "#agenda")
    return render_template("meetings/withdraw_item.html", form=form, m=m, item=item, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/papers/new", methods=["GET", "POST"])
@access.roles(*OFFICE)
def add_paper(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    form = f.PaperForm()
    extra = {}
    if form.validate_on_submit():
        try:
            stored = storage.save_upload(
                form.file.data, purpose="meeting_paper", field="file", uploaded_by_id=current_user.id
            )
            svc.attach_paper(item, stored, title=form.title.data, added_by_id=current_user.id)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Paper added", "success")
            return redirect(_meeting_url(m) + f"#item-{item.id}")
    return render_template("meetings/paper_form.html", form=form, m=m, item=item, summary=_summary(form, extra))


@bp.route("/meetings/<int:meeting_id>/papers/<int:paper_id>")
@access.roles(*READERS)
def paper(meeting_id: int, paper_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    p = svc.get_paper(m, paper_id, current_user)
    extension = p.stored_file.storage_key.rsplit(".", 1)[-1]
    return storage.send_stored(p.stored_file, f"meeting-{m.id}-paper-{p.id}.{extension}")


# --- the register ---------------------------------------------------------------------------


def _deputy_choices(register) -> dict[int, list[tuple[str, str]]]:
    """For each seat: none, the named deputy, then the organisation's other people (one
    query of plain columns: a Board has many seats)."""
    org_ids = {s.membership.organisation_id for s in register.seats if s.membership.organisation_id}
    people: dict[int, list] = {}
    if org_ids:
        for p in db.session.execute(
            sa.select(Person.id, Person.name, Person.organisation_id, Person.active)
            .where(Person.organisation_id.in_(org_ids))
            .order_by(Person.name)
        ):
            people.setdefault(p.organisation_id, []).append(p)
    out = {}
    for s in register.seats:
        m = s.membership
        named = m.deputy
        current = s.row.deputy_person_id if s.row else None
        first = [("", "None")] + ([(str(named.id), f"{named.name} (named deputy)")] if named else [])
        others = [
            (str(p.id), p.name)
            for p in people.get(m.organisation_id, [])
            if p.id not in (m.person_id, m.deputy_person_id) and (p.active or p.id == current)
        ]
        out[m.id] = first + others
    return out


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@access.roles(*READERS, post=OFFICE)  # "the business office confirms the register on the day"
def attendance(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    register = svc.load_register(m)
    may_record = current_user.has_role(Role.business_office) and m.state != MeetingState.cancelled
    if request.method == "POST" and not may_record:
        abort(403)
    form = chair_form = None
    extra = {}
    if may_record:
        form = f.register_form(register.seats, _deputy_choices(register))()
        chair_form = f.NominatedChairForm(prefix="chair")
        chair_form.nominated_chair_person_id.choices = [("", "No one nominated")] + sorted(
            ((str(p.id), p.name) for p in svc.people_by_id(register.people_ids).values()), key=lambda c: c[1]
        )
        if request.method == "GET":
            chair_form.nominated_chair_person_id.data = str(m.nominated_chair_person_id or "")
            for s in register.seats:
                if s.row is not None:
                    getattr(form, f"status_{s.membership.id}").data = s.row.status.value
                    if s.row.deputy_person_id:
                        getattr(form, f"deputy_{s.membership.id}").data = str(s.row.deputy_person_id)
        elif form.validate_on_submit():
            entries = []
            for s in register.seats:
                status = getattr(form, f"status_{s.membership.id}").data
                deputy = getattr(form, f"deputy_{s.membership.id}").data
                entries.append(
                    {
                        "membership_id": s.membership.id,
                        "status": status,
                        "deputy_person_id": int(deputy)
                        if deputy
                        and status in (AttendanceStatus.deputy_present.value, AttendanceStatus.apologies.value)
                        else None,
                    }
                )
            try:
                register = svc.record_attendance(m, entries, user=current_user)
            except ServiceError as exc:
                extra = form_failed(form, exc)
                register = svc.load_register(m)
            else:
                quorate, missing = svc.is_quorate(m, register)
                flash(f"Register saved. {svc.quorum_sentence(missing)}.", "success")
                return redirect(url_for("meetings.attendance", meeting_id=m.id))
    quorate, missing = svc.is_quorate(m, register)
    return render_template(
        "meetings/attendance.html",
        m=m,
        register=register,
        form=form,
        chair_form=chair_form,
        quorate=quorate,
        missing=missing,
        quorum_sentence=svc.quorum_sentence(missing),
        presiding=svc.presiding_chair(m, register),
        counts=register.counts(),
        summary=_summary(form, extra) if form else None,
        colours=STATE_COLOURS,
        statuses=AttendanceStatus,
    )


@bp.route("/meetings/<int:meeting_id>/nominated-chair", methods=["POST"])
@access.roles(*OFFICE)
def nominate_chair(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    form = f.NominatedChairForm(prefix="chair")
    form.nominated_chair_person_id.choices = [("", "No one nominated")] + [
        (str(pid), "") for pid in svc.load_register(m).people_ids
    ]
    if not form.validate_on_submit():
        flash("Select a member of the group or a deputy as the nominated chair", "error")
        return redirect(url_for("meetings.attendance", meeting_id=m.id))
    person_id = int(form.nominated_chair_person_id.data) if form.nominated_chair_person_id.data else None
    svc.nominate_chair(m, person_id, user=current_user)
    flash("Nominated chair recorded" if person_id else "Nominated chair removed", "success")
    return redirect(url_for("meetings.attendance", meeting_id=m.id))


@bp.route("/meetings/<int:meeting_id>/apologies", methods=["GET", "POST"])
@access.roles(Role.business_office, *MEMBERS)
def apologies(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    register = svc.load_register(m)
    seats = register.seats if current_user.has_role(Role.business_office) else svc.own_seats(register, current_user)
    if not seats:
        abort(404)
    form = f.ApologiesForm()
    form.membership_id.choices = [
        (
            str(s.membership.id),
            f"{s.membership.person.name} – "
            f"{s.membership.organisation.name if s.membership.organisation else 'independent'}",
        )
        for s in seats
    ]
    if len(seats) == 1 and not form.membership_id.data:
        form.membership_id.data = str(seats[0].membership.id)
    chosen = next((s for s in seats if str(s.membership.id) == str(form.membership_id.data)), seats[0])
    named = chosen.membership.deputy
    form.deputy.choices = ([("named", f"Yes, my named deputy, {named.name}")] if named else []) + [
        ("other", "Yes, someone else from my organisation"),
        ("none", "No, no one will attend in my place"),
    ]
    others = (
        db.session.scalars(
            sa.select(Person)
            .where(
                Person.organisation_id == chosen.membership.organisation_id,
                Person.active.is_(True),
                Person.id != chosen.membership.person_id,
            )
            .order_by(Person.name)
        )
        if chosen.membership.organisation_id
        else []
    )
    form.other_deputy_id.choices = choices(others, blank="Select a person")
    extra = {}
    if form.validate_on_submit():
        deputy_id = None
        if form.deputy.data == "named" and named:
            deputy_id = named.id
        elif form.deputy.data == "other":
            if not form.other_deputy_id.data:
                form.other_deputy_id.errors.append("Select who will attend in your place")
            else:
                deputy_id = int(form.other_deputy_id.data)
        if not form.other_deputy_id.errors:
            try:
                svc.send_apologies(
                    m, chosen.membership.id, user=current_user, deputy_person_id=deputy_id, note=form.note.data
                )
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("Apologies sent" + (" and your deputy named" if deputy_id else ""), "success")
                return redirect(_meeting_url(m))
    return render_template("meetings/apologies.html", form=form, m=m, seats=seats, summary=_summary(form, extra))


# --- declarations ---------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/declarations/new", methods=["GET", "POST"])
@access.roles(*READERS)
def declare(meeting_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    office = current_user.has_role(Role.business_office)
    form = f.DeclarationForm()
    form.agenda_item_id.choices = [("", "Select an item")] + [
        (str(i.id), f"{n}. {i.title}") for n, i in enumerate(svc.agenda_of(m), start=1)
    ]
    if request.method == "GET" and request.args.get("item"):
        form.agenda_item_id.data = request.args.get("item")
    form.person_id.choices = [("", "Select a person")]
    if office:
        people = svc.people_by_id(svc.load_register(m).people_ids)
        form.person_id.choices += sorted(((str(p.id), p.name) for p in people.values()), key=lambda c: c[1])
    extra = {}
    if form.validate_on_submit():
        if office and not form.person_id.data:
            form.person_id.errors.append("Select who is declaring the interest")
        else:
            try:
                item = svc.get_agenda_item(m, int(form.agenda_item_id.data))
                svc.declare_interest(
                    item,
                    user=current_user,
                    nature=form.nature.data,
                    person_id=int(form.person_id.data) if office else None,
                )
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("Declaration of interest recorded and sent to the chair", "success")
                return redirect(_meeting_url(m))
    return render_template("meetings/declare.html", form=form, m=m, office=office, summary=_summary(form, extra))


@bp.route("/declarations")
@access.roles(*READERS)
def declarations():
    page = int_arg("page", 1) or 1
    rows, total = svc.list_declarations(current_user, page=page, per_page=50)
    meetings = (
        {m.id: m for m in db.session.scalars(sa.select(Meeting).where(Meeting.id.in_({d.meeting_id for d in rows})))}
        if rows
        else {}
    )
    return render_template(
        "meetings/declarations.html", declarations=rows, total=total, page=page, per_page=50, meetings=meetings
    )


# --- decisions --------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR)
def decide(meeting_id: int, item_id: int):
    m = svc.get_meeting(meeting_id, current_user)
    item = svc.get_agenda_item(m, item_id)
    if m.state != MeetingState.in_session:
        flash(f"Decisions can be recorded only while the meeting is in session: it is {m.state.label.lower()}", "error")
        return redirect(_meeting_url(m))
    register = svc.load_register(m)
    quorate, missing = svc.is_quorate(m, register)
    eligibility = svc.voting_eligibility(m, item, register)
    voters = list(eligibility.voters.values())
    form = f.decision_form(voters)()
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


# --- calendar feed ----------------------------------------------------------------------------


@bp.route("/calendar", methods=["GET", "POST"])
@access.roles(*READERS)
def calendar():
    form = f.CsrfForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        accounts.rotate_calendar_token(current_user)
        flash("Your calendar link has been changed: the old link no longer works", "success")
        return redirect(url_for("meetings.calendar"))
    token = current_user.calendar_token
    feed = url_for("meetings.feed", token=token, _external=True) if token else None
    return render_template("meetings/calendar.html", form=form, feed=feed)


@bp.route("/calendar/<token>.ics")
@access.public
def feed(token: str):
    """A member's meetings as a calendar feed. The URL is the credential: an unknown
    token is a 404, never a hint that it was close."""
    user = svc.user_for_calendar_token(token)
    if user is None:
        abort(404)
    body = ics.calendar(
        svc.calendar_meetings(user),
        lambda x: url_for("meetings.meeting", meeting_id=x.id, _external=True),
        name="Safeguarding Partnership meetings",
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- home panels ------------------------------------------------------------------------------

home.count(
    {Role.partner_member, Role.subgroup_chair},
    10,
    "Upcoming meetings",
    "meetings.index",
    "in the next 8 weeks: send apologies and name your deputy if you cannot attend",
    svc.upcoming_without_reply_select,
    key="meetings.apologies",
    kind=home.TASK,
)
home.count(
    {Role.subgroup_chair},
    11,
    "Your groups' meetings",
    "meetings.index",
    "in the next 8 weeks, of the groups you chair",
    svc.chaired_meetings_select,
    key="meetings.chaired",
    kind=home.INFO,
)
home.count(
    {Role.partner_member, Role.subgroup_chair},
    15,
    "Interim decisions to validate",
    "meetings.awaiting_validation",
    "for your organisation",
    svc.validations_awaiting_select,
    key="meetings.validations",
    kind=home.APPROVAL,
)
home.count(
    {Role.independent_chair},
    10,
    "Minutes to approve",
    lambda u: url_for("meetings.minutes_list", state="submitted"),
    "submitted by the business office",
    lambda u: svc.count_minutes_select(MinutesState.submitted),
    key="meetings.minutes_to_approve",
    kind=home.APPROVAL,
)
home.count(
    {Role.independent_chair},
    15,
    "Chair's actions awaiting ratification",
    "meetings.chair_actions",
    "on the next Board agenda",
    lambda u: svc.awaiting_ratification_select(),
    key="meetings.chair_actions",
    kind=home.APPROVAL,
)
home.count(
    {Role.business_office},
    10,
    "Papers to publish",
    lambda u: url_for("meetings.index", state="scheduled"),
    "due this week or overdue",
    lambda u: svc.papers_due_soon_select(),
    key="meetings.papers",
    kind=home.DUE,
)
home.count(
    {Role.business_office},
    15,
    "Minutes to draft",
    lambda u: url_for("meetings.index", when="past", minutes="needed"),
    "meetings held without submitted minutes",
    lambda u: svc.meetings_needing_minutes_select(),
    key="meetings.minutes_to_draft",
    kind=home.TASK,
)
