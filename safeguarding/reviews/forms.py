"""Forms for case reviews. Messages follow the GOV.UK design system; services check the
rules again (the API reaches them without these forms)."""

from __future__ import annotations

import re

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from safeguarding.forms import (
    DateField,
    EmailAddress,
    FlaskForm,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    MoneyField,
    Required,
    VersionedForm,
)
from safeguarding.models import (
    AbuseOrNeglect,
    AgeBand,
    Area,
    IncidentKind,
    Methodology,
    PanelOutcome,
    ParallelProcess,
    ReviewEventKind,
)
from safeguarding.services.reviews import LCSPR_CRITERIA
from safeguarding.services.reviews.screening import QUESTIONS, UNANSWERED

YES_NO = [("yes", "Yes"), ("no", "No")]
NO_NAMES = "Use initials only: never a name"
FILE_HINT = "A PDF, Word document (DOCX) or Excel spreadsheet (XLSX), smaller than 15MB"


def initials_only(form, field) -> None:
    """Initials, never a name (the service checks again)."""
    from wtforms.validators import ValidationError

    text = re.sub(r"[\s.]", "", field.data or "")
    if text and not (text.isalpha() and text.isascii() and len(text) <= 4):
        raise ValidationError("Initials must be 1 to 4 letters, like JS (never a name)")


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def as_yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _bands(adult: bool) -> list[tuple[str, str]]:
    return [("", "Select an age band")] + [(b.value, b.label) for b in AgeBand if b.adult == adult]


class _CaseFields(FlaskForm):
    initials = StringField(
        "Initials",
        widget=GovTextInput(),
        description=NO_NAMES,
        validators=[Required("Enter the initials"), initials_only],
    )
    area = RadioField(
        "Area",
        widget=GovRadioInput(),
        choices=[(a.value, a.label) for a in Area],
        validators=[Required("Select the area")],
    )
    harm_date = DateField(
        "Date of death or serious harm",
        what="the date of death or serious harm",
        validators=[Required("Enter the date of death or serious harm")],
    )
    summary = TextAreaField(
        "What happened", widget=GovTextArea(), description=NO_NAMES, validators=[Required("Enter what happened")]
    )
    agency_ids = SelectMultipleField(
        "Agencies involved",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[Optional()],
        description="Select all that apply",
    )


class ReferralForm(_CaseFields):
    age_band = SelectField(
        "Age band", widget=GovSelect(), choices=_bands(True), validators=[Required("Select the adult's age band")]
    )
    referrer_organisation_id = SelectField("Referring organisation", widget=GovSelect(), validators=[Optional()])
    referral_source = StringField(
        "Who made the referral",
        widget=GovTextInput(),
        description="The team or role, for example ‘Adult social care front door’",
        validators=[Optional(), Length(max=300)],
    )
    received_by_email = BooleanField("This referral was received by email", widget=GovCheckboxInput())
    received_on = DateField(
        "Date the referral was received",
        what="the date the referral was received",
        validators=[Optional()],
        description="Leave blank for today",
    )


_INCIDENT_MESSAGE = "Select whether the child died or was seriously harmed"
_ABUSE_MESSAGE = "Select whether abuse or neglect is known or suspected"


def _incident_field(validators: list) -> RadioField:
    return RadioField(
        "Did the child die or were they seriously harmed?",
        widget=GovRadioInput(),
        choices=[(k.value, k.label) for k in IncidentKind],
        validators=validators,
    )


def _abuse_field(validators: list) -> RadioField:
    return RadioField(
        "Abuse or neglect",
        widget=GovRadioInput(),
        choices=[(a.value, a.label) for a in AbuseOrNeglect],
        description="A looked-after child's death is notified whether or not abuse or neglect is suspected",
        validators=validators,
    )


class _NotificationFacts(FlaskForm):
    """The serious incident notification's facts (services/reviews/notification.py checks
    them against each other)."""

    incident = _incident_field([Optional()])
    abuse_or_neglect = _abuse_field([Optional()])
    ofsted_notified_on = DateField(
        "Date Ofsted was notified",
        what="the date Ofsted was notified",
        validators=[Optional()],
        description="For a looked-after child: required once the Panel is notified",
    )
    secretary_of_state_notified_on = DateField(
        "Date the Secretary of State was notified",
        what="the date the Secretary of State was notified",
        validators=[Optional()],
        description="For a looked-after child: required once the Panel is notified",
    )
    partners_told_on = DateField(
        "Date the safeguarding partners were told",
        what="the date the safeguarding partners were told",
        validators=[Optional()],
        description="Leave blank: the service emails the partners of the child's area and records the date",
    )
    siblings_harmed = IntegerField(
        "Siblings harmed (optional)",
        widget=GovTextInput(),
        description="One notification per child who died or was seriously harmed; harmed siblings are recorded with it",
        validators=[
            Optional(),
            NumberRange(min=0, max=20, message="Enter the number of harmed siblings, from 0 to 20"),
        ],
    )
    siblings_note = TextAreaField(
        "About the harmed siblings (optional)", widget=GovTextArea(), description=NO_NAMES, validators=[Optional()]
    )


