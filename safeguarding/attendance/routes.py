"""Attendance monitoring: pages.

The escalations list (filters by state and group) and an escalation's page (workflow
buttons, history, the letter's preview and its PDF and DOCX); each group's thresholds
(the business office edits them); and the attendance report — per organisation, the
group's held meetings as a table and a heat-map grid with the status written in each cell,
and a CSV download. Partner members see their own organisation's attendance and the
letters addressed to it (services/attendance.py decides)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, charts, documents, home, nav
from safeguarding.attendance.forms import LetterForm, PolicyForm
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.forms import error_summary, parse_date_parts
from safeguarding.models import EscalationState, Group, Organisation, Role
from safeguarding.services import attendance as svc
from safeguarding.services.errors import Forbidden, ServiceError, ValidationFailed
from safeguarding.web import form_failed, int_arg
from safeguarding.workflows.attendance import escalation_lifecycle

bp = Blueprint("attendance", __name__)
escalation_lifecycle.serve(url=lambda e: url_for("attendance.escalation", escalation_id=e.id))

# Escalations and letters: the office, the chair, and a partner member for the letters
# sent to their organisation; viewers never see letters, escalations or thresholds, but
# read the attendance report, which the annual report publishes (domain.md, "Who uses it").
READERS = (Role.business_office, Role.independent_chair, Role.partner_member)
STAFF = (Role.business_office, Role.independent_chair)
REPORT_READERS = (*READERS, Role.viewer)
OFFICE = (Role.business_office,)

nav.add("Attendance", "attendance.report", order=56, group="Meetings")

STATE_COLOURS = {
    "detected": "blue",
    "letter_drafted": "yellow",
    "letter_approved": "light-blue",
    "sent": "purple",
    "response_received": "turquoise",
    "resolved": "green",
    "escalated_to_board": "orange",
    "withdrawn": "grey",
}


def _date_arg(name: str, what: str):
    """A report date from the query string: the GOV.UK date input's day, month and year
    (`?from=1&from=4&from=2026`), or an ISO date (`?from=2026-04-01`, as links and the
    API use), with the same rules as every date field. (date or None, message or None)."""
    values = [v.strip() for v in request.args.getlist(name)]
    if len(values) == 1 and values[0]:
        try:
            iso = date.fromisoformat(values[0])
        except ValueError:
            return None, f"{what} must be a real date"
        return parse_date_parts([str(iso.day), str(iso.month), f"{iso.year:04d}"], what.lower())
    return parse_date_parts(values, what.lower())


@bp.route("/attendance/escalations")
@access.roles(*READERS)
def escalations():
    state = request.args.get("state") or "open"
    if state not in {"open", "closed", "all", *EscalationState}:
        abort(400)
    f = svc.EscalationFilters(
        state=None if state == "all" else state,
        group_id=int_arg("group"),
        organisation_id=int_arg("organisation"),
        page=int_arg("page", 1) or 1,
    )
    rows, total = svc.list_escalations(current_user, f)
    groups = db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.id)).all()
    return render_template(
        "attendance/escalations.html",
        escalations=rows,
        total=total,
        f=f,
        state=state,
        states=EscalationState,
        groups=groups,
        colours=STATE_COLOURS,
    )


@bp.route("/attendance/escalations/<int:escalation_id>")
@access.roles(*READERS)
def escalation(escalation_id: int):
    e = svc.get_escalation(escalation_id, current_user)
    options = escalation_lifecycle.options(e, current_user)
    # Approving and editing have their own page, with the draft to edit.
    # The chair's main action is to approve; editing the draft comes second.
    letter_options = sorted((o for o in options if o.trigger in LETTER_TRIGGERS), key=lambda o: o.trigger != "approve")
    return render_template(
        "attendance/escalation.html",
        e=e,
        lifecycle=escalation_lifecycle,
        options=[o for o in options if o.trigger not in LETTER_TRIGGERS],
        letter_options=letter_options,
        history=escalation_lifecycle.history(e.id),
        colours=STATE_COLOURS,
    )


LETTER_TRIGGERS = ("approve", "edit_letter")


@bp.route("/attendance/escalations/<int:escalation_id>/letter/<trigger>", methods=["GET", "POST"])
@access.roles(Role.business_office, Role.independent_chair)
def letter_form(escalation_id: int, trigger: str):
    """Edit the drafted letter (office or chair), or approve and sign it (the chair only,
    who may edit it on the way)."""
    if trigger not in LETTER_TRIGGERS:
        abort(404)
    e = svc.get_escalation(escalation_id, current_user)
    spec = escalation_lifecycle.transitions[trigger]
    if not escalation_lifecycle.may_fire(e, current_user, trigger):
        if e.state.value not in spec.sources and spec.role_set.intersection(current_user.roles):
            flash(f"You cannot {spec.label.lower()} now: the escalation is {e.state.label.lower()}", "error")
            return redirect(url_for("attendance.escalation", escalation_id=e.id))
        raise Forbidden(f"You do not have permission to {spec.label.lower()}")
    form = LetterForm()
    if request.method == "GET":
        form.version.data = str(e.version)
        form.letter_text.data = e.letter_text
    extra = {}
    if form.validate_on_submit():
        try:
            version = int(form.version.data)
        except (TypeError, ValueError):
            version = -1
        try:
            escalation_lifecycle.fire(
                e, trigger, user=current_user, version=version, params={"letter_text": form.letter_text.data}
            )
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(escalation_lifecycle.done_message(e), "success")
            return redirect(url_for("attendance.escalation", escalation_id=e.id))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(
        "attendance/letter_form.html",
        form=form,
        e=e,
        spec=spec,
        summary=summary,
        document=documents.render_html(svc.build_letter(e)),
    )


@bp.route("/attendance/escalations/<int:escalation_id>/letter")
@access.roles(*READERS)
def letter(escalation_id: int):
    e = svc.get_escalation(escalation_id, current_user)
    svc.require_letter(e)
    return render_template(
        "documents/preview.html",
        title=f"Letter {e.reference}",
        document=documents.render_html(svc.build_letter(e)),
        pdf_url=url_for("attendance.letter_pdf", escalation_id=e.id),
        docx_url=url_for("attendance.letter_docx", escalation_id=e.id),
        back_url=url_for("attendance.escalation", escalation_id=e.id),
    )


@bp.route("/attendance/escalations/<int:escalation_id>/letter.pdf")
@access.roles(*READERS)
def letter_pdf(escalation_id: int):
    e = svc.get_escalation(escalation_id, current_user)
    return documents.send_file(svc.letter_pdf(e), f"{e.reference}-letter.pdf")


@bp.route("/attendance/escalations/<int:escalation_id>/letter.docx")
@access.roles(*READERS)
def letter_docx(escalation_id: int):
    e = svc.get_escalation(escalation_id, current_user)
    return documents.send_file(svc.letter_docx(e), f"{e.reference}-letter.docx")


@bp.route("/attendance/policies")
@access.roles(*STAFF)
def policies():
    return render_template(
        "attendance/policies.html", policies=svc.list_policies(), labels=svc.POLICY_LABELS, fields=svc.POLICY_FIELDS
    )


@bp.route("/attendance/policies/<int:group_id>", methods=["GET", "POST"])
@access.roles(*OFFICE)
def policy(group_id: int):
    group = svc.get_group(group_id)
    current = svc.policy_for(group_id)
    form = PolicyForm()
    if request.method == "GET":
        form.version.data = str(current.version) if current.version else ""
        for name in svc.POLICY_FIELDS:
            getattr(form, name).data = getattr(current, name)
    extra = {}
    if form.validate_on_submit():
        try:
            svc.update_policy(group_id, version=form.version_value, values=form.values)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"Attendance thresholds for the {group.name} saved", "success")
            return redirect(url_for("attendance.policies"))
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template("attendance/policy.html", form=form, group=group, summary=summary, fields=svc.POLICY_FIELDS)


@bp.route("/attendance/report")
@access.roles(*REPORT_READERS)
def report():
    groups = db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.id)).all()
    group_id = int_arg("group") or (groups[0].id if groups else None)
    if group_id is None:
        abort(404)
    start, start_error = _date_arg("from", "The start date")
    end, end_error = _date_arg("to", "The end date")
    errors = {k: v for k, v in (("from", start_error), ("to", end_error)) if v}
    report = None
    if not errors:
        try:
            report = svc.attendance_report(current_user, group_id, start, end)
        except ValidationFailed as exc:
            db.session.rollback()
            errors = dict(exc.errors or {"from": exc.message})
    if report is not None and request.args.get("format") == "csv":
        return Response(
            svc.report_csv(report),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="attendance-{report.group.short_name.lower().replace(" ", "-")}'
                f'-{report.start.isoformat()}-{report.end.isoformat()}.csv"'
            },
        )
    summary = (
        {"titleText": "There is a problem", "errorList": [{"text": v, "href": f"#{k}-day"} for k, v in errors.items()]}
        if errors
        else None
    )
    status = 400 if errors else 200
    chart = (
        charts.bar_chart(
            f"Percentage of meetings at which each organisation was represented, {report.group.short_name}",
            [r.organisation.short_name for r in report.rows],
            [charts.Series("Represented", [r.percent or 0 for r in report.rows])],
            value_format=lambda v: f"{v:g}%",
        )
        if report is not None and report.rows
        else None
    )
    return render_template(
        "attendance/report.html",
        report=report,
        groups=groups,
        group_id=group_id,
        chart=chart,
        errors=errors,
        summary=summary,
        dates={
            name: _date_parts(name, report and (report.start if name == "from" else report.end))
            for name in ("from", "to")
        },
        organisations=None
        if svc.sees_whole_report(current_user)
        else db.session.get(Organisation, current_user.organisation_id or 0),
    ), status


def _date_parts(name: str, shown: date | None) -> list[str]:
    """Day, month and year for a date input: the report's period once shown, else what
    was typed."""
    if shown is not None:
        return [str(shown.day), str(shown.month), str(shown.year)]
    values = request.args.getlist(name)
    return (values + ["", "", ""])[:3] if len(values) != 1 else [values[0], "", ""]


# --- home page counts -------------------------------------------------------------------------

home.count(
    {Role.independent_chair},
    12,
    "Attendance letters to approve",
    lambda u: url_for("attendance.escalations", state=EscalationState.letter_drafted.value),
    "escalation letters to chief executives drafted for your signature",
    lambda u: svc.count_select((EscalationState.letter_drafted,)),
    key="attendance.letters_to_sign",
    kind=home.APPROVAL,
)
home.count(
    {Role.business_office},
    22,
    "Attendance escalations waiting",
    "attendance.escalations",
    "detected, approved letters to send, responses to consider, or replies overdue",
    lambda u: svc.count_select(
        (EscalationState.detected, EscalationState.letter_approved, EscalationState.response_received),
        or_response_overdue_on=today(),
    ),
    key="attendance.escalations",
    kind=home.DUE,
)
home.count(
    {Role.partner_member},
    40,
    "Attendance letters to your organisation",
    "attendance.escalations",
    "from the chair, awaiting your organisation's response",
    lambda u: (
        svc.count_select((EscalationState.sent,), organisation_id=u.organisation_id) if u.organisation_id else None
    ),
    key="attendance.letters_received",
    kind=home.TASK,
)
