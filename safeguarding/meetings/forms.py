"""Forms for meetings, the register, decisions, minutes and chair's actions. Forms whose
fields depend on the meeting (one per seat, one per organisation voting, one per agenda
item) are built per request; their field names match the keys services use in their
errors (`status_<membership id>`, `vote_<organisation id>`, `section_<item id>`, …)."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, StopValidation

from safeguarding.forms import (
    DateField,
    FlaskForm,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
    Required,
    VersionedForm,
)
from safeguarding.models import AttendanceStatus, DecisionMethod, MeetingKind
from safeguarding.office.forms import CoverSheetFields

TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(raw: str) -> time:
    """ "10:00", "14:30", "2:30pm", "10am" → time; ValueError otherwise."""
    match = TIME_RE.match((raw or "").strip())
    if not match:
        raise ValueError
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    return time(hour, minute)


class TimeField(StringField):
    """A time of day, typed like 10:00 or 2:30pm."""

    widget = GovTextInput()

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str = "the time", **kwargs: Any):
        super().__init__(label, validators, **kwargs)
        self.what = what
        self._error: str | None = None
        self._raw: str | None = None

    def _value(self) -> str:
        if self._raw is not None:
            return self._raw
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self._error = None
        if not valuelist:
            return
        self._raw = valuelist[0]
        if not (self._raw or "").strip():
            self.data = None
            return
        try:
            self.data = parse_time(self._raw)
        except ValueError:
            self.data = None
            self._error = f"Enter {self.what} as a time of day, like 10:00 or 2:30pm"

    def pre_validate(self, form: Any) -> None:
        if self._error:
            raise StopValidation(self._error)


class MeetingForm(VersionedForm):
    group_id = SelectField("Group", widget=GovSelect(), validators=[Required("Select the group that is meeting")])
    kind = RadioField(
        "Type of meeting",
        widget=GovRadioInput(),
        default=MeetingKind.ordinary.value,
        choices=[
            (MeetingKind.ordinary.value, "Ordinary meeting"),
            (MeetingKind.extraordinary.value, "Extraordinary meeting (convened for an urgent matter)"),
        ],
        validators=[Required("Select the type of meeting")],
    )
    purpose = StringField(
        "What the extraordinary meeting is for",
        widget=GovTextInput(),
        description="Only for an extraordinary meeting",
        validators=[Optional(), Length(max=300)],
    )
    meeting_date = DateField(
        "Date",
        what="the date of the meeting",
        description="For example, 15 12 2026",
        validators=[Required("Enter the date of the meeting")],
    )
    starts_at = TimeField(
        "Start time",
        what="the time the meeting starts",
        description="For example, 10:00 or 2pm",
        validators=[Required("Enter the time the meeting starts")],
    )
    ends_at = TimeField(
        "End time", what="the time the meeting ends", validators=[Required("Enter the time the meeting ends")]
    )
    location = StringField(
        "Where (optional)",
        widget=GovTextInput(),
        description="A room and address, or ‘Online (Microsoft Teams)’",
        validators=[Optional(), Length(max=300)],
    )


class SeriesForm(FlaskForm):
    group_id = SelectField("Group", widget=GovSelect(), validators=[Required("Select the group that is meeting")])
    first_date = DateField(
        "Date of the first meeting",
        what="the date of the first meeting",
        description="The others fall on the same weekday of the month, for example the third Tuesday",
        validators=[Required("Enter the date of the first meeting")],
    )
    count = IntegerField(
        "Number of meetings",
        widget=GovTextInput(),
        default=6,
        validators=[
            Required("Enter the number of meetings"),
            NumberRange(min=1, max=12, message="The number of meetings must be between 1 and 12"),
        ],
    )
    interval_months = RadioField(
        "How often",
        widget=GovRadioInput(),
        default="2",
        choices=[("1", "Every month"), ("2", "Every other month (bi-monthly)"), ("3", "Every 3 months (quarterly)")],
        validators=[Required("Select how often the group meets")],
    )
    starts_at = TimeField(
        "Start time",
        what="the time the meetings start",
        default=time(10, 0),
        validators=[Required("Enter the time the meetings start")],
    )
    ends_at = TimeField(
        "End time",
        what="the time the meetings end",
        default=time(12, 0),
        validators=[Required("Enter the time the meetings end")],
    )
    location = StringField("Where (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=300)])


class AgendaItemForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            Required("Enter the title of the agenda item"),
            Length(max=300, message="The title must be 300 characters or fewer"),
        ],
    )
    presenter = StringField("Presented by (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    description = TextAreaField(
        "Purpose of the item (optional)",
        widget=GovTextArea(),
        description="For example ‘For decision’ or ‘For information’",
        validators=[Optional()],
    )
    restricted = BooleanField(
        "Restricted: confidential business taken in private (Part B)",
        widget=GovCheckboxInput(),
        description="Only the group's members, the business office and the independent chair will see the item, "
        "its papers and its minutes; others read “Item N was taken in private”.",
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", widget=GovTextArea(), validators=[Required("Enter why the item is withdrawn")])


class PaperForm(CoverSheetFields, FlaskForm):
    """A paper, with its report cover sheet (optional here; see office.forms)."""

    title = StringField(
        "Title of the paper",
        widget=GovTextInput(),
        validators=[
            Required("Enter the title of the paper"),
            Length(max=300, message="The title must be 300 characters or fewer"),
        ],
    )
    file = FileField(
        "File",
        widget=GovFileInput(),
        description="A PDF, Word document (DOCX) or Excel spreadsheet (XLSX), smaller than 15MB",
    )


class CsrfForm(FlaskForm):
    """A form with only its CSRF token (one-button posts)."""


class ApologiesForm(FlaskForm):
    membership_id = RadioField(
        "Your seat",
        widget=GovRadioInput(),
        coerce=str,
        validators=[Required("Select the seat you are sending apologies for")],
    )
    deputy = RadioField(
        "Will someone attend in your place?",
        widget=GovRadioInput(),
        validators=[Required("Select whether someone will attend in your place")],
    )
    other_deputy_id = SelectField("Who will attend", widget=GovSelect(), validators=[Optional()])
    note = TextAreaField(
        "Message to the business office (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=500, message="The message must be 500 characters or fewer")],
    )


class NominatedChairForm(FlaskForm):
    nominated_chair_person_id = SelectField(
        "Nominated chair",
        widget=GovSelect(),
        validators=[Optional()],
        description="Chairs the meeting if neither the chair nor the vice chair is present",
    )


def register_form(seats: list[Any], people_for: dict[int, list[tuple[str, str]]]) -> type[FlaskForm]:
    """A radio group (status) and a deputy select for each seat."""
    choices = [(s.value, s.label) for s in AttendanceStatus]
    attrs: dict[str, Field] = {}
    for seat in seats:
        m = seat.membership
        who = f"{m.person.name} ({m.organisation.short_name if m.organisation else 'independent'})"
        attrs[f"status_{m.id}"] = RadioField(
            who,
            choices=choices,
            widget=GovRadioInput(),
            validators=[Required(f"Select whether {m.person.name} attended")],
        )
        attrs[f"deputy_{m.id}"] = SelectField(
            f"Deputy for {m.person.name}",
            widget=GovSelect(),
            choices=people_for.get(m.id, [("", "Their named deputy")]),
            validators=[Optional()],
        )
        attrs[f"arrived_{m.id}"] = TimeField(
            f"Time {m.person.name} arrived", what=f"the time {m.person.name} arrived", validators=[Optional()]
        )
        attrs[f"left_{m.id}"] = TimeField(
            f"Time {m.person.name} left", what=f"the time {m.person.name} left", validators=[Optional()]
        )
    return type("RegisterForm", (FlaskForm,), attrs)


class DeclarationForm(FlaskForm):
    agenda_item_id = SelectField("Agenda item", widget=GovSelect(), validators=[Required("Select the agenda item")])
    person_id = SelectField("Who is declaring", widget=GovSelect(), validators=[Optional()])
    nature = TextAreaField(
        "Nature of the interest",
        widget=GovTextArea(),
        description="What the interest is, for example a family member works for a provider named in the report",
        validators=[Required("Enter the nature of the interest")],
    )


class InterestReturnForm(FlaskForm):
    """The annual return of interests (services/meetings/interests.py)."""

    financial_year = RadioField(
        "Financial year", widget=GovRadioInput(), validators=[Required("Select the financial year")]
    )
    person_id = SelectField("Board member", widget=GovSelect(), validators=[Optional()])
    nil = BooleanField("Nil return: I have no interests to declare", widget=GovCheckboxInput())
    interests = TextAreaField(
        "Interests",
        widget=GovTextArea(),
        description="Employment, directorships, memberships, contracts and close family interests that a "
        "reasonable person could think might influence your part in the Board's decisions",
        validators=[Optional()],
    )


VOTE_CHOICES = [("for", "For"), ("against", "Against"), ("abstain", "Abstain"), ("", "Did not vote")]


def decision_form(voters: list[Any]) -> type[FlaskForm]:
    attrs: dict[str, Field] = {
        "method": RadioField(
            "How was the decision made?",
            widget=GovRadioInput(),
            choices=[(DecisionMethod.consensus.value, "By consensus"), (DecisionMethod.vote.value, "By vote")],
            validators=[Required("Select how the decision was made")],
        ),
        "text": TextAreaField(
            "What was decided", widget=GovTextArea(), validators=[Required("Enter what was decided")]
        ),
        "casting_vote": RadioField(
            "The chair's casting vote (only if the votes are tied)",
            widget=GovRadioInput(),
            choices=[("for", "For"), ("against", "Against"), ("", "No casting vote")],
            default="",
            validators=[Optional()],
        ),
        "interim": BooleanField(
            "This is an interim decision, to be validated by all members after the meeting", widget=GovCheckboxInput()
        ),
        "decided_at": TimeField(
            "Time of the decision (optional)",
            what="the time of the decision",
            description="Needed when someone arrived late or left early: quorum and the vote are checked at "
            "that time. For example, 11:20",
            validators=[Optional()],
        ),
    }
    for voter in voters:
        attrs[f"vote_{voter.organisation.id}"] = RadioField(
            f"{voter.organisation.name} ({voter.person.name}{', deputy' if voter.as_deputy else ''})",
            choices=VOTE_CHOICES,
            default="",
            widget=GovRadioInput(),
            validators=[Optional()],
        )
    return type("DecisionForm", (FlaskForm,), attrs)


class MeetingActionForm(FlaskForm):
    title = StringField(
        "What needs to be done",
        widget=GovTextInput(),
        validators=[Required("Enter what needs to be done"), Length(max=300)],
    )
    owner_organisation_id = SelectField(
        "Owning organisation", widget=GovSelect(), validators=[Required("Select the organisation that owns the action")]
    )
    owner_person_id = SelectField("Owner (optional)", widget=GovSelect(), validators=[Optional()])
    due_date = DateField(
        "Due date", what="the date the action is due", validators=[Required("Enter the date the action is due")]
    )
    description = TextAreaField("More detail (optional)", widget=GovTextArea(), validators=[Optional()])


def minutes_form(items: list[Any]) -> type[FlaskForm]:
    attrs: dict[str, Field] = {"version": HiddenField()}
    for n, item in enumerate(items, start=1):
        attrs[f"section_{item.id}"] = TextAreaField(f"{n}. {item.title}", widget=GovTextArea(), validators=[Optional()])
    return type("MinutesForm", (FlaskForm,), attrs)


class AmendmentForm(FlaskForm):
    agenda_item_id = SelectField("Item corrected (optional)", widget=GovSelect(), validators=[Optional()])
    text = TextAreaField("Correction", widget=GovTextArea(), validators=[Required("Enter the correction")])
    reason = TextAreaField(
        "Why the minutes are corrected",
        widget=GovTextArea(),
        description="For example ‘Agreed at the Board meeting of 15 December 2026’",
        validators=[Required("Enter why the minutes are corrected")],
    )


class RatifyForm(FlaskForm):
    version = HiddenField()
    meeting_id = RadioField(
        "Meeting that ratified the minutes",
        widget=GovRadioInput(),
        validators=[Required("Select the meeting that ratified the minutes")],
    )


def chair_action_form(organisations: list[Any]) -> type[FlaskForm]:
    attrs: dict[str, Field] = {
        "title": StringField(
            "Short title",
            widget=GovTextInput(),
            validators=[
                Required("Enter a short title for the decision"),
                Length(max=200, message="The title must be 200 characters or fewer"),
            ],
        ),
        "decision": TextAreaField(
            "Decision taken", widget=GovTextArea(), validators=[Required("Enter the decision taken")]
        ),
        "urgency": TextAreaField(
            "Why it could not wait for the next meeting",
            widget=GovTextArea(),
            validators=[Required("Enter why the decision could not wait for the next meeting")],
        ),
        "decided_on": DateField(
            "Date of the decision",
            what="the date the decision was taken",
            validators=[Required("Enter the date the decision was taken")],
        ),
    }
    for org in organisations:
        attrs[f"consulted_on_{org.id}"] = DateField(
            "Date consulted", what=f"the date {org.name} was consulted", validators=[Optional()]
        )
        attrs[f"view_{org.id}"] = TextAreaField(f"{org.name}'s view", widget=GovTextArea(), validators=[Optional()])
    return type("ChairActionForm", (FlaskForm,), attrs)
