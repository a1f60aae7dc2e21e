"""The annual report: a registry of generated data sections, the narrative sections,
starting a report for a financial year, refreshing and freezing its figures, editing and
assigning sections, the chair's comments, and the statutory distribution on publication.

Data sections are pluggable: a feature registers one function per section::

    from safeguarding.services import annual

    @annual.section("escalations", 85, "Escalations", breakdown=("area",))
    def _escalations(year: int, *, arm: str | None, area: str | None) -> annual.SectionData:
        ...  # count the year's records (exact match on arm/area when given)
        return annual.SectionData(figures=[annual.Figure("raised", "Escalations raised", n)],
                                  tables=[...], charts=[...], summary="...")

`year` is the calendar year the financial year starts in (2025 → 1 April 2025 to 31 March
2026); `arm` is None (whole partnership), "adults" or "children"; `area` None, "north" or
"west". The function is called once for the whole partnership and once per arm and per
area named in `breakdown`; its output is stored as JSON when the report starts, may be
refreshed while drafting, and is frozen once the chair approves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import (
    financial_year_bounds,
    financial_year_start,
    financial_year_title,
    today,
)
from safeguarding.extensions import db
from safeguarding.models import (
    AnnualReport,
    AnnualReportRecipient,
    AnnualReportSection,
    AnnualReportState,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    SectionKind,
    SectionState,
)
from safeguarding.models.base import utcnow
from safeguarding.models.people import PartnershipState
from safeguarding.services import audit
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)

OFFICE = (Role.business_office,)
CHAIR = (Role.independent_chair,)
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair, Role.viewer)
# Who may write a section (the office, or the section's named writer: a member, or the
# chair for the foreword) and read the drafting trail; viewers read the published report.
WRITERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
EDITABLE = (AnnualReportState.drafting,)
FROZEN = (AnnualReportState.approved, AnnualReportState.published)

ARMS = ("adults", "children")
AREAS = ("north", "west")
ARM_LABELS = {"adults": "Adults", "children": "Children"}
AREA_LABELS = {"north": "North", "west": "West"}


# --- what a section function returns -------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: int | None
    format: str = "number"  # number, money (pence), percent, days


@dataclass
class Table:
    caption: str
    head: list[str]
    rows: list[list[Any]]
    formats: list[str] = field(default_factory=list)  # per column: text, number, money, percent, days


@dataclass
class ChartData:
    title: str
    categories: list[str]
    series: list[tuple[str, list[int | float]]]
    format: str = "number"


@dataclass
class SectionData:
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[ChartData] = field(default_factory=list)
    summary: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "figures": [asdict(f) for f in self.figures],
            "tables": [asdict(t) for t in self.tables],
            "charts": [
                {
                    "title": c.title,
                    "categories": c.categories,
                    "format": c.format,
                    "series": [{"name": n, "values": v} for n, v in c.series],
                }
                for c in self.charts
            ],
            "summary": self.summary,
        }


SectionFn = Callable[..., SectionData]


@dataclass(frozen=True)
class SectionSpec:
    key: str
    order: int
    heading: str
    fn: SectionFn
    breakdown: tuple[str, ...]  # "arm", "area"
    arms: tuple[str, ...] = ARMS


_sections: dict[str, SectionSpec] = {}


def section(
    key: str, order: int, heading: str, *, breakdown: Sequence[str] = ("arm", "area"), arms: Sequence[str] = ARMS
) -> Callable[[SectionFn], SectionFn]:
    """Register a generated data section (see the module docstring)."""

    def register(fn: SectionFn) -> SectionFn:
        if key in _sections or key in NARRATIVE:
            raise ValueError(f"annual report section {key!r} is registered twice")
        _sections[key] = SectionSpec(key, order, heading, fn, tuple(breakdown), tuple(arms))
        return fn

    return register


def data_sections() -> list[SectionSpec]:
    return sorted(_sections.values(), key=lambda s: s.order)


@dataclass(frozen=True)
class NarrativeSpec:
    key: str
    order: int
    heading: str
    guidance: str


NARRATIVE = {
    n.key: n
    for n in (
        NarrativeSpec("foreword", 10, "Chair's foreword", "The Independent Chair's introduction to the year."),
        NarrativeSpec(
            "priorities",
            20,
            "Strategic priorities and what we did to achieve them",
            "What the partnership did during the year to achieve its objective and to implement its strategy "
            "(Care Act 2014 Schedule 2 paragraph 4 (a) and (b)), for each council area.",
        ),
        NarrativeSpec(
            "next_year",
            100,
            "Priorities for next year",
            "The partnership's priorities for the coming year and how they respond to this year's learning.",
        ),
    )
}


def generate(spec: SectionSpec, year: int) -> dict[str, Any]:
    """Run a section's function for the whole partnership and each arm and area."""
    variants = [
        {"label": "Whole partnership", "arm": None, "area": None, **spec.fn(year, arm=None, area=None).as_json()}
    ]
    if "arm" in spec.breakdown:
        for arm in spec.arms:
            variants.append(
                {"label": ARM_LABELS[arm], "arm": arm, "area": None, **spec.fn(year, arm=arm, area=None).as_json()}
            )
    if "area" in spec.breakdown:
        for area in AREAS:
            variants.append(
                {
                    "label": f"{AREA_LABELS[area]} Council area",
                    "arm": None,
                    "area": area,
                    **spec.fn(year, arm=None, area=area).as_json(),
                }
            )
    return {"variants": variants}


