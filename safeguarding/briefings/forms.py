"""Forms of the briefing pages. The service checks every rule again (the API reaches it
without these forms)."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from safeguarding.forms import DateField, FlaskForm, GovSelect, GovTextArea, GovTextInput, Required, VersionedForm

LINES = "Each line is a paragraph. The briefing fits one page: about 30 lines of text in all."


class BriefingForm(VersionedForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="No names, initials or places that identify anyone",
        validators=[
            Required("Enter the briefing's title"),
            Length(max=120, message="The title must be 120 characters or fewer"),
        ],
    )
    background = TextAreaField("Background", widget=GovTextArea(), description=LINES, validators=[Optional()])
    what_happened = TextAreaField(
        "What happened",
        widget=GovTextArea(),
        description="The findings' public statements only: never case content",
        validators=[Optional()],
    )
    learning = TextAreaField("Learning", widget=GovTextArea(), validators=[Optional()])
    what_to_do = TextAreaField("What to do: questions for practitioners", widget=GovTextArea(), validators=[Optional()])
    resources = TextAreaField("Further resources", widget=GovTextArea(), validators=[Optional()])

    FIELDS = ("title", "background", "what_happened", "learning", "what_to_do", "resources")

    def values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in self.FIELDS}


class PublishForm(VersionedForm):
    pass


class ConfirmForm(FlaskForm):
    organisation_id = SelectField(
        "Organisation", widget=GovSelect(), validators=[Required("Select the organisation that shared the briefing")]
    )
    confirmed_on = DateField(
        "Date shared",
        what="the date the briefing was shared",
        validators=[Required("Enter the date the briefing was shared")],
    )
    how_shared = TextAreaField(
        "How it was shared",
        widget=GovTextArea(),
        description="For example: team meetings, the staff bulletin, the safeguarding leads' network",
        validators=[
            Required("Enter how the briefing was shared"),
            Length(max=500, message="This must be 500 characters or fewer"),
        ],
    )
