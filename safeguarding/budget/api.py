"""JSON API for the budget.

Money is a decimal string in pounds in fields named `amount` (and the like): `"38974.00"`.
Dumps also give the integer pence (`amount_pence`). A JSON number, a negative amount,
more than two decimal places or anything that is not a number is refused with a 422
problem naming the field.

- `/api/v1/budgets` (list, create) and `/api/v1/budgets/{budget_ref}` where `budget_ref` is
  the budget's id (`7`) or its financial year (`2020-21`); plus the uniform
  `/api/v1/budgets/{id}/transitions` and `/history`;
- `/api/v1/budgets/{budget_ref}/lines` and `/income`;
- `/api/v1/contribution-agreements`, `/api/v1/invoices`, `/api/v1/payments`, `/api/v1/spend`;
- `/api/v1/reports/budget-monitoring?year=2020-21` and `/api/v1/reports/contributions?year=`:
  JSON, or CSV/XLSX with `format=csv|xlsx` (or `Accept: text/csv` /
  `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`; `format` wins).
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, validate

from safeguarding import access, validation
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.budget import exports
from safeguarding.calendar import (
    financial_year_label,
    financial_year_title,
    parse_financial_year,
    today,
)
from safeguarding.formatting import pounds
from safeguarding.forms import parse_money
from safeguarding.models import (
    INVOICE_STATUS_LABELS,
    AgreementKind,
    IncomeKind,
    LineCategory,
    Role,
    SpendKind,
)
from safeguarding.services import budget as svc
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.workflows.budget import budget_lifecycle

blp = Blueprint(
    "budget_api",
    __name__,
    url_prefix="/api/v1",
    description="The budget: years, lines, contributions, invoices, payments, spend, monitoring",
)

OFFICE = (Role.business_office,)
SEE_ALL = (Role.business_office, Role.independent_chair)
FINANCE = (*SEE_ALL, Role.partner_member)
READERS = (*FINANCE, Role.viewer)


# --- fields ------------------------------------------------------------------------------


class Money(fields.String):
    """Pounds as a decimal string ("38974.00") ↔ integer pence."""

    def __init__(self, *, what: str = "the amount", allow_zero: bool = True, **kw: Any) -> None:
        kw.setdefault("metadata", {}).setdefault(
            "description",
            f'Pounds, as a decimal string like "38974.00" (at most "{pounds(validation.MONEY_MAX_PENCE)}")',
        )
        kw["metadata"].setdefault("example", "38974.00")
        super().__init__(**kw)
        self.what, self.allow_zero = what, allow_zero

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kw: Any) -> str | None:
        return None if value is None else pounds(int(value))

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kw: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValidationError(
                f'Give {self.what} as a string in pounds and pence, like "38974.00" '
                "(a JSON number is not exact enough for money)"
            )
        try:
            return parse_money(value, what=self.what, allow_zero=self.allow_zero)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Percentage(fields.String):
    """A percentage as a decimal string ("12.50") ↔ hundredths of a percent."""

    def __init__(self, *, what: str = "the percentage", allow_zero: bool = False, **kw: Any) -> None:
        kw.setdefault("metadata", {}).setdefault("description", 'Percent, as a decimal string like "12.5"')
        super().__init__(**kw)
        self.what, self.allow_zero = what, allow_zero

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kw: Any) -> str | None:
        return None if value is None else f"{value // 100}.{value % 100:02d}"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kw: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, str):
            raise ValidationError(f'Give {self.what} as a string, like "12.5"')
        try:
            return svc.parse_percentage(value, what=self.what, allow_zero=self.allow_zero)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Year(fields.String):
    """A financial year "2020-21" ↔ its start year (2020)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kw: Any) -> str | None:
        return None if value is None else financial_year_label(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kw: Any) -> int:
        try:
            return parse_financial_year(str(value))
        except ValueError:
            raise ValidationError("Give a financial year like 2020-21") from None


def _money_pair(attr: str, what: str, **kw: Any) -> dict[str, fields.Field]:
    """`name` (pounds string) and `name_pence` (integer, read-only) for a `*_pence` attribute."""
    name = attr.removesuffix("_pence")
    return {
        name: Money(attribute=attr, what=what, **kw),
        f"{name}_pence": fields.Integer(attribute=attr, dump_only=True, allow_none=kw.get("allow_none", False)),
    }


