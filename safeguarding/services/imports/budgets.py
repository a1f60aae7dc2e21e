"""Budgets from the office's budget spreadsheet (issues 21 and 22): one sheet, one row per
expenditure line, other income, partner contribution, the Board's approval or payment
received, each for an arm's budget for a financial year (the "Type" column says which;
only the first sheet of a workbook is read, so one sheet holds them all).

Natural keys: a line or income by (arm, year, name); a contribution by (arm, year,
organisation); the approval by (arm, year); a payment by (contribution, date received,
amount). A budget not yet recorded is started in draft (`budget.start_year`); rows are
applied through the budget service the pages use, in the order the office would work:
lines and income, then contributions (the amount the statutory agencies share equally is
the total of the sheet's equal shares, and each contribution the scheme works out must
equal the sheet's to the penny), then the Board's approval through the budget's lifecycle
(proposed and approved on the meeting's date), then payments (against the contribution's
invoice; an invoice raised before this service is recorded here, not emailed again).

A budget that is proposed, approved or closed changes only through its page (an in-year
variation needs its reason and who agreed it): a row that would change one is reported,
not forced; a row that agrees with it changes nothing."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import financial_year_title, parse_financial_year
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    AgreementKind,
    Arm,
    Budget,
    BudgetIncome,
    BudgetLine,
    BudgetState,
    ContributionAgreement,
    IncomeKind,
    Invoice,
    LineCategory,
    Payment,
)
from safeguarding.services import budget as svc
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.imports import values
from safeguarding.services.imports.directory import DATE, _find_organisation
from safeguarding.services.imports.engine import CREATED, UNCHANGED, UPDATED, Column, Context, Kind, Row, register
from safeguarding.workflows.budget import budget_lifecycle


class RowType(StrEnum):
    line = "line"
    income = "income"
    contribution = "contribution"
    approval = "approval"
    payment = "payment"


ARMS = {"adults": Arm.adults, "children": Arm.children, "joint": Arm.both, "both": Arm.both}
BASES = (AgreementKind.fixed, AgreementKind.equal_share, AgreementKind.percentage, AgreementKind.scheme_fixed)


def financial_year(value: Any) -> int | None:
    """2025-26, 2025/26, 2025/2026 or 2025 → 2025."""
    if values.blank(value):
        return None
    raw = str(int(value)) if isinstance(value, int | float) and not isinstance(value, bool) else str(value).strip()
    if raw.isdigit() and len(raw) == 4:
        raw = f"{raw}-{(int(raw) + 1) % 100:02d}"
    first, sep, second = raw.replace("/", "-").partition("-")
    if sep and len(second) == 4 and second.isdigit():
        raw = f"{first}-{second[2:]}"
    try:
        return parse_financial_year(raw)
    except ValueError:
        raise values.CellProblem("must be a financial year, like 2025-26") from None


def arm(value: Any) -> Arm | None:
    if values.blank(value):
        return None
    found = ARMS.get(str(value).strip().lower())
    if found is None:
        raise values.CellProblem("must be adults, children or joint")
    return found


def percentage(value: Any) -> int | None:
    """12.5, 12.5% or a percentage cell (0.125) → 1250 hundredths of a percent."""
    if values.blank(value):
        return None
    if isinstance(value, float) and value < 1:  # a cell formatted as a percentage
        value = f"{value * 100:.6f}".rstrip("0").rstrip(".")
    try:
        return svc.parse_percentage(str(value))
    except ValueError as exc:
        message = str(exc)
        if message.startswith("The percentage "):
            raise values.CellProblem(message.removeprefix("The percentage ")) from None
        raise values.CellProblem("must be a percentage, like 12.5%") from None


COLUMNS = (
    Column(
        "financial_year",
        "Financial year",
        "The budget's financial year (1 April to 31 March)",
        "2025-26",
        financial_year,
        required=True,
        allowed="A financial year: 2025-26, 2025/26 or 2025",
    ),
    Column("arm", "Arm", "Whose budget: blank is the adults'", "adults", arm, allowed="adults, children, joint"),
    Column(
        "type",
        "Type",
        "line (expenditure), income (other income or reserves applied), contribution (a partner's), "
        "approval (the Board's decision on the budget) or payment (money received from a partner)",
        "line",
        values.choice(RowType),
        required=True,
        allowed=values.allowed_values(RowType),
    ),
    Column(
        "name",
        "Name",
        "The line's or the income's name (line and income rows); matches an existing one",
        "Independent Chair",
    ),
    Column(
        "category",
        "Category",
        "A line's category (blank is other), or an income's kind (blank is other_income)",
        "independent_chair",
        allowed=f"Lines: {values.allowed_values(LineCategory)}. Income: {values.allowed_values(IncomeKind)}",
    ),
    Column(
        "organisation",
        "Organisation",
        "The partner, by name (already recorded), for contribution and payment rows",
        "",
    ),
    Column(
        "basis",
        "Basis",
        "How a contribution is worked out: fixed (a set sum), equal_share (an equal share among the statutory "
        "agencies of the amount they share: the total of the sheet's equal shares), percentage (of the "
        "budget's expenditure) or scheme_fixed (a set sum out of the amount shared)",
        "",
        values.choice(AgreementKind),
        allowed=", ".join(b.value for b in BASES),
    ),
    Column(
        "percentage",
        "Percentage",
        "A percentage contribution's percentage of the expenditure",
        "",
        percentage,
        allowed="A percentage, like 12.5%",
    ),
    Column(
        "amount",
        "Amount",
        "A line's or income's amount; a contribution's amount (checked to the penny against what the budget "
        "works out); a payment's amount",
        "£20,000.00",
        values.money,
        allowed="An amount of money, like £38,974.00 or 38974",
    ),
    Column(
        "date",
        "Date",
        "A payment's date received; the approval's Board meeting date",
        "",
        values.a_date,
        allowed=DATE,
    ),
    Column(
        "invoiced_on",
        "Invoiced on",
        "A payment with no invoice recorded yet: the date the partner was invoiced (blank: the payment's date); "
        "the invoice is recorded for the rest of the contribution and not emailed again",
        "",
        values.a_date,
        allowed=DATE,
    ),
    Column(
        "reference",
        "Reference",
        "A payment's reference (like a BACS reference); the approval's minute reference",
        "",
    ),
)


def _key(v: dict[str, Any]) -> tuple[Any, ...] | None:
    kind = v.get("type")
    head = (v.get("financial_year"), v.get("arm") or Arm.adults, kind)
    if kind in (RowType.line, RowType.income) and v.get("name"):
        return (*head, validation.name_key(v["name"]))
    if kind == RowType.contribution and v.get("organisation"):
        return (*head, validation.name_key(v["organisation"]))
    if kind == RowType.approval:
        return head
    if kind == RowType.payment and v.get("organisation"):
        return (*head, validation.name_key(v["organisation"]), v.get("date"), v.get("amount"))
    return None


# --- the budget a row is about -------------------------------------------------------------------


def _where(v: dict[str, Any]) -> tuple[int, Arm]:
    return v["financial_year"], v.get("arm") or Arm.adults


def _describe(year: int, the_arm: Arm) -> str:
    whose = {Arm.adults: "adults'", Arm.children: "children's", Arm.both: "joint"}[the_arm]
    return f"the {whose} budget for {financial_year_title(year)}"


def _budget(ctx: Context, v: dict[str, Any], *, start: bool) -> Budget:
    year, the_arm = _where(v)
    found = svc.budget_for_year(year, the_arm)
    if found is not None:
        return found
    if not start:
        raise ValidationFailed(
            errors={"financial_year": f"There is no {_describe(year, the_arm)[4:]}: add its lines first"}
        )
    if the_arm == Arm.both:
        raise ValidationFailed(
            errors={"arm": "A joint budget needs each arm's share: start it on the budget page, then import its rows"}
        )
    return svc.start_year(financial_year=year, arm=the_arm, user=ctx.user)


def _changeable(budget: Budget, column: str) -> None:
    """A budget past draft changes on its page only (an in-year variation has its reason
    and who agreed it): a row that would change it is reported, not forced."""
    if budget.state == BudgetState.draft:
        return
    state = {
        BudgetState.proposed: "is with the Board: return it to draft on its page to change it",
        BudgetState.approved: "has been approved: change it on its page, as an in-year variation with its "
        "reason and who agreed it",
        BudgetState.closed: "is closed: it cannot change",
    }[budget.state]
    raise ValidationFailed(errors={column: f"The {svc.title(budget)} budget {state}"})


# --- checking each row ----------------------------------------------------------------------------

NEEDS = {
    RowType.line: ("name", "amount"),
    RowType.income: ("name", "amount"),
    RowType.contribution: ("organisation", "basis"),
    RowType.approval: ("date",),
    RowType.payment: ("organisation", "amount", "date"),
}
MESSAGES = {
    "name": "Enter the name",
    "amount": "Enter the amount",
    "organisation": "Enter the organisation",
    "basis": "Enter how the contribution is worked out",
    "date": "Enter the date",
}


def _category(v: dict[str, Any]) -> LineCategory | IncomeKind | None:
    enum: type[StrEnum] = LineCategory if v["type"] == RowType.line else IncomeKind
    try:
        return values.choice(enum)(v.get("category"))  # type: ignore[no-any-return]
    except values.CellProblem as exc:
        raise ValidationFailed(errors={"category": f"Category {exc}"}) from None


def _check_step(row: Row, ctx: Context) -> str:
    """Every row's own rules, before anything is applied; and the amount each budget's
    statutory agencies share (the total of its equal shares and fixed sums within them)."""
    v = row.values
    kind: RowType = v["type"]
    errors = {name: MESSAGES[name] for name in NEEDS[kind] if v.get(name) is None}
    if kind in (RowType.line, RowType.income):
        _category(v)
    if kind == RowType.contribution and v.get("basis") is not None:
        basis = v["basis"]
        if basis not in BASES:
            errors["basis"] = f"Basis must be one of: {', '.join(b.value for b in BASES)}"
        elif basis == AgreementKind.percentage and v.get("percentage") is None:
            errors["percentage"] = "Enter the percentage of the budget's expenditure"
        elif basis != AgreementKind.percentage and v.get("amount") is None:
            errors["amount"] = "Enter the amount of the contribution"
    if kind in (RowType.contribution, RowType.payment) and v.get("organisation"):
        try:
            _find_organisation(ctx, v["organisation"], "organisation")
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    if kind == RowType.contribution and v["basis"] in (AgreementKind.equal_share, AgreementKind.scheme_fixed):
        targets = ctx.cache.setdefault("targets", {})
        targets[_where(v)] = targets.get(_where(v), 0) + v["amount"]
    return UNCHANGED


# --- lines and income -----------------------------------------------------------------------------


def _line_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v["type"] not in (RowType.line, RowType.income):
        return UNCHANGED
    budget = _budget(ctx, v, start=True)
    model: Any = BudgetLine if v["type"] == RowType.line else BudgetIncome
    key = validation.name_key(v["name"])
    rows = db.session.scalars(sa.select(model).where(model.budget_id == budget.id))
    existing: Any = next((r for r in rows if validation.name_key(r.name) == key), None)
    category = _category(v)
    if existing is None:
        _changeable(budget, "name")
        if v["type"] == RowType.line:
            svc.add_line(
                budget, name=v["name"], category=category or LineCategory.other, amount_pence=v["amount"], user=ctx.user
            )
        else:
            svc.add_income(
                budget,
                name=v["name"],
                kind=category or IncomeKind.other_income,
                amount_pence=v["amount"],
                user=ctx.user,
            )
        return CREATED
    wanted = category or (existing.category if model is BudgetLine else existing.kind)
    current = existing.category if model is BudgetLine else existing.kind
    if existing.amount_pence == v["amount"] and current == wanted:
        return UNCHANGED
    _changeable(budget, "amount")
    if model is BudgetLine:
        svc.update_line(
            existing, version=None, name=existing.name, category=wanted, amount_pence=v["amount"], user=ctx.user
        )
    else:
        svc.update_income(
            existing, version=None, name=existing.name, kind=wanted, amount_pence=v["amount"], user=ctx.user
        )
    return UPDATED


# --- contributions --------------------------------------------------------------------------------


def _set_target(ctx: Context, budget: Budget, v: dict[str, Any]) -> bool:
    """The amount the budget's agencies share: the total of the sheet's equal shares (and
    fixed sums within them), set once per budget. True when it changed."""
    done = ctx.cache.setdefault("targets_set", set())
    where = _where(v)
    target = ctx.cache.get("targets", {}).get(where)
    if where in done or target is None or budget.equal_share_target_pence == target:
        done.add(where)
        return False
    done.add(where)
    if budget.state != BudgetState.draft:
        raise ValidationFailed(
            errors={
                "amount": f"The sheet's equal shares (and fixed sums within them) for the {svc.title(budget)} "
                f"budget total {money(target)}, but its partners share {money(budget.equal_share_target_pence)}: "
                "list every sharing partner's contribution, or change the amount on the budget's page as an "
                "in-year variation"
            }
        )
    svc.update_settings(budget, version=None, equal_share_target_pence=target, notes=budget.notes, user=ctx.user)
    return True


def _contribution_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v["type"] != RowType.contribution:
        return UNCHANGED
    budget = _budget(ctx, v, start=True)
    org = _find_organisation(ctx, v["organisation"], "organisation")
    assert org is not None  # the first step checked it
    basis: AgreementKind = v["basis"]
    fixed = v["amount"] if basis.is_fixed else None
    pct = v["percentage"] if basis == AgreementKind.percentage else None
    changed = _set_target(ctx, budget, v) if basis in (AgreementKind.equal_share, AgreementKind.scheme_fixed) else False
    existing = svc.agreements_of(budget, organisation_id=org.id)
    if not existing:
        _changeable(budget, "organisation")
        svc.add_agreement(
            budget, organisation_id=org.id, kind=basis, fixed_pence=fixed, percentage_bp=pct, user=ctx.user
        )
        return CREATED
    a = existing[0]
    if a.kind == basis and a.fixed_pence == fixed and a.percentage_bp == pct:
        return UPDATED if changed else UNCHANGED
    _changeable(budget, "basis")
    svc.update_agreement(
        a,
        version=None,
        kind=basis,
        fixed_pence=fixed,
        percentage_bp=pct,
        contact_name=a.contact_name,
        contact_email=a.contact_email,
        notes=a.notes,
        user=ctx.user,
    )
    return UPDATED


def _agreement(ctx: Context, v: dict[str, Any], budget: Budget) -> ContributionAgreement:
    org = _find_organisation(ctx, v["organisation"], "organisation")
    assert org is not None
    found = svc.agreements_of(budget, organisation_id=org.id)
    if not found:
        raise ValidationFailed(
            errors={
                "organisation": f"{org.name} has no contribution to the {svc.title(budget)} budget: "
                "add a contribution row for it"
            }
        )
    return found[0]


def _amount_step(row: Row, ctx: Context) -> str:
    """Once every contribution is in: each one the budget works out equals the sheet's."""
    v = row.values
    if v["type"] != RowType.contribution or v.get("amount") is None:
        return UNCHANGED
    a = _agreement(ctx, v, _budget(ctx, v, start=False))
    if a.amount_pence != v["amount"]:
        raise ValidationFailed(
            errors={
                "amount": f"{a.organisation.name}'s contribution works out at {money(a.amount_pence)}, not "
                f"{money(v['amount'])} ({a.calculation}): correct the amounts"
            }
        )
    return UNCHANGED


