"""The import engine, generic over kinds.

`check(kind, name, data, user)` reads the file, maps its headings to the kind's fields,
reads every cell, then applies every row through the kind's steps (the services the pages
use) inside a savepoint that is always rolled back: the dry run. It records an `ImportRun`
with the file (kept), its hash, the counts and each problem by sheet, row and column.
`commit(run, sha256, user)` applies exactly that file (the hash must match the run's and
the stored file's) the same way and keeps the changes when no row has a problem — all or
nothing. Rows match existing records by natural keys, so the same file twice changes
nothing the second time."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from safeguarding.clock import now
from safeguarding.extensions import db
from safeguarding.models import ImportMapping, ImportRun
from safeguarding.services import audit, storage
from safeguarding.services.errors import Conflict, NotFound, ServiceError
from safeguarding.services.imports import reading, values

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Column:
    field: str
    heading: str
    help: str
    example: str
    parse: Callable[[Any], Any] = values.text
    required: bool = False
    allowed: str = "Text"


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any]
    outcome: str = UNCHANGED
    failed: bool = False


@dataclass
class Context:
    user: Any
    cache: dict[str, Any] = field(default_factory=dict)


Step = Callable[[Row, Context], str]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    description: str
    columns: tuple[Column, ...]
    steps: tuple[Step, ...]
    # A service's error field → the column it is about.
    error_columns: dict[str, str] = field(default_factory=dict)
    # A row's natural key (None: the row has none), and what it is called: a second row
    # with the same key in one file is reported, not applied twice.
    key: Callable[[dict[str, Any]], tuple[Any, ...] | None] | None = None
    key_label: str = ""

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> Kind:
    if name not in KINDS:
        raise NotFound("There is no import of that kind")
    return KINDS[name]


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.problems.append({"sheet": sheet, "row": row, "column": column, "message": message})


# --- column mapping --------------------------------------------------------------------------


def _norm(heading: str) -> str:
    return " ".join(str(heading).replace("_", " ").replace("*", "").lower().split())


def saved_mapping(kind: Kind) -> dict[str, str]:
    row = db.session.scalar(sa.select(ImportMapping).where(ImportMapping.kind == kind.name))
    return dict(row.mapping) if row is not None else {}


def save_mapping(kind: Kind, mapping: dict[str, str], user: Any) -> None:
    row = db.session.scalar(sa.select(ImportMapping).where(ImportMapping.kind == kind.name))
    if row is None:
        row = ImportMapping(kind=kind.name)
        db.session.add(row)
    row.mapping = {k: v for k, v in mapping.items() if v and kind.column(k) is not None}
    row.updated_by_id = getattr(user, "id", None)
    db.session.flush()


def resolve_mapping(kind: Kind, headings: list[str], wanted: dict[str, str]) -> dict[str, int]:
    """Each field's column index: the heading chosen for it (saved or given), else the
    heading that reads as the column's heading or field name."""
    by_norm = {_norm(h): i for i, h in enumerate(headings) if h}
    found: dict[str, int] = {}
    for column in kind.columns:
        chosen = wanted.get(column.field)
        for candidate in (chosen, column.heading, column.field):
            if candidate and _norm(candidate) in by_norm:
                found[column.field] = by_norm[_norm(candidate)]
                break
    return found


# --- reading the cells -------------------------------------------------------------------------