def notification_values(form: _NotificationFacts) -> dict:
    """The notification's facts from the form, for the service."""
    return {
        "incident": form.incident.data or None,
        "abuse_or_neglect": form.abuse_or_neglect.data or None,
        "ofsted_notified_on": form.ofsted_notified_on.data,
        "secretary_of_state_notified_on": form.secretary_of_state_notified_on.data,
        "partners_told_on": form.partners_told_on.data,
        "siblings_harmed": form.siblings_harmed.data,
        "siblings_note": form.siblings_note.data,
    }


class NotificationForm(_CaseFields, _NotificationFacts):
    age_band = SelectField(
        "Age band", widget=GovSelect(), choices=_bands(False), validators=[Required("Select the child's age band")]
    )
    la_aware_on = DateField(
        "Date the local authority became aware",
        what="the date the local authority became aware",
        validators=[Required("Enter the date the local authority became aware of the incident")],
    )
    notified_on = DateField(
        "Date the notification was sent to the national panel",
        what="the date of the notification",
        validators=[Optional()],
        description="Leave blank if it has not been sent yet",
    )
    children_count = IntegerField(
        "Number of children",
        widget=GovTextInput(),
        default=1,
        description="One notification covers up to 4 children",
        validators=[
            Required("Enter the number of children"),
            NumberRange(min=1, max=4, message="One notification covers between 1 and 4 children"),
        ],
    )
    looked_after = RadioField(
        "Was the child looked after?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[Required("Select whether the child was looked after")],
    )
    referral_source = StringField(
        "Notified by",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300)],
        description="For example ‘North Council children's services’",
    )
    incident = _incident_field([Required(_INCIDENT_MESSAGE)])
    abuse_or_neglect = _abuse_field([Required(_ABUSE_MESSAGE)])


class CaseDetailsForm(VersionedForm, _NotificationFacts):
    initials = StringField(
        "Initials",
        widget=GovTextInput(),
        description=NO_NAMES,
        validators=[Required("Enter the initials"), initials_only],
    )
    age_band = SelectField("Age band", widget=GovSelect(), validators=[Required("Select the age band")])
    area = RadioField(
        "Area",
        widget=GovRadioInput(),
        choices=[(a.value, a.label) for a in Area],
        validators=[Required("Select the area")],
    )
    harm_date = DateField(
        "Date of death or serious harm",
        what="the date of death or serious harm",
        validators=[Required("Enter the date of death or serious harm")],
    )
    summary = TextAreaField(
        "What happened", widget=GovTextArea(), description=NO_NAMES, validators=[Required("Enter what happened")]
    )
    referral_source = StringField(
        "Referral source", widget=GovTextInput(), validators=[Required("Enter who made the referral"), Length(max=300)]
    )
    referrer_organisation_id = SelectField("Referring organisation", widget=GovSelect(), validators=[Optional()])
    group_id = SelectField("Sub-group", widget=GovSelect(), validators=[Required("Select the sub-group")])
    period_from = DateField("Period in scope: from", what="the start of the period in scope", validators=[Optional()])
    period_to = DateField("Period in scope: to", what="the end of the period in scope", validators=[Optional()])
    family_invited = RadioField(
        "Was the family invited to contribute?",
        widget=GovRadioInput(),
        choices=[*YES_NO, ("", "Not yet decided")],
        validators=[Optional()],
    )
    family_notes = TextAreaField("Family involvement (optional)", widget=GovTextArea(), validators=[Optional()])
    parallel_processes = SelectMultipleField(
        "Parallel processes",
        widget=GovCheckboxesInput(),
        choices=[(p.value, p.label) for p in ParallelProcess],
        validators=[Optional()],
        description="Select all that apply",
    )
    parallel_notes = TextAreaField(
        "Parallel processes: notes (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    delay_explanation = TextAreaField(
        "Explanation of any delay (optional)", widget=GovTextArea(), validators=[Optional()]
    )
    notified_on = DateField(
        "Date the notification was sent to the national panel",
        what="the date of the notification",
        validators=[Optional()],
    )
    children_count = IntegerField(
        "Number of children",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=1, max=4, message="One notification covers between 1 and 4 children")],
    )
    looked_after = RadioField(
        "Was the child looked after?", widget=GovRadioInput(), choices=YES_NO, validators=[Optional()]
    )

    def validate_period_to(self, field):
        from wtforms.validators import ValidationError

        if field.data and self.period_from.data and field.data < self.period_from.data:
            raise ValidationError("The end of the period in scope must be the same as or after its start")


