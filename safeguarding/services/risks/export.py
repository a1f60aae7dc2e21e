"""The risk register as CSV and XLSX (the spreadsheet the office used to keep)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from safeguarding.models import Risk
from safeguarding.services.risks.register import rag_of

HEADERS = [
    "Reference",
    "Risk",
    "Cause",
    "Effect",
    "Owner organisation",
    "Owner",
    "Likelihood before",
    "Impact before",
    "Score before",
    "Controls",
    "Likelihood after",
    "Impact after",
    "Score after",
    "RAG",
    "Review date",
    "Status",
]
FILLS = {"red": "D4351C", "amber": "FFDD00", "green": "00703C"}


def _row(risk: Risk) -> list[str | int]:
    return [
        risk.reference,
        risk.title,
        risk.cause,
        risk.effect,
        risk.owner_organisation.name,
        risk.owner_person.name if risk.owner_person else "",
        risk.inherent_likelihood,
        risk.inherent_impact,
        risk.inherent_score,
        risk.controls or "",
        risk.residual_likelihood,
        risk.residual_impact,
        risk.residual_score,
        rag_of(risk).title(),
        risk.review_date.isoformat(),
        risk.status.label,
    ]


def _safe(cell: str | int) -> str | int:
    """Text a spreadsheet would read as a formula is prefixed with a quote."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def register_csv(risks: Iterable[Risk]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for risk in risks:
        writer.writerow([_safe(c) for c in _row(risk)])
    return out.getvalue()


def register_xlsx(risks: Iterable[Risk]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Risk register"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rag_column = HEADERS.index("RAG") + 1
    for risk in risks:
        sheet.append([_safe(c) for c in _row(risk)])
        rag = rag_of(risk)
        cell = sheet.cell(row=sheet.max_row, column=rag_column)
        cell.fill = PatternFill("solid", fgColor=FILLS[rag])
        cell.font = Font(bold=True, color="0B0C0C" if rag == "amber" else "FFFFFF")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
