"""Forms of the meeting office's pages: a paper's cover sheet, a risk and its scores, a
mitigating action, closing a risk."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from safeguarding.extensions import db
from safeguarding.forms import DateField, FlaskForm, GovRadioInput, GovSelect, GovTextArea, GovTextInput, Required
from safeguarding.models import Organisation, PaperPurpose, Person
from safeguarding.web import choices

PURPOSES = [(p.value, p.label) for p in PaperPurpose]


def organisation_choices(blank: str) -> list[tuple[str, str]]:
    return choices(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)), blank=blank)


class CoverSheetFields:
    """The cover sheet's fields, shared by the cover sheet page and the paper form (where
    they are optional: a paper may come without one)."""

    purpose = RadioField("Purpose of the paper", widget=GovRadioInput(), choices=PURPOSES, validators=[Optional()])
    asked_to = TextAreaField(
        "What the meeting is asked to do",
        widget=GovTextArea(),
        description="For example ‘Approve the draft budget for 2027/28’",
        validators=[Optional(), Length(max=2000, message="This must be 2000 characters or fewer")],
    )
    author = StringField(
        "Author",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="The author must be 200 characters or fewer")],
    )
    # Checked by the service (a form posted without it, as older clients do, has none).
    sponsor_organisation_id = SelectField(
        "Sponsoring organisation (optional)", widget=GovSelect(), validate_choice=False
    )
    risks = TextAreaField(
        "Risks (optional)",
        widget=GovTextArea(),
        description="The risks the paper raises, and how likely they are",
        validators=[Optional(), Length(max=4000, message="This must be 4000 characters or fewer")],
    )

    def set_sponsors(self: Any) -> None:
        self.sponsor_organisation_id.choices = organisation_choices("None")

    def sheet_values(self: Any) -> dict[str, Any]:
        sponsor = self.sponsor_organisation_id.data
        return {
            "purpose": self.purpose.data or None,
            "asked_to": self.asked_to.data,
            "author": self.author.data,
            "sponsor_organisation_id": (int(sponsor) if sponsor.isdigit() else -1) if sponsor else None,
            "risks": self.risks.data,
        }

    def has_sheet(self: Any) -> bool:
        return bool(self.purpose.data or self.asked_to.data or self.author.data)


class CoverSheetForm(CoverSheetFields, FlaskForm):
    pass


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
SCORE_HINTS = {
    "likelihood": "1 rare, 2 unlikely, 3 possible, 4 likely, 5 almost certain",
    "impact": "1 negligible, 2 minor, 3 moderate, 4 major, 5 severe",
}


def _score(label: str, kind: str, what: str) -> SelectField:
    return SelectField(
        label,
        widget=GovSelect(),
        choices=[("", "Select")] + SCORE_CHOICES,
        description=SCORE_HINTS[kind],
        validators=[Required(f"Select {what}")],
    )


class RiskForm(FlaskForm):
    title = StringField(
        "Risk",
        widget=GovTextInput(),
        validators=[Required("Enter the risk"), Length(max=300, message="The risk must be 300 characters or fewer")],
    )
    cause = TextAreaField("Cause", widget=GovTextArea(), validators=[Required("Enter the cause")])
    effect = TextAreaField("Effect", widget=GovTextArea(), validators=[Required("Enter the effect")])
    owner_organisation_id = SelectField(
        "Owner organisation", widget=GovSelect(), validators=[Required("Select the organisation that owns the risk")]
    )
    owner_person_id = SelectField("Owner (optional)", widget=GovSelect(), validate_choice=False)
    inherent_likelihood = _score("Likelihood before mitigations", "likelihood", "the likelihood before mitigations")
    inherent_impact = _score("Impact before mitigations", "impact", "the impact before mitigations")
    controls = TextAreaField("Controls and mitigations relied on (optional)", widget=GovTextArea())
    residual_likelihood = _score("Likelihood after mitigations", "likelihood", "the likelihood after mitigations")
    residual_impact = _score("Impact after mitigations", "impact", "the impact after mitigations")
    review_date = DateField("Review date", what="the review date", validators=[Required("Enter the review date")])
    note = TextAreaField(
        "Why the scores changed (optional)",
        widget=GovTextArea(),
        description="Kept with the risk's score history",
        validators=[Optional(), Length(max=2000, message="The note must be 2000 characters or fewer")],
    )

    def set_choices(self) -> None:
        self.owner_organisation_id.choices = organisation_choices("Select an organisation")
        people = db.session.scalars(sa.select(Person).where(Person.active.is_(True)).order_by(Person.name))
        self.owner_person_id.choices = choices(people, blank="No named person")

    def values(self) -> dict[str, Any]:
        person = self.owner_person_id.data
        return {
            "title": self.title.data,
            "cause": self.cause.data,
            "effect": self.effect.data,
            "controls": self.controls.data,
            "owner_organisation_id": int(self.owner_organisation_id.data),
            "owner_person_id": (int(person) if person.isdigit() else -1) if person else None,
            "inherent_likelihood": int(self.inherent_likelihood.data),
            "inherent_impact": int(self.inherent_impact.data),
            "residual_likelihood": int(self.residual_likelihood.data),
            "residual_impact": int(self.residual_impact.data),
            "review_date": self.review_date.data,
        }


class MitigationForm(FlaskForm):
    title = StringField(
        "What needs to be done",
        widget=GovTextInput(),
        validators=[Required("Enter what needs to be done"), Length(max=300)],
    )
    owner_organisation_id = SelectField(
        "Organisation that owns the action",
        widget=GovSelect(),
        validators=[Required("Select the organisation that owns the action")],
    )
    due_date = DateField("Due date", what="the due date", validators=[Required("Enter the date the action is due")])

    def set_choices(self) -> None:
        self.owner_organisation_id.choices = organisation_choices("Select an organisation")


class CloseRiskForm(FlaskForm):
    reason = TextAreaField(
        "Why is the risk closed?", widget=GovTextArea(), validators=[Required("Enter why the risk is closed")]
    )


class CsrfOnly(FlaskForm):
    """A one-button post."""


class ForwardItemForm(FlaskForm):
    title = StringField(
        "Business",
        widget=GovTextInput(),
        validators=[
            Required("Enter the business"),
            Length(max=300, message="The title must be 300 characters or fewer"),
        ],
    )
    kind = SelectField("Kind", widget=GovSelect(), validators=[Required("Select the kind of business")])
    month = SelectField(
        "Month",
        widget=GovSelect(),
        description="It goes to the Board's first meeting on or after the first of the month",
        validators=[Required("Select the month")],
    )
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional(), Length(max=2000)])
