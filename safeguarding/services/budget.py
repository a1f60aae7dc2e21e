"""The partnership's budget: years, lines, income, contribution agreements, invoices,
payments, spend, monitoring and the year-end close.

Money is integer pence throughout; the arithmetic here is integer arithmetic (no
floats anywhere). Where money is divided, the rule is:

- **equal shares**: each part gets the amount divided and rounded down to the penny; the
  pence left over go one each to the *last* parts in order (so £100.00 among three is
  £33.33, £33.33 and £33.34). The equal-share target is divided among the statutory
  *agencies* — the local authorities, the police, the integrated care board, in that
  order — and an agency with several organisations (our two councils are one
  local-authority agency) splits its share equally among them in name order;
- **percentages** of the budget's expenditure, and **uplifts** on a copied year, are
  rounded to the nearest penny (halves up).

Who sees what (record-level rules live here, the routes only check roles):

- the business office manages everything; the independent chair sees everything and
  may approve (see workflows/budget.py);
- partner members see proposed, approved and closed budgets (lines, totals, what each
  partner contributes) and only their own organisation's agreements, invoices and
  payments — another partner's are "not found";
- viewers see the summary of approved and closed budgets; administrators nothing.

Other features call `record_commitment` (a case review's reviewer contract, against
"Safeguarding Adult Reviews – Independent Authors") and later `record_spend_against_commitment`
or `record_spend` for what is actually paid. See docs/developing.md, "Budget for other features".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.exc import IntegrityError

from safeguarding import validation
from safeguarding.calendar import (
    financial_year_bounds,
    financial_year_label,
    financial_year_title,
    parse_financial_year,
    today,
)
from safeguarding.extensions import db
from safeguarding.formatting import money
from safeguarding.models import (
    SAR_AUTHORS_LINE,
    ActualSpend,
    AgreementKind,
    Budget,
    BudgetIncome,
    BudgetLine,
    BudgetState,
    BudgetVariation,
    Commitment,
    ContributionAgreement,
    IncomeKind,
    Invoice,
    LineCategory,
    Organisation,
    PartnershipState,
    Payment,
    Role,
    SpendEntry,
    SpendKind,
    VariationSubject,
)
from safeguarding.models.enums import STATUTORY_KINDS, OrganisationKind
from safeguarding.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed

SEE_ALL = (Role.business_office, Role.independent_chair)
PARTNER_STATES = (BudgetState.proposed, BudgetState.approved, BudgetState.closed)
VIEWER_STATES = (BudgetState.approved, BudgetState.closed)
DEFAULT_PAYMENT_DAYS = 30  # default; INVOICE_PAYMENT_DAYS configures it
DEFAULT_CHASE_INTERVAL_DAYS = 14  # default; INVOICE_CHASE_INTERVAL_DAYS configures it


def _config(name: str, default: int) -> int:
    if has_app_context():
        return int(current_app.config.get(name, default))
    return default


# --- integer money arithmetic ----------------------------------------------------------


def split_equally(total_pence: int, parts: int) -> list[int]:
    """`total_pence` in `parts` shares that differ by at most a penny: each share is the
    total divided and rounded down; the r pence left over (r = total mod parts) go one
    each to the last r shares. split_equally(10000, 3) == [3333, 3333, 3334]."""
    if parts <= 0:
        return []
    base, left_over = divmod(total_pence, parts)
    return [base + (1 if i >= parts - left_over else 0) for i in range(parts)]


def percentage_of(amount_pence: int, basis_points: int) -> int:
    """`basis_points` hundredths of a percent of an amount, to the nearest penny (halves up)."""
    return (amount_pence * basis_points + 5000) // 10000


def with_uplift(amount_pence: int, basis_points: int) -> int:
    """An amount raised by `basis_points` hundredths of a percent, to the nearest penny."""
    return (amount_pence * (10000 + basis_points) + 5000) // 10000


PERCENT_RE = re.compile(r"^\d{1,3}(\.\d{1,2})?$")


def parse_percentage(
    raw: str | None, *, what: str = "the percentage", allow_zero: bool = False, maximum_bp: int = 10000
) -> int:
    """ "12.5" or "12.5%" → 1250 (hundredths of a percent), without floats; ValueError with
    a GOV.UK-style message otherwise."""
    text = (raw or "").strip().removesuffix("%").strip()
    cap = what[0].upper() + what[1:]
    if not text:
        raise ValueError(f"Enter {what}")
    if text.startswith("-"):
        raise ValueError(f"{cap} must be 0 or more")
    if re.fullmatch(r"\d*\.\d{3,}", text):
        raise ValueError(f"{cap} must not have more than 2 decimal places")
    if not PERCENT_RE.match(text):
        raise ValueError(f"{cap} must be a number, like 2.5")
    whole, _, frac = text.partition(".")
    bp = int(whole) * 100 + int((frac + "00")[:2])
    if bp == 0 and not allow_zero:
        raise ValueError(f"{cap} must be more than 0")
    if bp > maximum_bp:
        raise ValueError(f"{cap} must be {maximum_bp // 100} or less")
    return bp


def format_percentage(bp: int | None) -> str:
    """1250 → "12.5%", 200 → "2%"."""
    if bp is None:
        return ""
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole}.{frac:02d}".rstrip("0") + "%"


# --- who may see what ------------------------------------------------------------------


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


def list_budgets(user: Any) -> list[Budget]:
    return list(
        db.session.scalars(sa.select(Budget).where(budget_visibility(user)).order_by(Budget.financial_year.desc()))
    )


def get_budget(ref: int | str, user: Any) -> Budget:
    """By id, or by financial year label ("2020-21", "2020/21")."""
    budget_id = validation.parse_id(ref) if isinstance(ref, str) else ref
    if budget_id is None:
        try:
            year = parse_financial_year(ref)
        except ValueError:
            raise NotFound("Budget not found") from None
        clause = Budget.financial_year == year
    else:
        clause = Budget.id == budget_id
    budget = db.session.scalar(sa.select(Budget).where(clause, budget_visibility(user)))
    if budget is None:
        raise NotFound("Budget not found")
    return budget


def budget_for_year(financial_year: int) -> Budget | None:
    return db.session.scalar(sa.select(Budget).where(Budget.financial_year == financial_year))


def label(budget: Budget) -> str:
    return financial_year_label(budget.financial_year)


def title(budget: Budget) -> str:
    return financial_year_title(budget.financial_year)


# --- editing rules by state ------------------------------------------------------------


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


# --- years -----------------------------------------------------------------------------


def start_year(
    *,
    financial_year: int,
    copy_from: Budget | None = None,
    uplift_bp: int = 0,
    lines: Sequence[tuple[str, LineCategory, int]] = (),
    user: Any = None,
) -> Budget:
    """A new year's budget in draft: blank (or with the given (name, category, pence)
    lines), or a copy of another year with every line, other income, fixed contribution
    and the equal-share target raised by `uplift_bp` (hundredths of a percent; reserves
    applied and percentages are copied as they are). Every budget has the line
    "Safeguarding Adult Reviews – Independent Authors" (at £0 if nothing else sets it)."""
    if not isinstance(financial_year, int) or not 2000 <= financial_year <= 2100:
        raise ValidationFailed(errors={"financial_year": "Enter a financial year, like 2021-22"})
    if budget_for_year(financial_year) is not None:
        raise ValidationFailed(
            errors={"financial_year": f"There is already a budget for {financial_year_title(financial_year)}"}
        )
    if uplift_bp < 0:
        raise ValidationFailed(errors={"uplift": "The uplift must be 0 or more"})
    previous = budget_for_year(financial_year - 1)
    budget = Budget(financial_year=financial_year, state=BudgetState.draft, reserves_brought_forward_pence=0)
    if previous is not None and previous.state == BudgetState.closed:
        budget.reserves_brought_forward_pence = previous.reserves_carried_forward_pence or 0
        budget.reserves_carried_in = True
    if copy_from is not None:
        budget.copied_from_id = copy_from.id
        budget.uplift_bp = uplift_bp
        if copy_from.equal_share_target_pence is not None:
            budget.equal_share_target_pence = with_uplift(copy_from.equal_share_target_pence, uplift_bp)
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
) -> Budget:
    """The equal-share target, the opening reserves (first year only: later years are
    carried in by the previous year's close) and notes."""
    _check_version(budget, version)
    v = _editable(budget, variation)
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


def variations_of(budget: Budget) -> list[BudgetVariation]:
    return list(
        db.session.scalars(
            sa.select(BudgetVariation)
            .where(BudgetVariation.budget_id == budget.id)
            .order_by(BudgetVariation.recorded_at, BudgetVariation.id)
        )
    )


# --- contribution agreements -----------------------------------------------------------

AGENCY_NAMES = {
    OrganisationKind.local_authority: ("local authority", "local authorities"),
    OrganisationKind.police: ("police", "police"),
    OrganisationKind.icb: ("integrated care board", "integrated care boards"),
}


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
) -> tuple[list[ContributionAgreement], int]:
    stmt = (
        sa.select(ContributionAgreement)
        .join(Budget, Budget.id == ContributionAgreement.budget_id)
        .join(Organisation, Organisation.id == ContributionAgreement.organisation_id)
        .where(finance_visibility(user, ContributionAgreement.organisation_id))
    )
    if financial_year is not None:
        stmt = stmt.where(Budget.financial_year == financial_year)
    if organisation_id is not None:
        stmt = stmt.where(ContributionAgreement.organisation_id == organisation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Budget.financial_year.desc(), Organisation.name).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total


