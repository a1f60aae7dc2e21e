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
from safeguarding.models import AgreementKind, ContributionScheme, IncomeKind, LineCategory
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


ARM_CHOICES = [("adults", "Adults"), ("children", "Children"), ("joint", "Joint (shared costs of both arms)")]


class JointSharesFields:
    """A joint budget's split between the arms (both required for a joint budget)."""

    adults_share = PercentageField(
        "Adults' share of the joint budget (percent)",
        what="the adults' share",
        allow_zero=True,
        validators=[Optional()],
        description="Only for a joint budget; for example 60",
    )
    children_share = PercentageField(
        "Children's share of the joint budget (percent)",
        what="the children's share",
        allow_zero=True,
        validators=[Optional()],
        description="Only for a joint budget; the two shares total 100",
    )


class NewYearForm(JointSharesFields, FlaskForm):
    arm = RadioField(
        "Arm",
        choices=ARM_CHOICES,
        default="adults",
        widget=GovRadioInput(),
        validators=[Required("Select the arm")],
    )
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


class SettingsForm(JointSharesFields, VariationFields):
    equal_share_target = MoneyField(
        "Amount the partners contribute through the scheme (optional)",
        what="the amount shared equally",
        validators=[Optional()],
        description="Fixed amounts come out of it; the rest is divided by the budget's contribution "
        "scheme (equal shares among the local authorities, the police and the integrated care board "
        "unless the scheme says otherwise); in pounds, for example 116922.00",
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
            self.kind.data in (AgreementKind.fixed.value, AgreementKind.scheme_fixed.value)
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
    purchase_order = StringField(
        "Purchase order number (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40, message="The purchase order number must be 40 characters or fewer")],
    )
    ledger_invoice_number = StringField(
        "Host council's ledger invoice number (optional)",
        widget=GovTextInput(),
        description="The invoice's number in the host council's finance system",
        validators=[Optional(), Length(max=40, message="The ledger's invoice number must be 40 characters or fewer")],
    )


class FinanceReferenceForm(VersionedForm):
    purchase_order = StringField(
        "Purchase order number (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=40, message="The purchase order number must be 40 characters or fewer")],
    )
    ledger_invoice_number = StringField(
        "Host council's ledger invoice number (optional)",
        widget=GovTextInput(),
        description="The invoice's number in the host council's finance system",
        validators=[Optional(), Length(max=40, message="The ledger's invoice number must be 40 characters or fewer")],
    )


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


PART_CHOICES = [("", "Not in the scheme"), ("share", "A share under the scheme"), ("fixed", "A fixed amount")]


class SchemeForm(VariationFields):
    """The scheme, the amount the partners contribute through it, and one row of fields
    per partner (`part_<id>`, `pct_<id>`, `figure_<id>`, `fixed_<id>`), added by
    `scheme_form` for the partners offered."""

    scheme = RadioField(
        "How the partners share the amount",
        choices=_enum_choices(ContributionScheme),
        widget=GovRadioInput(),
        validators=[Required("Select how the contributions are shared")],
    )
    target = MoneyField(
        "Amount the partners contribute through the scheme",
        what="the amount the partners share",
        validators=[Optional()],
        description="Fixed amounts come out of it; the rest is shared by the scheme. In pounds, for example 160000.00",
        render_kw={"inputmode": "decimal"},
    )
    figure_label = StringField(
        "What the figure is (by a figure only)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=60, message="What the figure is must be 60 characters or fewer")],
        description="For example Population",
    )

    def partners(self, org_ids: list[int]) -> list[svc.PartnerShare] | None:
        """The partners' rows as the service takes them; None (with errors on the fields)
        when a figure is not a whole number."""
        out, ok = [], True
        for oid in org_ids:
            part = getattr(self, f"part_{oid}").data or ""
            if not part:
                continue
            figure_field = getattr(self, f"figure_{oid}")
            raw = (figure_field.data or "").replace(",", "").strip()
            figure = None
            if raw:
                if not raw.isdigit() or not raw.isascii():
                    figure_field.errors = [*figure_field.errors, "The figure must be a whole number, like 204350"]
                    ok = False
                else:
                    figure = int(raw)
            out.append(
                svc.PartnerShare(
                    oid,
                    part,
                    percentage_bp=getattr(self, f"pct_{oid}").data,
                    figure=figure,
                    fixed_pence=getattr(self, f"fixed_{oid}").data,
                )
            )
        return out if ok else None


def scheme_form(orgs: list[Any], **kw: Any) -> SchemeForm:
    """A SchemeForm with a row of fields for each partner offered."""

    class _Form(SchemeForm):
        pass

    for org in orgs:
        setattr(
            _Form,
            f"part_{org.id}",
            SelectField(f"{org.name}: takes part", choices=PART_CHOICES, widget=GovSelect(), validators=[Optional()]),
        )
        setattr(
            _Form,
            f"pct_{org.id}",
            PercentageField(f"{org.name}: percentage", what=f"{org.name}'s percentage", validators=[Optional()]),
        )
        setattr(
            _Form,
            f"figure_{org.id}",
            StringField(f"{org.name}: figure", widget=GovTextInput(), validators=[Optional(), Length(max=15)]),
        )
        setattr(
            _Form,
            f"fixed_{org.id}",
            MoneyField(f"{org.name}: fixed amount", what=f"{org.name}'s fixed amount", validators=[Optional()]),
        )
    return _Form(**kw)
