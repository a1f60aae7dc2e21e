from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import Length

from safeguarding.forms import FlaskForm, GovTextArea, Required


class ConfirmForm(FlaskForm):
    """A confirmation page's form: only the CSRF token."""


class DiscardHeldForm(FlaskForm):
    reason = TextAreaField(
        "Why are these emails being discarded?",
        widget=GovTextArea(),
        validators=[
            Required("Enter why the held emails are being discarded"),
            Length(max=500, message="The reason must be 500 characters or fewer"),
        ],
        description="Kept with each email and in the audit log, for example “Test messages from before go-live”.",
    )
