"""Spend against the budget: what is committed and actually spent per line, the
monitoring report (forecast outturn and variance) and the year-end position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    Budget,
    BudgetLine,
    SpendEntry,
    SpendKind,
)
from safeguarding.services.budget.figures import Summary, balances_by_agreement, summary
from safeguarding.services.budget.queries import lines_of

# --- monitoring ------------------------------------------------------------------------


def commitment_remaining(commitment_ids: Sequence[int]) -> dict[int, int]:
    """What is still to be spent on each commitment (never below 0)."""
    if not commitment_ids:
        return {}
    rows = db.session.execute(
        sa.select(SpendEntry.commitment_id, sa.func.sum(SpendEntry.amount_pence))
        .where(
            SpendEntry.commitment_id.in_(commitment_ids),
            SpendEntry.kind == SpendKind.actual,
            SpendEntry.ended_on.is_(None),
        )
        .group_by(SpendEntry.commitment_id)
    )
    spent = {cid: int(total or 0) for cid, total in rows}
    amounts = dict(
        db.session.execute(
            sa.select(SpendEntry.id, SpendEntry.amount_pence).where(SpendEntry.id.in_(commitment_ids))
        ).all()
    )
    return {cid: max(0, amounts[cid] - spent.get(cid, 0)) for cid in amounts}


@dataclass
class MonitoringRow:
    line: BudgetLine
    budget_pence: int
    original_pence: int | None
    committed_pence: int
    actual_pence: int
    forecast_pence: int
    forecast_is_estimate: bool  # the office's own forecast rather than actual + committed

    @property
    def variance_pence(self) -> int:
        """Budget less forecast outturn: positive is an underspend, negative an overspend."""
        return self.budget_pence - self.forecast_pence

    @property
    def over_budget(self) -> bool:
        return self.forecast_pence > self.budget_pence


@dataclass
class Monitoring:
    budget: Budget
    rows: list[MonitoringRow]

    def _sum(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rows)

    @property
    def budget_pence(self) -> int:
        return self._sum("budget_pence")

    @property
    def committed_pence(self) -> int:
        return self._sum("committed_pence")

    @property
    def actual_pence(self) -> int:
        return self._sum("actual_pence")

    @property
    def forecast_pence(self) -> int:
        return self._sum("forecast_pence")

    @property
    def variance_pence(self) -> int:
        return self.budget_pence - self.forecast_pence

    @property
    def over_budget(self) -> bool:
        return self.forecast_pence > self.budget_pence


def spend_by_line(budget_id: int) -> tuple[dict[int, int], dict[int, int]]:
    """(actual, committed-not-yet-spent) per line of a budget, in one query. What is
    committed is each live commitment's amount less the live actuals paid against it,
    never below zero."""
    t = SpendEntry.__table__
    paid = t.alias("paid")
    spent = (
        sa.select(paid.c.commitment_id, sa.func.sum(paid.c.amount_pence).label("spent"))
        .where(
            paid.c.budget_id == budget_id,
            paid.c.kind == SpendKind.actual.value,
            paid.c.ended_on.is_(None),
            paid.c.commitment_id.is_not(None),
        )
        .group_by(paid.c.commitment_id)
        .subquery()
    )
    remaining = t.c.amount_pence - sa.func.coalesce(spent.c.spent, 0)
    is_actual = t.c.kind == SpendKind.actual.value
    rows = db.session.execute(
        sa.select(
            t.c.line_id,
            sa.func.sum(sa.case((is_actual, t.c.amount_pence), else_=0)),
            sa.func.sum(sa.case((sa.and_(~is_actual, remaining > 0), remaining), else_=0)),
        )
        .select_from(t.outerjoin(spent, spent.c.commitment_id == t.c.id))
        .where(t.c.budget_id == budget_id, t.c.ended_on.is_(None))
        .group_by(t.c.line_id)
    )
    actual, committed = {}, {}
    for line_id, a, c in rows:
        actual[line_id], committed[line_id] = int(a or 0), int(c or 0)
    return actual, committed


def monitoring(budget: Budget) -> Monitoring:
    """Per line: budget, committed (not yet spent), actual, forecast outturn (the office's
    forecast, or actual + committed) and variance (budget − forecast)."""
    lines = lines_of(budget)
    actual, committed = spend_by_line(budget.id)
    rows = []
    for line in lines:
        a, c = actual.get(line.id, 0), committed.get(line.id, 0)
        forecast = line.forecast_pence if line.forecast_pence is not None else a + c
        rows.append(
            MonitoringRow(line, line.amount_pence, line.original_pence, c, a, forecast, line.forecast_pence is not None)
        )
    return Monitoring(budget, rows)


# --- year end --------------------------------------------------------------------------


@dataclass
class YearEnd:
    reserves_brought_forward_pence: int
    income_pence: int  # contributions agreed + other income
    spend_pence: int  # actual spend
    outstanding_contributions_pence: int  # agreed but not yet paid (still income of the year)
    open_commitments_pence: int

    @property
    def surplus_pence(self) -> int:
        """Negative for a deficit."""
        return self.income_pence - self.spend_pence

    @property
    def reserves_carried_forward_pence(self) -> int:
        return self.reserves_brought_forward_pence + self.surplus_pence


def year_end_position(budget: Budget, known: Summary | None = None) -> YearEnd:
    """What closing the year now would carry forward: the year's income (contributions
    agreed and other income; reserves applied are not income) less its actual spend,
    added to the reserves brought forward."""
    s = known or summary(budget)
    t, agreements = s.totals, s.agreements
    actual, committed = spend_by_line(budget.id)
    balances = balances_by_agreement(agreements)
    return YearEnd(
        reserves_brought_forward_pence=budget.reserves_brought_forward_pence,
        income_pence=t.contributions_pence + t.other_income_pence,
        spend_pence=sum(actual.values()),
        outstanding_contributions_pence=sum(b.unpaid_pence for b in balances.values()),
        open_commitments_pence=sum(committed.values()),
    )
