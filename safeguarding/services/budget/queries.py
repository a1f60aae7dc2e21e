"""Reading the budget: who may see what (record-level rules), and the budgets, lines,
income, variations, agreements, invoices, payments and spend each user may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import (
    financial_year_label,
    financial_year_title,
    parse_financial_year,
    today,
)
from safeguarding.extensions import db
from safeguarding.models import (
    ARM_SLUGS,
    Arm,
    Budget,
    BudgetIncome,
    BudgetLine,
    BudgetState,
    BudgetVariation,
    Commitment,
    ContributionAgreement,
    Invoice,
    Organisation,
    Payment,
    Role,
    SpendEntry,
    SpendKind,
)
from safeguarding.models.enums import STATUTORY_KINDS
from safeguarding.services.errors import NotFound

# --- who may see what ------------------------------------------------------------------


SEE_ALL = (Role.business_office, Role.independent_chair)
PARTNER_STATES = (BudgetState.proposed, BudgetState.approved, BudgetState.closed)
VIEWER_STATES = (BudgetState.approved, BudgetState.closed)


def sees_all(user: Any) -> bool:
    return bool(user is not None and user.has_role(*SEE_ALL))


def manages(user: Any) -> bool:
    return bool(user is not None and user.has_role(Role.business_office))


def partner_organisation_id(user: Any) -> int | None:
    """The organisation whose finances a partner member may see (None for others)."""
    if user is not None and user.has_role(Role.partner_member) and user.organisation_id:
        return user.organisation_id
    return None


def budget_visibility(user: Any) -> sa.ColumnElement[bool]:
    if sees_all(user):
        return sa.true()
    if user is not None and user.has_role(Role.partner_member):
        return Budget.state.in_(PARTNER_STATES)
    if user is not None and user.has_role(Role.viewer):
        return Budget.state.in_(VIEWER_STATES)
    return sa.false()


def may_see_finances(user: Any, organisation_id: int) -> bool:
    """Agreements, invoices, payments and balances of one organisation."""
    return sees_all(user) or partner_organisation_id(user) == organisation_id


def finance_visibility(user: Any, organisation_column: Any) -> sa.ColumnElement[bool]:
    if sees_all(user):
        return sa.true()
    org_id = partner_organisation_id(user)
    if org_id is None:
        return sa.false()
    return sa.and_(organisation_column == org_id, Budget.state.in_(PARTNER_STATES))


ARM_ORDER = sa.case({Arm.adults.value: 0, Arm.children.value: 1}, value=Budget.arm, else_=2)
ARM_BY_SLUG = {**{slug: arm for arm, slug in ARM_SLUGS.items()}, "both": Arm.both}


def parse_arm(raw: Any, *, default: Arm | None = Arm.adults) -> Arm | None:
    """ "adults", "children", "joint" (or "both") → the Arm; None/"" → `default`;
    ValueError otherwise."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, Arm):
        return raw
    arm = ARM_BY_SLUG.get(str(raw).strip().lower())
    if arm is None:
        raise ValueError("Choose the arm: adults, children or joint")
    return arm


def parse_budget_ref(text: str) -> tuple[int, Arm]:
    """A budget's label → (start year, arm): "2020-21" (the adults'), "2026-27-children",
    "2026-27-joint" ("/" for "-" in the year too). ValueError otherwise."""
    raw = (text or "").strip()
    arm = Arm.adults
    for slug, candidate in ARM_BY_SLUG.items():
        if raw.lower().endswith("-" + slug):
            raw, arm = raw[: -len(slug) - 1], candidate
            break
    return parse_financial_year(raw), arm


def list_budgets(user: Any, *, arm: Arm | None = None, financial_year: int | None = None) -> list[Budget]:
    """Newest year first; within a year adults, children, joint."""
    stmt = sa.select(Budget).where(budget_visibility(user))
    if arm is not None:
        stmt = stmt.where(Budget.arm == arm)
    if financial_year is not None:
        stmt = stmt.where(Budget.financial_year == financial_year)
    return list(db.session.scalars(stmt.order_by(Budget.financial_year.desc(), ARM_ORDER)))


