"""Meeting pages: the register with its live quorum panel, the nominated chair, apologies
and deputies."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access
from safeguarding.extensions import db
from safeguarding.meetings import forms as f
from safeguarding.meetings.routes.common import MEMBERS, OFFICE, READERS, STATE_COLOURS, _meeting_url, _summary, bp
from safeguarding.models import AttendanceStatus, MeetingState, Person, Role
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ServiceError
from safeguarding.web import choices, form_failed

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
                    getattr(form, f"arrived_{s.membership.id}").data = s.row.arrived_at
                    getattr(form, f"left_{s.membership.id}").data = s.row.left_at
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
                        "arrived_at": getattr(form, f"arrived_{s.membership.id}").data,
                        "left_at": getattr(form, f"left_{s.membership.id}").data,
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
        movements=svc.movements(m, register),
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
