from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SelectMultipleField
from wtforms.validators import Optional

from safeguarding.forms import (
    EmailAddress,
    FlaskForm,
    GovCheckboxesInput,
    GovSelect,
    GovTextInput,
    Required,
)
from safeguarding.models import Role

ROLE_CHOICES = [(r.value, r.label) for r in Role]


class NewUserForm(FlaskForm):
    email = EmailField(
        "Email address", widget=GovTextInput(), validators=[Required("Enter the email address"), EmailAddress()]
    )
    password = PasswordField(
        "Temporary password",
        widget=GovPasswordInput(),
        description="At least 12 characters. Ask the user to change it when they first sign in.",
        validators=[Required("Enter a temporary password")],
    )
    roles = SelectMultipleField(
        "Roles", widget=GovCheckboxesInput(), choices=ROLE_CHOICES, validators=[Required("Select at least one role")]
    )
    organisation_id = SelectField(
        "Organisation",
        widget=GovSelect(),
        validators=[Optional()],
        description="Required for partner members: the organisation they represent",
    )
    person_id = SelectField("Person in the directory", widget=GovSelect(), validators=[Optional()])


class EditUserForm(FlaskForm):
    version = HiddenField()
    roles = SelectMultipleField(
        "Roles", widget=GovCheckboxesInput(), choices=ROLE_CHOICES, validators=[Required("Select at least one role")]
    )
    organisation_id = SelectField("Organisation", widget=GovSelect(), validators=[Optional()])


class ConfirmUserForm(FlaskForm):
    version = HiddenField()
