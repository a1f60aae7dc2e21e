"""Forms of the learning reviews and multi-agency audits the office enters. The service
checks every rule again (the API reaches it without these forms)."""

from __future__ import annotations

from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from safeguarding.forms import DateField, GovRadioInput, GovSelect, GovTextArea, GovTextInput, Required, VersionedForm
from safeguarding.models import Area, Arm, LearningReviewKind

ARMS = [(a.value, a.label) for a in Arm]
AREAS = [(a.value, a.label) for a in Area]
GRADES = (
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("requires_improvement", "Requires improvement"),
    ("inadequate", "Inadequate"),
)


def _cases(label: str) -> IntegerField:
    return IntegerField(
        label,
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=100_000, message="Enter a number of cases from 0 to 100,000")],
    )


class _Source(VersionedForm):
    reference = StringField(
        "Reference",
        widget=GovTextInput(),
        validators=[
            Required("Enter the reference"),
            Length(max=40, message="The reference must be 40 characters or fewer"),
        ],
    )
    arm = RadioField(
        "Arm", widget=GovRadioInput(), choices=ARMS, validators=[Required("Select adults, children or both")]
    )
    area = RadioField(
        "Area", widget=GovRadioInput(), choices=AREAS, validators=[Required("Select North, West or both")]
    )
    group_id = SelectField(
        "Group (optional)",
        widget=GovSelect(),
        description="Its members read the findings in full (need to know)",
        validators=[Optional()],
    )
    summary = TextAreaField(
        "Summary (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=4000, message="The summary must be 4000 characters or fewer")],
    )

    def common(self) -> dict:
        return {
            "reference": self.reference.data or "",
            "arm": self.arm.data or "",
            "area": self.area.data or "",
            "group_id": int(self.group_id.data) if self.group_id.data else None,
            "summary": self.summary.data,
        }


class LearningReviewForm(_Source):
    kind = RadioField(
        "Kind of review",
        widget=GovRadioInput(),
        choices=[(k.value, k.label) for k in LearningReviewKind],
        validators=[Required("Select the kind of learning review")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="No names, initials or places that identify anyone",
        validators=[
            Required("Enter a title (no names)"),
            Length(max=200, message="The title must be 200 characters or fewer"),
        ],
    )
    concluded_on = DateField(
        "Date concluded",
        what="the date the review concluded",
        validators=[Required("Enter the date the review concluded")],
    )

    def values(self) -> dict:
        return {
            **self.common(),
            "kind": self.kind.data or "",
            "title": self.title.data or "",
            "concluded_on": self.concluded_on.data,
        }


class AuditForm(_Source):
    topic = StringField(
        "Topic",
        widget=GovTextInput(),
        validators=[
            Required("Enter the audit's topic"),
            Length(max=200, message="The topic must be 200 characters or fewer"),
        ],
    )
    audited_on = DateField(
        "Date audited", what="the date of the audit", validators=[Required("Enter the date of the audit")]
    )
    cases_audited = IntegerField(
        "Cases audited",
        widget=GovTextInput(),
        validators=[
            Required("Enter the number of cases audited"),
            NumberRange(min=0, max=100_000, message="Enter a number of cases from 0 to 100,000"),
        ],
    )
    grade_outstanding = _cases("Cases graded outstanding (optional)")
    grade_good = _cases("Cases graded good (optional)")
    grade_requires_improvement = _cases("Cases graded requires improvement (optional)")
    grade_inadequate = _cases("Cases graded inadequate (optional)")
    work_plan_item_id = SelectField(
        "Planned audit it carries out (optional)",
        widget=GovSelect(),
        description="A planned audit of a sub-group's approved work plan (the audit programme): it is completed "
        "on the audit's date. Once linked, the link stays.",
        validators=[Optional()],
    )

    def values(self) -> dict:
        grades = {g: getattr(self, f"grade_{g}").data for g, _ in GRADES}
        return {
            **self.common(),
            "topic": self.topic.data or "",
            "audited_on": self.audited_on.data,
            "cases_audited": self.cases_audited.data,
            "grades": {g: n for g, n in grades.items() if n},
        } | self.planned()

    def planned(self) -> dict:
        """The planned audit chosen (none when the field was taken away: the audit carries
        out one already, and that link stays)."""
        field = self._fields.get("work_plan_item_id")
        if field is None:
            return {}
        return {"work_plan_item_id": int(field.data) if field.data else None}

    def fill_grades(self, grades: dict) -> None:
        for g, _ in GRADES:
            getattr(self, f"grade_{g}").data = grades.get(g)
