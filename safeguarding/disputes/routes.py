"""Disputes and complaints: pages.

Disputes: the list (with each open dispute's deadline and days left), raising one, a
dispute's page (parties, deadline, meeting, agenda and each party's response, agreed
actions, history, lifecycle buttons), convening the meeting, drafting the agenda, a
party's response to it, and agreed actions. Complaints: the list (no complainants' names),
logging one, and a complaint's page."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, documents, home, nav
from safeguarding.calendar import financial_year_bounds, financial_year_start, today
from safeguarding.disputes.forms import (
    AgendaForm,
    AgendaResponseForm,
    ComplaintForm,
    DisputeActionForm,
    DisputeEditForm,
    DisputeForm,
    MeetingForm,
)
from safeguarding.extensions import db
from safeguarding.formatting import days_left, long_date
from safeguarding.forms import error_summary
from safeguarding.models import (
    ComplaintKind,
    ComplaintState,
    DisputeState,
    Organisation,
    PartnershipState,
    Person,
    Role,
)
from safeguarding.services import complaints as complaints_svc
from safeguarding.services import dispute_letters
from safeguarding.services import disputes as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed, int_arg
from safeguarding.workflows.disputes import (
    complaint_lifecycle,
    complaint_options,
    dispute_lifecycle,
)

bp = Blueprint("disputes", __name__)
dispute_lifecycle.serve(url=lambda d: url_for("disputes.dispute", dispute_id=d.id))
complaint_lifecycle.serve(url=lambda c: url_for("disputes.complaint", complaint_id=c.id))

READERS = (Role.business_office, Role.independent_chair, Role.partner_member)
RAISERS = (Role.business_office, Role.partner_member)
OFFICE = (Role.business_office,)
OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)

# Complaints live under the same entry (the constitution's "Disputes and Complaints");
# their pages are linked from the disputes list for the office and the Chair.
nav.add("Disputes", "disputes.index", order=50)

STATE_COLOURS = {
    "raised": "blue",
    "determined": "yellow",
    "meeting_convened": "light-blue",
    "agenda_agreed": "turquoise",
    "meeting_held": "purple",
    "resolved": "green",
    "escalated": "orange",
    "withdrawn": "grey",
}
COMPLAINT_COLOURS = {"received": "blue", "investigating": "yellow", "responded": "turquoise", "closed": "grey"}


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _organisation_choices(blank: str | None = None):
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.state != PartnershipState.left).order_by(Organisation.name)
    )
    return choices(rows, blank=blank)


# --- disputes -------------------------------------------------------------------------------


def _dispute_filters() -> svc.DisputeFilters:
    status = request.args.get("status") or "open"
    if status not in {"open", "closed", "all", *DisputeState}:
        abort(400)
    return svc.DisputeFilters(
        status=None if status == "all" else status,
        breached=request.args.get("breached") == "1",
        organisation_id=int_arg("organisation"),
        page=int_arg("page", 1) or 1,
    )


@bp.route("/disputes")
@access.roles(*READERS)
def index():
    f = _dispute_filters()
    rows, total = svc.list_disputes(current_user, f)
    on = today()
    year = financial_year_start(on)
    report = svc.deadline_summary(*financial_year_bounds(year)) if current_user.has_role(*OFFICE_OR_CHAIR) else None
    return render_template(
        "disputes/index.html",
        disputes=rows,
        total=total,
        f=f,
        today=on,
        status=request.args.get("status") or "open",
        states=DisputeState,
        report=report,
        year=year,
        colours=STATE_COLOURS,
    )


@bp.route("/disputes/new", methods=["GET", "POST"])
@access.roles(*RAISERS)
def new():
    form = DisputeForm()
    form.party_organisation_ids.choices = [(int(v), label) for v, label in _organisation_choices()]
    if request.method == "GET" and current_user.organisation_id and not current_user.has_role(Role.business_office):
        form.party_organisation_ids.data = [current_user.organisation_id]
    extra = {}
    if form.validate_on_submit():
        try:
            dispute = svc.raise_dispute(
                current_user,
                subject=form.subject.data,
                summary=form.summary.data,
                party_organisation_ids=form.party_organisation_ids.data,
                raised_on=form.raised_on.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Dispute {dispute.reference} raised", "success")
            return redirect(url_for("disputes.dispute", dispute_id=dispute.id))
    return render_template("disputes/new.html", form=form, summary=_summary(form, extra))


@bp.route("/disputes/<int:dispute_id>")
@access.roles(*READERS)
def dispute(dispute_id: int):
    d = svc.get_dispute(dispute_id, current_user)
    options = dispute_lifecycle.options(d, current_user)
    # Convening and changing the arrangements have their own page (a chair to choose).
    meeting_option = next((o for o in options if o.trigger in ("convene", "rearrange")), None)
    agenda = svc.agenda_status(d)
    if not (d.agenda_revision and all(s.agreed for s in agenda)):
        # The button would only be refused: the table shows who has still to agree.
        options = [o for o in options if o.trigger != "agree_agenda"]
    agreed_actions = svc.actions_of(d)
    mine = (
        next((s for s in agenda if s.party.organisation_id == current_user.organisation_id), None)
        if svc.is_party_representative(d, current_user)
        else None
    )
    return render_template(
        "disputes/dispute.html",
        d=d,
        today=today(),
        lifecycle=dispute_lifecycle,
        options=[o for o in options if o.trigger not in ("convene", "rearrange")],
        meeting_option=meeting_option,
        history=dispute_lifecycle.history(d.id),
        agenda=agenda,
        mine=mine,
        actions=agreed_actions,
        visible_actions=svc.visible_action_ids(agreed_actions, current_user),
        responses=svc.agenda_history(d) if d.agenda_revision else [],
        colours=STATE_COLOURS,
        format_time=svc.format_time,
        agenda_open=d.state in svc.AGENDA_OPEN_STATES,
        can_add_actions=d.state in svc.ACTION_STATES and current_user.has_role(*OFFICE_OR_CHAIR),
        letters=dispute_letters.letters_sent(d) if d.escalated_on and current_user.has_role(*OFFICE_OR_CHAIR) else [],
    )


@bp.route("/disputes/<int:dispute_id>/escalation-letters/<int:organisation_id>")
@access.roles(*OFFICE_OR_CHAIR)
def escalation_letter(dispute_id: int, organisation_id: int):
    """The Independent Chair's letter to one statutory partner, exactly as emailed."""
    d = svc.get_dispute(dispute_id, current_user)
    pdf = dispute_letters.sent_letter_pdf(d, organisation_id)
    return documents.send_file(pdf, f"{d.reference}-escalation-letter-{organisation_id}.pdf")


