"""The annual report: starting a report and refreshing its figures, editing and assigning
sections, the chair's comments, and the emails about the report. (Publication and the
distribution: distribution.py; the Board's agreement: board.py.)"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import financial_year_start, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.models import (
    AnnualReport,
    AnnualReportSection,
    AnnualReportState,
    Person,
    ReportKind,
    Role,
    SectionKind,
    SectionState,
)
from safeguarding.models.base import utcnow
from safeguarding.services import audit
from safeguarding.services.annual.common import CHAIR, EDITABLE, FROZEN, OFFICE, _check_version, _require
from safeguarding.services.annual.queries import may_edit, sections_with_comments, title
from safeguarding.services.annual_sections.registry import data_sections, generate, narrative_for
from safeguarding.services.errors import Conflict, Forbidden, NotFound, ValidationFailed

# --- starting and refreshing ---------------------------------------------------------------


def start_report(financial_year: int | None, user: Any, kind: ReportKind | str | None = None) -> AnnualReport:
    """Start the report of a kind (the adults' annual report unless told: the children's
    yearly report is "children") for a financial year that has begun: its sections, with
    the data sections' figures taken now."""
    _require(user, OFFICE, "start an annual report")
    try:
        kind = ReportKind(kind or ReportKind.adults)
    except ValueError:
        raise ValidationFailed(errors={"kind": "Select the kind of report"}) from None
    if financial_year is None:
        raise ValidationFailed(errors={"financial_year": "Select the financial year the report covers"})
    if financial_year > financial_year_start(today()) or financial_year < 2000:
        raise ValidationFailed(errors={"financial_year": "The financial year must have started"})
    if db.session.scalar(
        sa.select(AnnualReport.id).where(AnnualReport.kind == kind, AnnualReport.financial_year == financial_year)
    ):
        what = "yearly report (children)" if kind == ReportKind.children else "annual report"
        raise Conflict(f"The {what} for {financial_year_title(financial_year)} has already been started")
    report = AnnualReport(
        kind=kind,
        financial_year=financial_year,
        state=AnnualReportState.drafting,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(report)
    db.session.flush()
    for n in narrative_for(kind).values():
        db.session.add(
            AnnualReportSection(
                report_id=report.id,
                key=n.key,
                heading=n.heading,
                kind=SectionKind.narrative,
                order=n.order,
                guidance=n.guidance,
                figures={},
            )
        )
    for spec in data_sections(kind):
        db.session.add(
            AnnualReportSection(
                report_id=report.id,
                key=spec.key,
                heading=spec.heading,
                kind=SectionKind.data,
                order=spec.order,
                figures={},
            )
        )
    db.session.flush()
    db.session.expire(report, ["sections"])
    _take_figures(report)
    audit.mark_action(report, "start")
    return report


def _take_figures(report: AnnualReport) -> None:
    by_key = {s.key: s for s in report.sections}
    for spec in data_sections(report.kind):
        s = by_key.get(spec.key)
        if s is None:  # a section registered after the report started
            s = AnnualReportSection(
                report_id=report.id,
                key=spec.key,
                heading=spec.heading,
                kind=SectionKind.data,
                order=spec.order,
                figures={},
            )
            db.session.add(s)
        s.figures = generate(spec, report.financial_year)
        s.generated_summary = s.figures["variants"][0]["summary"]
        s.state = SectionState.written if s.state == SectionState.to_write else s.state
    report.figures_taken_at = utcnow()
    db.session.flush()
    db.session.expire(report, ["sections"])


def refresh_figures(report: AnnualReport, user: Any, *, version: int | None) -> AnnualReport:
    """Take the figures again from the records (while drafting only: approval freezes them)."""
    _require(user, OFFICE, "refresh the figures")
    _check_version(report, version)
    if report.state not in EDITABLE:
        raise Conflict(
            "The figures can be refreshed only while the report is being drafted"
            if report.state not in FROZEN
            else "The figures were frozen when the chair approved the report"
        )
    audit.mark_action(report, "refresh_figures")
    _take_figures(report)
    return report


# --- editing sections ----------------------------------------------------------------------


def edit_section(
    report: AnnualReport, section: AnnualReportSection, user: Any, *, version: int | None, text: str | None
) -> AnnualReportSection:
    """The narrative text, or the office's edit of a data section's generated summary
    (empty text goes back to the generated summary)."""
    if not may_edit(report, section, user):
        if report.state not in EDITABLE:
            raise Conflict("Sections can be edited only while the report is being drafted")
        raise Forbidden("You do not have permission to edit this section")
    _check_version(report, version)
    text = (text or "").strip() or None
    if section.kind == SectionKind.narrative and text is None:
        raise ValidationFailed(errors={"text": f"Enter the text of the section ‘{section.heading}’"})
    if text is not None and len(text) > 20000:
        raise ValidationFailed(errors={"text": "The text must be 20,000 characters or fewer"})
    section.text = text
    section.state = SectionState.written
    audit.mark_action(report, f"edit_section:{section.key}")
    report.updated_at = utcnow()  # moves the report's version: one version guards every section
    db.session.flush()
    return section


def assign_writer(
    report: AnnualReport,
    section: AnnualReportSection,
    user: Any,
    *,
    version: int | None,
    person_id: int | None,
    due_on: date | None,
) -> AnnualReportSection:
    _require(user, OFFICE, "assign a writer")
    _check_version(report, version)
    if report.state in FROZEN:
        raise Conflict("The report has been approved: its sections can no longer change")
    errors = {}
    person = db.session.get(Person, person_id) if person_id else None
    if person is None or not person.active:
        errors["person_id"] = "Select who will write the section"
    if due_on is None:
        errors["due_on"] = "Enter the date the section is due"
    elif due_on < today():
        errors["due_on"] = "The date the section is due must be today or in the future"
    if errors:
        raise ValidationFailed(errors=errors)
    section.writer_person_id, section.due_on = person.id, due_on
    audit.mark_action(report, f"assign_writer:{section.key}")
    report.updated_at = utcnow()
    db.session.flush()
    db.session.refresh(section, ["writer"])
    tell(report, "assigned", section=section)
    return section


def comment_on_sections(report: AnnualReport, user: Any, comments: dict[int, str | None]) -> int:
    """The chair's comments on sections of a submitted report (before returning it).
    Returns how many sections carry a comment."""
    _require(user, CHAIR, "comment on the report")
    if report.state != AnnualReportState.submitted:
        raise Conflict("The chair comments on sections when the report has been submitted")
    known = {s.id: s for s in report.sections}
    for section_id, text in comments.items():
        s = known.get(section_id)
        if s is None:
            raise NotFound("Section not found")
        try:
            s.chair_comment = validation.clean_text(text or "", "The comment") or None
        except ValueError as exc:
            raise ValidationFailed(errors={f"section_{section_id}": str(exc)}) from None
    db.session.flush()
    return sum(1 for s in report.sections if s.chair_comment)


# --- emails ---------------------------------------------------------------------------------


def _role_emails(role: Role) -> list[str]:
    from safeguarding.models import User, UserRole

    return sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole, UserRole.user_id == User.id)
                .where(UserRole.role == role, User.active.is_(True))
            )
        )
    )


