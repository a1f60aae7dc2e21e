"""The combined monitoring report: every arm's budget of a financial year side by side.

Each budget (adults, children, joint) is a row of its own totals — budget, committed,
actual, forecast outturn, variance — and the year's total sums them (the joint budget
once). Then each arm's position *including its share of the joint budget*: the joint
budget's figures split by the shares recorded on it, to the penny by the largest
remainder rule (`split_by_weights`; a tie goes to the children's arm, the later of the
two). The joint budget is never split in the per-arm reports themselves: its spend is
recorded against its own lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from safeguarding.calendar import financial_year_title
from safeguarding.models import Arm, Budget
from safeguarding.services.budget.arithmetic import split_by_weights
from safeguarding.services.budget.outturn import monitoring
from safeguarding.services.budget.queries import full_title, list_budgets

FIGURES = ("budget_pence", "committed_pence", "actual_pence", "forecast_pence")


@dataclass
class CombinedRow:
    label: str
    budget: Budget | None  # None for the total and the arms-with-their-share rows
    budget_pence: int
    committed_pence: int
    actual_pence: int
    forecast_pence: int
    note: str = ""

    @property
    def variance_pence(self) -> int:
        return self.budget_pence - self.forecast_pence

    @property
    def over_budget(self) -> bool:
        return self.forecast_pence > self.budget_pence


@dataclass
class Combined:
    financial_year: int
    rows: list[CombinedRow]  # one per budget
    total: CombinedRow | None
    with_joint: list[CombinedRow] = field(default_factory=list)  # each arm with its share of joint

    @property
    def title(self) -> str:
        return f"All budgets {financial_year_title(self.financial_year)}"


def combined_monitoring(financial_year: int, user: Any) -> Combined:
    """Every arm's budget of the year that `user` may see (the budgets' own visibility
    rules), their total, and each arm with its share of the joint budget."""
    budgets = list_budgets(user, financial_year=financial_year)
    rows: list[CombinedRow] = []
    for b in budgets:
        m = monitoring(b)
        note = ""
        if b.arm == Arm.both and b.adults_share_bp is not None:
            note = f"Adults {b.adults_share_bp / 100:g}%, children {(b.children_share_bp or 0) / 100:g}%"
        rows.append(
            CombinedRow(
                full_title(b), b, m.budget_pence, m.committed_pence, m.actual_pence, m.forecast_pence, note=note
            )
        )
    if not rows:
        return Combined(financial_year, [], None)
    total = CombinedRow("Total", None, *(sum(getattr(r, f) for r in rows) for f in FIGURES))
    with_joint: list[CombinedRow] = []
    joint = next((r for r in rows if r.budget is not None and r.budget.arm == Arm.both), None)
    if joint is not None and joint.budget is not None and joint.budget.adults_share_bp is not None:
        weights = [joint.budget.adults_share_bp, joint.budget.children_share_bp or 0]
        split = {f: split_by_weights(getattr(joint, f), weights) for f in FIGURES}
        for i, arm in enumerate((Arm.adults, Arm.children)):
            own = next((r for r in rows if r.budget is not None and r.budget.arm == arm), None)
            figures = [(getattr(own, f) if own else 0) + split[f][i] for f in FIGURES]
            with_joint.append(CombinedRow(f"{arm.label} including its share of the joint budget", None, *figures))
    return Combined(financial_year, rows, total, with_joint)
