"""Form building blocks shared by every blueprint: the forms' base class (with the input
rules of validation.py), GOV.UK widgets, GOV.UK-style messages for dates and money, and
the error summary."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import flask_wtf
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import BooleanField, IntegerField
from wtforms.validators import StopValidation, ValidationError

from safeguarding import validation
from safeguarding.validation import EMAIL_FORMAT_MESSAGE, email_problem

__all__ = [
    "GovCheckboxInput",
    "GovCheckboxesInput",
    "GovDateInput",
    "GovRadioInput",
    "GovSelect",
    "GovSubmitInput",
    "GovTextArea",
    "GovTextInput",
    "BooleanField",
    "IntegerField",
    "SelectField",
    "SelectMultipleField",
    "StringField",
    "SubmitField",
    "TextAreaField",
    "DateField",
    "EmailAddress",
    "MoneyField",
    "Required",
    "error_summary",
    "parse_money",
    "FlaskForm",
]


def _label(unbound_field: Any) -> str | None:
    label = unbound_field.kwargs.get("label", unbound_field.args[0] if unbound_field.args else None)
    return str(label) if label else None


def _text_rule(what: str) -> Any:
    def clean(data: Any) -> Any:
        return validation.clean_text(data, what) if isinstance(data, str) else data

    return clean


def _whole_number_rule(what: str) -> Any:
    def check(data: Any) -> Any:
        if isinstance(data, int) and (problem := validation.int_problem(data)):
            raise ValueError(f"{what} {problem}")
        return data

    return check


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, with the input rules of validation.py on every field, however the
    form declares it: text (string, text area and hidden fields; not passwords) is
    normalised (NFC, stripped) and refused with a message when it has control characters;
    whole numbers must fit the database. Every page form derives from this one."""

    class Meta(flask_wtf.FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            cls = unbound_field.field_class
            rule = None
            if issubclass(cls, StringField) and not issubclass(cls, PasswordField):
                rule = _text_rule(_label(unbound_field) or "The text")
            elif issubclass(cls, IntegerField):
                rule = _whole_number_rule(_label(unbound_field) or "The number")
            if rule is not None:
                options = {**options, "filters": [rule, *unbound_field.kwargs.get("filters", ())]}
            return super().bind_field(form, unbound_field, options)


class VersionedForm(FlaskForm):
    """A form that edits a versioned record: the hidden `version` it was read at, so a
    change made meanwhile is refused as stale (optimistic locking)."""

    version = HiddenField()

    @property
    def version_value(self) -> int | None:
        try:
            return int(self.version.data) if self.version.data else None
        except ValueError:
            return -1  # a tampered version is simply stale


class Required:
    """Like InputRequired, with the message GOV.UK asks for ("Enter …" / "Select …")."""

    field_flags = {"required": True}

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        data = field.data
        empty = data is None or (isinstance(data, str) and not data.strip()) or data == [] or data == ""
        if empty:
            # Replace WTForms' own "Not a valid choice" with the GOV.UK message.
            field.errors[:] = []
            raise StopValidation(self.message)


class EmailAddress:
    """An email address in the correct format (validation.email_problem: `.test`
    addresses, the demo's, are allowed; deliverability is not checked)."""

    def __init__(self, message: str = EMAIL_FORMAT_MESSAGE):
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        if field.data and email_problem(field.data):
            raise ValidationError(self.message)


def parse_date_parts(values: list[str], what: str) -> tuple[date | None, str | None]:
    """A GOV.UK date input's day, month and year as typed: (the date, None), (None, None)
    when all are blank, or (None, the GOV.UK message) — a missing part, not a real date,
    or outside the dates the service accepts (validation.date_problem)."""
    day, month, year = ([(v or "").strip() for v in values] + ["", "", ""])[:3]
    what_cap = what[0].upper() + what[1:]
    if not any([day, month, year]):
        return None, None
    missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
    if missing:
        return None, f"{what_cap} must include a {' and a '.join(missing)}"
    try:
        if not (day + month + year).isascii() or len(year) != 4:
            raise ValueError
        parsed = date(int(year), int(month), int(day))
    except (ValueError, OverflowError):  # OverflowError: a day or month of 20 digits
        return None, f"{what_cap} must be a real date"
    if problem := validation.date_problem(parsed):
        return None, f"{what_cap} {problem}"
    return parsed, None


class DateField(Field):
    """A GOV.UK date input (day, month, year) with the design system's messages.

    `what` completes the messages: "Enter {what}", "{What} must include a month", …
    """

    widget = GovDateInput()

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str = "the date", **kwargs: Any):
        super().__init__(label, validators, **kwargs)
        self.what = what
        self._error: str | None = None

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self._error = None
        if not valuelist:
            self.raw_data = None  # the widget then shows .data (or empty boxes)
            return
        self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        self.data, self._error = parse_date_parts(valuelist, self.what)

    def pre_validate(self, form: Any) -> None:
        if self._error:
            raise StopValidation(self._error)