# --- reading ----------------------------------------------------------------------------


def title(report: AnnualReport) -> str:
    return f"Annual report {financial_year_title(report.financial_year)}"


def may_read(user: Any) -> bool:
    return bool(user is not None and user.has_role(*READERS))


def list_reports() -> list[AnnualReport]:
    return list(db.session.scalars(sa.select(AnnualReport).order_by(AnnualReport.financial_year.desc())))


def get_report(report_id: int, user: Any = None) -> AnnualReport:
    report = db.session.get(AnnualReport, report_id)
    if report is None:
        raise NotFound("Annual report not found")
    if user is not None and not may_see_draft(report, user):
        raise NotFound("Annual report not found")
    return report


def may_see_draft(report: AnnualReport, user: Any) -> bool:
    """Drafts are for the office and the chair (and the sections' writers); a published
    report is for every reader."""
    if report.state == AnnualReportState.published or user.has_role(Role.business_office, Role.independent_chair):
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


# --- starting and refreshing ---------------------------------------------------------------


def _check_version(report: AnnualReport, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(errors={"version": "Give the version of the report you are changing"})
    if version != report.version:
        raise StaleVersion()


def _require(user: Any, roles: Sequence[Role], what: str) -> None:
    if user is None or not user.has_role(*roles):
        raise Forbidden(f"You do not have permission to {what}")


def start_report(financial_year: int | None, user: Any) -> AnnualReport:
    """Start the report for a financial year that has begun: its sections, with the data
    sections' figures taken now."""
    _require(user, OFFICE, "start an annual report")
    if financial_year is None:
        raise ValidationFailed(errors={"financial_year": "Select the financial year the report covers"})
    if financial_year > financial_year_start(today()) or financial_year < 2000:
        raise ValidationFailed(errors={"financial_year": "The financial year must have started"})
    if db.session.scalar(sa.select(AnnualReport.id).where(AnnualReport.financial_year == financial_year)):
        raise Conflict(f"The annual report for {financial_year_title(financial_year)} has already been started")
    report = AnnualReport(
        financial_year=financial_year, state=AnnualReportState.drafting, created_by_id=getattr(user, "id", None)
    )
    db.session.add(report)
    db.session.flush()
    for n in NARRATIVE.values():
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
    for spec in data_sections():
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
    for spec in data_sections():
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


def sections_with_comments(report: AnnualReport) -> list[AnnualReportSection]:
    return [s for s in report.sections if s.chair_comment]


def narrative_missing(report: AnnualReport) -> list[AnnualReportSection]:
    return [s for s in report.sections if s.kind == SectionKind.narrative and not s.text]


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


# --- publication ------------------------------------------------------------------------------


def statutory_recipients() -> list[tuple[str, int | None]]:
    """(role, organisation id) for the statutory distribution (Care Act 2014 Schedule 2
    para 4(2)): the chief executive and leader of each council, the chair of each
    council's Health and Wellbeing Board, the police and crime commissioner (and the chief
    constable), Local Healthwatch, and the director of nursing of the integrated care board."""
    orgs = list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.state == PartnershipState.active).order_by(Organisation.name)
        )
    )
    out: list[tuple[str, int | None]] = []
    for o in orgs:
        if o.kind == OrganisationKind.local_authority:
            out += [
                (f"Chief executive, {o.name}", o.id),
                (f"Leader of the council, {o.name}", o.id),
                (f"Chair of the Health and Wellbeing Board, {o.name}", o.id),
            ]
    for o in orgs:
        if o.kind == OrganisationKind.police:
            out += [
                (f"Police and crime commissioner for the area of {o.name}", o.id),
                (f"Chief constable, {o.name}", o.id),
            ]
    for o in orgs:
        if o.kind == OrganisationKind.healthwatch:
            out.append((f"Local Healthwatch, {o.name}", o.id))
    for o in orgs:
        if o.kind == OrganisationKind.icb:
            out.append((f"Director of nursing, {o.name}", o.id))
    return out