@bp.route("/disputes/<int:dispute_id>/edit", methods=["GET", "POST"])
@access.roles(*OFFICE)
def edit(dispute_id: int):
    d = svc.get_dispute(dispute_id, current_user)
    form = DisputeEditForm(obj=d)
    if request.method == "GET":
        form.version.data = str(d.version)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_dispute(
                d, current_user, version=form.version_value, subject=form.subject.data, summary=form.summary.data
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Dispute {d.reference} updated", "success")
            return redirect(url_for("disputes.dispute", dispute_id=d.id))
    return render_template("disputes/edit.html", form=form, d=d, summary=_summary(form, extra))


@bp.route("/disputes/<int:dispute_id>/meeting", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR)
def meeting(dispute_id: int):
    """Convene the joint meeting (or change its arrangements): date, time, place or link,
    and its chair — the Independent Chair unless a reason is given."""
    d = svc.get_dispute(dispute_id, current_user)
    trigger = {DisputeState.determined: "convene", DisputeState.meeting_convened: "rearrange"}.get(d.state)
    if trigger is None:
        flash(f"The meeting cannot be arranged when the dispute is {d.state.label.lower()}", "error")
        return redirect(url_for("disputes.dispute", dispute_id=d.id))
    spec = dispute_lifecycle.transitions[trigger]
    form = MeetingForm()
    default_chair = svc.independent_chair_person()
    form.chair_person_id.choices = [("", "Select a person")] + [
        (str(p.id), f"{p.name} ({p.job_title or 'no job title'})") for p in svc.chair_candidates(d.chair_person_id)
    ]
    if request.method == "GET":
        form.version.data = str(d.version)
        if trigger == "rearrange":
            form.meeting_on.data = d.meeting_on
            form.meeting_time.data = d.meeting_time.strftime("%H:%M") if d.meeting_time else ""
            form.location.data = d.meeting_location
            form.chair_person_id.data = str(d.chair_person_id or "")
            form.chair_reason.data = d.chair_reason
            form.late_reason.data = d.late_reason
        elif default_chair:
            form.chair_person_id.data = str(default_chair.id)
    extra = {}
    if form.validate_on_submit():
        try:
            dispute_lifecycle.fire(
                d,
                trigger,
                user=current_user,
                version=form.version_value,
                params={
                    "meeting_on": form.meeting_on.data,
                    "meeting_time": form.meeting_time.data,
                    "location": form.location.data,
                    "chair_person_id": int(form.chair_person_id.data),
                    "chair_reason": form.chair_reason.data,
                    "late_reason": form.late_reason.data,
                    **({"outcome": form.outcome.data} if trigger == "convene" else {}),
                },
                comment=form.comment.data if trigger == "rearrange" else None,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            done = {"convene": "convened", "rearrange": "arrangements changed"}[trigger]
            if d.state == DisputeState.meeting_held:
                done = "recorded as convened and held"
            flash(f"Meeting {done} for {d.reference}", "success")
            return redirect(url_for("disputes.dispute", dispute_id=d.id))
    return render_template(
        "disputes/meeting.html",
        form=form,
        d=d,
        spec=spec,
        trigger=trigger,
        today=today(),
        default_chair=default_chair,
        summary=_summary(form, extra),
    )


@bp.route("/disputes/<int:dispute_id>/agenda", methods=["GET", "POST"])
@access.roles(*OFFICE)
def agenda(dispute_id: int):
    d = svc.get_dispute(dispute_id, current_user)
    form = AgendaForm()
    if request.method == "GET":
        form.version.data = str(d.version)
        form.agenda.data = d.agenda
    extra = {}
    if form.validate_on_submit():
        try:
            svc.draft_agenda(d, current_user, version=form.version_value, text=form.agenda.data)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Agenda drafted for {d.reference}: each party is asked to agree it", "success")
            return redirect(url_for("disputes.dispute", dispute_id=d.id))
    return render_template(
        "disputes/agenda.html", form=form, d=d, proposals=svc.changes_proposed(d), summary=_summary(form, extra)
    )


@bp.route("/disputes/<int:dispute_id>/agenda/response", methods=["GET", "POST"])
@access.roles(Role.partner_member)
def respond(dispute_id: int):
    d = svc.get_dispute(dispute_id, current_user)
    if not svc.is_party_representative(d, current_user):
        abort(403)
    if d.state not in svc.AGENDA_OPEN_STATES or not d.agenda_revision:
        flash("There is no agenda waiting for your response", "error")
        return redirect(url_for("disputes.dispute", dispute_id=d.id))
    form = AgendaResponseForm()
    if request.method == "GET":
        form.agenda_revision.data = str(d.agenda_revision)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.record_agenda_response(
                d,
                current_user,
                agenda_revision=form.revision_value,
                response=form.response.data,
                changes=form.changes.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
            form.agenda_revision.data = str(d.agenda_revision)
        else:
            flash("Your response to the agenda is recorded", "success")
            return redirect(url_for("disputes.dispute", dispute_id=d.id))
    return render_template("disputes/respond.html", form=form, d=d, summary=_summary(form, extra))


@bp.route("/disputes/<int:dispute_id>/actions/new", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR)
def new_action(dispute_id: int):
    d = svc.get_dispute(dispute_id, current_user)
    if d.state not in svc.ACTION_STATES:
        flash("Agreed actions are recorded once the meeting has been held", "error")
        return redirect(url_for("disputes.dispute", dispute_id=d.id))
    form = DisputeActionForm()
    form.owner_organisation_id.choices = _organisation_choices(blank="Select an organisation")
    people = sa.select(Person).where(Person.active.is_(True)).order_by(Person.name)
    form.owner_person_id.choices = choices(
        db.session.scalars(people),
        label=lambda p: f"{p.name} ({p.organisation.short_name})" if p.organisation else p.name,
        blank="No named person",
    )
    extra = {}
    if form.validate_on_submit():
        try:
            svc.add_agreed_action(
                d,
                current_user,
                title=form.title.data,
                description=form.description.data,
                owner_organisation_id=int(form.owner_organisation_id.data),
                owner_person_id=int(form.owner_person_id.data) if form.owner_person_id.data else None,
                due_date=form.due_date.data,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Action added to the action log for {d.reference}", "success")
            return redirect(url_for("disputes.dispute", dispute_id=d.id))
    return render_template("disputes/action_form.html", form=form, d=d, summary=_summary(form, extra))


# --- complaints -----------------------------------------------------------------------------


@bp.route("/complaints")
@access.roles(*OFFICE_OR_CHAIR)
def complaints():
    status = request.args.get("status") or "open"
    if status not in {"open", "all", *ComplaintState}:
        abort(400)
    kind = request.args.get("kind") or None
    if kind and kind not in ComplaintKind.__members__:
        abort(400)
    f = complaints_svc.ComplaintFilters(
        status=None if status == "all" else status, kind=kind, page=int_arg("page", 1) or 1
    )
    rows, total = complaints_svc.list_complaints(current_user, f)
    return render_template(
        "disputes/complaints.html",
        complaints=rows,
        total=total,
        f=f,
        status=status,
        states=ComplaintState,
        kinds=ComplaintKind,
        colours=COMPLAINT_COLOURS,
    )


@bp.route("/complaints/new", methods=["GET", "POST"])
@access.roles(*OFFICE_OR_CHAIR)
def new_complaint():
    form = ComplaintForm()
    form.organisation_id.choices = _organisation_choices(blank="Select an organisation")
    extra = {}
    if form.validate_on_submit():
        try:
            c = complaints_svc.log_complaint(
                current_user,
                kind=form.kind.data,
                received_on=form.received_on.data,
                complainant_name=form.complainant_name.data,
                complainant_contact=form.complainant_contact.data,
                summary=form.summary.data,
                organisation_id=int(form.organisation_id.data) if form.organisation_id.data else None,
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Complaint {c.reference} logged", "success")
            return redirect(url_for("disputes.complaint", complaint_id=c.id))
    return render_template("disputes/complaint_form.html", form=form, summary=_summary(form, extra))


@bp.route("/complaints/<int:complaint_id>")
@access.roles(*OFFICE_OR_CHAIR)
def complaint(complaint_id: int):
    c = complaints_svc.get_complaint(complaint_id, current_user)
    complaints_svc.record_view(c)
    return render_template(
        "disputes/complaint.html",
        c=c,
        lifecycle=complaint_lifecycle,
        options=complaint_options(c, current_user),
        history=complaint_lifecycle.history(c.id),
        colours=COMPLAINT_COLOURS,
        recipient=complaints_svc.referral_recipient(c),
    )


# --- home panels ----------------------------------------------------------------------------


def _nearest(n: int, extras) -> str:
    nearest = extras.get("nearest")
    if nearest is None:
        return ""
    if isinstance(nearest, str):  # SQLite returns a scalar subquery's date as text
        nearest = date.fromisoformat(nearest[:10])
    return f"Nearest deadline {long_date(nearest)} ({days_left(nearest, today())})"


home.count(
    {Role.independent_chair},
    20,
    "Disputes needing a meeting convened",
    lambda u: url_for("disputes.index", status="determined"),
    _nearest,
    lambda u: svc.home_needing_meeting(u)[0],
    key="disputes.to_convene",
    kind=home.APPROVAL,
    extras={"nearest": lambda u: svc.home_needing_meeting(u)[1]},
)
home.count(
    {Role.business_office},
    20,
    "Dispute deadlines this week",
    "disputes.index",
    _nearest,
    lambda u: svc.home_deadlines_this_week(u)[0],
    key="disputes.deadlines",
    kind=home.DUE,
    extras={"nearest": lambda u: svc.home_deadlines_this_week(u)[1]},
)
home.count(
    {Role.partner_member},
    20,
    "Your organisation's open disputes",
    "disputes.index",
    "between your organisation and other partners",
    lambda u: svc.open_for_organisation_select(u.organisation_id) if u.organisation_id else None,
    key="disputes.organisation",
    kind=home.TASK,
)
home.count(
    {Role.partner_member},
    21,
    "Dispute agendas awaiting your agreement",
    "disputes.index",
    "read each draft and agree it or propose changes",
    svc.agendas_awaiting_select,
    key="disputes.agendas",
    kind=home.APPROVAL,
)
home.count(
    {Role.business_office, Role.independent_chair},
    25,
    "Open complaints",
    "disputes.complaints",
    "received, being investigated or awaiting closure",
    complaints_svc.open_count_select,
    key="disputes.complaints",
    kind=home.TASK,
)
