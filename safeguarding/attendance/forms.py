from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import InputRequired

from safeguarding.forms import GovTextInput
from safeguarding.services.attendance import POLICY_FIELDS, POLICY_LABELS


class PolicyForm(FlaskForm):
    version = HiddenField()

    @property
    def version_value(self) -> int | None:
        try:
            return int(self.version.data) if self.version.data else None
        except ValueError:
            return -1  # a tampered version is simply stale

    @property
    def values(self) -> dict[str, int | None]:
        return {name: getattr(self, name).data for name in POLICY_FIELDS}


for _name in POLICY_FIELDS:
    setattr(PolicyForm, _name, IntegerField(
        POLICY_LABELS[_name], widget=GovTextInput(),
        validators=[InputRequired(f"Enter a whole number for “{POLICY_LABELS[_name].lower()}”")]))
