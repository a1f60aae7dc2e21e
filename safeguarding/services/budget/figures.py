"""The budget's figures: totals and the summary (expenditure, income, the funding gap
or surplus, each agency's equal share), each partner's balance, and a partner's account
year by year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    AgreementKind,
    Budget,
    BudgetIncome,
    BudgetLine,
    ContributionAgreement,
    IncomeKind,
    Invoice,
    Organisation,
    Payment,
)
from safeguarding.models.enums import STATUTORY_KINDS, OrganisationKind
from safeguarding.services.budget.queries import (
    agreements_of,
    finance_visibility,
    income_of,
    lines_of,
    may_see_finances,
)
from safeguarding.services.errors import NotFound

# --- totals and the summary ------------------------------------------------------------


AGENCY_NAMES = {
    OrganisationKind.local_authority: ("local authority", "local authorities"),
    OrganisationKind.police: ("police", "police"),
    OrganisationKind.icb: ("integrated care board", "integrated care boards"),
}


def _agency_phrase(kind: OrganisationKind, count: int) -> str:
    singular, plural = AGENCY_NAMES[kind]
    return plural if count > 1 else singular


@dataclass
class Totals:
    expenditure_pence: int = 0
    contributions_pence: int = 0
    other_income_pence: int = 0
    reserves_applied_pence: int = 0

    @property
    def income_pence(self) -> int:
        return self.contributions_pence + self.other_income_pence + self.reserves_applied_pence

    @property
    def balance_pence(self) -> int:
        """Income less expenditure: negative is a funding gap, positive a surplus."""
        return self.income_pence - self.expenditure_pence

    @property
    def gap_pence(self) -> int:
        return max(0, -self.balance_pence)

    @property
    def surplus_pence(self) -> int:
        return max(0, self.balance_pence)


@dataclass
class Summary:
    budget: Budget
    lines: list[BudgetLine]
    income: list[BudgetIncome]
    agreements: list[ContributionAgreement]
    totals: Totals

    @property
    def statutory_agreements(self) -> list[ContributionAgreement]:
        return [a for a in self.agreements if a.kind == AgreementKind.equal_share]

    @property
    def statutory_total_pence(self) -> int:
        return sum(a.amount_pence for a in self.statutory_agreements)

    @property
    def agency_shares(self) -> list[tuple[str, int, list[ContributionAgreement]]]:
        """(agency, its share, its organisations) in the order shares are dealt out."""
        out = []
        for kind in STATUTORY_KINDS:
            members = [a for a in self.statutory_agreements if a.organisation.kind == kind]
            if members:
                out.append((_agency_phrase(kind, len(members)), sum(a.amount_pence for a in members), members))
        return out


def summary(budget: Budget) -> Summary:
    lines, income, agreements = lines_of(budget), income_of(budget), agreements_of(budget)
    return Summary(budget, lines, income, agreements, _totals(lines, income, agreements))


def _totals(
    lines: Iterable[BudgetLine], income: Iterable[BudgetIncome], agreements: Iterable[ContributionAgreement]
) -> Totals:
    income = list(income)
    return Totals(
        expenditure_pence=sum(x.amount_pence for x in lines),
        contributions_pence=sum(a.amount_pence for a in agreements),
        other_income_pence=sum(i.amount_pence for i in income if i.kind == IncomeKind.other_income),
        reserves_applied_pence=sum(i.amount_pence for i in income if i.kind == IncomeKind.reserves),
    )


def totals(budget: Budget) -> Totals:
    return _totals(lines_of(budget), income_of(budget), agreements_of(budget))


def totals_for(budget_ids: Sequence[int]) -> dict[int, Totals]:
    """Totals of several budgets in three queries (for lists)."""
    out = {bid: Totals() for bid in budget_ids}
    if not budget_ids:
        return out
    for bid, total in db.session.execute(
        sa.select(BudgetLine.budget_id, sa.func.sum(BudgetLine.amount_pence))
        .where(BudgetLine.budget_id.in_(budget_ids))
        .group_by(BudgetLine.budget_id)
    ):
        out[bid].expenditure_pence = int(total or 0)
    for bid, total in db.session.execute(
        sa.select(ContributionAgreement.budget_id, sa.func.sum(ContributionAgreement.amount_pence))
        .where(ContributionAgreement.budget_id.in_(budget_ids))
        .group_by(ContributionAgreement.budget_id)
    ):
        out[bid].contributions_pence = int(total or 0)
    for bid, kind, total in db.session.execute(
        sa.select(BudgetIncome.budget_id, BudgetIncome.kind, sa.func.sum(BudgetIncome.amount_pence))
        .where(BudgetIncome.budget_id.in_(budget_ids))
        .group_by(BudgetIncome.budget_id, BudgetIncome.kind)
    ):
        if kind == IncomeKind.reserves:
            out[bid].reserves_applied_pence = int(total or 0)
        else:
            out[bid].other_income_pence = int(total or 0)
    return out


# --- balances and accounts -------------------------------------------------------------


@dataclass
class Balance:
    """One partner's position for one year (or in total)."""

    agreed_pence: int = 0
    invoiced_pence: int = 0
    paid_pence: int = 0
    overdue_pence: int = 0

    @property
    def outstanding_pence(self) -> int:
        """Invoiced and not yet paid."""
        return self.invoiced_pence - self.paid_pence

    @property
    def to_invoice_pence(self) -> int:
        return max(0, self.agreed_pence - self.invoiced_pence)

    @property
    def unpaid_pence(self) -> int:
        """Agreed and not yet paid (invoiced or not)."""
        return self.agreed_pence - self.paid_pence


