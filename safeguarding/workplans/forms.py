from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

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
from safeguarding.models import OVERRIDE_RAGS, Area, Arm, ItemStatus


def _financial_year(form, field) -> None:
    if field.data:
        try:
            parse_financial_year(field.data)
        except ValueError:
            raise ValidationError("Enter the financial year, like 2026-27") from None


class BusinessPlanForm(VersionedForm):
    financial_year = StringField(
        "Financial year",
        widget=GovTextInput(),
        description="For example, 2026-27",
        validators=[Required("Enter the financial year, like 2026-27"), _financial_year],
    )
    strategic_plan = TextAreaField(
        "Strategic plan",
        widget=GovTextArea(),
        description="The Partnership's strategic plan and vision for the year",
        validators=[Required("Enter the strategic plan")],
    )


class BusinessPlanEditForm(VersionedForm):
    strategic_plan = BusinessPlanForm.strategic_plan


class PriorityForm(VersionedForm):
    title = StringField(
        "Priority",
        widget=GovTextInput(),
        validators=[
            Required("Enter the title of the priority"),
            Length(max=300, message="The title must be 300 characters or fewer"),
        ],
    )
    description = TextAreaField("Description (optional)", widget=GovTextArea(), validators=[Optional()])
    arm = RadioField(
        "Who it is for",
        widget=GovRadioInput(),
        choices=[(a.value, a.label) for a in Arm],
        validators=[Required("Select whether the priority is for adults, children or both")],
    )
    area = RadioField(
        "Area",
        widget=GovRadioInput(),
        choices=[(a.value, a.label) for a in Area],
        validators=[Required("Select the area the priority covers")],
    )
    outcomes = TextAreaField(
        "Measurable outcomes",
        widget=GovTextArea(),
        description="One a line",
        validators=[Required("Enter at least one measurable outcome")],
    )


class WorkPlanForm(FlaskForm):
    group_id = SelectField("Sub-group", widget=GovSelect(), validators=[Required("Select the sub-group")])
    financial_year = StringField(
        "Financial year",
        widget=GovTextInput(),
        description="For example, 2026-27",
        validators=[Required("Enter the financial year, like 2026-27"), _financial_year],
    )


class ItemForm(VersionedForm):
    priority_id = SelectField(
        "Business plan priority", widget=GovSelect(), validators=[Required("Select a priority of the business plan")]
    )
    title = StringField(
        "What will be done",
        widget=GovTextInput(),
        validators=[
            Required("Enter what will be done"),
            Length(max=300, message="The title must be 300 characters or fewer"),
        ],
    )
    lead_organisation_id = SelectField(
        "Lead organisation", widget=GovSelect(), validators=[Required("Select the lead organisation")]
    )
    lead_person_id = SelectField("Lead person (optional)", widget=GovSelect(), validators=[Optional()])
    due_date = DateField("Due date", what="the due date", validators=[Required("Enter the due date")])
    success_measure = TextAreaField(
        "Success measure", widget=GovTextArea(), validators=[Required("Enter how success will be measured")]
    )
    is_audit = BooleanField(
        "A multi-agency audit in the sub-group's audit programme",
        widget=GovCheckboxInput(),
        description="Completed when the business office records the audit that carries it out.",
    )


class UpdateForm(FlaskForm):
    text = TextAreaField("Progress made", widget=GovTextArea(), validators=[Required("Enter the progress made")])
    percent = IntegerField(
        "Percentage complete (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message="The percentage complete must be between 0 and 100"),
        ],
    )
    milestone = StringField(
        "Milestone reached (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="The milestone must be 300 characters or fewer")],
    )
    evidence = FileField(
        "Evidence (optional)",
        widget=GovFileInput(),
        description="A PDF, Word document (DOCX) or Excel spreadsheet (XLSX), smaller than 15MB",
    )


class StatusForm(VersionedForm):
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=[(s.value, s.label) for s in ItemStatus],
        validators=[Required("Select the status")],
    )
    reason = TextAreaField("Reason (needed to defer or cancel)", widget=GovTextArea(), validators=[Optional()])


class RiskForm(VersionedForm):
    at_risk = BooleanField("The item is at risk", widget=GovCheckboxInput())
    at_risk_reason = TextAreaField("Why it is at risk", widget=GovTextArea(), validators=[Optional()])


class OverrideForm(VersionedForm):
    rag = RadioField(
        "Rating",
        widget=GovRadioInput(),
        choices=[(r.value, r.label) for r in OVERRIDE_RAGS] + [("", "No override: use the derived rating")],
        validators=[Optional()],
    )
    justification = TextAreaField(
        "Justification",
        widget=GovTextArea(),
        description="Shown on the item with your name and the date",
        validators=[Optional()],
    )


class YearEndForm(VersionedForm):
    action = RadioField(
        "At year end",
        widget=GovRadioInput(),
        choices=[("carry", "Carry forward into next year's plan"), ("close", "Close with a reason")],
        validators=[Required("Select whether to carry the item forward or close it")],
    )
    due_date = DateField(
        "New due date (when carried forward, optional)", what="the new due date", validators=[Optional()]
    )
    reason = TextAreaField("Reason (when closed)", widget=GovTextArea(), validators=[Optional()])


class TorReviewForm(FlaskForm):
    group_id = SelectField("Sub-group", widget=GovSelect(), validators=[Required("Select the sub-group")])
    reviewed_on = DateField(
        "Date reviewed",
        what="the date the terms of reference were reviewed",
        validators=[Required("Enter the date the terms of reference were reviewed")],
    )
    meeting_id = SelectField("At the meeting (optional)", widget=GovSelect(), validators=[Optional()])
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional()])