def get_budget(ref: int | str, user: Any) -> Budget:
    """By id, or by label ("2020-21" or "2020/21": the adults'; "2026-27-children",
    "2026-27-joint")."""
    budget_id = validation.parse_id(ref) if isinstance(ref, str) else ref
    if budget_id is None:
        try:
            year, arm = parse_budget_ref(str(ref))
        except ValueError:
            raise NotFound("Budget not found") from None
        clause = sa.and_(Budget.financial_year == year, Budget.arm == arm)
    else:
        clause = Budget.id == budget_id
    budget = db.session.scalar(sa.select(Budget).where(clause, budget_visibility(user)))
    if budget is None:
        raise NotFound("Budget not found")
    return budget


def budget_for_year(financial_year: int, arm: Arm | str = Arm.adults) -> Budget | None:
    """The arm's budget for a year (the adults' unless `arm` says otherwise)."""
    return db.session.scalar(sa.select(Budget).where(Budget.financial_year == financial_year, Budget.arm == Arm(arm)))


def budgets_for_year(financial_year: int) -> list[Budget]:
    """Every arm's budget for a year: adults, children, joint."""
    return list(
        db.session.scalars(sa.select(Budget).where(Budget.financial_year == financial_year).order_by(ARM_ORDER))
    )


def label(budget: Budget) -> str:
    """The budget's label in URLs and the API: "2020-21" for the adults' (as always),
    "2026-27-children", "2026-27-joint"."""
    year = financial_year_label(budget.financial_year)
    return year if budget.arm == Arm.adults else f"{year}-{budget.arm_slug}"


def title(budget: Budget) -> str:
    """ "2020/21" for the adults' budget (as always), "2026/27 (children)", "2026/27 (joint)"."""
    year = financial_year_title(budget.financial_year)
    return year if budget.arm == Arm.adults else f"{year} ({budget.arm_slug})"


def full_title(budget: Budget) -> str:
    """ "Adults' budget 2020/21", "Children's budget 2026/27", "Joint budget 2026/27"."""
    name = {Arm.adults: "Adults' budget", Arm.children: "Children's budget"}.get(Arm(budget.arm), "Joint budget")
    return f"{name} {financial_year_title(budget.financial_year)}"


# --- lines, income and variations ------------------------------------------------------


def lines_of(budget: Budget) -> list[BudgetLine]:
    return list(
        db.session.scalars(
            sa.select(BudgetLine).where(BudgetLine.budget_id == budget.id).order_by(BudgetLine.position, BudgetLine.id)
        )
    )


def income_of(budget: Budget) -> list[BudgetIncome]:
    return list(
        db.session.scalars(
            sa.select(BudgetIncome)
            .where(BudgetIncome.budget_id == budget.id)
            .order_by(BudgetIncome.kind, BudgetIncome.id)
        )
    )


def get_line(budget: Budget, line_id: int) -> BudgetLine:
    line = db.session.get(BudgetLine, line_id)
    if line is None or line.budget_id != budget.id:
        raise NotFound("Budget line not found")
    return line


def get_income(budget: Budget, income_id: int) -> BudgetIncome:
    row = db.session.get(BudgetIncome, income_id)
    if row is None or row.budget_id != budget.id:
        raise NotFound("Income not found")
    return row


def variations_of(budget: Budget) -> list[BudgetVariation]:
    return list(
        db.session.scalars(
            sa.select(BudgetVariation)
            .where(BudgetVariation.budget_id == budget.id)
            .order_by(BudgetVariation.recorded_at, BudgetVariation.id)
        )
    )


# --- contribution agreements -----------------------------------------------------------


def agreements_of(budget: Budget, *, organisation_id: int | None = None) -> list[ContributionAgreement]:
    stmt = (
        sa.select(ContributionAgreement)
        .join(ContributionAgreement.organisation)
        .where(ContributionAgreement.budget_id == budget.id)
        .order_by(Organisation.name)
    )
    if organisation_id is not None:
        stmt = stmt.where(ContributionAgreement.organisation_id == organisation_id)
    return list(db.session.scalars(stmt))


