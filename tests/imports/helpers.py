"""Building the files the import tests upload: CSV text and XLSX workbooks (openpyxl)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import sqlalchemy as sa

from safeguarding.extensions import db


def csv_bytes(rows: list[list[Any]], *, bom: bool = False) -> bytes:
    lines = [",".join(_csv_cell(c) for c in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def xlsx_bytes(rows: list[list[Any]], *, title: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