def is_statutory_agency(org: Organisation) -> bool:
    return org.kind in STATUTORY_KINDS and (org.statutory_adults or org.statutory_children)


def _agreement_values(
    budget: Budget, org: Organisation | None, kind: Any, fixed_pence: Any, percentage_bp: Any, contact_email: str | None
) -> AgreementKind:
    errors: dict[str, str] = {}
    if org is None:
        errors["organisation_id"] = "Select the partner"
    try:
        k = AgreementKind(kind)
    except ValueError:
        errors["kind"] = "Select how the contribution is worked out"
        raise ValidationFailed(errors=errors) from None
    if k == AgreementKind.fixed and (err := _money_error("fixed", fixed_pence, "the amount", allow_zero=False)):
        errors["fixed_amount"] = err
    if k == AgreementKind.percentage:
        if percentage_bp is None:
            errors["percentage"] = "Enter the percentage of the budget"
        elif isinstance(percentage_bp, bool) or not isinstance(percentage_bp, int) or not 0 < percentage_bp <= 10000:
            errors["percentage"] = "The percentage must be more than 0 and no more than 100"
    if k == AgreementKind.equal_share:
        if org is not None and not is_statutory_agency(org):
            errors["kind"] = (
                f"Only the statutory partners (local authorities, the police and the integrated care "
                f"board) share the target equally: give {org.name} a fixed amount or a percentage"
            )
        elif budget.equal_share_target_pence is None:
            errors["kind"] = "Set the amount the statutory agencies share equally first (in the budget's settings)"
    if contact_email:
        import email_validator

        try:
            email_validator.validate_email(contact_email, check_deliverability=False, test_environment=True)
        except email_validator.EmailNotValidError:
            errors["contact_email"] = "Enter an email address in the correct format, like name@example.com"
    if errors:
        raise ValidationFailed(errors=errors)
    return k


