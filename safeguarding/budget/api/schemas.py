"""The budget API's fields (money as a decimal string in pounds, percentages, financial
years) and schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, validate

from safeguarding import validation
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, workflow_fields
from safeguarding.calendar import financial_year_label, parse_financial_year, today
from safeguarding.formatting import pounds
from safeguarding.forms import parse_money
from safeguarding.models import (
    ARM_SLUGS,
    INVOICE_STATUS_LABELS,
    AgreementKind,
    Arm,
    IncomeKind,
    LineCategory,
    SpendKind,
)
from safeguarding.services import budget as svc
from safeguarding.workflows.budget import budget_lifecycle

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


class ArmField(fields.String):
    """An arm: "adults", "children" or "joint" (a joint budget for shared costs) ↔ `Arm`."""

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("metadata", {}).setdefault("description", "adults, children or joint")
        super().__init__(**kw)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kw: Any) -> str | None:
        return None if value is None else ARM_SLUGS[Arm(value)]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kw: Any) -> Arm:
        try:
            arm = svc.parse_arm(str(value) if isinstance(value, str) else None, default=None)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if arm is None:
            raise ValidationError("Choose the arm: adults, children or joint")
        return arm


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
        "arm": ArmField(dump_only=True),
        "label": fields.Function(
            lambda b: svc.label(b), metadata={"description": "2020-21 (the adults'), 2026-27-children, 2026-27-joint"}
        ),
        "title": fields.Function(lambda b: svc.title(b)),
        "contribution_scheme": fields.Function(
            lambda b: b.contribution_scheme.value,
            metadata={"description": "equal_share, percentage or by_figure: see /budgets/{ref}/scheme"},
        ),
        "adults_share": Percentage(attribute="adults_share_bp", dump_only=True, allow_none=True),
        "children_share": Percentage(attribute="children_share_bp", dump_only=True, allow_none=True),
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
    arm = ArmField(load_default=Arm.adults, metadata={"description": "adults (the default), children or joint"})
    adults_share = Percentage(
        attribute="adults_share_bp",
        allow_none=True,
        allow_zero=True,
        what="the adults' share",
        metadata={"description": 'A joint budget only: the adults\' share, like "60"'},
    )
    children_share = Percentage(
        attribute="children_share_bp",
        allow_none=True,
        allow_zero=True,
        what="the children's share",
        metadata={"description": 'A joint budget only: the children\'s share, like "40"'},
    )
    copy_from = Year(allow_none=True, metadata={"description": "A year to copy, like 2020-21"})
    copy_from_arm = ArmField(allow_none=True, metadata={"description": "The arm of the budget to copy (default: arm)"})
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
    adults_share = Percentage(attribute="adults_share_bp", allow_none=True, allow_zero=True, what="the adults' share")
    children_share = Percentage(
        attribute="children_share_bp", allow_none=True, allow_zero=True, what="the children's share"
    )
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
    arm = ArmField(
        attribute="budget.arm", metadata={"description": "The budget's arm: adults (the default), children or joint"}
    )
    share_percentage = Percentage(attribute="share_bp", dump_only=True, allow_none=True)
    share_figure = fields.Integer(dump_only=True, allow_none=True)
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
    arm = ArmField()
    organisation_id = fields.Integer()


class InvoiceSchema(Schema):
    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    agreement_id = fields.Integer(required=True)
    financial_year = Year(attribute="agreement.budget.financial_year", dump_only=True)
    arm = ArmField(attribute="agreement.budget.arm", dump_only=True)
    organisation_id = fields.Integer(dump_only=True)
    organisation = fields.String(attribute="organisation.name", dump_only=True)
    purchase_order = fields.String(
        allow_none=True,
        validate=validate.Length(max=40),
        metadata={"description": "The host council's finance reference: the partner's purchase order number"},
    )
    ledger_invoice_number = fields.String(
        allow_none=True,
        validate=validate.Length(max=40),
        metadata={"description": "The host council's finance reference: the invoice's number in its ledger"},
    )
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


class FinanceReferenceUpdate(Schema):
    version = fields.Integer(required=True, strict=True)
    purchase_order = fields.String(allow_none=True, validate=validate.Length(max=40))
    ledger_invoice_number = fields.String(allow_none=True, validate=validate.Length(max=40))


class InvoiceArgs(PageArgs):
    year = Year()
    arm = ArmField()
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
    arm = ArmField()
    organisation_id = fields.Integer()
    invoice_id = fields.Integer()


class SpendSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.Enum(SpendKind, by_value=True, required=True)
    financial_year = Year(attribute="line.budget.financial_year", required=True)
    arm = ArmField(attribute="line.budget.arm", metadata={"description": "The budget's arm (default adults)"})
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
    arm = ArmField()
    line_id = fields.Integer()
    kind = fields.Enum(SpendKind, by_value=True)
    source_type = fields.String()
    source_id = fields.Integer()


class ReportArgs(Schema):
    year = Year(required=True)
    arm = fields.String(
        validate=validate.OneOf(["adults", "children", "joint", "all"]),
        metadata={"description": "adults (the default), children, joint; all: every arm's budget of the year"},
    )
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
    arm = ArmField(attribute="budget.arm")
    state = fields.String(attribute="budget.state.value")
    rows = fields.List(fields.Nested(MonitoringRowSchema))
    total = fields.Function(
        lambda m: MonitoringRowSchema(
            exclude=("line_id", "line", "category", "original_budget", "original_budget_pence")
        ).dump(m)
    )
