from __future__ import annotations

from wtforms import StringField
from wtforms.validators import Length

from safeguarding.forms import DateField, FlaskForm, GovTextInput, Required


class ClosureForm(FlaskForm):
    day = DateField(
        "Date the office is closed",
        what="the date the office is closed",
        validators=[Required("Enter the date the office is closed")],
    )
    reason = StringField(
        "Reason",
        widget=GovTextInput(),
        description="For example ‘Office closed between Christmas and New Year’",
        validators=[Required("Enter why the office is closed"), Length(max=200)],
    )


class ConfirmForm(FlaskForm):
    pass
