"""Forms of the import pages: the kind and the file; the column mapping (one select per
field, built per request from the file's headings); the confirmation."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import HiddenField, RadioField, SelectField

from safeguarding.forms import FlaskForm, GovRadioInput, GovSelect, Required
from safeguarding.services.imports import KINDS


class UploadForm(FlaskForm):
    kind = RadioField(
        "What does the spreadsheet hold?",
        widget=GovRadioInput(),
        validators=[Required("Select what the spreadsheet holds")],
    )
    file = FileField(
        "Spreadsheet",
        widget=GovFileInput(),
        description="A CSV (UTF-8) or Excel (XLSX) file. Only its first sheet is read.",
    )

    def set_choices(self) -> None:
        self.kind.choices = [(k.name, k.label) for k in KINDS.values()]


class ConfirmForm(FlaskForm):
    sha256 = HiddenField()


def mapping_form(columns, headings: list[str], current: dict[str, str]) -> FlaskForm:
    """One select per field: the heading of the file that holds it (or none)."""

    class MappingForm(FlaskForm):
        pass

    choices = [("", "Not in this file")] + [(h, h) for h in headings if h]
    for column in columns:
        field = SelectField(
            column.heading + (" (required)" if column.required else ""),
            widget=GovSelect(),
            choices=choices,
            default=current.get(column.field, ""),
            validate_choice=True,
        )
        setattr(MappingForm, f"map_{column.field}", field)
    return MappingForm()
