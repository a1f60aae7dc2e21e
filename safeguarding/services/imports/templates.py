"""Each kind's template: a workbook whose first sheet has the headings and one example
row, and a second sheet ("Columns") explaining each column and its allowed values."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from safeguarding.services.imports.engine import Kind


def template_xlsx(kind: Kind) -> bytes:
    book = openpyxl.Workbook()
    data = book.active
    data.title = kind.label[:31]
    data.append([c.heading for c in kind.columns])
    data.append([c.example for c in kind.columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet("Columns")
    guide.append(["Column", "Required", "Allowed values", "What it is"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for c in kind.columns:
        guide.append([c.heading, "Yes" if c.required else "No", c.allowed, c.help])
    guide.append([])
    guide.append(["Only the first sheet is imported. Blank cells keep what is already recorded."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
