"""Forms of the information governance pages."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from safeguarding.forms import (
    DateField,
    EmailAddress,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import FinalAction, HoldScope, RetentionTrigger
from safeguarding.services.records import schedule

LONG = Length(max=4000, message="This must be 4000 characters or fewer")


class AccessRequestForm(VersionedForm):
    requester_name = StringField(
        "Name of the person asking",
        widget=GovTextInput(),
        validators=[
            Required("Enter the name of the person asking"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    requester_email = StringField(
        "Their email address (optional)", widget=GovTextInput(), validators=[Optional(), EmailAddress()]
    )
    received_on = DateField(
        "Date received",
        what="the date the request was received",
        validators=[Required("Enter the date the request was received")],
    )
    identity_checked_on = DateField(
        "Date their identity was checked (optional)",
        what="the date the identity was checked",
        description="The month runs from this date when it is later than the date received",
    )
    search_names = TextAreaField(
        "Names to look for",
        widget=GovTextArea(),
        description="One per line: the names the person has been known by. Empty: the name above",
        validators=[Optional(), LONG],
    )
    search_emails = TextAreaField(
        "Email addresses to look for (optional)",
        widget=GovTextArea(),
        description="One per line",
        validators=[Optional(), LONG],
    )

    def values(self) -> dict:
        return {
            k: getattr(self, k).data
            for k in (
                "requester_name",
                "requester_email",
                "received_on",
                "identity_checked_on",
                "search_names",
                "search_emails",
            )
        }


class ExtendForm(VersionedForm):
    reason = TextAreaField(
        "Why the request needs two more months",
        widget=GovTextArea(),
        description="The request is complex, or the person has made a number of requests",
        validators=[
            Required("Enter why the request needs more time (it is complex, or there are many requests)"),
            LONG,
        ],
    )
    person_told_on = DateField(
        "Date the person was told of the extension and why",
        what="the date the person was told",
        validators=[Required("Enter the date the person was told of the extension and why")],
    )


class AnswerForm(VersionedForm):
    answered_on = DateField(
        "Date the answer was sent",
        what="the date the answer was sent",
        validators=[Required("Enter the date the answer was sent")],
    )
    outcome = TextAreaField(
        "What was disclosed, withheld or redacted, and why",
        widget=GovTextArea(),
        validators=[Required("Enter what was disclosed, withheld or redacted, and why"), LONG],
    )


class ReasonForm(VersionedForm):
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Required("Enter the reason"), LONG])


class RuleForm(VersionedForm):
    period_years = IntegerField(
        "Period in years",
        widget=GovTextInput(),
        description="Empty for records kept permanently",
        validators=[Optional(), NumberRange(min=1, max=100, message="Enter a period from 1 to 100 years")],
    )
    trigger = RadioField(
        "What starts the period",
        widget=GovRadioInput(),
        choices=[(t.value, t.label) for t in RetentionTrigger],
        validators=[Required("Select what starts the period")],
    )
    final_action = RadioField(
        "At the end of the period",
        widget=GovRadioInput(),
        choices=[(a.value, a.label) for a in FinalAction],
        validators=[Required("Select what happens at the end of the period")],
    )
    confirmed = BooleanField("The partnership has confirmed this period", widget=GovCheckboxInput())
    note = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        description="For example, the host council's schedule it follows",
        validators=[Optional(), LONG],
    )


class HoldForm(VersionedForm):
    scope = RadioField(
        "What the hold covers",
        widget=GovRadioInput(),
        choices=[(s.value, s.label) for s in HoldScope],
        validators=[Required("Select what the hold covers")],
    )
    class_key = SelectField(
        "Record class",
        widget=GovSelect(),
        validate_choice=False,
        choices=[("", "Select a class")] + [(c.key, c.name) for c in schedule.CLASSES],
    )
    review_id = SelectField("Case review", widget=GovSelect(), validate_choice=False)
    record_type = SelectField(
        "Kind of record",
        widget=GovSelect(),
        validate_choice=False,
        choices=[("", "Select a kind")] + [(k, v[1].capitalize()) for k, v in schedule.RECORD_TYPES.items()],
    )
    record_id = StringField(
        "Record number",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=12, message="Enter the record's number")],
    )
    reason = TextAreaField(
        "Why the records must be kept",
        widget=GovTextArea(),
        description="For example, the Independent Inquiry into Child Sexual Abuse's instruction of 2015",
        validators=[Required("Enter why the records must be kept (for example, the inquiry's instruction)"), LONG],
    )


class DecisionForm(VersionedForm):
    decision = RadioField(
        "What should happen to this record?",
        widget=GovRadioInput(),
        choices=[
            ("disclose", "Disclose it"),
            ("redact", "Disclose it with redactions"),
            ("withhold", "Withhold it"),
        ],
        validators=[Required("Select whether to disclose, redact or withhold the record")],
    )
    reason = TextAreaField(
        "Reason (required to redact or withhold)",
        widget=GovTextArea(),
        description="For example, the exemption relied on, or whose information is removed",
        validators=[Optional(), LONG],
    )
    redactions = TextAreaField(
        "Words to blank out (to redact a record the service holds)",
        widget=GovTextArea(),
        description="One word or phrase per line, such as another person's name",
        validators=[Optional(), LONG],
    )
    redacted_file = FileField(
        "Redacted copy (to redact a letter or a paper)",
        widget=GovFileInput(),
        description="A PDF or Word document (DOCX), smaller than 15MB",
    )
