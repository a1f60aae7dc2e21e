"""Work plans: an approved plan's items in the year (progress updates, status, the at-risk
flag, the rating override) and at year end (carried forward or closed)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from safeguarding.calendar import financial_year_title, today
from safeguarding.extensions import db
from safeguarding.models import (
    INCOMPLETE_STATUSES,
    OVERRIDE_RAGS,
    ItemStatus,
    Priority,
    ProgressUpdate,
    Rag,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from safeguarding.models.base import utcnow
from safeguarding.services import audit, storage
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.services.workplans.common import _check_version, _require_edit, _text, may_update_item
from safeguarding.services.workplans.queries import business_plan_for_year, plan_for
from safeguarding.services.workplans.rag import derive_rag, recalculate

# --- progress, status, risk, override ------------------------------------------------------


def _require_live(plan: WorkPlan, what: str) -> None:
    if plan.state != WorkPlanState.approved:
        raise Conflict(f"Only an approved work plan takes {what}: this one is {plan.state.label.lower()}")


def post_update(
    item: WorkPlanItem,
    plan: WorkPlan,
    user: Any,
    *,
    text: str | None,
    percent: int | None = None,
    milestone: str | None = None,
    evidence: FileStorage | None = None,
    as_of: date | None = None,
) -> ProgressUpdate:
    """A progress update by the item's lead, the sub-group's chair or the office; the
    item's RAG is recalculated."""
    if not may_update_item(item, plan, user):
        raise Forbidden("Only the item's lead, the sub-group's chair and the business office post updates")
    _require_live(plan, "progress updates")
    if (
        item.status not in (ItemStatus.not_started, ItemStatus.in_progress)
        or item.carried_to_item_id
        or item.closed_reason
    ):
        raise Conflict(f"The item is {item.status.label.lower()}: it takes no more updates")
    errors = {}
    if not _text(text):
        errors["text"] = "Enter the progress made"
    if percent is not None and not 0 <= percent <= 100:
        errors["percent"] = "The percentage complete must be between 0 and 100"
    if milestone is not None and len(_text(milestone)) > 300:
        errors["milestone"] = "The milestone must be 300 characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    stored = (
        storage.save_upload(
            evidence, purpose="work_plan_evidence", field="evidence", uploaded_by_id=user.id, required=False
        )
        if evidence
        else None
    )
    update = ProgressUpdate(
        item_id=item.id,
        text=_text(text),
        percent=percent,
        milestone=_text(milestone) or None,
        evidence_file_id=stored.id if stored else None,
        author_id=user.id,
    )
    db.session.add(update)
    item.last_update_at = utcnow()
    if item.status == ItemStatus.not_started:
        item.status = ItemStatus.in_progress
    recalculate(item, as_of)
    audit.mark_action(item, "progress_update")
    db.session.flush()
    return update


def change_status(
    item: WorkPlanItem,
    plan: WorkPlan,
    user: Any,
    *,
    version: int | None,
    status: Any,
    reason: str | None = None,
    as_of: date | None = None,
) -> WorkPlanItem:
    """Deferral and cancellation need a reason. Completing, deferring or cancelling
    clears any override."""
    if not may_update_item(item, plan, user):
        raise Forbidden("Only the item's lead, the sub-group's chair and the business office change its status")
    _check_version(item, version)
    _require_live(plan, "status changes")
    try:
        status = ItemStatus(status)
    except ValueError:
        raise ValidationFailed(errors={"status": "Select the status"}) from None
    if item.carried_to_item_id is not None or item.closed_reason is not None:
        raise Conflict("The item was settled at year end: it cannot change")
    reason = _text(reason) or None
    if status in (ItemStatus.deferred, ItemStatus.cancelled) and not reason:
        raise ValidationFailed(errors={"reason": f"Enter why the item is {status.label.lower()}"})
    on = as_of or today()
    item.status = status
    item.status_reason = reason if status in (ItemStatus.deferred, ItemStatus.cancelled) else None
    item.completed_on = on if status == ItemStatus.completed else None
    if status in (ItemStatus.completed, ItemStatus.deferred, ItemStatus.cancelled):
        _clear_override(item)
    recalculate(item, on)
    audit.mark_action(item, f"status:{status.value}")
    db.session.flush()
    return item


def flag_at_risk(
    item: WorkPlanItem,
    plan: WorkPlan,
    user: Any,
    *,
    version: int | None,
    at_risk: bool,
    reason: str | None = None,
    as_of: date | None = None,
) -> WorkPlanItem:
    if not may_update_item(item, plan, user):
        raise Forbidden("Only the item's lead, the sub-group's chair and the business office flag it at risk")
    _check_version(item, version)
    _require_live(plan, "changes")
    if at_risk and not _text(reason):
        raise ValidationFailed(errors={"at_risk_reason": "Enter why the item is at risk"})
    item.at_risk = bool(at_risk)
    item.at_risk_reason = _text(reason) if at_risk else None
    recalculate(item, as_of)
    db.session.flush()
    return item


