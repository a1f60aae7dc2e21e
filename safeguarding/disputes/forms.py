from __future__ import annotations

from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional, ValidationError

from safeguarding.calendar import today
from safeguarding.forms import (
    DateField,
    FlaskForm,
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import AgendaResponseKind, ComplaintKind


class DisputeForm(FlaskForm):
    subject = StringField(
        "What the dispute is about",
        widget=GovTextInput(),
        description="A short subject, without the names of people",
        validators=[
            Required("Enter what the dispute is about"),
            Length(max=300, message="The subject must be 300 characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "Summary",
        widget=GovTextArea(),
        description="What the parties disagree about and what has been tried",
        validators=[Required("Enter a summary of the dispute")],
    )
    raised_on = DateField(
        "Date the dispute was raised",
        what="the date the dispute was raised",
        description="Today, unless it was raised earlier (for example at a meeting last week). For example, 27 3 2026",
        default=today,
        validators=[Required("Enter the date the dispute was raised")],
    )
    party_organisation_ids = SelectMultipleField(
        "Organisations in dispute",
        widget=GovCheckboxesInput(),
        coerce=int,
        description="Select all the partner organisations in dispute",
        validators=[Required("Select at least two organisations in dispute")],
    )

    def validate_party_organisation_ids(self, field) -> None:
        if len(set(field.data or [])) < 2:
            raise ValidationError("Select at least two organisations in dispute")


class DisputeEditForm(VersionedForm):
    subject = DisputeForm.subject
    summary = DisputeForm.summary


class MeetingForm(VersionedForm):
    meeting_on = DateField(
        "Date of the meeting",
        what="the date of the meeting",
        description="For example, 27 3 2026",
        validators=[Required("Enter the date of the meeting")],
    )
    meeting_time = StringField(
        "Time of the meeting",
        widget=GovTextInput(),
        description="For example, 14:00 or 2:30pm",
        validators=[Required("Enter the time of the meeting")],
    )
    location = TextAreaField(
        "Place or online meeting link",
        widget=GovTextArea(),
        validators=[Required("Enter where the meeting will be held or its online link")],
    )
    chair_person_id = SelectField(
        "Who will chair the meeting",
        widget=GovSelect(),
        coerce=str,
        description="The Independent Chair chairs dispute meetings unless there is a reason for someone else to",
        validators=[Required("Select who will chair the meeting")],
    )
    chair_reason = TextAreaField(
        "Reason someone other than the Independent Chair will chair it (if so)",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    late_reason = TextAreaField(
        "Reason the meeting is after the deadline (if it is)", widget=GovTextArea(), validators=[Optional()]
    )
    outcome = TextAreaField(
        "Outcome of the meeting, if it has already been held",
        widget=GovTextArea(),
        description="Only for a meeting that has taken place (a past date): it is then recorded as convened and held",
        validators=[Optional()],
    )
    comment = TextAreaField("Why the arrangements changed", widget=GovTextArea(), validators=[Optional()])


class AgendaForm(VersionedForm):
    agenda = TextAreaField(
        "Agenda",
        widget=GovTextArea(),
        description="One item a line. Each party must agree it; a change means every party agrees again",
        validators=[Required("Enter the agenda")],
    )


class AgendaResponseForm(FlaskForm):
    agenda_revision = HiddenField()
    response = RadioField(
        "Does your organisation agree this agenda?",
        widget=GovRadioInput(),
        choices=[
            (AgendaResponseKind.agreed.value, "Yes, we agree it"),
            (AgendaResponseKind.changes_proposed.value, "No, we propose changes"),
        ],
        validators=[Required("Select whether you agree the agenda or propose changes")],
    )
    changes = TextAreaField(
        "Changes you propose (if you propose changes)", widget=GovTextArea(), validators=[Optional()]
    )

    @property
    def revision_value(self) -> int | None:
        try:
            return int(self.agenda_revision.data)
        except (TypeError, ValueError):
            return None


class DisputeActionForm(FlaskForm):
    title = StringField(
        "What needs to be done",
        widget=GovTextInput(),
        validators=[Required("Enter what needs to be done"), Length(max=300)],
    )
    description = TextAreaField("More detail (optional)", widget=GovTextArea(), validators=[Optional()])
    owner_organisation_id = SelectField(
        "Owning organisation", widget=GovSelect(), validators=[Required("Select the organisation that owns the action")]
    )
    owner_person_id = SelectField("Owner (optional)", widget=GovSelect(), validators=[Optional()])
    due_date = DateField(
        "Due date", what="the date the action is due", validators=[Required("Enter the date the action is due")]
    )


class ComplaintForm(FlaskForm):
    kind = RadioField(
        "What is the complaint about?",
        widget=GovRadioInput(),
        choices=[(k.value, k.label) for k in ComplaintKind],
        validators=[Required("Select what the complaint is about")],
    )
    organisation_id = SelectField(
        "Organisation whose service it is about",
        widget=GovSelect(),
        description="Only for a complaint about a member organisation's service",
        validators=[Optional()],
    )
    received_on = DateField(
        "Date the complaint was received",
        what="the date the complaint was received",
        validators=[Required("Enter the date the complaint was received")],
    )
    complainant_name = StringField(
        "Complainant's name",
        widget=GovTextInput(),
        validators=[Required("Enter the complainant's name"), Length(max=200)],
    )
    complainant_contact = StringField(
        "How to contact the complainant",
        widget=GovTextInput(),
        description="An email address, telephone number or postal address",
        validators=[Required("Enter how to contact the complainant"), Length(max=320)],
    )
    summary = TextAreaField(
        "What the complaint is about",
        widget=GovTextArea(),
        description="Keep personal details to what is needed to handle the complaint",
        validators=[Required("Enter what the complaint is about")],
    )
