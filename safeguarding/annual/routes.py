"""The annual report's pages: the list, starting a report for a year, the report page
(contents, each section with its figures, tables and charts, editing and assigning
sections, the lifecycle and its history), the chair's comments when returning it, and
the PDF and DOCX downloads."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from safeguarding import access, documents, home, nav
from safeguarding.annual import distribution  # noqa: F401  (the Board agenda and distribution pages)
from safeguarding.annual.common import bp
from safeguarding.annual.forms import (
    BoardAgendaForm,
    RefreshForm,
    ReturnForm,
    SectionTextForm,
    SendNationallyForm,
    StartForm,
    WriterForm,
)
from safeguarding.calendar import (
    financial_year_label,
    financial_year_start,
    financial_year_title,
    today,
)
from safeguarding.extensions import db
from safeguarding.forms import error_summary
from safeguarding.models import AnnualReportState, Person, ReportKind, Role, SectionKind
from safeguarding.services import annual as svc
from safeguarding.services.errors import Conflict, ServiceError
from safeguarding.web import form_failed
from safeguarding.workflows.annual import annual_report_lifecycle as lifecycle

lifecycle.serve(url=lambda r: url_for("annual.report", report_id=r.id))

READERS = svc.READERS
OFFICE = svc.OFFICE
CHAIR = svc.CHAIR

nav.add("Annual report", "annual.index", order=70, group="Reports and budget")

STATE_COLOURS = {
    "drafting": "blue",
    "submitted": "yellow",
    "changes_requested": "orange",
    "approved": "turquoise",
    "published": "green",
}


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _report(report_id: int):
    return svc.get_report(report_id, current_user)


def _back(report):
    return redirect(url_for("annual.report", report_id=report.id))


@bp.route("/annual-reports")
@access.roles(*READERS)
def index():
    reports = [r for r in svc.list_reports() if svc.may_see_draft(r, current_user)]
    form = StartForm()
    started = {(r.kind, r.financial_year) for r in svc.list_reports()}
    this_year = financial_year_start(today())
    # A year is offered while one of its two reports (adults', children's) is not started.
    form.financial_year.choices = [("", "Select a year")] + [
        (str(y), financial_year_title(y))
        for y in range(this_year, this_year - 12, -1)
        if any((k, y) not in started for k in ReportKind)
    ]
    return render_template(
        "annual/index.html",
        reports=reports,
        form=form,
        colours=STATE_COLOURS,
        title_of=svc.title,
        may_start=current_user.has_role(*OFFICE),
    )


@bp.route("/annual-reports/new", methods=["POST"])
@access.roles(*OFFICE)
def new():
    form = StartForm()
    this_year = financial_year_start(today())
    form.financial_year.choices = [("", "Select a year")] + [
        (str(y), financial_year_title(y)) for y in range(this_year, this_year - 12, -1)
    ]
    extra = {}
    if form.validate_on_submit():
        try:
            report = svc.start_report(int(form.financial_year.data), current_user, form.kind.data or "adults")
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"{svc.title(report)} started: its figures are taken from the records", "success")
            return _back(report)
    reports = [r for r in svc.list_reports() if svc.may_see_draft(r, current_user)]
    return render_template(
        "annual/index.html",
        reports=reports,
        form=form,
        colours=STATE_COLOURS,
        title_of=svc.title,
        may_start=True,
        summary=_summary(form, extra),
    ), 400


@bp.route("/annual-reports/<int:report_id>")
@access.roles(*READERS)
def report(report_id: int):
    r = _report(report_id)
    children = r.kind == ReportKind.children
    may_return = lifecycle.may_fire(r, current_user, "request_changes")
    # The adults' report is returned through the comments page; the office returns the
    # children's from its button (the chair comments on it through that page).
    options = [o for o in lifecycle.options(r, current_user) if o.trigger != "request_changes" or children]
    may_comment = children and r.state == AnnualReportState.submitted and current_user.has_role(*CHAIR)
    office = current_user.has_role(*OFFICE)
    sending = svc.national_sending(r)
    return render_template(
        "annual/report.html",
        r=r,
        title=svc.title(r),
        lifecycle=lifecycle,
        options=options,
        history=lifecycle.history(r.id),
        colours=STATE_COLOURS,
        svc=svc,
        taken_on=svc.taken_on(r),
        refresh=RefreshForm(version=str(r.version))
        if r.state in svc.EDITABLE and current_user.has_role(*OFFICE)
        else None,
        deliveries=svc.deliveries(r) if r.state == AnnualReportState.published else [],
        agreement=svc.agreement(r),
        board_form=BoardAgendaForm(version=str(r.version))
        if office and not children and r.state == AnnualReportState.approved and r.board_decision_id is None
        else None,
        office=office,
        label=financial_year_label(r.financial_year),
        children=children,
        may_return=may_return and not children,
        may_comment=may_comment,
        decision=svc.decision_of(r),
        sending=sending,
        send_form=SendNationallyForm(version=str(r.version))
        if office and children and r.state == AnnualReportState.published and r.sent_nationally_on is None
        else None,
    )


@bp.route("/annual-reports/<int:report_id>/send-nationally", methods=["POST"])
@access.roles(*OFFICE)
def send_nationally(report_id: int):
    """Send the children's yearly report to the national Panel and to Foundations."""
    r = _report(report_id)
    form = SendNationallyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        svc.send_nationally(r, current_user, version=form.version_value)
    except ServiceError as exc:
        form_failed(form, exc)
        flash(exc.message, "error")
    else:
        sending = svc.national_sending(r)
        note = " (sent late)" if sending and sending.late else ""
        flash(f"The yearly report was sent to the Panel and to Foundations{note}", "success")
    return _back(r)