def add_agreement(
    budget: Budget,
    *,
    organisation_id: int,
    kind: AgreementKind | str,
    fixed_pence: int | None = None,
    percentage_bp: int | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    notes: str | None = None,
    variation: Variation | None = None,
    user: Any = None,
) -> ContributionAgreement:
    """What a partner contributes this year: a fixed amount, an equal share of the target
    (statutory agencies only) or a percentage of the budget's expenditure."""
    v = _editable(budget, variation)
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if org is not None and org.state == PartnershipState.left:
        raise ValidationFailed(errors={"organisation_id": f"{org.name} has left the partnership"})
    contact_email = (contact_email or "").strip() or None
    k = _agreement_values(budget, org, kind, fixed_pence, percentage_bp, contact_email)
    if db.session.scalar(
        sa.select(ContributionAgreement.id).where(
            ContributionAgreement.budget_id == budget.id, ContributionAgreement.organisation_id == org.id
        )
    ):
        raise ValidationFailed(errors={"organisation_id": f"{org.name} already has an agreement for {title(budget)}"})
    a = ContributionAgreement(
        budget_id=budget.id,
        organisation_id=org.id,
        kind=k,
        fixed_pence=fixed_pence if k == AgreementKind.fixed else None,
        percentage_bp=percentage_bp if k == AgreementKind.percentage else None,
        contact_name=(contact_name or "").strip() or None,
        contact_email=contact_email,
        notes=(notes or "").strip() or None,
        amount_pence=0,
        original_pence=0 if v is not None else None,
    )
    db.session.add(a)
    db.session.flush()
    recalculate(budget, variation=v, user=user)
    return a