MONEY_RE = re.compile(r"^\d{1,3}(,\d{3})*(\.\d{1,2})?$|^\d+(\.\d{1,2})?$")


def parse_money(raw: str | None, *, what: str = "the amount", allow_zero: bool = True) -> int:
    """Pounds as typed ("38,974", "£38,974.00") to integer pence, never through a float.

    Raises ValueError with a GOV.UK-style message for negative, non-numeric or
    over-precise amounts.
    """
    text = (raw or "").strip().replace("£", "").replace(" ", "")
    if not text:
        raise ValueError(f"Enter {what}")
    if text.startswith("-"):
        raise ValueError(f"{what[0].upper() + what[1:]} must be £0 or more")
    if re.fullmatch(r"[\d,]*\.\d{3,}", text):
        raise ValueError(f"{what[0].upper() + what[1:]} must not have more than 2 decimal places")
    if not MONEY_RE.match(text):
        raise ValueError(f"{what[0].upper() + what[1:]} must be a number in pounds and pence, like 38974.00")
    try:
        pence = int((Decimal(text.replace(",", "")) * 100).to_integral_exact())
    except InvalidOperation:  # pragma: no cover - the regex rules this out
        raise ValueError(f"{what[0].upper() + what[1:]} must be a number") from None
    if pence == 0 and not allow_zero:
        raise ValueError(f"{what[0].upper() + what[1:]} must be more than £0")
    if pence > validation.MONEY_MAX_PENCE:
        raise ValueError(f"{what[0].upper() + what[1:]} must be {validation.MONEY_MAX_LABEL} or less")
    return pence


class MoneyField(StringField):
    """An amount in pounds, held as integer pence in `.data`."""

    widget = GovTextInput()

    def __init__(
        self,
        label: str | None = None,
        validators: Any = None,
        *,
        what: str = "the amount",
        allow_zero: bool = True,
        **kwargs: Any,
    ):
        kwargs.setdefault("render_kw", {})
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.allow_zero = allow_zero
        self._raw: str | None = None
        self._error: str | None = None

    def _value(self) -> str:
        if self._raw is not None:
            return self._raw
        if isinstance(self.data, int):
            return f"{self.data // 100}.{self.data % 100:02d}"
        return ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self._error = None
        if not valuelist:
            return
        self._raw = valuelist[0]
        if not (self._raw or "").strip():
            self.data = None
            return
        try:
            self.data = parse_money(self._raw, what=self.what, allow_zero=self.allow_zero)
        except ValueError as exc:
            self.data = None
            self._error = str(exc)

    def pre_validate(self, form: Any) -> None:
        if self._error:
            raise StopValidation(self._error)


def error_summary(form: flask_wtf.FlaskForm, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """Params for govukErrorSummary: one link per error, to the first input of its field
    (a date input's day box)."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        if not errors:
            continue
        field = getattr(form, name, None)
        target = field.id if field is not None else name
        if field is not None and isinstance(field.widget, GovDateInput):
            target = f"{field.name}-day"
        message = errors[0] if isinstance(errors, list) else str(errors)
        items.append({"text": message, "href": f"#{target}"})
    for name, message in (extra or {}).items():
        items.append({"text": message, "href": f"#{name}" if name else "#"})
    return {"titleText": "There is a problem", "errorList": items}


def apply_service_errors(form: flask_wtf.FlaskForm, errors: dict[str, str]) -> dict[str, str]:
    """Put a service's field errors on the form's fields; return the ones that belong to
    no field (shown in the summary only)."""
    leftover: dict[str, str] = {}
    for name, message in errors.items():
        field = getattr(form, name, None)
        if isinstance(field, Field):
            field.errors = [*field.errors, message]
        else:
            leftover[name] = message
    return leftover


def validation_error(message: str) -> ValidationError:
    return ValidationError(message)