@bp.route("/annual-reports/<int:report_id>/refresh", methods=["POST"])
@access.roles(*OFFICE)
def refresh(report_id: int):
    r = _report(report_id)
    form = RefreshForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        svc.refresh_figures(r, current_user, version=form.version_value)
    except ServiceError as exc:
        form_failed(form, exc)
        flash(exc.message, "error")
    else:
        flash("The figures were taken again from the records", "success")
    return _back(r)


@bp.route("/annual-reports/<int:report_id>/sections/<int:section_id>/edit", methods=["GET", "POST"])
@access.roles(*svc.WRITERS)
def edit_section(report_id: int, section_id: int):
    r = _report(report_id)
    s = svc.get_section(r, section_id)
    if not svc.may_edit(r, s, current_user):
        if r.state not in svc.EDITABLE and (
            current_user.has_role(*OFFICE) or s.writer_person_id == current_user.person_id
        ):
            flash("Sections can be edited only while the report is being drafted", "error")
            return _back(r)
        abort(403)
    form = SectionTextForm()
    narrative = s.kind == SectionKind.narrative
    form.text.label.text = s.heading if narrative else "Summary"
    form.text.description = (
        s.guidance
        if narrative
        else "The generated summary is shown; change it as needed. Leave it empty to go back to the generated summary."
    )
    if request.method == "GET":
        form.version.data = str(r.version)
        form.text.data = s.summary if not narrative else (s.text or "")
    extra = {}
    if form.validate_on_submit():
        try:
            svc.edit_section(r, s, current_user, version=form.version_value, text=form.text.data)
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash(f"‘{s.heading}’ saved", "success")
            return redirect(url_for("annual.report", report_id=r.id, _anchor=f"section-{s.key}"))
    return render_template(
        "annual/section_form.html", r=r, s=s, form=form, title=svc.title(r), summary=_summary(form, extra)
    )


@bp.route("/annual-reports/<int:report_id>/sections/<int:section_id>/writer", methods=["GET", "POST"])
@access.roles(*OFFICE)
def assign_writer(report_id: int, section_id: int):
    r = _report(report_id)
    s = svc.get_section(r, section_id)
    form = WriterForm()
    people = db.session.scalars(sa.select(Person).where(Person.active.is_(True)).order_by(Person.name))
    form.person_id.choices = [("", "Select a person")] + [
        (str(p.id), f"{p.name} ({p.job_title})" if p.job_title else p.name) for p in people
    ]
    if request.method == "GET":
        form.version.data = str(r.version)
        form.person_id.data = str(s.writer_person_id or "")
        form.due_on.data = s.due_on
    extra = {}
    if form.validate_on_submit():
        try:
            svc.assign_writer(
                r,
                s,
                current_user,
                version=form.version_value,
                person_id=int(form.person_id.data),
                due_on=form.due_on.data,
            )
        except Conflict as exc:
            form_failed(form, exc)
            flash(exc.message, "error")
            return _back(r)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        except ValueError:
            extra = {"person_id": "Select who will write the section"}
        else:
            flash(f"Writer assigned to ‘{s.heading}’", "success")
            return redirect(url_for("annual.report", report_id=r.id, _anchor=f"section-{s.key}"))
    return render_template(
        "annual/writer_form.html", r=r, s=s, form=form, title=svc.title(r), summary=_summary(form, extra)
    )