def update_agreement(
    a: ContributionAgreement,
    *,
    version: int | None,
    kind: AgreementKind | str,
    fixed_pence: int | None = None,
    percentage_bp: int | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    notes: str | None = None,
    variation: Variation | None = None,
    user: Any = None,
) -> ContributionAgreement:
    _check_version(a, version)
    budget = a.budget
    contact_email = (contact_email or "").strip() or None
    k = AgreementKind(kind) if kind in AgreementKind.__members__ else kind
    money_changes = (
        k != a.kind
        or (k == AgreementKind.fixed and fixed_pence != a.fixed_pence)
        or (k == AgreementKind.percentage and percentage_bp != a.percentage_bp)
    )
    # Contact details and notes are not budget figures: they change in any state but closed.
    v = _editable(budget, variation) if money_changes else None
    if budget.state == BudgetState.closed:
        raise Conflict(f"The {title(budget)} budget is closed: it cannot change")
    k = _agreement_values(budget, a.organisation, kind, fixed_pence, percentage_bp, contact_email)
    a.kind = k
    a.fixed_pence = fixed_pence if k == AgreementKind.fixed else None
    a.percentage_bp = percentage_bp if k == AgreementKind.percentage else None
    a.contact_name = (contact_name or "").strip() or None
    a.contact_email = contact_email
    a.notes = (notes or "").strip() or None
    db.session.flush()
    if money_changes:
        recalculate(budget, variation=v, user=user)
    return a


def _agency_phrase(kind: OrganisationKind, count: int) -> str:
    singular, plural = AGENCY_NAMES[kind]
    return plural if count > 1 else singular


def _expenditure_of(budget: Budget) -> int:
    """The total of the budget's lines, in pence."""
    expenditure = (
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(BudgetLine.amount_pence), 0)).where(
                BudgetLine.budget_id == budget.id
            )
        )
        or 0
    )
    return int(expenditure)


def _fixed_and_percentage_amounts(
    agreements: Sequence[ContributionAgreement], expenditure: int
) -> dict[int, tuple[int, int, str]]:
    """(amount, remainder, calculation) of each fixed and percentage agreement."""
    new: dict[int, tuple[int, int, str]] = {}
    for a in agreements:
        if a.kind == AgreementKind.fixed:
            new[a.id] = (a.fixed_pence or 0, 0, "A fixed amount")
        elif a.kind == AgreementKind.percentage:
            bp = a.percentage_bp or 0
            amount = percentage_of(expenditure, bp)
            exact = (expenditure * bp) % 10000 == 0
            new[a.id] = (
                amount,
                0,
                f"{format_percentage(bp)} of the budget's expenditure of {money(expenditure)}"
                f"{'' if exact else ', to the nearest penny'}",
            )
    return new


def _equal_share_amounts(budget: Budget, sharers: Sequence[ContributionAgreement]) -> dict[int, tuple[int, int, str]]:
    """(amount, remainder, calculation) of each equal-share agreement: the target split
    equally among the agencies, each agency's share equally among its organisations."""
    new: dict[int, tuple[int, int, str]] = {}
    target = budget.equal_share_target_pence or 0
    by_agency: dict[OrganisationKind, list[ContributionAgreement]] = defaultdict(list)
    for a in sharers:
        by_agency[a.organisation.kind].append(a)
    agencies = [k for k in STATUTORY_KINDS if k in by_agency]
    agency_amounts = split_equally(target, len(agencies))
    names = ", ".join(_agency_phrase(k, len(by_agency[k])) for k in agencies)
    rule = (
        "pence left over from an equal division go one each to the last in order: the agencies in the "
        "order local authorities, police, integrated care board; organisations by name"
    )
    for kind, agency_amount in zip(agencies, agency_amounts, strict=True):
        members = sorted(by_agency[kind], key=lambda a: (a.organisation.name, a.id))
        amounts = split_equally(agency_amount, len(members))
        # The exact share (target ÷ agencies ÷ members) rounded down; anything above it
        # came from left-over pence.
        floor_share = target // (len(agencies) * len(members))
        for a, amount in zip(members, amounts, strict=True):
            text = (
                f"An equal share of {money(target)} among {len(agencies)} statutory "
                f"{'agency' if len(agencies) == 1 else 'agencies'} ({names})"
            )
            if len(members) > 1:
                phrase = _agency_phrase(kind, len(members))
                text += (
                    f"; the {phrase}{chr(39) if phrase.endswith('s') else chr(39) + 's'} share of "
                    f"{money(agency_amount)} is split equally between {len(members)} organisations"
                )
            remainder = amount - floor_share
            if remainder:
                text += f" (includes {remainder}p left over: {rule})"
            new[a.id] = (amount, remainder, text)
    return new