# --- the Board's approval ---------------------------------------------------------------------------


def _approval_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v["type"] != RowType.approval:
        return UNCHANGED
    budget = _budget(ctx, v, start=False)
    on: date = v["date"]
    if budget.state in (BudgetState.approved, BudgetState.closed):
        if budget.board_meeting_on != on:
            raise ValidationFailed(
                errors={
                    "date": f"The {svc.title(budget)} budget was approved at the Board meeting of "
                    f"{budget.board_meeting_on:%d/%m/%Y}"
                }
            )
        return UNCHANGED
    system = ctx.user is None
    if budget.state == BudgetState.draft:
        budget_lifecycle.fire(
            budget, "propose", user=ctx.user, version=budget.version, as_of=on, system=system, comment="Imported"
        )
    budget_lifecycle.fire(
        budget,
        "approve",
        user=ctx.user,
        version=budget.version,
        params={"board_meeting_on": on, "minute_reference": v.get("reference")},
        as_of=on,
        system=system,
    )
    return UPDATED


# --- payments ------------------------------------------------------------------------------------------


def _payment_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v["type"] != RowType.payment:
        return UNCHANGED
    budget = _budget(ctx, v, start=False)
    a = _agreement(ctx, v, budget)
    if db.session.scalar(
        sa.select(Payment.id)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .where(
            Invoice.agreement_id == a.id,
            Payment.received_on == v["date"],
            Payment.amount_pence == v["amount"],
            Payment.reversed_on.is_(None),
        )
        .limit(1)
    ):
        return UNCHANGED
    invoices = db.session.scalars(
        sa.select(Invoice)
        .where(Invoice.agreement_id == a.id, Invoice.cancelled_on.is_(None))
        .order_by(Invoice.issued_on, Invoice.id)
    )
    invoice = next((i for i in invoices if i.outstanding_pence >= v["amount"]), None)
    if invoice is None:
        # Invoiced before this service: recorded for the rest of the contribution, not emailed again.
        invoice = svc.raise_invoice(a, issued_on=v.get("invoiced_on") or v["date"], user=ctx.user, send=False)
    svc.record_payment(
        invoice, amount_pence=v["amount"], received_on=v["date"], reference=v.get("reference"), user=ctx.user
    )
    return CREATED


BUDGET = register(
    Kind(
        "budget",
        "Budget lines, contributions and payments",
        "An arm's budget for a financial year: its expenditure lines, other income, the partners' contributions, "
        "the Board's approval and the payments received (one row each, the Type column says which)",
        COLUMNS,
        (_check_step, _line_step, _contribution_step, _amount_step, _approval_step, _payment_step),
        error_columns={
            "organisation_id": "organisation",
            "kind": "basis",
            "fixed_amount": "amount",
            "scheme": "amount",
            "received_on": "date",
            "issued_on": "invoiced_on",
            "board_meeting_on": "date",
            "minute_reference": "reference",
            "equal_share_target": "amount",
        },
        key=_key,
        key_label="the same financial year, arm, type and name, organisation, or payment date and amount",
    )
)