def get_agreement(agreement_id: int, user: Any) -> ContributionAgreement:
    a = db.session.get(ContributionAgreement, agreement_id)
    if (
        a is None
        or not may_see_finances(user, a.organisation_id)
        or (not sees_all(user) and a.budget.state not in PARTNER_STATES)
    ):
        raise NotFound("Contribution agreement not found")
    return a


def list_agreements(
    user: Any,
    *,
    financial_year: int | None = None,
    organisation_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
    arm: Arm | None = None,
) -> tuple[list[ContributionAgreement], int]:
    stmt = (
        sa.select(ContributionAgreement)
        .join(Budget, Budget.id == ContributionAgreement.budget_id)
        .join(Organisation, Organisation.id == ContributionAgreement.organisation_id)
        .where(finance_visibility(user, ContributionAgreement.organisation_id))
    )
    if financial_year is not None:
        stmt = stmt.where(Budget.financial_year == financial_year)
    if arm is not None:
        stmt = stmt.where(Budget.arm == arm)
    if organisation_id is not None:
        stmt = stmt.where(ContributionAgreement.organisation_id == organisation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Budget.financial_year.desc(), ARM_ORDER, Organisation.name)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def is_statutory_agency(org: Organisation) -> bool:
    return org.kind in STATUTORY_KINDS and (org.statutory_adults or org.statutory_children)


# --- invoices and payments -------------------------------------------------------------


def invoiced_by_agreement(agreement_ids: Sequence[int]) -> dict[int, int]:
    if not agreement_ids:
        return {}
    rows = db.session.execute(
        sa.select(Invoice.agreement_id, sa.func.sum(Invoice.amount_pence))
        .where(Invoice.agreement_id.in_(agreement_ids), Invoice.cancelled_on.is_(None))
        .group_by(Invoice.agreement_id)
    )
    return {aid: int(total or 0) for aid, total in rows}


def get_invoice(invoice_id: int, user: Any) -> Invoice:
    inv = db.session.get(Invoice, invoice_id)
    if inv is None or not may_see_finances(user, inv.organisation_id):
        raise NotFound("Invoice not found")
    return inv


@dataclass
class InvoiceFilters:
    financial_year: int | None = None
    arm: Arm | None = None  # None: every arm
    organisation_id: int | None = None
    status: str | None = None  # outstanding, overdue, paid, cancelled
    page: int = 1
    per_page: int = 50


INVOICE_FILTERS = ("outstanding", "overdue", "paid", "cancelled")


def _invoice_query(user: Any, f: InvoiceFilters, on: date) -> sa.Select:
    stmt = (
        sa.select(Invoice)
        .join(Budget, Budget.id == Invoice.budget_id)
        .where(finance_visibility(user, Invoice.organisation_id))
    )
    if f.financial_year is not None:
        stmt = stmt.where(Budget.financial_year == f.financial_year)
    if f.arm is not None:
        stmt = stmt.where(Budget.arm == f.arm)
    if f.organisation_id is not None:
        stmt = stmt.where(Invoice.organisation_id == f.organisation_id)
    live = Invoice.cancelled_on.is_(None)
    if f.status == "outstanding":
        stmt = stmt.where(live, Invoice.paid_pence < Invoice.amount_pence)
    elif f.status == "overdue":
        stmt = stmt.where(live, Invoice.paid_pence < Invoice.amount_pence, Invoice.due_on < on)
    elif f.status == "paid":
        stmt = stmt.where(live, Invoice.paid_pence >= Invoice.amount_pence)
    elif f.status == "cancelled":
        stmt = stmt.where(Invoice.cancelled_on.is_not(None))
    return stmt


def list_invoices(user: Any, f: InvoiceFilters, on: date | None = None) -> tuple[list[Invoice], int]:
    stmt = _invoice_query(user, f, on or today())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Invoice.issued_on.desc(), Invoice.id.desc()).limit(f.per_page).offset((f.page - 1) * f.per_page)
    )
    return list(rows), total