def _record_agreement_variations(
    budget: Budget,
    changed: Sequence[ContributionAgreement],
    new: dict[int, tuple[int, int, str]],
    variation: Variation | None,
    user: Any,
) -> None:
    """On an approved (or closed) budget: refuse to take an agreement below what has been
    invoiced, and record each changed amount as a variation."""
    if variation is None:  # pragma: no cover - _editable guarantees one
        raise Conflict("An approved budget changes only through a variation")
    invoiced = invoiced_by_agreement([a.id for a in changed])
    for a in changed:
        if new[a.id][0] < invoiced.get(a.id, 0):
            raise ValidationFailed(
                reasons=[
                    f"{a.organisation.name} has already been invoiced {money(invoiced[a.id])}, more than the "
                    f"{money(new[a.id][0])} this change would leave them to pay: cancel an invoice first"
                ]
            )
    for a in changed:
        _record_variation(
            budget,
            variation,
            subject=VariationSubject.agreement,
            label_text=f"Contribution: {a.organisation.name}",
            before=a.amount_pence,
            after=new[a.id][0],
            user=user,
            agreement_id=a.id,
        )


def recalculate(budget: Budget, *, variation: Variation | None = None, user: Any = None) -> None:
    """Work out every agreement's amount (and say how). On an approved budget each change
    is recorded as a variation, and no agreement may fall below what has been invoiced."""
    agreements = agreements_of(budget)
    if not agreements:
        return
    new = _fixed_and_percentage_amounts(agreements, _expenditure_of(budget))
    sharers = [a for a in agreements if a.kind == AgreementKind.equal_share]
    if sharers:
        new.update(_equal_share_amounts(budget, sharers))
    changed = [a for a in agreements if a.amount_pence != new[a.id][0]]
    if budget.state in (BudgetState.approved, BudgetState.closed) and changed:
        _record_agreement_variations(budget, changed, new, variation, user)
    for a in agreements:
        a.amount_pence, a.remainder_pence, a.calculation = new[a.id]
    db.session.flush()


# --- totals and the summary ------------------------------------------------------------


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


def get_invoice(invoice_id: int, user: Any) -> Invoice:
    inv = db.session.get(Invoice, invoice_id)
    if inv is None or not may_see_finances(user, inv.organisation_id):
        raise NotFound("Invoice not found")
    return inv


@dataclass
class InvoiceFilters:
    financial_year: int | None = None
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


def home_selects(user: Any, status: str, on: date | None = None) -> dict[str, sa.Select]:
    """Invoices with `status` ("overdue" or "outstanding") that `user` may see, as count
    and sum selects for the home page: count, owed and (of it) overdue."""
    on = on or today()
    stmt = _invoice_query(user, InvoiceFilters(status=status), on).subquery()
    owed = stmt.c.amount_pence - stmt.c.paid_pence
    return {
        "count": sa.select(sa.func.count()).select_from(stmt),
        "owed": sa.select(sa.func.coalesce(sa.func.sum(owed), 0)).select_from(stmt),
        "overdue": sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((stmt.c.due_on < on, owed), else_=0)), 0)
        ).select_from(stmt),
    }


def overdue_summary(user: Any, on: date | None = None) -> tuple[int, int]:
    """(number of overdue invoices, total overdue) that `user` may see."""
    stmt = _invoice_query(user, InvoiceFilters(status="overdue"), on or today()).subquery()
    count, total = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(stmt.c.amount_pence - stmt.c.paid_pence), 0))
    ).one()
    return int(count or 0), int(total or 0)


def outstanding_summary(user: Any, on: date | None = None) -> tuple[int, int, int]:
    """(number of unpaid invoices, total outstanding, of which overdue) that `user` may see."""
    on = on or today()
    stmt = _invoice_query(user, InvoiceFilters(status="outstanding"), on).subquery()
    owed = stmt.c.amount_pence - stmt.c.paid_pence
    count, total, overdue = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(owed), 0),
            sa.func.coalesce(sa.func.sum(sa.case((stmt.c.due_on < on, owed), else_=0)), 0),
        )
    ).one()
    return int(count or 0), int(total or 0), int(overdue or 0)


def overdue_invoices(on: date) -> list[Invoice]:
    return list(
        db.session.scalars(
            sa.select(Invoice)
            .where(Invoice.cancelled_on.is_(None), Invoice.paid_pence < Invoice.amount_pence, Invoice.due_on < on)
            .order_by(Invoice.due_on, Invoice.id)
        )
    )


def _next_invoice_number(budget: Budget) -> str:
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(Invoice.budget_id == budget.id))
    return f"SP-{label(budget)}-{(count or 0) + 1:03d}"


