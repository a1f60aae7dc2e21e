"""The sources the office enters besides case reviews: other learning reviews (a
learning-together review, a domestic abuse related death review run jointly) and
multi-agency audits (the Quality and Performance sub-group's work)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Area, Arm, Group, LearningReview, LearningReviewKind, MultiAgencyAudit, Role
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.validation import date_problem

AUDIT_GRADES = ("outstanding", "good", "requires_improvement", "inadequate")


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can record learning reviews and audits")


def _common(
    errors: dict[str, str],
    *,
    reference: str,
    arm: str,
    area: str,
    on: date | None,
    on_field: str,
    group_id: int | None = None,
) -> None:
    if group_id is not None and db.session.get(Group, group_id) is None:
        errors["group_id"] = "Select a group from the list"
    if not (reference or "").strip():
        errors["reference"] = "Enter the reference"
    elif len(reference.strip()) > 40:
        errors["reference"] = "The reference must be 40 characters or fewer"
    if arm not in {a.value for a in Arm}:
        errors["arm"] = "Select adults, children or both"
    if area not in {a.value for a in Area}:
        errors["area"] = "Select North, West or both"
    if on is None:
        errors[on_field] = "Enter the date"
    elif problem := date_problem(on):
        errors[on_field] = problem


def _reference_taken(model: Any, reference: str) -> bool:
    return db.session.scalar(sa.select(model.id).where(model.reference == reference.strip())) is not None


def record_learning_review(
    user: Any,
    *,
    reference: str,
    kind: str,
    title: str,
    arm: str,
    area: str,
    concluded_on: date | None,
    group_id: int | None = None,
    summary: str | None = None,
) -> LearningReview:
    _require_office(user)
    errors: dict[str, str] = {}
    _common(
        errors, reference=reference, arm=arm, area=area, on=concluded_on, on_field="concluded_on", group_id=group_id
    )
    if kind not in {k.value for k in LearningReviewKind}:
        errors["kind"] = "Select the kind of learning review"
    if not (title or "").strip():
        errors["title"] = "Enter a title (no names)"
    if "reference" not in errors and _reference_taken(LearningReview, reference):
        errors["reference"] = "A learning review already has this reference"
    if errors:
        raise ValidationFailed(errors=errors)
    row = LearningReview(
        reference=reference.strip(),
        kind=LearningReviewKind(kind),
        title=title.strip()[:200],
        arm=Arm(arm),
        area=Area(area),
        concluded_on=concluded_on,
        group_id=group_id,
        summary=(summary or "").strip() or None,
        created_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def record_audit(
    user: Any,
    *,
    reference: str,
    topic: str,
    arm: str,
    area: str,
    audited_on: date | None,
    cases_audited: int,
    grades: dict[str, int] | None = None,
    group_id: int | None = None,
    summary: str | None = None,
) -> MultiAgencyAudit:
    _require_office(user)
    errors: dict[str, str] = {}
    _common(errors, reference=reference, arm=arm, area=area, on=audited_on, on_field="audited_on", group_id=group_id)
    if not (topic or "").strip():
        errors["topic"] = "Enter the audit's topic"
    grades = dict(grades or {})
    if any(g not in AUDIT_GRADES or not isinstance(n, int) or n < 0 for g, n in grades.items()):
        errors["grades"] = "Give each grade (outstanding, good, requires improvement, inadequate) a number of cases"
    elif sum(grades.values()) > cases_audited:
        errors["grades"] = "The graded cases cannot be more than the cases audited"
    if cases_audited < 0:
        errors["cases_audited"] = "Enter the number of cases audited"
    if "reference" not in errors and _reference_taken(MultiAgencyAudit, reference):
        errors["reference"] = "An audit already has this reference"
    if errors:
        raise ValidationFailed(errors=errors)
    row = MultiAgencyAudit(
        reference=reference.strip(),
        topic=topic.strip()[:200],
        arm=Arm(arm),
        area=Area(area),
        audited_on=audited_on,
        cases_audited=cases_audited,
        grades=grades,
        group_id=group_id,
        summary=(summary or "").strip() or None,
        created_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    return row