def _clear_override(item: WorkPlanItem) -> None:
    item.rag_override = None
    item.override_justification = None
    item.override_by_id = None
    item.override_at = None


def set_override(
    item: WorkPlanItem, plan: WorkPlan, user: Any, *, version: int | None, rag: Any, justification: str | None
) -> WorkPlanItem:
    """Override the derived RAG (red, amber or green) with a justification; `rag=None`
    (or "") clears it. The office or the sub-group's chair."""
    _require_edit(plan, user)
    _check_version(item, version)
    if plan.state == WorkPlanState.closed:
        raise Conflict("The work plan is closed")
    if rag in (None, ""):
        _clear_override(item)
        audit.mark_action(item, "rag_override_cleared")
        db.session.flush()
        return item
    try:
        value = Rag(rag)
    except ValueError:
        value = None
    errors = {}
    if value not in OVERRIDE_RAGS:
        errors["rag"] = "Select red, amber or green"
    if not _text(justification):
        errors["justification"] = "Enter the justification for the override"
    if errors:
        raise ValidationFailed(errors=errors)
    if item.status not in (ItemStatus.not_started, ItemStatus.in_progress):
        raise Conflict(f"A {item.status.label.lower()} item's rating cannot be overridden")
    item.rag_override = value
    item.override_justification = _text(justification)
    item.override_by_id = user.id
    item.override_at = utcnow()
    audit.mark_action(item, "rag_override")
    db.session.flush()
    return item


# --- year end ------------------------------------------------------------------------------


def _require_year_end(plan: WorkPlan, item: WorkPlanItem) -> None:
    if plan.state != WorkPlanState.approved:
        raise Conflict(
            f"Items are carried forward or closed from an approved plan: this one is {plan.state.label.lower()}"
        )
    if item.status not in INCOMPLETE_STATUSES:
        raise Conflict(f"The item is {item.status.label.lower()}: only incomplete items are carried or closed")
    if item.carried_to_item_id is not None or item.closed_reason is not None:
        raise Conflict("The item has already been carried forward or closed")


def _a_year_later(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def carry_forward(
    item: WorkPlanItem, plan: WorkPlan, user: Any, *, version: int | None, due_date: date | None = None
) -> WorkPlanItem:
    """Copy an incomplete item into the sub-group's plan for the next year (created as a
    draft when there is none), linking both ways. Its priority is the next year's priority
    with the same number (the business plan for next year must exist)."""
    _require_edit(plan, user)
    _check_version(item, version)
    _require_year_end(plan, item)
    year = plan.financial_year + 1
    business_plan = business_plan_for_year(year)
    if business_plan is None:
        raise ValidationFailed(
            reasons=[
                f"Record the {financial_year_title(year)} business plan first: carried items link to its priorities"
            ]
        )
    priority = db.session.scalar(
        sa.select(Priority).where(
            Priority.business_plan_id == business_plan.id, Priority.number == item.priority.number
        )
    ) or db.session.scalar(
        sa.select(Priority).where(Priority.business_plan_id == business_plan.id).order_by(Priority.number).limit(1)
    )
    if priority is None:
        raise ValidationFailed(reasons=[f"The {financial_year_title(year)} business plan has no priorities yet"])
    target = plan_for(plan.group_id, year)
    if target is None:
        target = WorkPlan(group_id=plan.group_id, financial_year=year, state=WorkPlanState.draft)
        db.session.add(target)
        db.session.flush()
    new_due = due_date or _a_year_later(item.due_date)
    copy = WorkPlanItem(
        work_plan_id=target.id,
        priority_id=priority.id,
        title=item.title,
        lead_person_id=item.lead_person_id,
        lead_organisation_id=item.lead_organisation_id,
        due_date=new_due,
        success_measure=item.success_measure,
        status=ItemStatus.in_progress if item.status == ItemStatus.in_progress else ItemStatus.not_started,
        carried_from_item_id=item.id,
        last_update_at=item.last_update_at,
        created_at=utcnow(),
    )
    copy.rag = derive_rag(copy, today())
    db.session.add(copy)
    db.session.flush()
    item.carried_to_item_id = copy.id
    item.closed_on = today()
    audit.mark_action(item, "carried_forward")
    db.session.flush()
    return copy


def close_item(
    item: WorkPlanItem, plan: WorkPlan, user: Any, *, version: int | None, reason: str | None
) -> WorkPlanItem:
    _require_edit(plan, user)
    _check_version(item, version)
    _require_year_end(plan, item)
    if not _text(reason):
        raise ValidationFailed(errors={"reason": "Enter why the item is closed without being completed"})
    item.closed_reason = _text(reason)
    item.closed_on = today()
    audit.mark_action(item, "closed_at_year_end")
    db.session.flush()
    return item