def _variation(body: dict[str, Any]) -> svc.Variation:
    return svc.Variation(body.get("reason"), body.get("approver"), body.get("approved_on"))


VARIATION_FIELDS = {
    "reason": fields.String(
        load_only=True, allow_none=True, metadata={"description": "Approved budgets only: the reason for the variation"}
    ),
    "approver": fields.String(
        load_only=True, allow_none=True, metadata={"description": "Approved budgets only: who approved the variation"}
    ),
    "approved_on": fields.Date(
        load_only=True,
        allow_none=True,
        metadata={"description": "Approved budgets only: when the variation was approved"},
    ),
}


# --- schemas -----------------------------------------------------------------------------


def _totals(b) -> dict[str, Any]:
    t = getattr(b, "_api_totals", None) or svc.totals(b)
    out: dict[str, Any] = {}
    for name in (
        "expenditure",
        "contributions",
        "other_income",
        "reserves_applied",
        "income",
        "balance",
        "gap",
        "surplus",
    ):
        pence = getattr(t, f"{name}_pence")
        out[name] = pounds(pence)
        out[f"{name}_pence"] = pence
    return out


BudgetResource = Schema.from_dict(
    {
        "id": fields.Integer(dump_only=True),
        "financial_year": Year(dump_only=True),
        "title": fields.Function(lambda b: financial_year_title(b.financial_year)),
        **_money_pair("equal_share_target_pence", "the amount shared equally", allow_none=True),
        **_money_pair("reserves_brought_forward_pence", "the reserves brought forward"),
        "reserves_carried_in": fields.Boolean(dump_only=True),
        "notes": fields.String(allow_none=True),
        "uplift_percent": fields.Function(
            lambda b: None if b.uplift_bp is None else f"{b.uplift_bp // 100}.{b.uplift_bp % 100:02d}"
        ),
        "board_meeting_on": fields.Date(dump_only=True, allow_none=True),
        "minute_reference": fields.String(dump_only=True, allow_none=True),
        "closed_on": fields.Date(dump_only=True, allow_none=True),
        **_money_pair("surplus_pence", "the surplus", allow_none=True),
        **_money_pair("reserves_carried_forward_pence", "the reserves carried forward", allow_none=True),
        "totals": fields.Function(
            _totals, metadata={"description": "Expenditure, income and the funding gap or surplus, in pounds and pence"}
        ),
        **workflow_fields(budget_lifecycle),
    },
    name="BudgetResource",
)


class LineSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.Enum(LineCategory, by_value=True, required=True)
    amount = Money(attribute="amount_pence", what="the amount", required=True)
    amount_pence = fields.Integer(attribute="amount_pence", dump_only=True)
    original_amount = Money(attribute="original_pence", dump_only=True, allow_none=True)
    original_amount_pence = fields.Integer(attribute="original_pence", dump_only=True, allow_none=True)
    forecast = Money(attribute="forecast_pence", dump_only=True, allow_none=True)
    forecast_pence = fields.Integer(attribute="forecast_pence", dump_only=True, allow_none=True)
    position = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)


LineCreate = Schema.from_dict({**LineSchema._declared_fields, **VARIATION_FIELDS}, name="LineCreate")


class LineUpdate(Schema):
    version = fields.Integer(required=True, strict=True)
    name = fields.String(validate=validate.Length(min=1, max=200))
    category = fields.Enum(LineCategory, by_value=True)
    amount = Money(attribute="amount_pence", what="the amount")
    forecast = Money(
        attribute="forecast_pence",
        what="the forecast",
        allow_none=True,
        metadata={"description": "The office's forecast outturn (null: actual + committed)"},
    )
    reason = VARIATION_FIELDS["reason"]
    approver = VARIATION_FIELDS["approver"]
    approved_on = VARIATION_FIELDS["approved_on"]


class IncomeSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.Enum(IncomeKind, by_value=True, required=True)
    amount = Money(attribute="amount_pence", what="the amount", required=True)
    amount_pence = fields.Integer(attribute="amount_pence", dump_only=True)
    version = fields.Integer(dump_only=True)


IncomeCreate = Schema.from_dict({**IncomeSchema._declared_fields, **VARIATION_FIELDS}, name="IncomeCreate")