def _s44_question(name: str) -> RadioField:
    return RadioField(QUESTIONS[name], widget=GovRadioInput(), choices=YES_NO, validators=[Required(UNANSWERED[name])])


def _reason() -> TextAreaField:
    return TextAreaField("Reason", widget=GovTextArea(), validators=[Required("Enter the reason for this answer")])


class ScreeningForm(VersionedForm):
    """The s44 questions in the Act's words (services/reviews/screening.py)."""

    in_area = _s44_question("in_area")
    in_area_reason = _reason()
    needs = _s44_question("needs")
    needs_reason = _reason()
    died = _s44_question("died")
    abuse = _s44_question("abuse")
    abuse_reason = _reason()
    concern = _s44_question("concern")
    concern_reason = _reason()


class RapidReviewForm(VersionedForm):
    criteria = SelectMultipleField(
        "Criteria for a local review the case meets",
        widget=GovCheckboxesInput(),
        choices=list(LCSPR_CRITERIA.items()),
        validators=[Optional()],
        description="Select all that apply",
    )
    reasons = TextAreaField(
        "Findings and reasons",
        widget=GovTextArea(),
        validators=[Required("Enter the rapid review's findings and reasons")],
    )
    sent_on = DateField(
        "Date sent to the national panel", what="the date the rapid review was sent", validators=[Optional()]
    )
    panel_outcome = RadioField(
        "The national panel's response",
        widget=GovRadioInput(),
        choices=[
            (PanelOutcome.agrees.value, PanelOutcome.agrees.label),
            (PanelOutcome.disagrees.value, PanelOutcome.disagrees.label),
            ("", "No response yet"),
        ],
        description="If the Panel takes the case as a national review, use ‘Record a national review’ on the review",
        validators=[Optional()],
    )
    panel_response = TextAreaField(
        "The Panel's reasons or notes",
        widget=GovTextArea(),
        description="Required when the Panel disagrees",
        validators=[Optional()],
    )
    panel_response_on = DateField(
        "Date of the panel's response", what="the date of the panel's response", validators=[Optional()]
    )


class ReportSentForm(VersionedForm):
    sent_on = DateField(
        "Date the final report was sent to the Panel and the Secretary of State",
        what="the date the report was sent",
        validators=[Required("Enter the date the report was sent to the Panel and the Secretary of State")],
    )


class DecideForm(VersionedForm):
    outcome = RadioField("Decision", widget=GovRadioInput(), validators=[Required("Select your decision")])
    decision_reason = TextAreaField(
        "Reasons for the decision",
        widget=GovTextArea(),
        description="For a SAR, say why the route is mandatory or discretionary",
        validators=[Required("Enter reasons for the decision")],
    )
    alternative_learning = TextAreaField(
        "Alternative learning activity (optional)",
        widget=GovTextArea(),
        description="When no review is commissioned: any other learning required",
        validators=[Optional()],
    )


class CommissioningForm(VersionedForm):
    terms_of_reference = TextAreaField(
        "Terms of reference", widget=GovTextArea(), validators=[Required("Enter the terms of reference")]
    )
    methodology = RadioField(
        "Methodology",
        widget=GovRadioInput(),
        choices=[(m.value, m.label) for m in Methodology],
        validators=[Required("Select the methodology")],
    )
    reviewer = StringField(
        "Independent reviewer",
        widget=GovTextInput(),
        validators=[Required("Enter the independent reviewer"), Length(max=200)],
    )
    contract_value = MoneyField(
        "Contract value", what="the contract value", validators=[Required("Enter the contract value")]
    )
    period_from = DateField(
        "Period in scope: from",
        what="the start of the period in scope",
        validators=[Required("Enter the start of the period in scope")],
    )
    period_to = DateField(
        "Period in scope: to",
        what="the end of the period in scope",
        validators=[Required("Enter the end of the period in scope")],
    )


