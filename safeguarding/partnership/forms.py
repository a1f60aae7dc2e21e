from __future__ import annotations

from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from safeguarding.forms import (
    DateField,
    EmailAddress,
    FlaskForm,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import Area, Arm, GroupKind, MembershipRole, OrganisationKind

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def _enum_choices(enum_cls) -> list[tuple[str, str]]:
    return [(m.value, m.label) for m in enum_cls]


class OrganisationForm(VersionedForm):
    name = StringField(
        "Name", widget=GovTextInput(), validators=[Required("Enter the organisation's name"), Length(max=200)]
    )
    short_name = StringField(
        "Short name",
        widget=GovTextInput(),
        description="Used in tables, for example ‘Police’",
        validators=[
            Required("Enter a short name"),
            Length(max=60, message="Short name must be 60 characters or fewer"),
        ],
    )
    kind = SelectField(
        "Type of organisation",
        widget=GovSelect(),
        choices=[("", "Select a type")] + _enum_choices(OrganisationKind),
        validators=[Required("Select the type of organisation")],
    )
    area = RadioField(
        "Area served",
        widget=GovRadioInput(),
        choices=_enum_choices(Area),
        validators=[Required("Select the area the organisation serves")],
    )
    statutory_adults = BooleanField("Statutory partner of the Safeguarding Adults Board", widget=GovCheckboxInput())
    statutory_children = BooleanField("Safeguarding partner of the Children Partnership", widget=GovCheckboxInput())
    chief_executive_name = StringField(
        "Chief executive's name", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    chief_executive_title = StringField(
        "Chief executive's job title", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    chief_executive_email = EmailField(
        "Chief executive's email address", widget=GovTextInput(), validators=[Optional(), EmailAddress()]
    )
    chief_executive_address = TextAreaField(
        "Chief executive's postal address", widget=GovTextArea(), validators=[Optional()]
    )
    safeguarding_lead_name = StringField(
        "Safeguarding lead's name", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    safeguarding_lead_email = EmailField(
        "Safeguarding lead's email address", widget=GovTextInput(), validators=[Optional(), EmailAddress()]
    )

    def values(self) -> dict:
        data = {k: v for k, v in self.data.items() if k not in ("csrf_token", "version")}
        for k in (
            "chief_executive_name",
            "chief_executive_title",
            "chief_executive_email",
            "chief_executive_address",
            "safeguarding_lead_name",
            "safeguarding_lead_email",
        ):
            data[k] = (data.get(k) or "").strip() or None
        data["name"] = data["name"].strip()
        data["short_name"] = data["short_name"].strip()
        data["kind"] = OrganisationKind(data["kind"])
        data["area"] = Area(data["area"])
        return data


class PersonForm(VersionedForm):
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[Required("Enter the person's full name"), Length(max=200)]
    )
    job_title = StringField("Job title", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    email = EmailField("Email address", widget=GovTextInput(), validators=[Optional(), EmailAddress()])
    phone = StringField("Telephone", widget=GovTextInput(), validators=[Optional(), Length(max=40)])
    organisation_id = SelectField(
        "Organisation",
        widget=GovSelect(),
        validators=[Optional()],
        description="Leave blank for the independent chair or someone who represents no organisation",
    )

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "job_title": (self.job_title.data or "").strip() or None,
            "email": (self.email.data or "").strip().lower() or None,
            "phone": (self.phone.data or "").strip() or None,
            "organisation_id": int(self.organisation_id.data) if self.organisation_id.data else None,
        }


class GroupForm(VersionedForm):
    name = StringField("Name", widget=GovTextInput(), validators=[Required("Enter the group's name"), Length(max=200)])
    short_name = StringField(
        "Short name", widget=GovTextInput(), validators=[Required("Enter a short name"), Length(max=60)]
    )
    kind = RadioField(
        "Type of group",
        widget=GovRadioInput(),
        choices=_enum_choices(GroupKind),
        validators=[Required("Select the type of group")],
    )
    arm = RadioField(
        "Arm",
        widget=GovRadioInput(),
        choices=_enum_choices(Arm),
        validators=[Required("Select the arm the group serves")],
    )
    area = RadioField(
        "Area",
        widget=GovRadioInput(),
        choices=_enum_choices(Area),
        validators=[Required("Select the area the group covers")],
    )
    terms_of_reference = TextAreaField("Terms of reference", widget=GovTextArea(), validators=[Optional()])
    tor_last_reviewed_on = DateField(
        "Terms of reference last reviewed",
        what="the date the terms of reference were last reviewed",
        validators=[Optional()],
    )
    tor_review_due_on = DateField("Next review due", what="the date the next review is due", validators=[Optional()])
    minutes_restricted = RadioField(
        "Are the group's minutes restricted as a whole?",
        widget=GovRadioInput(),
        choices=[
            ("default", "As usual: restricted only if the group discusses cases (the SAR and CSPR sub-groups)"),
            ("yes", "Yes: viewers never see this group's minutes"),
            ("no", "No: viewers read its ratified minutes, without the items taken in private"),
        ],
        default="default",
        validators=[Optional()],
    )
    each_council_required = BooleanField(
        "For the quorum, each council with a seat on the group must be present",
        widget=GovCheckboxInput(),
        description="Leave unticked if either council fills the local authority's place in the quorum.",
    )

    def validate_tor_review_due_on(self, field):
        from wtforms.validators import ValidationError

        if field.data and self.tor_last_reviewed_on.data and field.data < self.tor_last_reviewed_on.data:
            raise ValidationError("The next review must be after the last review")

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "short_name": self.short_name.data.strip(),
            "kind": GroupKind(self.kind.data),
            "arm": Arm(self.arm.data),
            "area": Area(self.area.data),
            "terms_of_reference": (self.terms_of_reference.data or "").strip() or None,
            "tor_last_reviewed_on": self.tor_last_reviewed_on.data,
            "tor_review_due_on": self.tor_review_due_on.data,
            "minutes_restricted": {"yes": True, "no": False}.get(self.minutes_restricted.data or "default"),
            "each_council_required": bool(self.each_council_required.data),
        }


class MembershipForm(VersionedForm):
    person_id = SelectField("Member", widget=GovSelect(), validators=[Required("Select the member")])
    role = RadioField(
        "Role", widget=GovRadioInput(), choices=_enum_choices(MembershipRole), validators=[Required("Select the role")]
    )
    deputy_person_id = SelectField(
        "Named deputy",
        widget=GovSelect(),
        validators=[Optional()],
        description="A consistent individual from the same organisation, able to act with the same authority",
    )
    start_date = DateField("Start date", what="the start date", validators=[Required("Enter the start date")])
    end_date = DateField(
        "End date", what="the end date", validators=[Optional()], description="Leave blank if the membership is ongoing"
    )


class EndMembershipForm(VersionedForm):
    notice_given_on = DateField("Date notice was given", what="the date notice was given", validators=[Optional()])
    end_date = DateField(
        "Last day of membership",
        what="the last day of membership",
        validators=[Required("Enter the last day of membership")],
    )


class ConfirmForm(VersionedForm):
    """A confirmation step before something that cannot simply be undone."""


class MouForm(FlaskForm):
    document_version = RadioField(
        "Version signed", widget=GovRadioInput(), validators=[Required("Select the version of the memorandum signed")]
    )
    signed_on = DateField(
        "Date signed", what="the date signed", validators=[Required("Enter the date the memorandum was signed")]
    )


class MouVersionForm(FlaskForm):
    name = StringField(
        "Name of the version",
        widget=GovTextInput(),
        description="For example ‘MoU 2027’",
        validators=[Required("Enter the name of the version, for example ‘MoU 2027’"), Length(max=40)],
    )
    in_force_from = DateField(
        "In force from",
        what="the date the version comes into force",
        validators=[Required("Enter the date the version comes into force")],
    )
    summary = TextAreaField("What changed (optional)", widget=GovTextArea(), validators=[Optional()])
