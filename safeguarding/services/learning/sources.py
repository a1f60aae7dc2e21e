"""The sources the office enters besides case reviews: other learning reviews (a
learning-together review, a domestic abuse related death review run jointly) and
multi-agency audits (the Quality and Performance sub-group's work)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    Area,
    Arm,
    Finding,
    Group,
    LearningReview,
    LearningReviewKind,
    MultiAgencyAudit,
    Role,
)
from safeguarding.services.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.learning import programme
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


def _reference_taken(model: Any, reference: str, exclude_id: int | None = None) -> bool:
    query = sa.select(model.id).where(model.reference == reference.strip())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query) is not None


def _learning_review_errors(values: dict[str, Any], exclude_id: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    _common(
        errors,
        reference=values["reference"],
        arm=values["arm"],
        area=values["area"],
        on=values["concluded_on"],
        on_field="concluded_on",
        group_id=values.get("group_id"),
    )
    if values["kind"] not in {k.value for k in LearningReviewKind}:
        errors["kind"] = "Select the kind of learning review"
    if not (values["title"] or "").strip():
        errors["title"] = "Enter a title (no names)"
    if "reference" not in errors and _reference_taken(LearningReview, values["reference"], exclude_id):
        errors["reference"] = "A learning review already has this reference"
    return errors


def _set_learning_review(row: LearningReview, values: dict[str, Any]) -> None:
    row.reference = values["reference"].strip()
    row.kind = LearningReviewKind(values["kind"])
    row.title = values["title"].strip()[:200]
    row.arm = Arm(values["arm"])
    row.area = Area(values["area"])
    row.concluded_on = values["concluded_on"]
    row.group_id = values.get("group_id")
    row.summary = (values.get("summary") or "").strip() or None


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
    values = dict(
        reference=reference,
        kind=kind,
        title=title,
        arm=arm,
        area=area,
        concluded_on=concluded_on,
        group_id=group_id,
        summary=summary,
    )
    errors = _learning_review_errors(values)
    if errors:
        raise ValidationFailed(errors=errors)
    row = LearningReview(created_by_id=user.id)
    _set_learning_review(row, values)
    db.session.add(row)
    db.session.flush()
    return row


def update_learning_review(row: LearningReview, user: Any, *, version: int | None, **values: Any) -> LearningReview:
    """Edit a learning review (the office); a stale version is refused. Its findings keep
    the reference they were recorded with."""
    _require_office(user)
    if version is None or version != row.version:
        raise StaleVersion()
    errors = _learning_review_errors(values, exclude_id=row.id)
    if errors:
        raise ValidationFailed(errors=errors)
    _set_learning_review(row, values)
    db.session.flush()
    return row


def _audit_errors(values: dict[str, Any], row: MultiAgencyAudit | None = None) -> tuple[dict[str, str], Any]:
    """The problems, and the planned audit of a work plan it newly carries out (or None)."""
    errors, item = programme.link_errors(values, row)
    exclude_id = row.id if row is not None else None
    _common(
        errors,
        reference=values["reference"],
        arm=values["arm"],
        area=values["area"],
        on=values["audited_on"],
        on_field="audited_on",
        group_id=values.get("group_id"),
    )
    if not (values["topic"] or "").strip():
        errors["topic"] = "Enter the audit's topic"
    grades = values["grades"]
    cases = values["cases_audited"]
    if cases is None or cases < 0:
        errors["cases_audited"] = "Enter the number of cases audited"
    elif any(g not in AUDIT_GRADES or not isinstance(n, int) or n < 0 for g, n in grades.items()):
        errors["grades"] = "Give each grade (outstanding, good, requires improvement, inadequate) a number of cases"
    elif sum(grades.values()) > cases:
        errors["grades"] = "The graded cases cannot be more than the cases audited"
    if "reference" not in errors and _reference_taken(MultiAgencyAudit, values["reference"], exclude_id):
        errors["reference"] = "An audit already has this reference"
    return errors, item


def _set_audit(row: MultiAgencyAudit, values: dict[str, Any]) -> None:
    row.reference = values["reference"].strip()
    row.topic = values["topic"].strip()[:200]
    row.arm = Arm(values["arm"])
    row.area = Area(values["area"])
    row.audited_on = values["audited_on"]
    row.cases_audited = values["cases_audited"]
    row.grades = dict(values["grades"])
    row.group_id = values.get("group_id")
    row.summary = (values.get("summary") or "").strip() or None


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
    work_plan_item_id: int | None = None,
) -> MultiAgencyAudit:
    """Record a multi-agency audit; with `work_plan_item_id`, the planned audit of a work
    plan it carries out (services/learning/programme.py), which is then completed."""
    _require_office(user)
    values = dict(
        reference=reference,
        topic=topic,
        arm=arm,
        area=area,
        audited_on=audited_on,
        cases_audited=cases_audited,
        grades=dict(grades or {}),
        group_id=group_id,
        summary=summary,
        work_plan_item_id=work_plan_item_id,
    )
    errors, item = _audit_errors(values)
    if errors:
        raise ValidationFailed(errors=errors)
    row = MultiAgencyAudit(created_by_id=user.id)
    _set_audit(row, values)
    db.session.add(row)
    db.session.flush()
    if item is not None:
        programme.carry_out(row, item, user)
    return row


def update_audit(row: MultiAgencyAudit, user: Any, *, version: int | None, **values: Any) -> MultiAgencyAudit:
    """Edit a multi-agency audit (the office); a stale version is refused."""
    _require_office(user)
    if version is None or version != row.version:
        raise StaleVersion()
    values["grades"] = dict(values.get("grades") or {})
    values.setdefault("work_plan_item_id", row.work_plan_item_id)
    errors, item = _audit_errors(values, row)
    if errors:
        raise ValidationFailed(errors=errors)
    _set_audit(row, values)
    db.session.flush()
    if item is not None:
        programme.carry_out(row, item, user)
    return row


# --- reading ---------------------------------------------------------------------------------------


def get_learning_review(review_id: int) -> LearningReview:
    row = db.session.get(LearningReview, review_id)
    if row is None:
        raise NotFound("Learning review not found")
    return row


def get_audit(audit_id: int) -> MultiAgencyAudit:
    row = db.session.get(MultiAgencyAudit, audit_id)
    if row is None:
        raise NotFound("Audit not found")
    return row


def _with_counts(model: Any, column: Any, order: Any, limit: int) -> list[tuple[Any, int]]:
    """Rows newest first with their findings counted (one query)."""
    count = sa.select(sa.func.count()).where(column == model.id).correlate(model).scalar_subquery()
    return [(row, n) for row, n in db.session.execute(sa.select(model, count).order_by(order, model.id).limit(limit))]


def list_learning_reviews(limit: int = 500) -> list[tuple[LearningReview, int]]:
    return _with_counts(LearningReview, Finding.learning_review_id, LearningReview.concluded_on.desc(), limit)


def list_audits(limit: int = 500) -> list[tuple[MultiAgencyAudit, int]]:
    return _with_counts(MultiAgencyAudit, Finding.audit_id, MultiAgencyAudit.audited_on.desc(), limit)