class IncomeUpdate(Schema):
    version = fields.Integer(required=True, strict=True)
    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.Enum(IncomeKind, by_value=True)
    amount = Money(attribute="amount_pence", what="the amount")
    reason = VARIATION_FIELDS["reason"]
    approver = VARIATION_FIELDS["approver"]
    approved_on = VARIATION_FIELDS["approved_on"]


class VariationSchema(Schema):
    subject = fields.String(attribute="subject.value")
    label = fields.String()
    before = Money(attribute="before_pence")
    after = Money(attribute="after_pence")
    before_pence = fields.Integer(dump_only=True)
    after_pence = fields.Integer(dump_only=True)
    reason = fields.String()
    approver = fields.String()
    approved_on = fields.Date()


class ContributionTotal(Schema):
    """What each partner contributes (totals only: no invoices or payments)."""

    organisation_id = fields.Integer(dump_only=True)
    organisation = fields.String(attribute="organisation.name")
    kind = fields.String(attribute="kind.value")
    amount = Money(attribute="amount_pence")
    amount_pence = fields.Integer(dump_only=True)


BudgetDetail = Schema.from_dict(
    {
        **BudgetResource._declared_fields,
        "lines": fields.List(fields.Nested(LineSchema)),
        "income": fields.List(fields.Nested(IncomeSchema)),
        "contributions": fields.List(fields.Nested(ContributionTotal)),
        "variations": fields.List(fields.Nested(VariationSchema)),
    },
    name="BudgetDetail",
)


class BudgetCreate(Schema):
    financial_year = Year(required=True, metadata={"description": "Like 2021-22"})
    copy_from = Year(allow_none=True, metadata={"description": "A year to copy, like 2020-21"})
    uplift_percent = Percentage(
        allow_none=True,
        allow_zero=True,
        what="the uplift",
        metadata={"description": 'Raises the copy\'s amounts, like "2.5"'},
    )


class BudgetUpdate(Schema):
    version = fields.Integer(required=True, strict=True)
    equal_share_target = Money(attribute="equal_share_target_pence", what="the amount shared equally", allow_none=True)
    reserves_brought_forward = Money(
        attribute="reserves_brought_forward_pence", what="the reserves brought forward", allow_none=True
    )
    notes = fields.String(allow_none=True)
    reason = VARIATION_FIELDS["reason"]
    approver = VARIATION_FIELDS["approver"]
    approved_on = VARIATION_FIELDS["approved_on"]


def _balance(a) -> dict[str, Any]:
    b = getattr(a, "_api_balance", None) or svc.balances_by_agreement([a])[a.id]
    out = {}
    for name in ("agreed", "invoiced", "paid", "outstanding", "overdue"):
        pence = getattr(b, f"{name}_pence")
        out[name], out[f"{name}_pence"] = pounds(pence), pence
    return out


