"""Forms for the children's safeguarding arrangements (the business office's)."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from safeguarding.forms import (
    DateField,
    GovCheckboxInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.services.arrangements import agencies_from_text


def _id(raw: str | None) -> int | None:
    return int(raw) if raw else None


class PartnerForm(VersionedForm):
    organisation_id = SelectField(
        "Organisation",
        widget=GovSelect(),
        description="A council (a partner for its own area), the integrated care board or the police",
        validators=[Required("Select the organisation")],
    )
    lead_person_id = SelectField(
        "Lead safeguarding partner",
        widget=GovSelect(),
        description="The council's or the ICB's chief executive, or the chief constable",
        validators=[Required("Select the lead safeguarding partner")],
    )
    delegate_person_id = SelectField(
        "Delegated safeguarding partner",
        widget=GovSelect(),
        description="Leave blank if the lead has not delegated",
        validators=[Optional()],
    )
    delegated_on = DateField("Date of delegation", what="the date of delegation", validators=[Optional()])
    chairs_partnership = BooleanField(
        "This delegated safeguarding partner chairs the partnership", widget=GovCheckboxInput()
    )

    def values(self, *, new: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "lead_person_id": _id(self.lead_person_id.data),
            "delegate_person_id": _id(self.delegate_person_id.data),
            "delegated_on": self.delegated_on.data,
            "chairs_partnership": bool(self.chairs_partnership.data),
        }
        if new:
            data["organisation_id"] = _id(self.organisation_id.data)
        return data


class ArrangementsForm(VersionedForm):
    scrutineer_person_id = SelectField(
        "Independent scrutineer",
        widget=GovSelect(),
        description="Someone independent of the safeguarding partners",
        validators=[Optional()],
    )
    relevant_agencies = TextAreaField(
        "Relevant agencies", widget=GovTextArea(), description="One agency per line", validators=[Optional()]
    )
    published_on = DateField("Date of publication", what="the date of publication", validators=[Optional()])
    publication_url = StringField(
        "Link to the published arrangements",
        widget=GovTextInput(),
        description="For example, https://www.example.org/arrangements.pdf",
        validators=[Optional(), Length(max=500, message="The link must be 500 characters or fewer")],
    )
    summary = TextAreaField("Summary", widget=GovTextArea(), validators=[Optional()])

    def values(self) -> dict[str, Any]:
        return {
            "scrutineer_person_id": _id(self.scrutineer_person_id.data),
            "relevant_agencies": agencies_from_text(self.relevant_agencies.data),
            "published_on": self.published_on.data,
            "publication_url": (self.publication_url.data or "").strip() or None,
            "summary": (self.summary.data or "").strip() or None,
        }
