from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from safeguarding.forms import DateField, FlaskForm, GovSelect, GovTextArea, GovTextInput, Required


class ActionForm(FlaskForm):
    version = HiddenField()
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
    source_label = StringField(
        "Where it came from (optional)",
        widget=GovTextInput(),
        description="For example ‘Multi-agency audit of self-neglect cases, October 2026’",
        validators=[Optional(), Length(max=300)],
    )


class UpdateForm(FlaskForm):
    text = TextAreaField("What has been done", widget=GovTextArea(), validators=[Required("Enter what has been done")])
    progress = IntegerField(
        "Progress (percent, optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=100, message="Progress must be between 0 and 100")],
    )
    evidence = FileField(
        "Evidence (optional)",
        widget=GovFileInput(),
        description="A PDF, Word document (DOCX) or Excel spreadsheet (XLSX), smaller than 15MB",
    )
