from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput
from wtforms import EmailField, PasswordField

from safeguarding.forms import EmailAddress, GovTextInput, Required


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        filters=[lambda v: v.strip() if v else v],
        validators=[Required("Enter your email address"), EmailAddress()],
    )
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[Required("Enter your password")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[Required("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words work well.",
        validators=[Required("Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password", widget=GovPasswordInput(), validators=[Required("Confirm your new password")]
    )

    def validate_confirm_password(self, field):
        from wtforms.validators import ValidationError

        if self.new_password.data and field.data != self.new_password.data:
            raise ValidationError("The passwords do not match")