def _heading_problems(kind: Kind, sheet: reading.Sheet, found: dict[str, int], report: Report) -> None:
    header_row = sheet.heading_row
    for index, heading in enumerate(sheet.headings):
        if not heading:
            report.problem(
                sheet.name,
                header_row,
                _letter(index),
                f"Column {_letter(index)} has no heading: give each column its own heading "
                "(unmerge merged heading cells)",
            )
    for column in kind.columns:
        if column.required and column.field not in found:
            report.problem(
                sheet.name, header_row, column.heading, f"There is no column for ‘{column.heading}’: add it or map it"
            )


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_rows(kind: Kind, sheet: reading.Sheet, found: dict[str, int], report: Report) -> list[Row]:
    date_fields = [c.field for c in kind.columns if c.parse is values.a_date and c.field in found]
    us_order = any(
        values.day_month_swapped(cells[found[f]])
        for _, cells in sheet.rows
        for f in date_fields
        if found[f] < len(cells)
    )
    rows: list[Row] = []
    for number, cells in sheet.rows:
        row = Row(sheet.name, number, {})
        for column in kind.columns:
            index = found.get(column.field)
            cell = cells[index] if index is not None and index < len(cells) else None
            try:
                if us_order and column.field in date_fields and values.ambiguous(cell):
                    raise values.CellProblem(
                        f"({cell}) could be day first or month first, and other dates in this sheet are month "
                        "first: write it like 3 Apr 2026"
                    )
                if us_order and column.field in date_fields and values.day_month_swapped(cell):
                    raise values.CellProblem(f"({cell}) is month first: write it day first, like 23/11/2026")
                value = column.parse(cell)
            except values.CellProblem as exc:
                report.problem(sheet.name, number, column.heading, f"{column.heading} {exc}")
                row.failed = True
                continue
            if value is None and column.required:
                report.problem(sheet.name, number, column.heading, f"Enter the {column.heading.lower()}")
                row.failed = True
            row.values[column.field] = value
        rows.append(row)
    return rows


def _duplicates(kind: Kind, rows: list[Row], report: Report) -> None:
    """A row whose natural key an earlier row of the file has is reported (each record
    appears once in a file)."""
    if kind.key is None:
        return
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row.failed:
            continue
        key = kind.key(row.values)
        if key is None:
            continue
        if key in seen:
            report.problem(
                row.sheet,
                row.number,
                "",
                f"This row repeats row {seen[key]} ({kind.key_label}): give each one row only",
            )
            row.failed = True
        else:
            seen[key] = row.number


# --- applying -----------------------------------------------------------------------------------


def _error_column(kind: Kind, field_name: str) -> str:
    column = kind.column(kind.error_columns.get(field_name, field_name))
    return column.heading if column is not None else ""


def _apply(kind: Kind, rows: list[Row], ctx: Context, report: Report, progress: Callable[[int], None] | None) -> None:
    for step in kind.steps:
        for row in rows:
            if row.failed:
                continue
            try:
                with db.session.begin_nested():
                    outcome = step(row, ctx)
            except ServiceError as exc:
                row.failed = True
                _report_error(kind, row, exc, report)
                continue
            if outcome == CREATED or (outcome == UPDATED and row.outcome == UNCHANGED):
                row.outcome = outcome
            if progress is not None:
                progress(1)


def _report_error(kind: Kind, row: Row, exc: ServiceError, report: Report) -> None:
    errors = getattr(exc, "errors", None) or {}
    reasons = list(getattr(exc, "reasons", None) or [])
    for name, message in errors.items():
        report.problem(row.sheet, row.number, _error_column(kind, name), str(message))
    for reason in reasons or ([] if errors else [str(getattr(exc, "message", exc))]):
        report.problem(row.sheet, row.number, "", str(reason))