def record_distribution(report: AnnualReport, sent_on: date) -> list[AnnualReportRecipient]:
    """The statutory recipients and every other active partner, with the date sent."""
    rows = [
        AnnualReportRecipient(report_id=report.id, role=role, organisation_id=org_id, statutory=True, sent_on=sent_on)
        for role, org_id in statutory_recipients()
    ]
    statutory_orgs = {org_id for _, org_id in statutory_recipients()}
    for o in db.session.scalars(
        sa.select(Organisation).where(Organisation.state == PartnershipState.active).order_by(Organisation.name)
    ):
        if o.id not in statutory_orgs:
            rows.append(
                AnnualReportRecipient(
                    report_id=report.id,
                    role=f"Partner: {o.name}",
                    organisation_id=o.id,
                    statutory=False,
                    sent_on=sent_on,
                )
            )
    db.session.add_all(rows)
    db.session.flush()
    return rows


def recipients_of(report: AnnualReport) -> list[AnnualReportRecipient]:
    return list(
        db.session.scalars(
            sa.select(AnnualReportRecipient)
            .where(AnnualReportRecipient.report_id == report.id)
            .order_by(AnnualReportRecipient.statutory.desc(), AnnualReportRecipient.id)
        )
    )


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


# --- formatting and documents --------------------------------------------------------------------


def format_value(value: Any, fmt: str = "number") -> str:
    """A stored figure or table cell as the report shows it."""
    from safeguarding.formatting import long_date, money

    if value is None or value == "":
        return "–" if fmt != "text" else ""
    if fmt == "money":
        return money(int(value))
    if fmt == "percent":
        return f"{value}%"
    if fmt == "days":
        return f"{value:g} days" if isinstance(value, int | float) else str(value)
    if fmt == "date":
        try:
            return long_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if fmt == "number" and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def chart_of(c: dict[str, Any]) -> Any:
    """A stored chart as an accessible SVG chart (`charts.bar_chart`)."""
    from safeguarding import charts

    return charts.bar_chart(
        c["title"],
        c["categories"],
        [charts.Series(s["name"], s["values"]) for s in c["series"]],
        value_format=lambda v: format_value(v, c.get("format", "number")),
    )


def taken_on(report: AnnualReport) -> str:
    from safeguarding.formatting import long_date

    if report.figures_taken_at is None:
        return ""
    from safeguarding.calendar import LONDON

    return long_date(report.figures_taken_at.astimezone(LONDON).date())


def document(report: AnnualReport) -> Any:
    """The report as a `documents.Report` (contents list, tables, charts with text
    alternatives) for the PDF and the DOCX."""
    from safeguarding import documents

    sections = []
    for s in report.sections:
        paragraphs = [p.strip() for p in s.summary.split("\n\n") if p.strip()] or ["Not yet written."]
        tables: list[Any] = []
        figures: list[Any] = []
        main = variant(s)
        if main is not None:
            if main["figures"]:
                tables.append(
                    documents.Table(
                        f"{s.heading}: key figures",
                        ["Measure", "Figure"],
                        [[f["label"], format_value(f["value"], f["format"])] for f in main["figures"]],
                    )
                )
            labels, rows = breakdown_rows(s)
            if labels:
                tables.append(
                    documents.Table(
                        f"{s.heading}: by arm and council area",
                        ["Measure", *labels],
                        [[label, *[format_value(v, fmt) for v in values]] for label, values, fmt in rows],
                    )
                )
            for t in main["tables"]:
                if t["rows"]:
                    formats = t["formats"] or ["text"] * len(t["head"])
                    tables.append(
                        documents.Table(
                            t["caption"],
                            t["head"],
                            [[format_value(v, formats[i]) for i, v in enumerate(r)] for r in t["rows"]],
                        )
                    )
            for c in main["charts"]:
                chart = chart_of(c)
                figures.append(documents.Figure(alt=chart.description, svg=str(chart.svg), caption=c["title"]))
        sections.append(documents.Section(s.heading, paragraphs, tables, figures))
    subtitle = f"Figures taken on {taken_on(report)}" if report.figures_taken_at else ""
    return documents.Report(
        title=f"Safeguarding Partnership annual report {financial_year_title(report.financial_year)}",
        subtitle=subtitle,
        sections=sections,
        date=report.published_on or report.approved_on,
        reference=f"AR-{report.financial_year}",
    )


from safeguarding.services import annual_sections  # noqa: E402,F401  (registers the built-in sections)