def invoices_of(budget: Budget, user: Any) -> list[Invoice]:
    """A budget's invoices the user may see (partners: their own organisation's), in number order."""
    return list(
        db.session.scalars(
            sa.select(Invoice)
            .join(Budget, Budget.id == Invoice.budget_id)
            .where(Invoice.budget_id == budget.id, finance_visibility(user, Invoice.organisation_id))
            .order_by(Invoice.number)
        )
    )


def overdue_invoices(on: date) -> list[Invoice]:
    return list(
        db.session.scalars(
            sa.select(Invoice)
            .where(Invoice.cancelled_on.is_(None), Invoice.paid_pence < Invoice.amount_pence, Invoice.due_on < on)
            .order_by(Invoice.due_on, Invoice.id)
        )
    )


def payments_of(invoice: Invoice) -> list[Payment]:
    return list(
        db.session.scalars(
            sa.select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.received_on, Payment.id)
        )
    )


def get_payment(payment_id: int, user: Any) -> Payment:
    p = db.session.get(Payment, payment_id)
    if p is None or not may_see_finances(user, p.organisation_id):
        raise NotFound("Payment not found")
    return p


@dataclass
class PaymentFilters:
    financial_year: int | None = None
    arm: Arm | None = None  # None: every arm
    organisation_id: int | None = None
    invoice_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_payments(user: Any, f: PaymentFilters) -> tuple[list[Payment], int]:
    stmt = (
        sa.select(Payment)
        .join(Budget, Budget.id == Payment.budget_id)
        .where(finance_visibility(user, Payment.organisation_id))
    )
    if f.financial_year is not None:
        stmt = stmt.where(Budget.financial_year == f.financial_year)
    if f.arm is not None:
        stmt = stmt.where(Budget.arm == f.arm)
    if f.organisation_id is not None:
        stmt = stmt.where(Payment.organisation_id == f.organisation_id)
    if f.invoice_id is not None:
        stmt = stmt.where(Payment.invoice_id == f.invoice_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Payment.received_on.desc(), Payment.id.desc()).limit(f.per_page).offset((f.page - 1) * f.per_page)
    )
    return list(rows), total


# --- spend: commitments and actuals ----------------------------------------------------


def commitments_for_source(source_type: str, source_id: int) -> list[Commitment]:
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.source_type == source_type, Commitment.source_id == source_id)
            .order_by(Commitment.id)
        )
    )


def get_spend(entry_id: int, user: Any) -> SpendEntry:
    entry = db.session.get(SpendEntry, entry_id)
    if entry is None or not sees_all(user):
        raise NotFound("Spend not found")
    return entry


@dataclass
class SpendFilters:
    financial_year: int | None = None
    arm: Arm | None = None  # None: every arm
    line_id: int | None = None
    kind: str | None = None
    source_type: str | None = None
    source_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_spend(user: Any, f: SpendFilters) -> tuple[list[SpendEntry], int]:
    if not sees_all(user):
        return [], 0
    stmt = sa.select(SpendEntry).join(Budget, Budget.id == SpendEntry.budget_id)
    if f.financial_year is not None:
        stmt = stmt.where(Budget.financial_year == f.financial_year)
    if f.arm is not None:
        stmt = stmt.where(Budget.arm == f.arm)
    if f.line_id is not None:
        stmt = stmt.where(SpendEntry.line_id == f.line_id)
    if f.kind:
        stmt = stmt.where(SpendEntry.kind == SpendKind(f.kind))
    if f.source_type:
        stmt = stmt.where(SpendEntry.source_type == f.source_type)
    if f.source_id is not None:
        stmt = stmt.where(SpendEntry.source_id == f.source_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(SpendEntry.dated_on.desc(), SpendEntry.id.desc())
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    return list(rows), total


def open_commitments(budget: Budget) -> list[Commitment]:
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.budget_id == budget.id, Commitment.ended_on.is_(None))
            .order_by(Commitment.dated_on, Commitment.id)
        )
    )
