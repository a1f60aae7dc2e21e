from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from safeguarding.forms import DateField, FlaskForm, GovRadioInput, GovSelect, GovTextArea, Required, VersionedForm


class AnswerForm(VersionedForm):
    organisation_id = SelectField(
        "Answering for", widget=GovSelect(), validators=[Required("Select the organisation you answer for")]
    )
    agree = RadioField(
        "Does your organisation agree?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes, we agree"), ("no", "No, we disagree")],
        validators=[Required("Select whether your organisation agrees")],
    )
    reason = TextAreaField(
        "Reason (required if you disagree)",
        widget=GovTextArea(),
        description="A disagreement pauses the decision and goes to the partners' dispute route",
        validators=[Optional()],
    )


class CommentForm(FlaskForm):
    text = TextAreaField("Your comment", widget=GovTextArea(), validators=[Required("Enter your comment")])


class WithdrawForm(VersionedForm):
    reason = TextAreaField(
        "Why the question is withdrawn",
        widget=GovTextArea(),
        validators=[Required("Enter why the question is withdrawn")],
    )


class PutForm(FlaskForm):
    """The office puts a case question to the partners (the report's sign-off, the
    publication decision); the rapid review goes to them when it is sent for decision."""

    publish = RadioField(
        "Is the report to be published?",
        widget=GovRadioInput(),
        choices=[("yes", "Yes, publish the report"), ("no", "No: publish the improvements to be made instead")],
        validators=[Optional()],
    )
    reason = TextAreaField(
        "Reasons for not publishing, and the improvements to be published instead",
        widget=GovTextArea(),
        validators=[Optional()],
    )
    due_on = DateField(
        "Answers due by",
        what="the date the answers are due",
        description="Leave blank for 5 working days from today",
        validators=[Optional()],
    )