def raise_invoice(
    agreement: ContributionAgreement,
    *,
    issued_on: date | None,
    due_on: date | None = None,
    amount_pence: int | None = None,
    description: str | None = None,
    user: Any = None,
    send: bool = True,
) -> Invoice:
    """Invoice a partner for (the rest of) their contribution. Defaults: the amount not yet
    invoiced, due 30 days after issue (INVOICE_PAYMENT_DAYS). With `send`, the invoice
    (as a PDF) is emailed to the agreement's invoice contact, in the same transaction."""
    budget = agreement.budget
    if budget.state not in (BudgetState.approved, BudgetState.closed):
        raise Conflict(
            f"Invoices are raised once the Board has approved the budget: the {title(budget)} budget "
            f"is {budget.state.label.lower()}"
        )
    errors = {}
    if issued_on is None:
        errors["issued_on"] = "Enter the date of the invoice"
    elif issued_on > today():
        errors["issued_on"] = "The date of the invoice must be today or in the past"
    if due_on is None and issued_on is not None:
        due_on = issued_on + timedelta(days=_config("INVOICE_PAYMENT_DAYS", DEFAULT_PAYMENT_DAYS))
    if due_on is not None and issued_on is not None and due_on < issued_on:
        errors["due_on"] = "The due date must be the same as or after the date of the invoice"
    invoiced = invoiced_by_agreement([agreement.id]).get(agreement.id, 0)
    remaining = agreement.amount_pence - invoiced
    if amount_pence is None:
        amount_pence = remaining
        if amount_pence <= 0:
            errors["amount"] = (
                f"{agreement.organisation.name}'s contribution of {money(agreement.amount_pence)} "
                "has been invoiced in full"
            )
    elif err := _money_error("amount", amount_pence, "the amount", allow_zero=False):
        errors["amount"] = err
    elif amount_pence > remaining:
        errors["amount"] = (
            f"The amount must be {money(remaining)} or less: {money(invoiced)} of "
            f"{agreement.organisation.name}'s {money(agreement.amount_pence)} has already been invoiced"
        )
    if errors:
        raise ValidationFailed(errors=errors)
    invoice = Invoice(
        number=_next_invoice_number(budget),
        agreement_id=agreement.id,
        budget_id=budget.id,
        organisation_id=agreement.organisation_id,
        issued_on=issued_on,
        due_on=due_on,
        amount_pence=amount_pence,
        paid_pence=0,
        description=(description or "").strip()[:300]
        or f"Contribution to the partnership's budget for {title(budget)}",
        sent_to=agreement.invoice_email,
        raised_by_id=getattr(user, "id", None),
    )
    try:
        with db.session.begin_nested():
            db.session.add(invoice)
            db.session.flush()
    except IntegrityError:
        raise Conflict("Another invoice was raised at the same moment: try again") from None
    if send:
        send_invoice(invoice)
    return invoice


# --- the invoice document and its emails -------------------------------------------------

BUSINESS_OFFICE_SIGNATORY = ("Partnership Business Office", "Safeguarding Partnership")