class AgreementSchema(Schema):
    id = fields.Integer(dump_only=True)
    financial_year = Year(attribute="budget.financial_year", required=True)
    organisation_id = fields.Integer(required=True)
    organisation = fields.String(attribute="organisation.name", dump_only=True)
    kind = fields.Enum(AgreementKind, by_value=True, required=True)
    fixed_amount = Money(attribute="fixed_pence", what="the fixed amount", allow_zero=False, allow_none=True)
    percentage = Percentage(attribute="percentage_bp", allow_none=True)
    amount = Money(attribute="amount_pence", dump_only=True)
    amount_pence = fields.Integer(dump_only=True)
    remainder_pence = fields.Integer(
        dump_only=True, metadata={"description": "Pence included from what an equal division left over"}
    )
    calculation = fields.String(dump_only=True, allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_email = fields.Email(allow_none=True)
    notes = fields.String(allow_none=True)
    balance = fields.Function(_balance, dump_only=True)
    version = fields.Integer(dump_only=True)


AgreementCreate = Schema.from_dict({**AgreementSchema._declared_fields, **VARIATION_FIELDS}, name="AgreementCreate")


class AgreementUpdate(Schema):
    version = fields.Integer(required=True, strict=True)
    kind = fields.Enum(AgreementKind, by_value=True)
    fixed_amount = Money(attribute="fixed_pence", what="the fixed amount", allow_zero=False, allow_none=True)
    percentage = Percentage(attribute="percentage_bp", allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_email = fields.Email(allow_none=True)
    notes = fields.String(allow_none=True)
    reason = VARIATION_FIELDS["reason"]
    approver = VARIATION_FIELDS["approver"]
    approved_on = VARIATION_FIELDS["approved_on"]


class AgreementArgs(PageArgs):
    year = Year()
    organisation_id = fields.Integer()


class InvoiceSchema(Schema):
    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    agreement_id = fields.Integer(required=True)
    financial_year = Year(attribute="budget.financial_year", dump_only=True)
    organisation_id = fields.Integer(dump_only=True)
    organisation = fields.String(attribute="organisation.name", dump_only=True)
    issued_on = fields.Date(required=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "Default: 30 days after issued_on"})
    amount = Money(
        attribute="amount_pence",
        what="the amount",
        allow_zero=False,
        allow_none=True,
        metadata={"description": "Pounds; default: what is not yet invoiced"},
    )
    amount_pence = fields.Integer(dump_only=True)
    paid = Money(attribute="paid_pence", dump_only=True)
    paid_pence = fields.Integer(dump_only=True)
    outstanding = Money(attribute="outstanding_pence", dump_only=True)
    outstanding_pence = fields.Integer(dump_only=True)
    status = fields.Function(
        lambda i: i.status(today()), dump_only=True, metadata={"description": ", ".join(INVOICE_STATUS_LABELS)}
    )
    description = fields.String(allow_none=True, validate=validate.Length(max=300))
    sent_to = fields.String(dump_only=True, allow_none=True)
    cancelled_on = fields.Date(dump_only=True, allow_none=True)
    cancel_reason = fields.String(dump_only=True, allow_none=True)
    last_chased_on = fields.Date(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class InvoiceArgs(PageArgs):
    year = Year()
    organisation_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(svc.INVOICE_FILTERS))


class ReasonSchema(Schema):
    version = fields.Integer(strict=True, allow_none=True)
    reason = fields.String(required=True)


class PaymentSchema(Schema):
    id = fields.Integer(dump_only=True)
    invoice_id = fields.Integer(required=True)
    invoice_number = fields.String(attribute="invoice.number", dump_only=True)
    organisation_id = fields.Integer(dump_only=True)
    received_on = fields.Date(required=True)
    amount = Money(attribute="amount_pence", what="the amount received", allow_zero=False, required=True)
    amount_pence = fields.Integer(dump_only=True)
    reference = fields.String(allow_none=True, validate=validate.Length(max=100))
    reversed_on = fields.Date(dump_only=True, allow_none=True)
    reversal_reason = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(
        load_only=True,
        strict=True,
        allow_none=True,
        metadata={"description": "The invoice's version you saw (optional)"},
    )


class PaymentArgs(PageArgs):
    year = Year()
    organisation_id = fields.Integer()
    invoice_id = fields.Integer()


class SpendSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.Enum(SpendKind, by_value=True, required=True)
    financial_year = Year(attribute="line.budget.financial_year", required=True)
    line_id = fields.Integer(dump_only=True)
    line_name = fields.String(attribute="line.name", required=True)
    amount = Money(attribute="amount_pence", what="the amount", allow_zero=False, required=True)
    amount_pence = fields.Integer(dump_only=True)
    supplier = fields.String(required=True)
    reference = fields.String(required=True)
    date = fields.Date(attribute="dated_on", required=True, metadata={"description": "Committed on / spent on"})
    description = fields.String(allow_none=True)
    commitment_id = fields.Integer(allow_none=True)
    source_type = fields.String(dump_only=True, allow_none=True)
    source_id = fields.Integer(dump_only=True, allow_none=True)
    ended_on = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "Released (commitment) or reversed (actual)"}
    )
    end_reason = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class SpendArgs(PageArgs):
    year = Year()
    line_id = fields.Integer()
    kind = fields.Enum(SpendKind, by_value=True)
    source_type = fields.String()
    source_id = fields.Integer()


class ReportArgs(Schema):
    year = Year(required=True)
    format = fields.String(validate=validate.OneOf(["json", "csv", "xlsx"]))


