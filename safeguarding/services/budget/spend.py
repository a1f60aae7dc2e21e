"""Spend: commitments and actual spend against a line (other features record them —
see docs/developing.md, "Budget for other features"), and releasing or reversing them."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import (
    financial_year_title,
    today,
)
from safeguarding.extensions import db
from safeguarding.models import (
    ARM_SLUGS,
    ActualSpend,
    Arm,
    Budget,
    BudgetLine,
    BudgetState,
    Commitment,
    SpendEntry,
    SpendKind,
)
from safeguarding.services.budget.queries import budget_for_year, parse_arm, title
from safeguarding.services.budget.rules import _check_version, _money_error
from safeguarding.services.errors import Conflict, NotFound, ValidationFailed


def _spend_budget(financial_year: int, line_name: str | None, arm: Arm | str = Arm.adults) -> tuple[Budget, BudgetLine]:
    try:
        the_arm = parse_arm(arm)
    except ValueError as exc:
        raise ValidationFailed(str(exc), errors={"arm": str(exc)}) from None
    budget = budget_for_year(financial_year, the_arm or Arm.adults) if isinstance(financial_year, int) else None
    if budget is None:
        year = financial_year_title(financial_year) if isinstance(financial_year, int) else repr(financial_year)
        whose = "" if the_arm in (None, Arm.adults) else f" ({ARM_SLUGS[the_arm]})"
        raise ValidationFailed(
            f"There is no budget for {year}{whose}",
            errors={"financial_year": f"There is no budget for {year}{whose}"},
        )
    if budget.state == BudgetState.closed:
        raise ValidationFailed(
            f"The {title(budget)} budget is closed",
            errors={"financial_year": f"The {title(budget)} budget is closed: spend cannot be recorded against it"},
        )
    line = db.session.scalar(
        sa.select(BudgetLine).where(BudgetLine.budget_id == budget.id, BudgetLine.name == (line_name or "").strip())
    )
    if line is None:
        raise ValidationFailed(
            f"The {title(budget)} budget has no line called ‘{line_name}’",
            errors={"line_name": f"The {title(budget)} budget has no line called ‘{line_name}’"},
        )
    return budget, line


def _spend_values(
    amount_pence: Any,
    supplier: str | None,
    reference: str | None,
    dated_on: date | None,
    date_field: str,
    date_what: str,
) -> None:
    errors = {}
    if err := _money_error("amount", amount_pence, "the amount", allow_zero=False):
        errors["amount"] = err
    if not (supplier or "").strip():
        errors["supplier"] = "Enter the supplier"
    elif len(supplier.strip()) > 200:
        errors["supplier"] = "The supplier must be 200 characters or fewer"
    if not (reference or "").strip():
        errors["reference"] = "Enter the reference (an order, contract or invoice number)"
    elif len(reference.strip()) > 100:
        errors["reference"] = "The reference must be 100 characters or fewer"
    if dated_on is None:
        errors[date_field] = f"Enter {date_what}"
    elif dated_on > today():
        errors[date_field] = f"{date_what[0].upper() + date_what[1:]} must be today or in the past"
    if errors:
        raise ValidationFailed(errors=errors)


def record_commitment(
    *,
    financial_year: int,
    line_name: str,
    amount_pence: int,
    supplier: str,
    reference: str,
    committed_on: date,
    description: str,
    source_type: str | None = None,
    source_id: int | None = None,
    recorded_by_id: int | None = None,
    arm: Arm | str = Arm.adults,
) -> Commitment:
    """Commit money against a budget line: a contract or order whose cost will be paid
    later (the case-reviews feature records a reviewer's contract value against
    "Safeguarding Adult Reviews – Independent Authors" with source_type="review").

    `financial_year` is the start year (2020 for 2020/21); `arm` the budget's arm ("adults",
    the default: SAR authors are the adults' arm; "children"; "joint"). Raises `ValidationFailed` when
    that year has no budget, its budget is closed, the line does not exist, or a value is
    missing or wrong (amount must be a positive whole number of pence). Record what is
    actually paid with `record_spend_against_commitment` (or `record_spend`)."""
    budget, line = _spend_budget(financial_year, line_name, arm)
    _spend_values(amount_pence, supplier, reference, committed_on, "committed_on", "the date of the commitment")
    c = Commitment(
        budget_id=budget.id,
        line_id=line.id,
        amount_pence=amount_pence,
        supplier=supplier.strip(),
        reference=reference.strip(),
        dated_on=committed_on,
        description=(description or "").strip() or None,
        source_type=source_type,
        source_id=source_id,
        recorded_by_id=recorded_by_id,
    )
    db.session.add(c)
    db.session.flush()
    return c


def record_spend(
    *,
    financial_year: int,
    line_name: str,
    amount_pence: int,
    supplier: str,
    reference: str,
    spent_on: date,
    description: str | None = None,
    commitment_id: int | None = None,
    source_type: str | None = None,
    source_id: int | None = None,
    recorded_by_id: int | None = None,
    arm: Arm | str = Arm.adults,
) -> ActualSpend:
    """Record money actually spent against a line (optionally paying off a commitment of
    the same line and year). Raises `ValidationFailed` as `record_commitment` does."""
    budget, line = _spend_budget(financial_year, line_name, arm)
    _spend_values(amount_pence, supplier, reference, spent_on, "spent_on", "the date of the spend")
    if commitment_id is not None:
        c = db.session.get(Commitment, commitment_id)
        if c is None or c.budget_id != budget.id or c.line_id != line.id:
            raise ValidationFailed(
                errors={"commitment_id": f"Select a commitment against ‘{line.name}’ in {title(budget)}"}
            )
        if c.released:
            raise ValidationFailed(
                errors={"commitment_id": f"Commitment {c.reference} was released: nothing more is spent against it"}
            )
    s = ActualSpend(
        budget_id=budget.id,
        line_id=line.id,
        amount_pence=amount_pence,
        supplier=supplier.strip(),
        reference=reference.strip(),
        dated_on=spent_on,
        description=(description or "").strip() or None,
        commitment_id=commitment_id,
        source_type=source_type,
        source_id=source_id,
        recorded_by_id=recorded_by_id,
    )
    db.session.add(s)
    db.session.flush()
    return s


def record_spend_against_commitment(
    commitment_id: int,
    *,
    amount_pence: int,
    spent_on: date,
    reference: str,
    description: str | None = None,
    recorded_by_id: int | None = None,
) -> ActualSpend:
    """Pay (part of) a commitment: the actual goes against the commitment's own line, year,
    supplier and source. Raises `ValidationFailed` (or `NotFound` for an unknown id)."""
    c = db.session.get(Commitment, commitment_id)
    if c is None:
        raise NotFound("Commitment not found")
    return record_spend(
        financial_year=c.line.budget.financial_year,
        arm=c.line.budget.arm,
        line_name=c.line.name,
        amount_pence=amount_pence,
        supplier=c.supplier,
        reference=reference,
        spent_on=spent_on,
        description=description,
        commitment_id=c.id,
        source_type=c.source_type,
        source_id=c.source_id,
        recorded_by_id=recorded_by_id,
    )


def end_spend(entry: SpendEntry, *, version: int | None, reason: str | None, on: date | None = None) -> SpendEntry:
    """Release a commitment (nothing more will be spent against it) or reverse an actual
    recorded in error. Kept and marked, never deleted."""
    _check_version(entry, version)
    what = "commitment" if entry.kind == SpendKind.commitment else "spend"
    if entry.ended_on is not None:
        raise Conflict(f"This {what} has already been {'released' if what == 'commitment' else 'reversed'}")
    if entry.line.budget.state == BudgetState.closed:
        raise Conflict(f"The {title(entry.line.budget)} budget is closed: it cannot change")
    if not (reason or "").strip():
        verb = "releasing the commitment" if what == "commitment" else "reversing the spend"
        raise ValidationFailed(errors={"reason": f"Enter the reason for {verb}"})
    entry.ended_on = on or today()
    entry.end_reason = reason.strip()
    db.session.flush()
    return entry
