"""Reading an uploaded file into rows: CSV (UTF-8, with or without a byte-order mark) or
Excel XLSX (openpyxl, read-only; formulas give their cached values). The first worksheet
holds the data; its first row with two or more cells filled is the headings (a title
above the table is skipped). A file that cannot be read raises
`ValidationFailed` on the `file` field with a plain message, never a 500."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from flask import current_app

from safeguarding.services.errors import ValidationFailed

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted (password-protected) XLSX


@dataclass
class Sheet:
    name: str
    headings: list[str]
    heading_row: int = 1
    filled: bool = False  # any cell filled at all
    # (the row's number in the spreadsheet, its cells)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def refuse(message: str) -> ValidationFailed:
    return ValidationFailed(errors={"file": message})


def file_type(name: str, data: bytes) -> str:
    """ "csv" or "xlsx", from the name and the content; refuses anything else."""
    extension = Path(name or "").suffix.lower().lstrip(".")
    limit = current_app.config["IMPORT_MAX_BYTES"]
    if not data:
        raise refuse("The selected file is empty")
    if len(data) > limit:
        raise refuse(f"The selected file must be smaller than {limit // (1024 * 1024)}MB")
    if data.startswith(OLE):
        raise refuse(
            "The selected file is password-protected or an old Excel (.xls) file: "
            "remove the password or save it as Excel Workbook (.xlsx) or CSV UTF-8"
        )
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            names = set()
        if extension == "xlsx" and any(n.startswith("xl/") for n in names):
            return "xlsx"
    elif extension == "csv" and b"\x00" not in data[:4096]:
        return "csv"
    raise refuse("The selected file must be a CSV or Excel (XLSX) spreadsheet")


def read(name: str, data: bytes) -> Sheet:
    kind = file_type(name, data)
    sheet = _read_csv(data) if kind == "csv" else _read_xlsx(data)
    if not sheet.headings:
        if sheet.filled:
            raise refuse("The selected file has no row of headings: name each column in the row above the table")
        raise refuse("The selected file is empty")
    if not sheet.rows:
        raise refuse("The selected file has headings but no rows")
    limit = current_app.config["IMPORT_MAX_ROWS"]
    if len(sheet.rows) > limit:
        raise refuse(f"The selected file must have {limit:,} rows or fewer (it has {len(sheet.rows):,})")
    return sheet


def _table(name: str, rows: Iterator[list[Any]]) -> Sheet:
    sheet = Sheet(name, [])
    limit = current_app.config["IMPORT_MAX_ROWS"]
    for number, cells in enumerate(rows, start=1):
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        sheet.filled = True
        if not sheet.headings:
            if sum(1 for c in cells if c is not None and str(c).strip()) < 2:
                continue  # a title above the table: every kind has at least two columns
            sheet.headings = [str(c).strip() if c is not None else "" for c in cells]
            sheet.heading_row = number
            while sheet.headings and not sheet.headings[-1]:
                sheet.headings.pop()
            continue
        sheet.rows.append((number, list(cells)))
        if len(sheet.rows) > limit:  # enough to refuse; read no further
            break
    return sheet


def _read_csv(data: bytes) -> Sheet:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(
            "The selected file is not UTF-8 text: in Excel choose Save As, then ‘CSV UTF-8 (Comma delimited)’"
        ) from None
    try:
        return _table("CSV", iter(csv.reader(io.StringIO(content, newline=""))))
    except csv.Error:
        raise refuse("The selected file is not a CSV file that can be read") from None


def _read_xlsx(data: bytes) -> Sheet:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise refuse("The selected file is not an Excel (XLSX) file that can be read") from None
    try:
        worksheet = book.worksheets[0]
        return _table(worksheet.title, (list(r) for r in worksheet.iter_rows(values_only=True)))
    except Exception:  # noqa: BLE001
        raise refuse("The selected file is not an Excel (XLSX) file that can be read") from None
    finally:
        book.close()