class MonitoringRowSchema(Schema):
    line_id = fields.Integer(attribute="line.id")
    line = fields.String(attribute="line.name")
    category = fields.String(attribute="line.category.value")
    original_budget = Money(attribute="original_pence", allow_none=True)
    budget = Money(attribute="budget_pence")
    committed = Money(attribute="committed_pence")
    actual = Money(attribute="actual_pence")
    forecast_outturn = Money(attribute="forecast_pence")
    variance = Money(attribute="variance_pence")
    original_budget_pence = fields.Integer(attribute="original_pence", dump_only=True, allow_none=True)
    budget_pence = fields.Integer(dump_only=True)
    committed_pence = fields.Integer(dump_only=True)
    actual_pence = fields.Integer(dump_only=True)
    forecast_outturn_pence = fields.Integer(attribute="forecast_pence", dump_only=True)
    variance_pence = fields.Integer(dump_only=True)
    over_budget = fields.Boolean()


class MonitoringSchema(Schema):
    financial_year = Year(attribute="budget.financial_year")
    state = fields.String(attribute="budget.state.value")
    rows = fields.List(fields.Nested(MonitoringRowSchema))
    total = fields.Function(
        lambda m: MonitoringRowSchema(
            exclude=("line_id", "line", "category", "original_budget", "original_budget_pence")
        ).dump(m)
    )


# --- budgets -----------------------------------------------------------------------------


def _load_budget(ref: Any, user: Any):
    return svc.get_budget(ref, user)


@blp.route("/budgets", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(BudgetResource))
def list_budgets(args):
    """The budgets you may see, newest first (viewers: approved and closed; partners: not drafts)."""
    rows = svc.list_budgets(current_user)
    totals = svc.totals_for([b.id for b in rows])
    for b in rows:
        b._api_totals = totals[b.id]
    start = (args["page"] - 1) * args["per_page"]
    return page(rows[start : start + args["per_page"]], len(rows), args)


