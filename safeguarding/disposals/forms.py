"""Forms of the disposal review pages."""

from __future__ import annotations

from wtforms import RadioField, TextAreaField
from wtforms.validators import Length

from safeguarding.forms import GovRadioInput, GovTextArea, Required, VersionedForm


class ProposeForm(VersionedForm):
    class_key = RadioField(
        "What to propose for disposal",
        widget=GovRadioInput(),
        choices=[("all", "Every record due")],
        validators=[Required("Select what to propose for disposal")],
    )


class ApproveForm(VersionedForm):
    pass


class ReasonForm(VersionedForm):
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[Required("Enter the reason"), Length(max=4000, message="This must be 4000 characters or fewer")],
    )
