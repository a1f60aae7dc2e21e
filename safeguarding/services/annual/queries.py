"""The annual report: reading reports, their sections and stored figures; who may edit a
section; the distribution list; the home page's counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title
from safeguarding.extensions import db
from safeguarding.models import (
    AnnualReport,
    AnnualReportSection,
    AnnualReportState,
    ReportKind,
    Role,
    SectionKind,
)
from safeguarding.services.annual.common import EDITABLE, READERS, YEARLY_DRAFT_READERS
from safeguarding.services.errors import NotFound

# --- reading ----------------------------------------------------------------------------


def title(report: AnnualReport) -> str:
    if report.kind == ReportKind.children:
        return f"Yearly report (children) {financial_year_title(report.financial_year)}"
    return f"Annual report {financial_year_title(report.financial_year)}"


def may_read(user: Any) -> bool:
    return bool(user is not None and user.has_role(*READERS))


def list_reports() -> list[AnnualReport]:
    return list(
        db.session.scalars(
            sa.select(AnnualReport).order_by(AnnualReport.financial_year.desc(), AnnualReport.kind, AnnualReport.id)
        )
    )


def get_report(report_id: int, user: Any = None) -> AnnualReport:
    report = db.session.get(AnnualReport, report_id)
    if report is None:
        raise NotFound("Annual report not found")
    if user is not None and not may_see_draft(report, user):
        raise NotFound("Annual report not found")
    return report


def may_see_draft(report: AnnualReport, user: Any) -> bool:
    """Drafts are for the office and the chair (and the sections' writers; for the
    children's yearly report, the safeguarding partners and the scrutineer); a published
    report is for every reader."""
    if report.state == AnnualReportState.published or user.has_role(Role.business_office, Role.independent_chair):
        return True
    if report.kind == ReportKind.children and user.has_role(*YEARLY_DRAFT_READERS):
        return True
    person_id = getattr(user, "person_id", None)
    return bool(person_id and any(s.writer_person_id == person_id for s in report.sections))


def get_section(report: AnnualReport, section_id: int) -> AnnualReportSection:
    for s in report.sections:
        if s.id == section_id:
            return s
    raise NotFound("Section not found")


def variant(section: AnnualReportSection, *, arm: str | None = None, area: str | None = None) -> dict[str, Any] | None:
    for v in (section.figures or {}).get("variants", []):
        if v.get("arm") == arm and v.get("area") == area:
            return v
    return None


def figure(section: AnnualReportSection, key: str, *, arm: str | None = None, area: str | None = None) -> Any:
    """One stored figure's value (for tests and the API)."""
    v = variant(section, arm=arm, area=area)
    if v is None:
        raise KeyError(f"{section.key} has no figures for arm={arm} area={area}")
    for f in v["figures"]:
        if f["key"] == key:
            return f["value"]
    raise KeyError(f"{section.key} has no figure {key!r}")


def section_by_key(report: AnnualReport, key: str) -> AnnualReportSection:
    for s in report.sections:
        if s.key == key:
            return s
    raise NotFound("Section not found")


def breakdown_rows(section: AnnualReportSection) -> tuple[list[str], list[tuple[str, list[Any], str]]]:
    """The section's headline figures across its variants: (column labels, rows of
    (figure label, values per variant, format))."""
    variants = (section.figures or {}).get("variants", [])
    if len(variants) < 2:
        return [], []
    labels = [v["label"] for v in variants]
    rows = []
    for i, f in enumerate(variants[0]["figures"]):
        values = [v["figures"][i]["value"] if i < len(v["figures"]) else None for v in variants]
        rows.append((f["label"], values, f["format"]))
    return labels, rows


# --- editing sections ----------------------------------------------------------------------


def may_edit(report: AnnualReport, section: AnnualReportSection, user: Any) -> bool:
    if report.state not in EDITABLE or user is None:
        return False
    if user.has_role(Role.business_office):
        return True
    return bool(
        section.kind == SectionKind.narrative
        and section.writer_person_id
        and section.writer_person_id == getattr(user, "person_id", None)
    )


def sections_with_comments(report: AnnualReport) -> list[AnnualReportSection]:
    return [s for s in report.sections if s.chair_comment]


def narrative_missing(report: AnnualReport) -> list[AnnualReportSection]:
    return [s for s in report.sections if s.kind == SectionKind.narrative and not s.text]


def submitted_count_select(user: Any) -> sa.Select:
    """Reports waiting for the chair (a home page count)."""
    return sa.select(sa.func.count()).select_from(AnnualReport).where(AnnualReport.state == AnnualReportState.submitted)


def sections_due_select(user: Any) -> sa.Select | None:
    """Narrative sections the user is to write, in reports being drafted (a home page count)."""
    if not getattr(user, "person_id", None):
        return None
    return (
        sa.select(sa.func.count())
        .select_from(AnnualReportSection)
        .join(AnnualReport, AnnualReport.id == AnnualReportSection.report_id)
        .where(
            AnnualReportSection.writer_person_id == user.person_id,
            AnnualReportSection.kind == SectionKind.narrative,
            AnnualReportSection.text.is_(None),
            AnnualReport.state.in_(EDITABLE),
        )
    )


def year_bounds(report: AnnualReport) -> tuple[date, date]:
    return financial_year_bounds(report.financial_year)
