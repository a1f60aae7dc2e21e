"""Forms for findings. The service checks every rule again (the API reaches it without
these forms)."""

from __future__ import annotations

from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from safeguarding.forms import (
    DateField,
    FlaskForm,
    GovCheckboxesInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import ImpactRating
from safeguarding.models.learning import ABUSE_TYPES, PANEL_THEMES, PRACTICE_DOMAINS


class FindingForm(VersionedForm):
    source_kind = RadioField(
        "Where the finding comes from",
        widget=GovRadioInput(),
        choices=[("rapid_review", "The rapid review"), ("lcspr", "The LCSPR")],
        validators=[Optional()],
    )
    statement = TextAreaField(
        "Finding",
        widget=GovTextArea(),
        description="What the review found. Only those who may see the review read this.",
        validators=[Required("Enter the finding")],
    )
    public_statement = TextAreaField(
        "Public statement",
        widget=GovTextArea(),
        description="The anonymised finding everyone with the library reads: no names, initials, ages or places",
        validators=[Required("Enter the public statement")],
    )
    found_on = DateField(
        "Date of the finding",
        what="the date of the finding",
        description="The date of the report, rapid review or audit, for example, 27 3 2026",
        validators=[Required("Enter the date of the finding")],
    )
    abuse_types = SelectMultipleField(
        "Type of abuse or neglect (adults)",
        widget=GovCheckboxesInput(),
        choices=list(ABUSE_TYPES.items()),
        validators=[Optional()],
    )
    domains = SelectMultipleField(
        "Domain of practice",
        widget=GovCheckboxesInput(),
        choices=list(PRACTICE_DOMAINS.items()),
        validators=[Optional()],
    )
    panel_themes = SelectMultipleField(
        "The Panel's themes (children)",
        widget=GovCheckboxesInput(),
        choices=list(PANEL_THEMES.items()),
        validators=[Optional()],
    )
    keywords = StringField(
        "Keywords (optional)",
        widget=GovTextInput(),
        description="Separate them with commas, for example: hoarding, fire risk",
        validators=[Optional()],
    )
    agency_ids = SelectMultipleField(
        "Agencies the finding concerns", widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )

    @property
    def tags(self) -> list[str]:
        return [*(self.abuse_types.data or []), *(self.domains.data or []), *(self.panel_themes.data or [])]


class ReauditForm(VersionedForm):
    completed_on = DateField(
        "Date of the re-audit",
        what="the date of the re-audit",
        validators=[Required("Enter the date of the re-audit")],
    )
    checked = TextAreaField(
        "What the re-audit checked",
        widget=GovTextArea(),
        description="For example, the cases sampled and the records read",
        validators=[Required("Enter what the re-audit checked")],
    )
    rating = RadioField(
        "Impact rating",
        widget=GovRadioInput(),
        choices=[(r.value, r.label) for r in ImpactRating],
        validators=[Required("Select the impact rating")],
    )
    evidence = TextAreaField(
        "Evidence for the rating",
        widget=GovTextArea(),
        validators=[Required("Enter the evidence for the rating")],
    )


class AnsweredFindingsForm(FlaskForm):
    finding_ids = SelectMultipleField(
        "Findings this recommendation answers", widget=GovCheckboxesInput(), coerce=int, validators=[Optional()]
    )
