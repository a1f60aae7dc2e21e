"""The monitoring report and the contributions as tables, CSV and XLSX (openpyxl).

Money stays exact: CSV cells are pounds written from integer pence ("38974.00"); XLSX
cells hold `Decimal` values with a currency number format, so a spreadsheet adds them up
to the penny.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from safeguarding.formatting import pounds
from safeguarding.models import INVOICE_STATUS_LABELS, ContributionAgreement, Invoice
from safeguarding.services import budget as svc

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: str
    money: bool = False


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[str | int | None]]  # money columns hold pence (int)
    total: list[str | int | None] | None = None

    @property
    def all_rows(self) -> list[list[str | int | None]]:
        return [*self.rows, *([self.total] if self.total else [])]


def monitoring_table(m: svc.Monitoring) -> Table:
    cols = [
        Column("Line"),
        Column("Category"),
        Column("Approved budget", True),
        Column("Budget", True),
        Column("Committed", True),
        Column("Actual", True),
        Column("Forecast outturn", True),
        Column("Variance", True),
        Column("Forecast over budget"),
    ]
    rows = [
        [
            r.line.name,
            r.line.category.label,
            r.original_pence,
            r.budget_pence,
            r.committed_pence,
            r.actual_pence,
            r.forecast_pence,
            r.variance_pence,
            "Yes" if r.over_budget else "No",
        ]
        for r in m.rows
    ]
    approved = sum(r.original_pence or 0 for r in m.rows) if any(r.original_pence is not None for r in m.rows) else None
    total = [
        "Total",
        "",
        approved,
        m.budget_pence,
        m.committed_pence,
        m.actual_pence,
        m.forecast_pence,
        m.variance_pence,
        "Yes" if m.over_budget else "No",
    ]
    return Table(f"Budget monitoring {svc.title(m.budget)}", cols, rows, total)


def contributions_table(
    budget_title: str, agreements: Sequence[ContributionAgreement], balances: dict[int, svc.Balance]
) -> Table:
    cols = [
        Column("Partner"),
        Column("Basis"),
        Column("How it is worked out"),
        Column("Agreed", True),
        Column("Left-over pence included", False),
        Column("Invoiced", True),
        Column("Paid", True),
        Column("Outstanding", True),
        Column("Overdue", True),
    ]
    rows = []
    for a in agreements:
        b = balances[a.id]
        rows.append(
            [
                a.organisation.name,
                a.kind.label,
                a.calculation or "",
                a.amount_pence,
                str(a.remainder_pence),
                b.invoiced_pence,
                b.paid_pence,
                b.outstanding_pence,
                b.overdue_pence,
            ]
        )
    total = [
        "Total",
        "",
        "",
        sum(a.amount_pence for a in agreements),
        str(sum(a.remainder_pence for a in agreements)),
        sum(balances[a.id].invoiced_pence for a in agreements),
        sum(balances[a.id].paid_pence for a in agreements),
        sum(balances[a.id].outstanding_pence for a in agreements),
        sum(balances[a.id].overdue_pence for a in agreements),
    ]
    return Table(f"Partner contributions {budget_title}", cols, rows, total)


def combined_table(c: svc.Combined) -> Table:
    """Every arm's budget of a year, their total, then each arm with its share of the
    joint budget (the joint budget split by the shares recorded on it)."""
    cols = [
        Column("Budget"),
        Column("State"),
        Column("Budget", True),
        Column("Committed", True),
        Column("Actual", True),
        Column("Forecast outturn", True),
        Column("Variance", True),
        Column("Note"),
    ]

    def row(r: svc.CombinedRow, state: str = "") -> list[str | int | None]:
        return [
            r.label,
            state,
            r.budget_pence,
            r.committed_pence,
            r.actual_pence,
            r.forecast_pence,
            r.variance_pence,
            r.note,
        ]

    rows = [row(r, r.budget.state.label if r.budget is not None else "") for r in c.rows]
    rows += [row(r) for r in c.with_joint]
    return Table(
        f"Budget monitoring, all arms {c.title.removeprefix('All budgets ')}",
        cols,
        rows,
        row(c.total) if c.total else None,
    )


def invoices_table(title: str, invoices: Sequence[Invoice], on: date) -> Table:
    """A budget's invoices with the host council's finance reference."""
    cols = [
        Column("Invoice"),
        Column("Partner"),
        Column("Issued"),
        Column("Due"),
        Column("Amount", True),
        Column("Paid", True),
        Column("Outstanding", True),
        Column("Status"),
        Column("Purchase order"),
        Column("Ledger invoice number"),
    ]
    rows: list[list[str | int | None]] = [
        [
            inv.number,
            inv.organisation.name,
            inv.issued_on.isoformat(),
            inv.due_on.isoformat(),
            inv.amount_pence,
            inv.paid_pence,
            inv.outstanding_pence,
            INVOICE_STATUS_LABELS[inv.status(on)],
            inv.purchase_order or "",
            inv.ledger_invoice_number or "",
        ]
        for inv in invoices
    ]
    live = [inv for inv in invoices if not inv.cancelled_on]
    total: list[str | int | None] = [
        "Total",
        "",
        "",
        "",
        sum(i.amount_pence for i in live),
        sum(i.paid_pence for i in live),
        sum(i.outstanding_pence for i in live),
        "",
        "",
        "",
    ]
    return Table(f"Invoices {title}", cols, rows, total)


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.heading for c in table.columns])
    for row in table.all_rows:
        writer.writerow(
            [
                pounds(v) if c.money and isinstance(v, int) else ("" if v is None else v)
                for c, v in zip(table.columns, row, strict=True)
            ]
        )
    # A byte-order mark so spreadsheet programs read "£" and "–" correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def decimal_pounds(pence: int) -> Decimal:
    """Exact pounds for a spreadsheet cell: 3897400 → Decimal("38974.00")."""
    return Decimal(pence).scaleb(-2)


def to_xlsx(table: Table, *, generated_on: date | None = None) -> bytes:
    buffer = io.BytesIO()
    workbook(table, generated_on=generated_on).save(buffer)
    return buffer.getvalue()


def workbook(table: Table, *, generated_on: date | None = None):
    """The table as an openpyxl workbook: money cells are `Decimal` pounds."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\\/?*\[\]:]", "-", table.title)[:31]  # characters Excel refuses in sheet names
    ws.append([table.title])
    ws["A1"].font = Font(bold=True, size=14)
    if generated_on:
        ws.append([f"Produced on {generated_on.day} {generated_on:%B %Y}"])
    ws.append([])
    ws.append([c.heading for c in table.columns])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for i, row in enumerate(table.all_rows):
        ws.append(
            [
                decimal_pounds(v) if c.money and isinstance(v, int) else v
                for c, v in zip(table.columns, row, strict=True)
            ]
        )
        for c, cell in zip(table.columns, ws[ws.max_row], strict=True):
            if c.money:
                cell.number_format = MONEY_FORMAT
            if table.total and i == len(table.all_rows) - 1:
                cell.font = Font(bold=True)
    for idx, c in enumerate(table.columns, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=idx).column_letter].width = 16 if c.money else 36
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return wb
