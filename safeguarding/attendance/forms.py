from __future__ import annotations

from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import InputRequired

from safeguarding.forms import FlaskForm, GovTextArea, GovTextInput, Required, VersionedForm
from safeguarding.services.attendance import POLICY_FIELDS, POLICY_LABELS


class WholeNumberField(IntegerField):
    """A whole number, with a GOV.UK message when it is not one."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a whole number, like 3") from None


class PolicyForm(VersionedForm):
    @property
    def values(self) -> dict[str, int | None]:
        return {name: getattr(self, name).data for name in POLICY_FIELDS}


for _name in POLICY_FIELDS:
    setattr(
        PolicyForm,
        _name,
        WholeNumberField(
            POLICY_LABELS[_name],
            widget=GovTextInput(),
            validators=[InputRequired(f"Enter a whole number for “{POLICY_LABELS[_name].lower()}”")],
        ),
    )


class LetterForm(FlaskForm):
    """The Chair's letter text, prefilled with the draft (editing, or approving)."""

    version = HiddenField()
    letter_text = TextAreaField(
        "Text of the letter",
        widget=GovTextArea(),
        description="The opening paragraphs, separated by a blank line. The meetings missed, "
        "the attendance record, the constitution's words and the reply date are "
        "added below them.",
        validators=[Required("Enter the text of the letter")],
    )
