"""The annual report: stored figures, tables and charts as the report shows them, and the
report as a document for the PDF and the DOCX."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguarding.calendar import financial_year_label, financial_year_title
from safeguarding.models import AnnualReport, ReportKind
from safeguarding.services.annual.queries import breakdown_rows, variant


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


NOT_NUMERIC = ("text", "date")


def table_cells(
    head: list[str], rows: list[list[Any]], formats: list[str] | None
) -> tuple[list[dict], list[list[dict]]]:
    """A stored table's head and rows as the page's cells (the `app_table` macro): each value
    as the report shows it, right-aligned unless it is text or a date. Built here, not in the
    template: a report holds thousands of cells."""

    def fmt(i: int) -> str:
        return formats[i] if formats and i < len(formats) else "text"

    head_cells = [
        {"text": h, "format": "numeric" if formats and fmt(i) not in NOT_NUMERIC else None} for i, h in enumerate(head)
    ]
    body = [
        [
            {"text": format_value(v, fmt(i)), "format": "numeric" if fmt(i) not in NOT_NUMERIC else None}
            for i, v in enumerate(row)
        ]
        for row in rows
    ]
    return head_cells, body


def breakdown_cells(labels: list[str], rows: list[tuple[str, list[Any], str]]) -> tuple[list[dict], list[list[dict]]]:
    """The section's figures by arm and council area as the page's cells: the measure, then
    a right-aligned value per column."""
    head = [{"text": "Measure"}, *({"text": label, "format": "numeric"} for label in labels)]
    body = [
        [{"text": label}, *({"text": format_value(v, fmt), "format": "numeric"} for v in values)]
        for label, values, fmt in rows
    ]
    return head, body


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
    children = report.kind == ReportKind.children
    name = "Safeguarding children yearly report" if children else "Safeguarding Partnership annual report"
    return documents.Report(
        title=f"{name} {financial_year_title(report.financial_year)}",
        subtitle=subtitle,
        sections=sections,
        date=report.published_on or report.approved_on,
        reference=f"{'YR' if children else 'AR'}-{report.financial_year}",
    )


def file_name(report: AnnualReport, fmt: str) -> str:
    """The download's (and the attachment's) file name: the kind and the year, no names."""
    stem = "yearly-report-children" if report.kind == ReportKind.children else "annual-report"
    return f"{stem}-{financial_year_label(report.financial_year)}.{fmt}"