def invoice_letter(invoice: Invoice) -> Any:
    """The invoice as a letter on the partnership's letterhead (documents/ renders it as
    HTML, PDF or DOCX)."""
    from safeguarding.documents import Letter, Table

    a, org = invoice.agreement, invoice.organisation
    year = title(invoice.agreement.budget)
    rows = [[invoice.description or f"Contribution for {year}", money(invoice.amount_pence)]]
    return Letter(
        reference=invoice.number,
        date=invoice.issued_on,
        recipient_name=a.contact_name or "Accounts payable",
        recipient_title="",
        recipient_organisation=org.name,
        address_lines=(org.chief_executive_address or "").splitlines(),
        subject=f"Invoice {invoice.number}: contribution to the partnership's budget for {year}",
        salutation="Dear colleague",
        paragraphs=[
            f"This invoice is for {org.name}'s contribution to the partnership's budget for {year}, as agreed: "
            f"{money(a.amount_pence)} ({(a.calculation or a.kind.label).rstrip('.')}).",
            Table(
                f"Invoice {invoice.number}",
                ["Description", "Amount"],
                [*rows, ["Amount due", money(invoice.amount_pence)]],
            ),
            f"Please pay {money(invoice.amount_pence)} by {invoice.due_on.day} {invoice.due_on:%B %Y}, quoting "
            f"{invoice.number}.",
            "If you have any questions about this invoice, please contact the partnership's business office.",
        ],
        closing="Yours faithfully",
        signatory_name=BUSINESS_OFFICE_SIGNATORY[0],
        signatory_title=BUSINESS_OFFICE_SIGNATORY[1],
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    from safeguarding.documents import render_pdf

    return render_pdf(invoice_letter(invoice))


def _invoice_email_context(invoice: Invoice, on: date) -> dict[str, Any]:
    from safeguarding.notify import service_url

    return {
        "number": invoice.number,
        "organisation": invoice.organisation.name,
        "year": title(invoice.agreement.budget),
        "amount": money(invoice.amount_pence),
        "outstanding": money(invoice.outstanding_pence),
        "due": f"{invoice.due_on.day} {invoice.due_on:%B %Y}",
        "days_overdue": (on - invoice.due_on).days,
        "link": service_url("budget.account", org_id=invoice.organisation_id),
    }


def send_invoice(invoice: Invoice) -> Any:
    """Email the invoice (its PDF attached) to the invoice contact; None when the
    agreement has no address to send it to (the invoice page says so)."""
    from safeguarding.notify import Attachment, queue_email

    to = invoice.sent_to
    if not to:
        return None
    return queue_email(
        [to],
        f"Invoice {invoice.number} from the Safeguarding Partnership",
        "budget_invoice",
        _invoice_email_context(invoice, invoice.issued_on),
        kind="budget_invoice",
        dedupe_key=f"budget-invoice:{invoice.id}",
        attachments=[Attachment(f"{invoice.number}.pdf", "application/pdf", invoice_pdf(invoice))],
    )


def cancel_invoice(invoice: Invoice, *, version: int | None, reason: str | None, user: Any = None) -> Invoice:
    """An invoice raised in error is cancelled (kept, marked), never deleted."""
    _check_version(invoice, version)
    if invoice.cancelled_on is not None:
        raise Conflict(f"Invoice {invoice.number} is already cancelled")
    if invoice.paid_pence:
        raise ValidationFailed(
            reasons=[
                f"Invoice {invoice.number} has payments of {money(invoice.paid_pence)}: "
                "reverse them before cancelling it"
            ]
        )
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter the reason for cancelling the invoice"})
    invoice.cancelled_on = today()
    invoice.cancel_reason = reason.strip()
    db.session.flush()
    return invoice


def payments_of(invoice: Invoice) -> list[Payment]:
    return list(
        db.session.scalars(
            sa.select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.received_on, Payment.id)
        )
    )


def record_payment(
    invoice: Invoice,
    *,
    amount_pence: int | None,
    received_on: date | None,
    reference: str | None = None,
    version: int | None = None,
    user: Any = None,
) -> Payment:
    """Money received against an invoice, in full or in part (never more than is owed)."""
    _check_version(invoice, version)
    if invoice.cancelled_on is not None:
        raise Conflict(f"Invoice {invoice.number} was cancelled: it takes no payments")
    errors = {}
    outstanding = invoice.outstanding_pence
    if err := _money_error("amount", amount_pence, "the amount received", allow_zero=False):
        errors["amount"] = err
    elif outstanding <= 0:
        errors["amount"] = f"Invoice {invoice.number} has been paid in full"
    elif amount_pence > outstanding:
        errors["amount"] = (
            f"The amount received must be {money(outstanding)} or less: that is what is "
            f"outstanding on invoice {invoice.number}"
        )
    if received_on is None:
        errors["received_on"] = "Enter the date the payment was received"
    elif received_on > today():
        errors["received_on"] = "The date the payment was received must be today or in the past"
    if reference is not None and len(reference.strip()) > 100:
        errors["reference"] = "The reference must be 100 characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    payment = Payment(
        invoice_id=invoice.id,
        organisation_id=invoice.organisation_id,
        budget_id=invoice.budget_id,
        received_on=received_on,
        amount_pence=amount_pence,
        reference=(reference or "").strip() or None,
        recorded_by_id=getattr(user, "id", None),
    )
    db.session.add(payment)
    invoice.paid_pence += amount_pence
    db.session.flush()
    return payment


def get_payment(payment_id: int, user: Any) -> Payment:
    p = db.session.get(Payment, payment_id)
    if p is None or not may_see_finances(user, p.organisation_id):
        raise NotFound("Payment not found")
    return p


def reverse_payment(payment: Payment, *, reason: str | None, version: int | None = None, user: Any = None) -> Payment:
    """A payment recorded in error is reversed (kept, marked), never deleted."""
    invoice = payment.invoice
    _check_version(invoice, version)
    if payment.reversed_on is not None:
        raise Conflict("This payment has already been reversed")
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter the reason for reversing the payment"})
    payment.reversed_on = today()
    payment.reversal_reason = reason.strip()
    invoice.paid_pence -= payment.amount_pence
    db.session.flush()
    return payment


