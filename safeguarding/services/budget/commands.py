"""Changing a year's budget: starting a year (blank or copied with an uplift), its
settings, its lines and other income, and the Board's approval and the year-end close
(called by the budget's lifecycle)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import (
    financial_year_bounds,
    financial_year_title,
)
from safeguarding.extensions import db
from safeguarding.models import (
    SAR_AUTHORS_LINE,
    AgreementKind,
    Arm,
    Budget,
    BudgetIncome,
    BudgetLine,
    BudgetState,
    ContributionAgreement,
    IncomeKind,
    LineCategory,
    PartnershipState,
    VariationSubject,
)
from safeguarding.services.budget.arithmetic import with_uplift
from safeguarding.services.budget.contributions import recalculate
from safeguarding.services.budget.outturn import YearEnd, year_end_position
from safeguarding.services.budget.queries import agreements_of, budget_for_year, income_of, lines_of, parse_arm, title
from safeguarding.services.budget.rules import Variation, _check_version, _editable, _money_error, _record_variation
from safeguarding.services.errors import Conflict, ValidationFailed

# --- years -----------------------------------------------------------------------------


def _arm_shares(arm: Arm, adults_share_bp: Any, children_share_bp: Any) -> tuple[int | None, int | None]:
    """A joint budget's split between the arms: both given, each 0–100%, totalling 100%.
    Other budgets have none."""
    if arm != Arm.both:
        if adults_share_bp is not None or children_share_bp is not None:
            raise ValidationFailed(errors={"adults_share": "Only a joint budget is split between the arms"})
        return None, None
    errors = {}
    for name, value in (("adults_share", adults_share_bp), ("children_share", children_share_bp)):
        what = "the adults' share" if name == "adults_share" else "the children's share"
        if value is None:
            errors[name] = f"Enter {what} of the joint budget"
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10000:
            errors[name] = f"{what[0].upper() + what[1:]} must be between 0% and 100%"
    if not errors and adults_share_bp + children_share_bp != 10000:
        errors["adults_share"] = "The adults' and children's shares of a joint budget must total exactly 100%"
    if errors:
        raise ValidationFailed(errors=errors)
    return adults_share_bp, children_share_bp


def start_year(
    *,
    financial_year: int,
    copy_from: Budget | None = None,
    uplift_bp: int = 0,
    lines: Sequence[tuple[str, LineCategory, int]] = (),
    user: Any = None,
    arm: Arm | str = Arm.adults,
    adults_share_bp: int | None = None,
    children_share_bp: int | None = None,
) -> Budget:
    """A new budget in draft for an arm's year (the adults' unless `arm` says otherwise; a
    joint budget, `Arm.both`, with each arm's share in hundredths of a percent): blank (or
    with the given (name, category, pence) lines), or a copy of another budget with every
    line, other income, fixed contribution and the scheme's target raised by `uplift_bp`
    (hundredths of a percent; reserves applied, percentages, figures and the scheme are
    copied as they are). Every budget has the line
    "Safeguarding Adult Reviews – Independent Authors" (at £0 if nothing else sets it)."""
    try:
        the_arm = parse_arm(arm) or Arm.adults
    except ValueError as exc:
        raise ValidationFailed(errors={"arm": str(exc)}) from None
    if not isinstance(financial_year, int) or not 2000 <= financial_year <= 2100:
        raise ValidationFailed(errors={"financial_year": "Enter a financial year, like 2021-22"})
    if budget_for_year(financial_year, the_arm) is not None:
        # The adults' message is the one it has always been.
        whose = {Arm.adults: "a", Arm.children: "a children's", Arm.both: "a joint"}[the_arm]
        raise ValidationFailed(
            errors={"financial_year": f"There is already {whose} budget for {financial_year_title(financial_year)}"}
        )
    if uplift_bp < 0:
        raise ValidationFailed(errors={"uplift": "The uplift must be 0 or more"})
    shares = _arm_shares(the_arm, adults_share_bp, children_share_bp)
    previous = budget_for_year(financial_year - 1, the_arm)
    budget = Budget(
        financial_year=financial_year,
        arm=the_arm,
        state=BudgetState.draft,
        reserves_brought_forward_pence=0,
        adults_share_bp=shares[0],
        children_share_bp=shares[1],
    )
    if previous is not None and previous.state == BudgetState.closed:
        budget.reserves_brought_forward_pence = previous.reserves_carried_forward_pence or 0
        budget.reserves_carried_in = True
    if copy_from is not None:
        budget.copied_from_id = copy_from.id
        budget.uplift_bp = uplift_bp
        if copy_from.equal_share_target_pence is not None:
            budget.equal_share_target_pence = with_uplift(copy_from.equal_share_target_pence, uplift_bp)
        budget.contribution_scheme = copy_from.contribution_scheme
        budget.figure_label = copy_from.figure_label
        budget.notes = None
    db.session.add(budget)
    db.session.flush()
    names = set()
    for position, (name, category, amount) in enumerate(lines, start=1):
        name, category, amount = _line_values(name, category, amount)
        db.session.add(
            BudgetLine(budget_id=budget.id, name=name, category=category, amount_pence=amount, position=position)
        )
        names.add(name)
    if copy_from is not None and not lines:
        for line in lines_of(copy_from):
            db.session.add(
                BudgetLine(
                    budget_id=budget.id,
                    name=line.name,
                    category=line.category,
                    amount_pence=with_uplift(line.amount_pence, uplift_bp),
                    position=line.position,
                )
            )
            names.add(line.name)
        for inc in income_of(copy_from):
            amount = inc.amount_pence if inc.kind == IncomeKind.reserves else with_uplift(inc.amount_pence, uplift_bp)
            db.session.add(BudgetIncome(budget_id=budget.id, name=inc.name, kind=inc.kind, amount_pence=amount))
        for a in agreements_of(copy_from):
            if a.organisation.state == PartnershipState.left:
                continue
            db.session.add(
                ContributionAgreement(
                    budget_id=budget.id,
                    organisation_id=a.organisation_id,
                    kind=a.kind,
                    fixed_pence=with_uplift(a.fixed_pence, uplift_bp) if a.fixed_pence is not None else None,
                    percentage_bp=a.percentage_bp,
                    share_bp=a.share_bp,
                    share_figure=a.share_figure,
                    contact_name=a.contact_name,
                    contact_email=a.contact_email,
                    notes=a.notes,
                )
            )
    if SAR_AUTHORS_LINE not in names:
        db.session.add(
            BudgetLine(
                budget_id=budget.id,
                name=SAR_AUTHORS_LINE,
                category=LineCategory.case_reviews,
                amount_pence=0,
                position=len(names) + 1,
            )
        )
    db.session.flush()
    recalculate(budget)
    return budget


def update_settings(
    budget: Budget,
    *,
    version: int | None,
    equal_share_target_pence: int | None,
    reserves_brought_forward_pence: int | None = None,
    notes: str | None = None,
    variation: Variation | None = None,
    user: Any = None,
    adults_share_bp: int | None = None,
    children_share_bp: int | None = None,
) -> Budget:
    """The scheme's target (what the partners contribute through it), the opening reserves
    (first year only: later years are carried in by the previous year's close), notes,
    and a joint budget's split between the arms (None, None: unchanged)."""
    _check_version(budget, version)
    v = _editable(budget, variation)
    if budget.arm == Arm.both and (adults_share_bp is not None or children_share_bp is not None):
        budget.adults_share_bp, budget.children_share_bp = _arm_shares(Arm.both, adults_share_bp, children_share_bp)
    elif adults_share_bp is not None or children_share_bp is not None:
        _arm_shares(Arm(budget.arm), adults_share_bp, children_share_bp)
    errors = {}
    if equal_share_target_pence is not None and (
        err := _money_error("target", equal_share_target_pence, "the amount shared equally")
    ):
        errors["equal_share_target"] = err
    if reserves_brought_forward_pence is not None and (
        err := _money_error("reserves", reserves_brought_forward_pence, "the reserves brought forward")
    ):
        errors["reserves_brought_forward"] = err
    if errors:
        raise ValidationFailed(errors=errors)
    if equal_share_target_pence is None and any(a.kind == AgreementKind.equal_share for a in agreements_of(budget)):
        raise ValidationFailed(
            errors={
                "equal_share_target": "Enter the amount shared equally: some partners contribute an equal share of it"
            }
        )
    if (
        reserves_brought_forward_pence is not None
        and reserves_brought_forward_pence != budget.reserves_brought_forward_pence
    ):
        if budget.reserves_carried_in or v is not None:
            raise ValidationFailed(
                errors={
                    "reserves_brought_forward": "The reserves brought forward were carried in "
                    "when the previous year closed: they cannot be changed here"
                }
            )
        budget.reserves_brought_forward_pence = reserves_brought_forward_pence
    before = budget.equal_share_target_pence
    budget.equal_share_target_pence = equal_share_target_pence
    budget.notes = (notes or "").strip() or None
    if v is not None and before != equal_share_target_pence:
        _record_variation(
            budget,
            v,
            subject=VariationSubject.target,
            label_text="Amount shared equally by the statutory agencies",
            before=before or 0,
            after=equal_share_target_pence or 0,
            user=user,
        )
    db.session.flush()
    recalculate(budget, variation=v, user=user)
    return budget


# --- lines and income ------------------------------------------------------------------


def _line_values(name: str | None, category: Any, amount_pence: Any) -> tuple[str, LineCategory, int]:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Enter the name of the line"
    elif len(name) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    try:
        cat = LineCategory(category)
    except ValueError:
        errors["category"] = "Select the category"
        cat = LineCategory.other
    if err := _money_error("amount", amount_pence, "the amount"):
        errors["amount"] = err
    if errors:
        raise ValidationFailed(errors=errors)
    return name, cat, amount_pence


def _name_taken(model: type, budget: Budget, name: str, exclude_id: int | None = None) -> bool:
    rows = db.session.execute(sa.select(model.id, model.name).where(model.budget_id == budget.id))
    return validation.name_taken(rows, name, exclude_id)


def add_line(
    budget: Budget,
    *,
    name: str,
    category: LineCategory | str,
    amount_pence: int,
    variation: Variation | None = None,
    user: Any = None,
) -> BudgetLine:
    """Add an expenditure line (after approval: an in-year variation from £0)."""
    v = _editable(budget, variation)
    name, cat, amount = _line_values(name, category, amount_pence)
    if _name_taken(BudgetLine, budget, name):
        raise ValidationFailed(errors={"name": f"The {title(budget)} budget already has a line called ‘{name}’"})
    position = (
        db.session.scalar(sa.select(sa.func.max(BudgetLine.position)).where(BudgetLine.budget_id == budget.id)) or 0
    ) + 1
    line = BudgetLine(
        budget_id=budget.id,
        name=name,
        category=cat,
        amount_pence=amount,
        position=position,
        original_pence=0 if v is not None else None,
    )
    db.session.add(line)
    db.session.flush()
    if v is not None:
        _record_variation(
            budget,
            v,
            subject=VariationSubject.line,
            label_text=name,
            before=0,
            after=amount,
            user=user,
            line_id=line.id,
        )
    recalculate(budget, variation=v, user=user)
    return line


def update_line(
    line: BudgetLine,
    *,
    version: int | None,
    name: str,
    category: LineCategory | str,
    amount_pence: int,
    variation: Variation | None = None,
    user: Any = None,
) -> BudgetLine:
    """Change a line (after approval: an in-year variation with reason and approver)."""
    _check_version(line, version)
    budget = line.budget
    v = _editable(budget, variation)
    name, cat, amount = _line_values(name, category, amount_pence)
    if line.name == SAR_AUTHORS_LINE and name != SAR_AUTHORS_LINE:
        raise ValidationFailed(
            errors={
                "name": f"‘{SAR_AUTHORS_LINE}’ cannot be renamed: case reviews record reviewers' contracts against it"
            }
        )
    if _name_taken(BudgetLine, budget, name, exclude_id=line.id):
        raise ValidationFailed(errors={"name": f"The {title(budget)} budget already has a line called ‘{name}’"})
    before = line.amount_pence
    line.name, line.category, line.amount_pence = name, cat, amount
    if v is not None:
        _record_variation(
            budget,
            v,
            subject=VariationSubject.line,
            label_text=name,
            before=before,
            after=amount,
            user=user,
            line_id=line.id,
        )
    db.session.flush()
    recalculate(budget, variation=v, user=user)
    return line


def set_forecast(line: BudgetLine, *, version: int | None, forecast_pence: int | None) -> BudgetLine:
    """The office's forecast of a line's outturn (None: actual + committed)."""
    _check_version(line, version)
    if line.budget.state == BudgetState.closed:
        raise Conflict(f"The {title(line.budget)} budget is closed: it cannot change")
    if forecast_pence is not None and (err := _money_error("forecast", forecast_pence, "the forecast")):
        raise ValidationFailed(errors={"forecast": err})
    line.forecast_pence = forecast_pence
    db.session.flush()
    return line


def _income_values(name: str | None, kind: Any, amount_pence: Any) -> tuple[str, IncomeKind, int]:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Enter the name of the income"
    elif len(name) > 200:
        errors["name"] = "The name must be 200 characters or fewer"
    try:
        k = IncomeKind(kind)
    except ValueError:
        errors["kind"] = "Select the kind of income"
        k = IncomeKind.other_income
    if err := _money_error("amount", amount_pence, "the amount"):
        errors["amount"] = err
    if errors:
        raise ValidationFailed(errors=errors)
    return name, k, amount_pence


def add_income(
    budget: Budget,
    *,
    name: str,
    kind: IncomeKind | str,
    amount_pence: int,
    variation: Variation | None = None,
    user: Any = None,
) -> BudgetIncome:
    """Other income or reserves applied (partner contributions come from agreements)."""
    v = _editable(budget, variation)
    name, k, amount = _income_values(name, kind, amount_pence)
    if _name_taken(BudgetIncome, budget, name):
        raise ValidationFailed(errors={"name": f"The {title(budget)} budget already has income called ‘{name}’"})
    row = BudgetIncome(
        budget_id=budget.id, name=name, kind=k, amount_pence=amount, original_pence=0 if v is not None else None
    )
    db.session.add(row)
    db.session.flush()
    if v is not None:
        _record_variation(
            budget,
            v,
            subject=VariationSubject.income,
            label_text=name,
            before=0,
            after=amount,
            user=user,
            income_id=row.id,
        )
        db.session.flush()
    return row


def update_income(
    row: BudgetIncome,
    *,
    version: int | None,
    name: str,
    kind: IncomeKind | str,
    amount_pence: int,
    variation: Variation | None = None,
    user: Any = None,
) -> BudgetIncome:
    _check_version(row, version)
    budget = row.budget
    v = _editable(budget, variation)
    name, k, amount = _income_values(name, kind, amount_pence)
    if _name_taken(BudgetIncome, budget, name, exclude_id=row.id):
        raise ValidationFailed(errors={"name": f"The {title(budget)} budget already has income called ‘{name}’"})
    before = row.amount_pence
    row.name, row.kind, row.amount_pence = name, k, amount
    if v is not None:
        _record_variation(
            budget,
            v,
            subject=VariationSubject.income,
            label_text=name,
            before=before,
            after=amount,
            user=user,
            income_id=row.id,
        )
    db.session.flush()
    return row


# --- year end --------------------------------------------------------------------------


def close_guard(budget: Budget, on: date) -> str | None:
    _, end = financial_year_bounds(budget.financial_year)
    if on <= end:
        return f"The {title(budget)} financial year ends on {end.day} {end:%B %Y}: close it after that date"
    previous = budget_for_year(budget.financial_year - 1, budget.arm)
    if previous is not None and previous.state != BudgetState.closed:
        return f"Close {title(previous)} first: its reserves are carried into {title(budget)}"
    return None


def close(budget: Budget, on: date) -> YearEnd:
    """Record the year-end (called by the close_year trigger) and carry the reserves into
    next year's budget if it exists (otherwise it picks them up when it is started)."""
    position = year_end_position(budget)
    budget.closed_on = on
    budget.outturn_income_pence = position.income_pence
    budget.outturn_spend_pence = position.spend_pence
    budget.surplus_pence = position.surplus_pence
    budget.reserves_carried_forward_pence = position.reserves_carried_forward_pence
    following = budget_for_year(budget.financial_year + 1, budget.arm)
    if following is not None:
        following.reserves_brought_forward_pence = position.reserves_carried_forward_pence
        following.reserves_carried_in = True
    db.session.flush()
    return position


def record_approval(budget: Budget, *, board_meeting_on: date, minute_reference: str | None, user: Any) -> None:
    """The Board's decision (called by the approve trigger): the meeting, the minute, who
    recorded it, and the approved amounts every later variation is measured from."""
    budget.board_meeting_on = board_meeting_on
    budget.minute_reference = (minute_reference or "").strip() or None
    budget.approved_by_id = getattr(user, "id", None)
    for line in lines_of(budget):
        line.original_pence = line.amount_pence
    for inc in income_of(budget):
        inc.original_pence = inc.amount_pence
    for a in agreements_of(budget):
        a.original_pence = a.amount_pence