class EventForm(FlaskForm):
    kind = RadioField(
        "What took place",
        widget=GovRadioInput(),
        choices=[(k.value, k.label) for k in ReviewEventKind],
        validators=[Required("Select what took place")],
    )
    held_on = DateField("Date", what="the date it took place", validators=[Required("Enter the date it took place")])
    notes = TextAreaField("Notes (optional)", widget=GovTextArea(), validators=[Optional()])


class ReportForm(VersionedForm):
    file = FileField("Report", widget=GovFileInput(), description="A PDF or Word document (DOCX), smaller than 15MB")


class QualityCheckForm(VersionedForm):
    passed = RadioField(
        "Does the draft report meet the quality markers?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[Required("Select whether the draft report meets the quality markers")],
    )
    notes = TextAreaField(
        "The sub-group's findings", widget=GovTextArea(), validators=[Required("Enter the sub-group's findings")]
    )


class AgencyForm(FlaskForm):
    organisation_id = SelectField("Agency", widget=GovSelect(), validators=[Required("Select the agency")])


S45_CONDITION_CHOICES = [
    (1, "1: the request is for the purpose of enabling or assisting the Board to perform its functions"),
    (2, "2: the recipient is likely to have information relevant to the Board's functions"),
    (3, "3: the information relates to the recipient, a function it exercises or a person it serves"),
    (4, "4: the information was derived from information already supplied under section 45"),
]


class RequestForm(FlaskForm):
    organisation_id = SelectField(
        "Agency in the directory",
        widget=GovSelect(),
        validators=[Optional()],
        description="Or leave this and enter someone outside the directory below",
    )
    recipient_name = StringField(
        "Name of the person or body",
        widget=GovTextInput(),
        description="For example, The Practice Manager, Riverside Medical Practice",
        validators=[Optional(), Length(max=200, message="The name must be 200 characters or fewer")],
    )
    recipient_email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="The letter is emailed here as a PDF",
        validators=[Optional(), EmailAddress()],
    )
    recipient_address = TextAreaField(
        "Postal address",
        widget=GovTextArea(),
        description="Printed on the letter",
        validators=[Optional(), Length(max=1000, message="The address must be 1,000 characters or fewer")],
    )
    request = TextAreaField(
        "Information requested",
        widget=GovTextArea(),
        description=NO_NAMES,
        validators=[Required("Enter the information requested")],
    )
    conditions = SelectMultipleField(
        "Section 45 conditions that apply",
        widget=GovCheckboxesInput(),
        coerce=int,
        validators=[Optional()],
        choices=S45_CONDITION_CHOICES,
        description="Conditions 1 and 2, and 3 or 4, must apply",
    )
    sent_on = DateField(
        "Date sent", what="the date the request was sent", validators=[Optional()], description="Leave blank for today"
    )
    due_on = DateField(
        "Due date",
        what="the due date",
        validators=[Optional()],
        description="Leave blank for 20 working days after sending",
    )


class BoardRequestForm(RequestForm):
    """A request under s45 for another Board function (the fields shown first)."""

    purpose = RadioField(
        "What is the information for?",
        widget=GovRadioInput(),
        choices=[("audit", "A multi-agency audit"), ("data", "Performance or other data")],
        validators=[Required("Select what the information is for")],
    )
    purpose_detail = StringField(
        "Which audit or data",
        widget=GovTextInput(),
        description="For example, Multi-agency audit of self-neglect cases, 2026",
        validators=[
            Required("Enter the Board function the information is for, like the audit's name"),
            Length(max=300, message="The Board function must be 300 characters or fewer"),
        ],
    )


class AnswerForm(VersionedForm):
    response = TextAreaField(
        "The information requested", widget=GovTextArea(), validators=[Required("Enter the information requested")]
    )
    chronology = FileField("Chronology or other documents (optional)", widget=GovFileInput(), description=FILE_HINT)


class RecommendationForm(FlaskForm):
    text = TextAreaField("Recommendation", widget=GovTextArea(), validators=[Required("Enter the recommendation")])


class RecommendationActionForm(FlaskForm):
    title = StringField(
        "What needs to be done",
        widget=GovTextInput(),
        validators=[Required("Enter what needs to be done"), Length(max=300)],
    )
    owner_organisation_id = SelectField(
        "Agency responsible", widget=GovSelect(), validators=[Required("Select the organisation that owns the action")]
    )
    due_date = DateField(
        "Due date", what="the date the action is due", validators=[Required("Enter the date the action is due")]
    )
    description = TextAreaField("More detail (optional)", widget=GovTextArea(), validators=[Optional()])