@dataclass
class PaymentFilters:
    financial_year: int | None = None
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
    if f.organisation_id is not None:
        stmt = stmt.where(Payment.organisation_id == f.organisation_id)
    if f.invoice_id is not None:
        stmt = stmt.where(Payment.invoice_id == f.invoice_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Payment.received_on.desc(), Payment.id.desc()).limit(f.per_page).offset((f.page - 1) * f.per_page)
    )
    return list(rows), total


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


# --- spend: commitments and actuals ----------------------------------------------------


def _spend_budget(financial_year: int, line_name: str | None) -> tuple[Budget, BudgetLine]:
    budget = budget_for_year(financial_year) if isinstance(financial_year, int) else None
    if budget is None:
        year = financial_year_title(financial_year) if isinstance(financial_year, int) else repr(financial_year)
        raise ValidationFailed(
            f"There is no budget for {year}", errors={"financial_year": f"There is no budget for {year}"}
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
) -> Commitment:
    """Commit money against a budget line: a contract or order whose cost will be paid
    later (the case-reviews feature records a reviewer's contract value against
    "Safeguarding Adult Reviews – Independent Authors" with source_type="review").

    `financial_year` is the start year (2020 for 2020/21). Raises `ValidationFailed` when
    that year has no budget, its budget is closed, the line does not exist, or a value is
    missing or wrong (amount must be a positive whole number of pence). Record what is
    actually paid with `record_spend_against_commitment` (or `record_spend`)."""
    budget, line = _spend_budget(financial_year, line_name)
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
) -> ActualSpend:
    """Record money actually spent against a line (optionally paying off a commitment of
    the same line and year). Raises `ValidationFailed` as `record_commitment` does."""
    budget, line = _spend_budget(financial_year, line_name)
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


@dataclass
class SpendFilters:
    financial_year: int | None = None
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


def open_commitments(budget: Budget) -> list[Commitment]:
    return list(
        db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.budget_id == budget.id, Commitment.ended_on.is_(None))
            .order_by(Commitment.dated_on, Commitment.id)
        )
    )


# --- monitoring ------------------------------------------------------------------------


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


def close_guard(budget: Budget, on: date) -> str | None:
    _, end = financial_year_bounds(budget.financial_year)
    if on <= end:
        return f"The {title(budget)} financial year ends on {end.day} {end:%B %Y}: close it after that date"
    previous = budget_for_year(budget.financial_year - 1)
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
    following = budget_for_year(budget.financial_year + 1)
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


# --- the daily chase -------------------------------------------------------------------


def invoices_to_chase(as_of: date) -> list[Invoice]:
    """Overdue invoices not chased in the last INVOICE_CHASE_INTERVAL_DAYS days (default 14)."""
    interval = _config("INVOICE_CHASE_INTERVAL_DAYS", DEFAULT_CHASE_INTERVAL_DAYS)
    return [
        inv
        for inv in overdue_invoices(as_of)
        if inv.last_chased_on is None or (as_of - inv.last_chased_on).days >= interval
    ]


def mark_chased(invoice: Invoice, as_of: date) -> None:
    invoice.last_chased_on = as_of
    invoice.chase_count += 1
    db.session.flush()


@dataclass
class ChaseResult:
    chased: list[Invoice] = field(default_factory=list)
    no_address: list[Invoice] = field(default_factory=list)


def chase_overdue(as_of: date) -> ChaseResult:
    """The daily chase: email each overdue invoice's contact (a reminder with the invoice
    attached), at most every INVOICE_CHASE_INTERVAL_DAYS days; the same invoice and day
    never send twice. Invoices with no address are counted (the office sees them in the
    overdue list)."""
    from safeguarding.notify import Attachment, queue_email

    result = ChaseResult()
    for invoice in invoices_to_chase(as_of):
        to = invoice.agreement.invoice_email
        if not to:
            result.no_address.append(invoice)
            continue
        queue_email(
            [to],
            f"Reminder: invoice {invoice.number} is overdue",
            "budget_invoice_overdue",
            _invoice_email_context(invoice, as_of),
            kind="budget_invoice_overdue",
            dedupe_key=f"budget-invoice-overdue:{invoice.id}:{as_of.isoformat()}",
            attachments=[Attachment(f"{invoice.number}.pdf", "application/pdf", invoice_pdf(invoice))],
        )
        mark_chased(invoice, as_of)
        result.chased.append(invoice)
    return result