def run(
    kind: Kind,
    name: str,
    data: bytes,
    user: Any,
    *,
    mapping: dict[str, str],
    keep: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[Report, list[str]]:
    """Read and apply the file; keep the changes only when `keep` and nothing is wrong."""
    sheet = reading.read(name, data)
    report = Report(rows=len(sheet.rows))
    found = resolve_mapping(kind, sheet.headings, mapping)
    _heading_problems(kind, sheet, found, report)
    if report.problems:
        return report, sheet.headings
    rows = read_rows(kind, sheet, found, report)
    _duplicates(kind, rows, report)
    savepoint = db.session.begin_nested()
    # Every change is audited as the person importing, from a page, the API or the CLI.
    acting = audit.acting_as(user.email, user.id) if user is not None else contextlib.nullcontext()
    try:
        with acting:
            _apply(kind, rows, Context(user), report, progress)
    except BaseException:
        savepoint.rollback()
        raise
    if keep and not report.problems:
        savepoint.commit()
    else:
        savepoint.rollback()
    for row in rows:
        if not row.failed:
            setattr(report, row.outcome, getattr(report, row.outcome) + 1)
    report.problems.sort(key=lambda p: p["row"] or 0)
    return report, sheet.headings


# --- runs -----------------------------------------------------------------------------------------


def _record(run_row: ImportRun, report: Report) -> None:
    run_row.rows = report.rows
    run_row.created, run_row.updated, run_row.unchanged = report.created, report.updated, report.unchanged
    run_row.problems = report.problems
    run_row.status = "problems" if report.problems else "checked"


def check(kind: Kind, name: str, data: bytes, user: Any, *, progress: Callable[[int], None] | None = None) -> ImportRun:
    """The dry run: nothing but the run (and the file, kept) is written."""
    mapping = saved_mapping(kind)
    report, headings = run(kind, name, data, user, mapping=mapping, keep=False, progress=progress)
    extension = reading.file_type(name, data)
    stored = storage.store_bytes(
        data,
        extension=extension,
        content_type=reading.CONTENT_TYPES[extension],
        purpose="import",
        name=name,
        by_id=getattr(user, "id", None),
    )
    run_row = ImportRun(
        kind=kind.name,
        stored_file_id=stored.id,
        sha256=stored.sha256,
        mapping=mapping,
        headings=headings,
        checked_by_id=getattr(user, "id", None),
        checked_at=now(),
    )
    _record(run_row, report)
    db.session.add(run_row)
    db.session.flush()
    return run_row


def recheck(run_row: ImportRun, mapping: dict[str, str], user: Any) -> ImportRun:
    """Check the run's file again with another column mapping (saved for the kind)."""
    if run_row.status == "committed":
        raise Conflict("This import has already been committed")
    kind = get_kind(run_row.kind)
    save_mapping(kind, mapping, user)
    data = storage.read_stored(run_row.stored_file)
    report, _ = run(kind, run_row.stored_file.original_name, data, user, mapping=saved_mapping(kind), keep=False)
    run_row.mapping = saved_mapping(kind)
    run_row.checked_at = now()
    _record(run_row, report)
    db.session.flush()
    return run_row


def commit(
    run_row: ImportRun, sha256: str | None, user: Any, *, progress: Callable[[int], None] | None = None
) -> ImportRun:
    """Apply exactly the checked file, all or nothing."""
    if run_row.status == "committed":
        raise Conflict("This import has already been committed")
    if run_row.status != "checked":
        raise Conflict("Only a dry run with no problems can be imported: correct the file and check it again")
    data = storage.read_stored(run_row.stored_file)
    if sha256 != run_row.sha256 or hashlib.sha256(data).hexdigest() != run_row.sha256:
        raise Conflict("The file confirmed is not the file that was checked: check the file again")
    kind = get_kind(run_row.kind)
    report, _ = run(
        kind, run_row.stored_file.original_name, data, user, mapping=run_row.mapping, keep=True, progress=progress
    )
    _record(run_row, report)
    if report.problems:
        # The records changed since the dry run: nothing was applied.
        run_row.status = "problems"
        db.session.flush()
        return run_row
    run_row.status = "committed"
    run_row.committed_by_id = getattr(user, "id", None)
    run_row.committed_at = now()
    db.session.flush()
    return run_row


def get_run(run_id: int) -> ImportRun:
    run_row = db.session.get(ImportRun, run_id)
    if run_row is None:
        raise NotFound("Import not found")
    return run_row


def list_runs(limit: int = 50) -> list[ImportRun]:
    return list(db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))