@bp.route("/annual-reports/<int:report_id>/return", methods=["GET", "POST"])
@access.roles(*CHAIR)
def return_report(report_id: int):
    """The chair returns the report with a comment on each section that should change. On
    the children's yearly report the chair comments only: the partners decide, and the
    office takes it back if it must change."""
    r = _report(report_id)
    if r.kind == ReportKind.children:
        return _comment_only(r)
    if r.state != AnnualReportState.submitted:
        flash(f"The report cannot be returned when it is {r.state.label.lower()}", "error")
        return _back(r)
    form = ReturnForm()
    fields = {s.id: f"section_{s.id}" for s in r.sections}
    if request.method == "GET":
        form.version.data = str(r.version)
    extra: dict[str, str] = {}
    comments = {s.id: request.form.get(fields[s.id], s.chair_comment or "") for s in r.sections}
    if request.method == "POST" and form.validate_on_submit():
        if not any((c or "").strip() for c in comments.values()):
            extra = {fields[r.sections[0].id]: "Comment on at least one section to say what should change"}
        else:
            try:
                svc.comment_on_sections(r, current_user, comments)
                lifecycle.fire(
                    r, "request_changes", user=current_user, version=form.version_value, comment=form.comment.data
                )
            except Conflict as exc:
                form_failed(form, exc)
                flash(exc.message, "error")
                return _back(r)
            except ServiceError as exc:
                extra = form_failed(form, exc)
            else:
                flash("The report was returned to the business office with your comments", "success")
                return _back(r)
    summary = error_summary(form, extra) if (form.errors or extra) else None
    return render_template(
        "annual/return.html",
        r=r,
        form=form,
        fields=fields,
        comments=comments,
        errors=extra,
        title=svc.title(r),
        summary=summary,
    )


def _comment_only(r):
    if r.state != AnnualReportState.submitted:
        flash(f"The report cannot be commented on when it is {r.state.label.lower()}", "error")
        return _back(r)
    form = ReturnForm()
    fields = {s.id: f"section_{s.id}" for s in r.sections}
    if request.method == "GET":
        form.version.data = str(r.version)
    comments = {s.id: request.form.get(fields[s.id], s.chair_comment or "") for s in r.sections}
    extra: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        try:
            svc.comment_on_sections(r, current_user, comments)
        except ServiceError as exc:
            extra = form_failed(form, exc)
        else:
            flash("Your comments were saved: the safeguarding partners decide on the report", "success")
            return _back(r)
    return render_template(
        "annual/return.html",
        r=r,
        form=form,
        fields=fields,
        comments=comments,
        errors=extra,
        title=svc.title(r),
        summary=error_summary(form, extra) if (form.errors or extra) else None,
        comment_only=True,
    )


@bp.route("/annual-reports/<int:report_id>.<fmt>")
@access.roles(*READERS)
def download(report_id: int, fmt: str):
    r = _report(report_id)
    if fmt not in ("pdf", "docx"):
        abort(404)
    doc = svc.document(r)
    data = documents.render_pdf(doc) if fmt == "pdf" else documents.render_docx(doc)
    return documents.send_file(data, svc.file_name(r, fmt))


# --- home page counts ---------------------------------------------------------------------------

home.count(
    {Role.independent_chair},
    40,
    "Annual report to review",
    "annual.index",
    "submitted by the business office for your approval",
    svc.submitted_count_select,
    key="annual.to_review",
    kind=home.APPROVAL,
)
home.count(
    {Role.business_office},
    42,
    "Yearly report to send to the Panel and Foundations",
    "annual.index",
    svc.unsent_detail,
    svc.unsent_select,
    key="annual.send_nationally",
    kind=home.DUE,
    extras={"published": svc.unsent_published_select},
)
home.count(
    {
        Role.partner_member,
        Role.subgroup_chair,
        Role.business_office,
        Role.independent_chair,
        Role.safeguarding_partner,
        Role.scrutineer,
    },
    41,
    "Annual report sections to write",
    "annual.index",
    "assigned to you, not yet written",
    svc.sections_due_select,
    key="annual.to_write",
    kind=home.TASK,
)
