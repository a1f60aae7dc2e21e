"""Forms of the strategic plan's pages."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from safeguarding.calendar import parse_financial_year
from safeguarding.forms import (
    DateField,
    FlaskForm,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import ConsultationKind


def _financial_year(form: Any, field: Any) -> None:
    if field.data:
        try:
            parse_financial_year(field.data)
        except ValueError:
            raise ValidationError("Enter the financial year, like 2026-27") from None


def selected_id(raw: Any) -> int | None:
    """A select's value as an id (-1 for anything that is not one: the service refuses it)."""
    if not raw:
        return None
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else -1


class PlanEditForm(VersionedForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="For example ‘Safeguarding adults together 2026 to 2029’",
        validators=[
            Required("Enter the title of the plan"),
            Length(max=300, message="Must be 300 characters or fewer"),
        ],
    )
    vision = TextAreaField(
        "Vision (optional)",
        widget=GovTextArea(),
        description="What the Board wants to achieve, in a few paragraphs",
        validators=[Optional(), Length(max=10_000, message="Must be 10,000 characters or fewer")],
    )


class PlanForm(PlanEditForm):
    financial_year = StringField(
        "Financial year",
        widget=GovTextInput(),
        description="For example, 2026-27",
        validators=[Required("Enter the financial year, like 2026-27"), _financial_year],
    )


class ObjectiveForm(FlaskForm):
    title = StringField(
        "Objective",
        widget=GovTextInput(),
        validators=[Required("Enter the objective"), Length(max=300, message="Must be 300 characters or fewer")],
    )
    description = TextAreaField(
        "Description (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=10_000, message="Must be 10,000 characters or fewer")],
    )
    priority_ids = SelectMultipleField(
        "Business plan priorities that derive from it (optional)",
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )


class LinkForm(FlaskForm):
    objective_id = SelectField(
        "Objective", widget=GovSelect(), validate_choice=False, validators=[Required("Select an objective")]
    )
    priority_ids = SelectMultipleField(
        "Business plan priorities that derive from it",
        widget=GovCheckboxesInput(),
        coerce=int,
        validate_choice=False,
    )


class CommitmentForm(FlaskForm):
    objective_id = SelectField(
        "Objective", widget=GovSelect(), validate_choice=False, validators=[Required("Select an objective")]
    )
    organisation_id = SelectField(
        "Member organisation",
        widget=GovSelect(),
        validate_choice=False,
        validators=[Required("Select a member organisation")],
    )
    text = TextAreaField(
        "What the organisation will do",
        widget=GovTextArea(),
        validators=[
            Required("Enter what the organisation will do"),
            Length(max=10_000, message="Must be 10,000 characters or fewer"),
        ],
    )


class ConsultationForm(FlaskForm):
    kind = RadioField(
        "Who was consulted",
        widget=GovRadioInput(),
        choices=[(k.value, k.label) for k in ConsultationKind],
        validators=[Required("Select who was consulted")],
    )
    consulted_on = DateField(
        "Date of the consultation",
        what="the date of the consultation",
        validators=[Required("Enter the date of the consultation")],
    )
    consulted = StringField(
        "Consulted",
        widget=GovTextInput(),
        description="Whom: for example ‘Healthwatch North and West board’",
        validators=[Required("Enter who was consulted"), Length(max=300, message="Must be 300 characters or fewer")],
    )
    response = TextAreaField(
        "What they said",
        widget=GovTextArea(),
        validators=[Required("Enter what they said"), Length(max=10_000, message="Must be 10,000 characters or fewer")],
    )
    changes = TextAreaField(
        "What changed in the plan as a result (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=10_000, message="Must be 10,000 characters or fewer")],
    )


class ConfirmForm(VersionedForm):
    """A one-button post (with the version read, where the plan changes)."""