@blp.route("/budgets", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(BudgetCreate)
@blp.response(201, BudgetResource)
def create_budget(body):
    """Start a year in draft: blank, or a copy of another year with an uplift."""
    copy_from = None
    if body.get("copy_from") is not None:
        copy_from = svc.budget_for_year(body["copy_from"])
        if copy_from is None:
            raise ValidationFailed(
                errors={"copy_from": f"There is no budget for {financial_year_title(body['copy_from'])}"}
            )
    return svc.start_year(
        financial_year=body["financial_year"],
        copy_from=copy_from,
        uplift_bp=body.get("uplift_percent") or 0,
        user=current_user,
    )


@blp.route("/budgets/<budget_ref>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, BudgetDetail)
def get_budget(budget_ref: str):
    """One budget by id (`7`) or financial year (`2020-21`), with its lines, income, what
    each partner contributes and (for the office and chair) its variations."""
    b = svc.get_budget(budget_ref, current_user)
    s = svc.summary(b)
    b._api_totals = s.totals
    b.lines, b.income = s.lines, s.income
    b.contributions = s.agreements
    b.variations = svc.variations_of(b) if svc.sees_all(current_user) else []
    return b


@blp.route("/budgets/<budget_ref>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(BudgetUpdate)
@blp.response(200, BudgetResource)
def update_budget(body, budget_ref: str):
    """The equal-share target, the opening reserves (first year) and notes. On an approved
    budget give `reason`, `approver` and `approved_on`: the change is an in-year variation."""
    b = svc.get_budget(budget_ref, current_user)
    return svc.update_settings(
        b,
        version=body["version"],
        equal_share_target_pence=body.get("equal_share_target_pence", b.equal_share_target_pence),
        reserves_brought_forward_pence=body.get("reserves_brought_forward_pence"),
        notes=body.get("notes", b.notes),
        variation=_variation(body),
        user=current_user,
    )


add_workflow_endpoints(blp, "/budgets", budget_lifecycle, BudgetResource, readers=access.roles(*FINANCE))


@blp.route("/budgets/<budget_ref>/lines", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(LineSchema))
def list_lines(args, budget_ref: str):
    """The budget's expenditure lines, in order."""
    rows = svc.lines_of(svc.get_budget(budget_ref, current_user))
    start = (args["page"] - 1) * args["per_page"]
    return page(rows[start : start + args["per_page"]], len(rows), args)


@blp.route("/budgets/<budget_ref>/lines", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(LineCreate)
@blp.response(201, LineSchema)
def create_line(body, budget_ref: str):
    """Add a line (to an approved budget: an in-year variation, with reason and approver)."""
    b = svc.get_budget(budget_ref, current_user)
    return svc.add_line(
        b,
        name=body["name"],
        category=body["category"],
        amount_pence=body["amount_pence"],
        variation=_variation(body),
        user=current_user,
    )


@blp.route("/budgets/<budget_ref>/lines/<int:line_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(LineUpdate)
@blp.response(200, LineSchema)
def update_line(body, budget_ref: str, line_id: int):
    """Change a line (an in-year variation once approved) and/or its forecast outturn."""
    b = svc.get_budget(budget_ref, current_user)
    line = svc.get_line(b, line_id)
    version = body["version"]
    if {"name", "category", "amount_pence"} & set(body):
        svc.update_line(
            line,
            version=version,
            name=body.get("name", line.name),
            category=body.get("category", line.category),
            amount_pence=body.get("amount_pence", line.amount_pence),
            variation=_variation(body),
            user=current_user,
        )
        version = line.version
    if "forecast_pence" in body:
        svc.set_forecast(line, version=version, forecast_pence=body["forecast_pence"])
    return line


@blp.route("/budgets/<budget_ref>/income", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, IncomeSchema(many=True))
def list_income(budget_ref: str):
    """Other income and reserves applied (partner contributions are agreements)."""
    return svc.income_of(svc.get_budget(budget_ref, current_user))


@blp.route("/budgets/<budget_ref>/income", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(IncomeCreate)
@blp.response(201, IncomeSchema)
def create_income(body, budget_ref: str):
    b = svc.get_budget(budget_ref, current_user)
    return svc.add_income(
        b,
        name=body["name"],
        kind=body["kind"],
        amount_pence=body["amount_pence"],
        variation=_variation(body),
        user=current_user,
    )


@blp.route("/budgets/<budget_ref>/income/<int:income_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(IncomeUpdate)
@blp.response(200, IncomeSchema)
def update_income(body, budget_ref: str, income_id: int):
    b = svc.get_budget(budget_ref, current_user)
    row = svc.get_income(b, income_id)
    return svc.update_income(
        row,
        version=body["version"],
        name=body.get("name", row.name),
        kind=body.get("kind", row.kind),
        amount_pence=body.get("amount_pence", row.amount_pence),
        variation=_variation(body),
        user=current_user,
    )


# --- contribution agreements -------------------------------------------------------------


@blp.route("/contribution-agreements", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(AgreementArgs, location="query")
@blp.response(200, page_of(AgreementSchema))
def list_agreements(args):
    """Contribution agreements with each partner's balance (partners: their own organisation's only)."""
    rows, total = svc.list_agreements(
        current_user,
        financial_year=args.get("year"),
        organisation_id=args.get("organisation_id"),
        page=args["page"],
        per_page=args["per_page"],
    )
    balances = svc.balances_by_agreement(rows)
    for a in rows:
        a._api_balance = balances[a.id]
    return page(rows, total, args)


@blp.route("/contribution-agreements", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(AgreementCreate)
@blp.response(201, AgreementSchema)
def create_agreement(body):
    """A partner's contribution for a year: `fixed` (with `fixed_amount`), `equal_share` (of
    the budget's equal-share target, statutory agencies only) or `percentage` (of the
    budget's expenditure, with `percentage`)."""
    year = body["budget"]["financial_year"]
    budget = svc.budget_for_year(year)
    if budget is None:
        raise ValidationFailed(errors={"financial_year": f"There is no budget for {financial_year_title(year)}"})
    return svc.add_agreement(
        budget,
        organisation_id=body["organisation_id"],
        kind=body["kind"],
        fixed_pence=body.get("fixed_pence"),
        percentage_bp=body.get("percentage_bp"),
        contact_name=body.get("contact_name"),
        contact_email=body.get("contact_email"),
        notes=body.get("notes"),
        variation=_variation(body),
        user=current_user,
    )


@blp.route("/contribution-agreements/<int:agreement_id>", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, AgreementSchema)
def get_agreement(agreement_id: int):
    return svc.get_agreement(agreement_id, current_user)


@blp.route("/contribution-agreements/<int:agreement_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(AgreementUpdate)
@blp.response(200, AgreementSchema)
def update_agreement(body, agreement_id: int):
    a = svc.get_agreement(agreement_id, current_user)
    return svc.update_agreement(
        a,
        version=body["version"],
        kind=body.get("kind", a.kind),
        fixed_pence=body.get("fixed_pence", a.fixed_pence),
        percentage_bp=body.get("percentage_bp", a.percentage_bp),
        contact_name=body.get("contact_name", a.contact_name),
        contact_email=body.get("contact_email", a.contact_email),
        notes=body.get("notes", a.notes),
        variation=_variation(body),
        user=current_user,
    )


# --- invoices and payments ---------------------------------------------------------------


@blp.route("/invoices", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(InvoiceArgs, location="query")
@blp.response(200, page_of(InvoiceSchema))
def list_invoices(args):
    """Invoices (partners: their own organisation's), filtered by year, partner and
    status (outstanding, overdue, paid, cancelled)."""
    rows, total = svc.list_invoices(
        current_user,
        svc.InvoiceFilters(
            financial_year=args.get("year"),
            organisation_id=args.get("organisation_id"),
            status=args.get("status"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/invoices", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(InvoiceSchema)
@blp.response(201, InvoiceSchema)
def create_invoice(body):
    """Invoice a partner's contribution (approved budgets only)."""
    a = svc.get_agreement(body["agreement_id"], current_user)
    return svc.raise_invoice(
        a,
        issued_on=body["issued_on"],
        due_on=body.get("due_on"),
        amount_pence=body.get("amount_pence"),
        description=body.get("description"),
        user=current_user,
    )


@blp.route("/invoices/<int:invoice_id>", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, InvoiceSchema)
def get_invoice(invoice_id: int):
    return svc.get_invoice(invoice_id, current_user)


@blp.route("/invoices/<int:invoice_id>/pdf", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, description="The invoice as a PDF (application/pdf)")
def get_invoice_pdf(invoice_id: int):
    """The invoice as a PDF on the partnership's letterhead."""
    from safeguarding.documents import send_file

    inv = svc.get_invoice(invoice_id, current_user)
    return send_file(svc.invoice_pdf(inv), f"{inv.number}.pdf")


@blp.route("/invoices/<int:invoice_id>/cancel", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReasonSchema)
@blp.response(200, InvoiceSchema)
def cancel_invoice(body, invoice_id: int):
    """Cancel an invoice raised in error (it is kept, marked cancelled)."""
    inv = svc.get_invoice(invoice_id, current_user)
    return svc.cancel_invoice(inv, version=body.get("version"), reason=body["reason"], user=current_user)


@blp.route("/payments", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(PaymentArgs, location="query")
@blp.response(200, page_of(PaymentSchema))
def list_payments(args):
    """Payments received (partners: their own organisation's only)."""
    rows, total = svc.list_payments(
        current_user,
        svc.PaymentFilters(
            financial_year=args.get("year"),
            organisation_id=args.get("organisation_id"),
            invoice_id=args.get("invoice_id"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/payments", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(PaymentSchema)
@blp.response(201, PaymentSchema)
def create_payment(body):
    """Record a payment against an invoice, in full or in part (never more than is outstanding)."""
    try:
        inv = svc.get_invoice(body["invoice_id"], current_user)
    except NotFound:
        raise ValidationFailed(errors={"invoice_id": "No invoice with this id"}) from None
    return svc.record_payment(
        inv,
        amount_pence=body["amount_pence"],
        received_on=body["received_on"],
        reference=body.get("reference"),
        version=body.get("version"),
        user=current_user,
    )


@blp.route("/payments/<int:payment_id>", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, PaymentSchema)
def get_payment(payment_id: int):
    return svc.get_payment(payment_id, current_user)


@blp.route("/payments/<int:payment_id>/reverse", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReasonSchema)
@blp.response(200, PaymentSchema)
def reverse_payment(body, payment_id: int):
    """Reverse a payment recorded in error (kept, marked reversed; the invoice is owed again)."""
    p = svc.get_payment(payment_id, current_user)
    return svc.reverse_payment(p, reason=body["reason"], version=body.get("version"), user=current_user)


# --- spend -------------------------------------------------------------------------------


@blp.route("/spend", methods=["GET"])
@access.roles(*SEE_ALL)
@blp.arguments(SpendArgs, location="query")
@blp.response(200, page_of(SpendSchema))
def list_spend(args):
    """Commitments and actual spend, newest first."""
    kind = args.get("kind")
    rows, total = svc.list_spend(
        current_user,
        svc.SpendFilters(
            financial_year=args.get("year"),
            line_id=args.get("line_id"),
            kind=kind.value if kind else None,
            source_type=args.get("source_type"),
            source_id=args.get("source_id"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/spend", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(SpendSchema)
@blp.response(201, SpendSchema)
def create_spend(body):
    """Record a commitment or an actual against a line of a year's budget (by the line's name)."""
    common = dict(
        financial_year=body["line"]["budget"]["financial_year"],
        line_name=body["line"]["name"],
        amount_pence=body["amount_pence"],
        supplier=body["supplier"],
        reference=body["reference"],
        description=body.get("description"),
        recorded_by_id=current_user.id,
    )
    if body["kind"] == SpendKind.commitment:
        if body.get("commitment_id") is not None:
            raise ValidationFailed(errors={"commitment_id": "Only actual spend is recorded against a commitment"})
        return svc.record_commitment(committed_on=body["dated_on"], **common)
    return svc.record_spend(spent_on=body["dated_on"], commitment_id=body.get("commitment_id"), **common)


@blp.route("/spend/<int:entry_id>", methods=["GET"])
@access.roles(*SEE_ALL)
@blp.response(200, SpendSchema)
def get_spend(entry_id: int):
    return svc.get_spend(entry_id, current_user)


@blp.route("/spend/<int:entry_id>/end", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReasonSchema)
@blp.response(200, SpendSchema)
def end_spend(body, entry_id: int):
    """Release a commitment or reverse an actual recorded in error (kept, marked)."""
    entry = svc.get_spend(entry_id, current_user)
    return svc.end_spend(entry, version=body.get("version"), reason=body["reason"])


# --- reports -----------------------------------------------------------------------------


def _format(args: dict[str, Any]) -> str:
    if args.get("format"):
        return args["format"]
    best = request.accept_mimetypes.best_match(
        ["application/json", "text/csv", exports.XLSX_MIMETYPE], default="application/json"
    )
    return {"text/csv": "csv", exports.XLSX_MIMETYPE: "xlsx"}.get(best, "json")


def _file(table: exports.Table, fmt: str, name: str) -> Response:
    if fmt == "csv":
        data, mimetype = exports.to_csv(table), "text/csv"
    else:
        data, mimetype = exports.to_xlsx(table, generated_on=today()), exports.XLSX_MIMETYPE
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@blp.route("/reports/budget-monitoring", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, MonitoringSchema)
def budget_monitoring(args):
    """Per line: budget, committed, actual, forecast outturn, variance and whether the forecast
    is over budget. JSON by default; `format=csv` or `format=xlsx` (or an Accept header of
    text/csv or the XLSX type) for a file."""
    b = svc.get_budget(financial_year_label(args["year"]), current_user)
    m = svc.monitoring(b)
    fmt = _format(args)
    if fmt == "json":
        return m
    return _file(exports.monitoring_table(m), fmt, f"budget-monitoring-{financial_year_label(b.financial_year)}")


@blp.route("/reports/contributions", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, page_of(AgreementSchema))
def contributions_report(args):
    """Each partner's contribution and balance for a year (partners: their own); JSON, CSV or XLSX."""
    b = svc.get_budget(financial_year_label(args["year"]), current_user)
    own = None if svc.sees_all(current_user) else svc.partner_organisation_id(current_user)
    agreements = svc.agreements_of(b, organisation_id=own)
    balances = svc.balances_by_agreement(agreements)
    fmt = _format(args)
    if fmt == "json":
        for a in agreements:
            a._api_balance = balances[a.id]
        return {"items": agreements, "total": len(agreements), "page": 1, "per_page": len(agreements)}
    return _file(
        exports.contributions_table(svc.title(b), agreements, balances),
        fmt,
        f"contributions-{financial_year_label(b.financial_year)}",
    )
