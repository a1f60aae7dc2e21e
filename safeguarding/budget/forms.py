"""Forms for the budget pages. Amounts are typed in pounds (`MoneyField`, held as pence);
percentages are typed as numbers and turned into hundredths of a percent without floats."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation

from safeguarding.forms import (
    DateField,
    EmailAddress,
    FlaskForm,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    MoneyField,
    Required,
    VersionedForm,
)
from safeguarding.models import AgreementKind, IncomeKind, LineCategory
from safeguarding.services import budget as svc


class VariationFields(VersionedForm):
    """An approved budget changes only as an in-year variation: these are shown (and the
    service requires them) once the budget is approved."""

    reason = TextAreaField("Reason for the change", widget=GovTextArea(), validators=[Optional()])
    approver = StringField(
        "Who approved the change",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200)],
        description="For example ‘Partnership Board’ or ‘Independent Chair (chair's action)’",
    )
    approved_on = DateField(
        "Date the change was approved", what="the date the change was approved", validators=[Optional()]
    )

    def variation(self) -> svc.Variation:
        return svc.Variation(self.reason.data, self.approver.data, self.approved_on.data)


class PercentageField(StringField):
    """A percentage typed as a number ("12.5"), held as hundredths of a percent (1250)."""

    widget = GovTextInput()

    def __init__(
        self,
        label: str | None = None,
        validators: Any = None,
        *,
        what: str = "the percentage",
        allow_zero: bool = False,
        maximum_bp: int = 10000,
        **kwargs: Any,
    ):
        super().__init__(label, validators, **kwargs)
        self.what, self.allow_zero, self.maximum_bp = what, allow_zero, maximum_bp
        self._raw: str | None = None
        self._error: str | None = None

    def _value(self) -> str:
        if self._raw is not None:
            return self._raw
        return svc.format_percentage(self.data).removesuffix("%") if isinstance(self.data, int) else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self._error = None
        if not valuelist:
            return
        self._raw = valuelist[0]
        if not (self._raw or "").strip():
            self.data = None
            return
        try:
            self.data = svc.parse_percentage(
                self._raw, what=self.what, allow_zero=self.allow_zero, maximum_bp=self.maximum_bp
            )
        except ValueError as exc:
            self.data = None
            self._error = str(exc)

    def pre_validate(self, form: Any) -> None:
        if self._error:
            raise StopValidation(self._error)


class NewYearForm(FlaskForm):
    financial_year = StringField(
        "Financial year",
        widget=GovTextInput(),
        description="For example 2021-22",
        validators=[Required("Enter the financial year, like 2021-22")],
    )
    copy_from = SelectField("Start from", widget=GovSelect(), validators=[Optional()])
    uplift = PercentageField(
        "Uplift (percent, optional)",
        what="the uplift",
        allow_zero=True,
        description="Raises every line, other income, fixed contribution and the equal-share "
        "target of the copy; for example 2.5",
        validators=[Optional()],
    )

    def validate_financial_year(self, field: Any) -> None:
        from safeguarding.calendar import parse_financial_year

        try:
            self.year_value = parse_financial_year(field.data or "")
        except ValueError:
            raise StopValidation("Enter the financial year like 2021-22") from None


def _enum_choices(enum_cls) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum_cls]


class SettingsForm(VariationFields):
    equal_share_target = MoneyField(
        "Amount the statutory agencies share equally (optional)",
        what="the amount shared equally",
        validators=[Optional()],
        description="Divided equally among the local authorities, the police and the "
        "integrated care board; in pounds, for example 116922.00",
        render_kw={"inputmode": "decimal"},
    )
    reserves_brought_forward = MoneyField(
        "Reserves brought forward",
        what="the reserves brought forward",
        validators=[Optional()],
        render_kw={"inputmode": "decimal"},
        description="Only for the first year: later years are carried in when the previous year closes",
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional()])


class LineForm(VariationFields):
    name = StringField(
        "Name of the line", widget=GovTextInput(), validators=[Required("Enter the name of the line"), Length(max=200)]
    )
    category = SelectField(
        "Category",
        widget=GovSelect(),
        choices=[("", "Select a category"), *_enum_choices(LineCategory)],
        validators=[Required("Select the category")],
    )
    amount = MoneyField(
        "Budget",
        what="the budget for the line",
        validators=[Required("Enter the budget for the line")],
        description="In pounds, for example 79800.00",
        render_kw={"inputmode": "decimal"},
    )


class ForecastForm(VersionedForm):
    forecast = MoneyField(
        "Forecast outturn (optional)",
        what="the forecast outturn",
        validators=[Optional()],
        description="Leave blank to forecast actual spend plus what is committed",
        render_kw={"inputmode": "decimal"},
    )


class IncomeForm(VariationFields):
    name = StringField(
        "Name", widget=GovTextInput(), validators=[Required("Enter the name of the income"), Length(max=200)]
    )
    kind = RadioField(
        "Kind of income",
        widget=GovRadioInput(),
        choices=_enum_choices(IncomeKind),
        validators=[Required("Select the kind of income")],
    )
    amount = MoneyField(
        "Amount", what="the amount", validators=[Required("Enter the amount")], render_kw={"inputmode": "decimal"}
    )


class AgreementForm(VariationFields):
    organisation_id = SelectField("Partner", widget=GovSelect(), validators=[Required("Select the partner")])
    kind = RadioField(
        "How the contribution is worked out",
        widget=GovRadioInput(),
        choices=_enum_choices(AgreementKind),
        validators=[Required("Select how the contribution is worked out")],
    )
    fixed_amount = MoneyField(
        "Fixed amount",
        what="the fixed amount",
        validators=[Optional()],
        allow_zero=False,
        description="For a fixed amount only; in pounds",
        render_kw={"inputmode": "decimal"},
    )
    percentage = PercentageField(
        "Percentage of the budget's expenditure",
        what="the percentage",
        validators=[Optional()],
        description="For a percentage only; for example 12.5",
    )
    contact_name = StringField(
        "Invoice contact (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    contact_email = StringField(
        "Invoice contact's email address (optional)",
        widget=GovTextInput(),
        description="Invoices and reminders go here; without it, to the organisation's safeguarding lead",
        validators=[Optional(), EmailAddress()],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if (
            self.kind.data == AgreementKind.fixed.value
            and self.fixed_amount.data is None
            and not self.fixed_amount.errors
        ):
            self.fixed_amount.errors = [*self.fixed_amount.errors, "Enter the fixed amount"]
            ok = False
        if (
            self.kind.data == AgreementKind.percentage.value
            and self.percentage.data is None
            and not self.percentage.errors
        ):
            self.percentage.errors = [*self.percentage.errors, "Enter the percentage of the budget"]
            ok = False
        return ok


class InvoiceForm(FlaskForm):
    issued_on = DateField(
        "Date of the invoice", what="the date of the invoice", validators=[Required("Enter the date of the invoice")]
    )
    due_on = DateField(
        "Due date (optional)",
        what="the due date",
        validators=[Optional()],
        description="Leave blank for 30 days after the date of the invoice",
    )
    amount = MoneyField(
        "Amount (optional)",
        what="the amount",
        allow_zero=False,
        validators=[Optional()],
        description="Leave blank to invoice everything not yet invoiced",
        render_kw={"inputmode": "decimal"},
    )
    description = StringField("Description (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=300)])


class PaymentForm(VersionedForm):
    amount = MoneyField(
        "Amount received",
        what="the amount received",
        allow_zero=False,
        validators=[Required("Enter the amount received")],
        description="In pounds, for example 19487.00",
        render_kw={"inputmode": "decimal"},
    )
    received_on = DateField(
        "Date received",
        what="the date the payment was received",
        validators=[Required("Enter the date the payment was received")],
    )
    reference = StringField(
        "Reference (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100)],
        description="The remittance or bank reference",
    )


class ReasonForm(VersionedForm):
    # The service words the message ("Enter the reason for cancelling the invoice").
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Optional()])


class SpendForm(FlaskForm):
    line_id = SelectField("Budget line", widget=GovSelect(), validators=[Required("Select the budget line")])
    commitment_id = SelectField("Against a commitment (optional)", widget=GovSelect(), validators=[Optional()])
    amount = MoneyField(
        "Amount",
        what="the amount",
        allow_zero=False,
        validators=[Required("Enter the amount")],
        render_kw={"inputmode": "decimal"},
    )
    supplier = StringField(
        "Supplier", widget=GovTextInput(), validators=[Required("Enter the supplier"), Length(max=200)]
    )
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        description="An order, contract or invoice number",
        validators=[Required("Enter the reference (an order, contract or invoice number)"), Length(max=100)],
    )
    dated_on = DateField("Date", what="the date", validators=[Required("Enter the date")])
    description = TextAreaField("Description (optional)", widget=GovTextArea(), validators=[Optional()])