def balances_by_agreement(agreements: Sequence[ContributionAgreement], on: date | None = None) -> dict[int, Balance]:
    on = on or today()
    out = {a.id: Balance(agreed_pence=a.amount_pence) for a in agreements}
    if not agreements:
        return out
    rows = db.session.execute(
        sa.select(
            Invoice.agreement_id,
            sa.func.sum(Invoice.amount_pence),
            sa.func.sum(Invoice.paid_pence),
            sa.func.sum(sa.case((Invoice.due_on < on, Invoice.amount_pence - Invoice.paid_pence), else_=0)),
        )
        .where(Invoice.agreement_id.in_(list(out)), Invoice.cancelled_on.is_(None))
        .group_by(Invoice.agreement_id)
    )
    for aid, invoiced, paid, overdue in rows:
        b = out[aid]
        b.invoiced_pence, b.paid_pence, b.overdue_pence = int(invoiced or 0), int(paid or 0), int(overdue or 0)
    return out


@dataclass
class AccountYear:
    budget: Budget
    agreement: ContributionAgreement
    balance: Balance
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)


@dataclass
class Account:
    organisation: Organisation
    years: list[AccountYear]

    @property
    def balance(self) -> Balance:
        b = Balance()
        for y in self.years:
            b.agreed_pence += y.balance.agreed_pence
            b.invoiced_pence += y.balance.invoiced_pence
            b.paid_pence += y.balance.paid_pence
            b.overdue_pence += y.balance.overdue_pence
        return b


def account(organisation_id: int, user: Any, on: date | None = None) -> Account:
    """One partner's agreements, invoices, payments and balance, year by year (their own
    organisation only, for partner members)."""
    org = db.session.get(Organisation, organisation_id)
    if org is None or not may_see_finances(user, organisation_id):
        raise NotFound("Organisation not found")
    agreements = list(
        db.session.scalars(
            sa.select(ContributionAgreement)
            .join(Budget, Budget.id == ContributionAgreement.budget_id)
            .where(
                ContributionAgreement.organisation_id == org.id,
                finance_visibility(user, ContributionAgreement.organisation_id),
            )
            .order_by(Budget.financial_year.desc())
        )
    )
    balances = balances_by_agreement(agreements, on)
    years = {a.id: AccountYear(a.budget, a, balances[a.id]) for a in agreements}
    if years:
        for inv in db.session.scalars(
            sa.select(Invoice).where(Invoice.agreement_id.in_(list(years))).order_by(Invoice.issued_on, Invoice.id)
        ):
            years[inv.agreement_id].invoices.append(inv)
        for p in db.session.scalars(
            sa.select(Payment)
            .join(Invoice, Invoice.id == Payment.invoice_id)
            .where(Invoice.agreement_id.in_(list(years)))
            .order_by(Payment.received_on, Payment.id)
        ):
            years[p.invoice.agreement_id].payments.append(p)
    return Account(org, list(years.values()))
