from __future__ import annotations

from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from safeguarding.forms import (
    DateField,
    EmailAddress,
    FlaskForm,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import SendAs


class StartForm(FlaskForm):
    kind = SelectField(
        "Report",
        widget=GovSelect(),
        choices=[
            ("adults", "Safeguarding Adults Board annual report"),
            ("children", "Safeguarding children yearly report (signed off by the safeguarding partners)"),
        ],
        default="adults",
        validators=[Optional()],
    )
    financial_year = SelectField(
        "Financial year", widget=GovSelect(), validators=[Required("Select the financial year the report covers")]
    )


class SectionTextForm(VersionedForm):
    text = TextAreaField("Text", widget=GovTextArea(), validators=[Optional(), Length(max=20000)])


class WriterForm(VersionedForm):
    person_id = SelectField("Writer", widget=GovSelect(), validators=[Required("Select who will write the section")])
    due_on = DateField(
        "Due date",
        what="the date the section is due",
        description="For example, 27 3 2027",
        validators=[Required("Enter the date the section is due")],
    )


class ReturnForm(VersionedForm):
    """The chair's comments, one field per section (added by the view), and an overall one."""

    comment = TextAreaField("Overall comment (optional)", widget=GovTextArea(), validators=[Optional()])


class RefreshForm(VersionedForm):
    pass


class SendNationallyForm(VersionedForm):
    """Send the children's yearly report to the Panel and Foundations (no fields)."""


class BoardAgendaForm(VersionedForm):
    """Put the approved report on the next Board meeting's agenda (no fields)."""


class SendToRecipientForm(VersionedForm):
    """Send the report to one recipient again (a confirmation, no fields)."""


class ContactForm(VersionedForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="Leave empty when the recipient has no address of its own",
        validators=[Optional(), Length(max=320), EmailAddress()],
    )
    send_as = RadioField(
        "How the report is sent",
        widget=GovRadioInput(),
        choices=[(s.value, s.label) for s in SendAs],
        validators=[Required("Select how the report is sent")],
    )