def tell(report: AnnualReport, event: str, *, section: AnnualReportSection | None = None) -> None:
    """Email about the report: "submitted" (to the chair), "returned" (to the office),
    "assigned" (to the section's writer). Subjects name the report, never a person."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email, service_url

    link = service_url("annual.report", report_id=report.id)
    name = title(report)
    if event == "submitted":
        to, subject = _role_emails(Role.independent_chair), f"{name} is waiting for your approval"
        message = f"The business office has submitted the {name[0].lower() + name[1:]} for your approval."
    elif event == "returned":
        to, subject = _role_emails(Role.business_office), f"{name} was returned with comments"
        message = (
            f"The Independent Chair returned the {name[0].lower() + name[1:]} with comments on "
            f"{len(sections_with_comments(report))} section(s). Redraft them and submit it again."
        )
    elif event == "assigned" and section is not None and section.writer is not None and section.writer.email:
        to, subject = [section.writer.email], f"{name}: a section for you to write"
        message = (
            f"The business office has asked you to write ‘{section.heading}’ for the "
            f"{name[0].lower() + name[1:]}" + (f" by {long_date(section.due_on)}" if section.due_on else "") + "."
        )
    else:
        return
    if to:
        queue_email(
            to,
            subject,
            "annual_report",
            {"message": message, "link": link},
            kind=f"annual_report_{event}",
            dedupe_key=f"annual-report:{report.id}:{event}:{report.version}:{section.id if section else ''}",
        )
