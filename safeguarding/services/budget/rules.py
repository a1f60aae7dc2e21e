"""Editing rules by state: draft budgets change freely, an approved budget only as an
in-year variation (recorded with its reason and approver), proposed and closed budgets
not at all; and the checks every amount of money passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from safeguarding import validation
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Budget,
    BudgetState,
    BudgetVariation,
    VariationSubject,
)
from safeguarding.services.budget.queries import title
from safeguarding.services.errors import Conflict, StaleVersion, ValidationFailed


@dataclass(frozen=True)
class Variation:
    """Why an approved budget changes, and who agreed it (the Board, or the chair's action)."""

    reason: str | None
    approver: str | None
    approved_on: date | None


def _check_version(row: Any, version: int | None) -> None:
    if version is not None and version != row.version:
        raise StaleVersion()


def _editable(budget: Budget, variation: Variation | None) -> Variation | None:
    """Draft budgets change freely; an approved budget changes only as an in-year variation
    (reason, approver, date); proposed and closed budgets do not change."""
    if budget.state == BudgetState.draft:
        return None
    if budget.state == BudgetState.proposed:
        raise Conflict(f"The {title(budget)} budget is with the Board: return it to draft to change it")
    if budget.state == BudgetState.closed:
        raise Conflict(f"The {title(budget)} budget is closed: it cannot change")
    errors = {}
    v = variation or Variation(None, None, None)
    if not (v.reason or "").strip():
        errors["reason"] = "Enter the reason for the change"
    if not (v.approver or "").strip():
        errors["approver"] = "Enter who approved the change"
    if v.approved_on is None:
        errors["approved_on"] = "Enter the date the change was approved"
    elif v.approved_on > today():
        errors["approved_on"] = "The date the change was approved must be today or in the past"
    if errors:
        raise ValidationFailed("The budget has been approved: a change is an in-year variation", errors=errors)
    return Variation(v.reason.strip(), v.approver.strip(), v.approved_on)


def _record_variation(
    budget: Budget,
    variation: Variation,
    *,
    subject: VariationSubject,
    label_text: str,
    before: int,
    after: int,
    user: Any,
    line_id: int | None = None,
    income_id: int | None = None,
    agreement_id: int | None = None,
) -> None:
    if before == after:
        return
    db.session.add(
        BudgetVariation(
            budget_id=budget.id,
            subject=subject,
            line_id=line_id,
            income_id=income_id,
            agreement_id=agreement_id,
            label=label_text[:300],
            before_pence=before,
            after_pence=after,
            reason=variation.reason,
            approver=variation.approver,
            approved_on=variation.approved_on,
            recorded_by_id=getattr(user, "id", None),
        )
    )


def _money_error(field_name: str, value: Any, what: str, *, allow_zero: bool = True) -> str | None:
    if value is None:
        return f"Enter {what}"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{what[0].upper() + what[1:]} must be a whole number of pence"
    if value < 0:
        return f"{what[0].upper() + what[1:]} must be £0 or more"
    if value == 0 and not allow_zero:
        return f"{what[0].upper() + what[1:]} must be more than £0"
    if value > validation.MONEY_MAX_PENCE:
        return f"{what[0].upper() + what[1:]} must be {validation.MONEY_MAX_LABEL} or less"
    return None
