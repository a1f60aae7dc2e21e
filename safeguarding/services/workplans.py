"""Business plans, sub-group work plans, their items, progress updates and RAG, year-end
carry-forward, highlight reports to the Board and terms-of-reference reviews.

The work plan's state changes (submit, return for changes, approve — only from a
standing Board decision — and close at year end) are in workflows/workplans.py.

RAG (domain.md, "Sub-group work plans"), `derive_rag`:

- completed → complete (blue);
- deferred or cancelled → not rated (grey): the item is not being worked on this year;
- overdue (due date before the day it is rated) and not completed → red;
- due within 30 days — the due date is between the day it is rated and 30 days later,
  both included — and no progress update for 60 days or more (since the last update, or
  since the item was added when it has none) → amber;
- flagged at risk by its lead → amber;
- otherwise green.

An override (red, amber or green) needs a justification and records who set it and
when; it stands until cleared, or until the item is completed, deferred or cancelled.
The stored `rag` is the derived rating; `WorkPlanItem.rating` is what shows.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from safeguarding.calendar import (
    financial_year_bounds,
    financial_year_start,
    financial_year_title,
    today,
)
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    INCOMPLETE_STATUSES,
    OVERRIDE_RAGS,
    AgendaItem,
    AgendaItemKind,
    Area,
    Arm,
    BusinessPlan,
    Group,
    GroupKind,
    ItemStatus,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organisation,
    Paper,
    Person,
    Priority,
    ProgressUpdate,
    Rag,
    Role,
    TorReview,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from safeguarding.models.base import utcnow
from safeguarding.services import audit, storage
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)

WORK_PLAN = "work_plan"  # subject_type of the Board's agenda items and decisions on a work plan
OFFICE = (Role.business_office,)
# Work plans, their items and progress, highlight reports and terms-of-reference reviews
# are the groups' working papers: the office, the chair and members. Viewers read only
# "the published strategic and business plans" (domain.md, "Who uses it").
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)
BUSINESS_PLAN_READERS = (*READERS, Role.viewer)
MEMBER_ROLES = (Role.partner_member, Role.subgroup_chair)


# --- permissions ---------------------------------------------------------------------------


def chaired_group_ids(user: Any, on: date | None = None) -> set[int]:
    """The sub-groups the user chairs (or vice-chairs) today."""
    if user is None or not getattr(user, "person_id", None) or not user.has_role(*MEMBER_ROLES):
        return set()
    on = on or today()
    return set(
        db.session.scalars(
            sa.select(Membership.group_id).where(
                Membership.person_id == user.person_id,
                Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
                Membership.start_date <= on,
                sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            )
        )
    )


def may_edit_plan(plan: WorkPlan | int, user: Any) -> bool:
    """The business office, or the chair of the plan's sub-group."""
    if user is None:
        return False
    if user.has_role(Role.business_office):
        return True
    group_id = plan if isinstance(plan, int) else plan.group_id
    return group_id in chaired_group_ids(user)


def may_update_item(item: WorkPlanItem, plan: WorkPlan, user: Any) -> bool:
    """The office, the sub-group's chair, or the item's lead (the lead person's user)."""
    if user is None:
        return False
    if user.person_id is not None and item.lead_person_id == user.person_id:
        return True
    return may_edit_plan(plan, user)


def _require_edit(plan: WorkPlan, user: Any) -> None:
    if not may_edit_plan(plan, user):
        raise Forbidden("Only the business office and the sub-group's chair can change this work plan")


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can do this")


def _check_version(row: Any, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(errors={"version": "Give the version of the record you are changing"})
    if version != row.version:
        raise StaleVersion()


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- business plans ------------------------------------------------------------------------


def list_business_plans() -> list[BusinessPlan]:
    return list(db.session.scalars(sa.select(BusinessPlan).order_by(BusinessPlan.financial_year.desc())))


def get_business_plan(plan_id: int) -> BusinessPlan:
    plan = db.session.get(BusinessPlan, plan_id)
    if plan is None:
        raise NotFound("Business plan not found")
    return plan


def business_plan_for_year(year: int) -> BusinessPlan | None:
    return db.session.scalar(sa.select(BusinessPlan).where(BusinessPlan.financial_year == year))


def create_business_plan(user: Any, *, financial_year: int | None, strategic_plan: str | None) -> BusinessPlan:
    _require_office(user)
    errors = {}
    if financial_year is None:
        errors["financial_year"] = "Enter the financial year, like 2026-27"
    elif not 2000 <= financial_year <= 2100:
        errors["financial_year"] = "Enter a financial year between 2000-01 and 2100-01"
    elif business_plan_for_year(financial_year) is not None:
        errors["financial_year"] = f"There is already a business plan for {financial_year_title(financial_year)}"
    if not _text(strategic_plan):
        errors["strategic_plan"] = "Enter the strategic plan"
    if errors:
        raise ValidationFailed(errors=errors)
    plan = BusinessPlan(financial_year=financial_year, strategic_plan=_text(strategic_plan))
    db.session.add(plan)
    db.session.flush()
    return plan


def update_business_plan(
    plan: BusinessPlan, user: Any, *, version: int | None, strategic_plan: str | None
) -> BusinessPlan:
    _require_office(user)
    _check_version(plan, version)
    if not _text(strategic_plan):
        raise ValidationFailed(errors={"strategic_plan": "Enter the strategic plan"})
    plan.strategic_plan = _text(strategic_plan)
    db.session.flush()
    return plan


def priorities_of(business_plan_id: int) -> list[Priority]:
    return list(
        db.session.scalars(
            sa.select(Priority).where(Priority.business_plan_id == business_plan_id).order_by(Priority.number)
        )
    )


def get_priority(priority_id: int) -> Priority:
    priority = db.session.get(Priority, priority_id)
    if priority is None:
        raise NotFound("Priority not found")
    return priority


def _priority_fields(title: str | None, arm: Any, area: Any) -> tuple[dict[str, str], Arm | None, Area | None]:
    errors = {}
    if not _text(title):
        errors["title"] = "Enter the title of the priority"
    elif len(_text(title)) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    try:
        arm_v = Arm(arm)
    except ValueError:
        errors["arm"] = "Select whether the priority is for adults, children or both"
        arm_v = None
    try:
        area_v = Area(area)
    except ValueError:
        errors["area"] = "Select the area the priority covers"
        area_v = None
    return errors, arm_v, area_v


def add_priority(
    plan: BusinessPlan,
    user: Any,
    *,
    title: str | None,
    description: str | None = None,
    arm: Any = "both",
    area: Any = "both",
    outcomes: str | None = None,
) -> Priority:
    _require_office(user)
    errors, arm_v, area_v = _priority_fields(title, arm, area)
    if not _text(outcomes):
        errors["outcomes"] = "Enter at least one measurable outcome"
    if errors:
        raise ValidationFailed(errors=errors)
    number = (
        db.session.scalar(sa.select(sa.func.max(Priority.number)).where(Priority.business_plan_id == plan.id)) or 0
    ) + 1
    priority = Priority(
        business_plan_id=plan.id,
        number=number,
        title=_text(title),
        description=_text(description),
        arm=arm_v,
        area=area_v,
        outcomes=_text(outcomes),
    )
    db.session.add(priority)
    db.session.flush()
    return priority


def update_priority(
    priority: Priority,
    user: Any,
    *,
    version: int | None,
    title: str | None,
    description: str | None,
    arm: Any,
    area: Any,
    outcomes: str | None,
) -> Priority:
    _require_office(user)
    _check_version(priority, version)
    errors, arm_v, area_v = _priority_fields(title, arm, area)
    if not _text(outcomes):
        errors["outcomes"] = "Enter at least one measurable outcome"
    if errors:
        raise ValidationFailed(errors=errors)
    priority.title, priority.description, priority.arm, priority.area, priority.outcomes = (
        _text(title),
        _text(description),
        arm_v,
        area_v,
        _text(outcomes),
    )
    db.session.flush()
    return priority


# --- work plans ----------------------------------------------------------------------------


def subgroups() -> list[Group]:
    return list(
        db.session.scalars(
            sa.select(Group).where(Group.kind == GroupKind.subgroup, Group.active.is_(True)).order_by(Group.name)
        )
    )


def get_work_plan(plan_id: int) -> WorkPlan:
    plan = db.session.get(WorkPlan, plan_id)
    if plan is None:
        raise NotFound("Work plan not found")
    return plan


def plan_for(group_id: int, year: int) -> WorkPlan | None:
    return db.session.scalar(sa.select(WorkPlan).where(WorkPlan.group_id == group_id, WorkPlan.financial_year == year))


def list_work_plans(*, year: int | None = None, group_id: int | None = None) -> list[tuple[WorkPlan, dict[str, int]]]:
    """Work plans (newest year first) with counts of their items by rating: two queries."""
    stmt = sa.select(WorkPlan).join(Group, Group.id == WorkPlan.group_id)
    if year is not None:
        stmt = stmt.where(WorkPlan.financial_year == year)
    if group_id is not None:
        stmt = stmt.where(WorkPlan.group_id == group_id)
    plans = list(db.session.scalars(stmt.order_by(WorkPlan.financial_year.desc(), Group.name).limit(500)))
    counts: dict[int, dict[str, int]] = {p.id: {} for p in plans}
    if plans:
        rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
        for plan_id, value, n in db.session.execute(
            sa.select(WorkPlanItem.work_plan_id, rating, sa.func.count())
            .where(WorkPlanItem.work_plan_id.in_([p.id for p in plans]))
            .group_by(WorkPlanItem.work_plan_id, rating)
        ):
            counts[plan_id][str(value.value if hasattr(value, "value") else value)] = n
    return [(p, counts[p.id]) for p in plans]


def create_work_plan(user: Any, *, group_id: int | None, financial_year: int | None) -> WorkPlan:
    errors = {}
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.kind != GroupKind.subgroup:
        errors["group_id"] = "Select the sub-group"
    if financial_year is None:
        errors["financial_year"] = "Enter the financial year, like 2026-27"
    if errors:
        raise ValidationFailed(errors=errors)
    if not may_edit_plan(group.id, user):
        raise Forbidden("Only the business office and the sub-group's chair can draft its work plan")
    if business_plan_for_year(financial_year) is None:
        raise ValidationFailed(
            errors={
                "financial_year": f"There is no business plan for "
                f"{financial_year_title(financial_year)} yet: the office "
                "records it first"
            }
        )
    if plan_for(group.id, financial_year) is not None:
        raise ValidationFailed(
            errors={
                "financial_year": f"The {group.short_name} already has a work plan for "
                f"{financial_year_title(financial_year)}"
            }
        )
    plan = WorkPlan(group_id=group.id, financial_year=financial_year, state=WorkPlanState.draft)
    db.session.add(plan)
    db.session.flush()
    return plan


def items_of(plan: WorkPlan) -> list[WorkPlanItem]:
    return list(
        db.session.scalars(
            sa.select(WorkPlanItem)
            .where(WorkPlanItem.work_plan_id == plan.id)
            .order_by(WorkPlanItem.due_date, WorkPlanItem.id)
        )
    )


def get_item(item_id: int) -> tuple[WorkPlanItem, WorkPlan]:
    row = db.session.execute(
        sa.select(WorkPlanItem, WorkPlan)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(WorkPlanItem.id == item_id)
    ).first()
    if row is None:
        raise NotFound("Work plan item not found")
    return row[0], row[1]


def _item_fields(
    plan: WorkPlan,
    *,
    priority_id: Any,
    title: str | None,
    lead_person_id: Any,
    lead_organisation_id: Any,
    due_date: date | None,
    success_measure: str | None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    priority = db.session.get(Priority, priority_id) if priority_id else None
    business_plan = business_plan_for_year(plan.financial_year)
    if priority is None or business_plan is None or priority.business_plan_id != business_plan.id:
        errors["priority_id"] = f"Select a priority of the {financial_year_title(plan.financial_year)} business plan"
    if not _text(title):
        errors["title"] = "Enter what will be done"
    elif len(_text(title)) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    person = db.session.get(Person, lead_person_id) if lead_person_id else None
    if lead_person_id and (person is None or not person.active):
        errors["lead_person_id"] = "Select the lead person from the list"
    org = db.session.get(Organisation, lead_organisation_id) if lead_organisation_id else None
    if org is None:
        errors["lead_organisation_id"] = "Select the lead organisation"
    if due_date is None:
        errors["due_date"] = "Enter the due date"
    if not _text(success_measure):
        errors["success_measure"] = "Enter how success will be measured"
    if errors:
        raise ValidationFailed(errors=errors)
    return {
        "priority_id": priority.id,
        "title": _text(title),
        "lead_person_id": person.id if person else None,
        "lead_organisation_id": org.id,
        "due_date": due_date,
        "success_measure": _text(success_measure),
    }


def add_item(plan: WorkPlan, user: Any, **values: Any) -> WorkPlanItem:
    """Items are added while the plan is a draft (a returned plan is a draft again)."""
    _require_edit(plan, user)
    if plan.state != WorkPlanState.draft:
        raise Conflict(f"Items are added while the work plan is a draft: it is {plan.state.label.lower()}")
    item = WorkPlanItem(work_plan_id=plan.id, status=ItemStatus.not_started, **_item_fields(plan, **values))
    item.created_at = utcnow()
    item.rag = derive_rag(item, today())
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: WorkPlanItem, plan: WorkPlan, user: Any, *, version: int | None, **values: Any) -> WorkPlanItem:
    _require_edit(plan, user)
    _check_version(item, version)
    if plan.state != WorkPlanState.draft:
        raise Conflict(f"Items are changed while the work plan is a draft: it is {plan.state.label.lower()}")
    for k, v in _item_fields(plan, **values).items():
        setattr(item, k, v)
    item.rag = derive_rag(item, today())
    db.session.flush()
    return item


# --- RAG -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RagPolicy:
    due_soon_days: int = 30  # due within this many days (inclusive) …
    stale_days: int = 60  # … and no update for this many days (or more) → amber


DEFAULT_POLICY = RagPolicy()


def _last_activity(item: WorkPlanItem) -> date | None:
    at = item.last_update_at or item.created_at
    return at.astimezone(UTC).date() if at is not None else None


def derive_rag(item: WorkPlanItem, as_of: date, policy: RagPolicy = DEFAULT_POLICY) -> Rag:
    """The derived RAG of an item on `as_of` (pure: reads the item, changes nothing)."""
    if item.status == ItemStatus.completed:
        return Rag.complete
    if item.status in (ItemStatus.deferred, ItemStatus.cancelled):
        return Rag.not_rated
    if item.due_date < as_of:
        return Rag.red
    last = _last_activity(item)
    stale = last is None or (as_of - last).days >= policy.stale_days
    if (item.due_date - as_of).days <= policy.due_soon_days and stale:
        return Rag.amber
    if item.at_risk:
        return Rag.amber
    return Rag.green


def rag_reason(item: WorkPlanItem, as_of: date, policy: RagPolicy = DEFAULT_POLICY) -> str:
    """Why the item shows its rating, in a sentence (for the page and the highlight report)."""
    if item.rag_override is not None:
        return f"Set to {item.rag_override.label.lower()} by override: {item.override_justification}"
    rag = item.rag
    if rag == Rag.complete:
        return f"Completed{' on ' + long_date(item.completed_on) if item.completed_on else ''}"
    if rag == Rag.not_rated:
        return f"{item.status.label}: {item.status_reason or 'no reason recorded'}"
    if rag == Rag.red:
        return f"Overdue: due {long_date(item.due_date)}"
    if rag == Rag.amber:
        last = _last_activity(item)
        if (item.due_date - as_of).days <= policy.due_soon_days and (
            last is None or (as_of - last).days >= policy.stale_days
        ):
            since = f"since {long_date(item.last_update_at.date())}" if item.last_update_at else "yet"
            return f"Due {long_date(item.due_date)} with no progress update {since}"
        return f"Flagged at risk by the lead: {item.at_risk_reason or 'no reason given'}"
    return "On track"


def recalculate(item: WorkPlanItem, as_of: date | None = None) -> Rag:
    item.rag = derive_rag(item, as_of or today())
    return item.rag


def recalculate_all(as_of: date, policy: RagPolicy = DEFAULT_POLICY) -> int:
    """Rate every item of every plan that is not closed, in one UPDATE (the daily job).
    The same rules as `derive_rag`, in SQL; returns how many items changed rating."""
    cutoff = datetime.combine(as_of - timedelta(days=policy.stale_days - 1), time(0), tzinfo=UTC)
    activity = sa.func.coalesce(WorkPlanItem.last_update_at, WorkPlanItem.created_at)
    new = sa.case(
        (WorkPlanItem.status == ItemStatus.completed.value, Rag.complete.value),
        (WorkPlanItem.status.in_([ItemStatus.deferred.value, ItemStatus.cancelled.value]), Rag.not_rated.value),
        (WorkPlanItem.due_date < as_of, Rag.red.value),
        (
            sa.and_(WorkPlanItem.due_date <= as_of + timedelta(days=policy.due_soon_days), activity < cutoff),
            Rag.amber.value,
        ),
        (WorkPlanItem.at_risk.is_(True), Rag.amber.value),
        else_=Rag.green.value,
    )
    live = sa.select(WorkPlan.id).where(WorkPlan.state != WorkPlanState.closed.value).scalar_subquery()
    table = WorkPlanItem.__table__
    result = db.session.execute(
        table.update().where(table.c.work_plan_id.in_(live), table.c.rag != new).values(rag=new),
        execution_options={"synchronize_session": False},
    )
    db.session.expire_all()
    return result.rowcount or 0


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


def updates_of(item: WorkPlanItem) -> list[ProgressUpdate]:
    return list(
        db.session.scalars(
            sa.select(ProgressUpdate)
            .where(ProgressUpdate.item_id == item.id)
            .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
        )
    )


def get_update(update_id: int) -> tuple[ProgressUpdate, WorkPlanItem, WorkPlan]:
    update = db.session.get(ProgressUpdate, update_id)
    if update is None:
        raise NotFound("Progress update not found")
    item, plan = get_item(update.item_id)
    return update, item, plan


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


def unsettled_items(plan: WorkPlan) -> int:
    """Incomplete items neither carried forward nor closed with a reason."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(WorkPlanItem)
            .where(
                WorkPlanItem.work_plan_id == plan.id,
                WorkPlanItem.status.in_([s.value for s in INCOMPLETE_STATUSES]),
                WorkPlanItem.carried_to_item_id.is_(None),
                WorkPlanItem.closed_reason.is_(None),
            )
        )
        or 0
    )


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


# --- the Board's approval ------------------------------------------------------------------


def board_approval(plan: WorkPlan) -> Any:
    """The Board's latest standing decision on the plan, or None."""
    from safeguarding.services import meetings

    standing = [d for d in meetings.decisions_for(WORK_PLAN, plan.id) if meetings.decision_stands(d)]
    return standing[-1] if standing else None


def put_on_board_agenda(plan: WorkPlan, *, after: date | None = None) -> AgendaItem | None:
    from safeguarding.services import meetings

    return meetings.add_to_next_board_agenda(
        f"Approval of the {plan.group.name} work plan {financial_year_title(plan.financial_year)}",
        subject_type=WORK_PLAN,
        subject_id=plan.id,
        after=after or today(),
    )


def board_decided(decision: Any, meeting: Meeting) -> None:
    """Called by the meetings service when a Board decision on a work plan is final: a
    standing decision approves a submitted plan."""
    from safeguarding.services import meetings
    from safeguarding.workflows.workplans import work_plan_lifecycle

    plan = db.session.get(WorkPlan, decision.subject_id)
    if plan is None or plan.state != WorkPlanState.submitted or not meetings.decision_stands(decision):
        return
    work_plan_lifecycle.fire(
        plan,
        "approve",
        user=None,
        system=True,
        as_of=meeting.meeting_date,
        comment=f"Decision {decision.id} at the Board meeting of {long_date(meeting.meeting_date)}",
    )


# --- terms of reference reviews ------------------------------------------------------------


def record_tor_review(
    user: Any,
    *,
    group_id: int | None,
    reviewed_on: date | None,
    meeting_id: int | None = None,
    notes: str | None = None,
) -> TorReview:
    errors = {}
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.kind != GroupKind.subgroup:
        errors["group_id"] = "Select the sub-group"
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date the terms of reference were reviewed"
    elif reviewed_on > today():
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if meeting_id and (meeting is None or group is None or meeting.group_id != group.id):
        errors["meeting_id"] = "Select a meeting of the sub-group"
    if errors:
        raise ValidationFailed(errors=errors)
    if not may_edit_plan(group.id, user):
        raise Forbidden("Only the business office and the sub-group's chair record its terms of reference review")
    year = financial_year_start(reviewed_on)
    existing = db.session.scalar(
        sa.select(TorReview).where(TorReview.group_id == group.id, TorReview.financial_year == year)
    )
    if existing is not None:
        raise ValidationFailed(
            errors={
                "reviewed_on": f"The {group.short_name}'s review for {financial_year_title(year)} is already recorded"
            }
        )
    review = TorReview(
        group_id=group.id,
        financial_year=year,
        reviewed_on=reviewed_on,
        meeting_id=meeting.id if meeting else None,
        notes=_text(notes) or None,
        recorded_by_id=user.id,
    )
    db.session.add(review)
    group.tor_last_reviewed_on = max(filter(None, [group.tor_last_reviewed_on, reviewed_on]))
    db.session.flush()
    return review


def tor_reviews(year: int) -> list[TorReview]:
    return list(
        db.session.scalars(sa.select(TorReview).where(TorReview.financial_year == year).order_by(TorReview.reviewed_on))
    )


@dataclass
class TorStatus:
    group: Group
    review: TorReview | None
    first_meeting_on: date | None

    @property
    def missing(self) -> bool:
        """The sub-group has met this year and has not recorded its review."""
        return self.review is None and self.first_meeting_on is not None

    @property
    def sentence(self) -> str:
        if self.review is not None:
            return f"Reviewed on {long_date(self.review.reviewed_on)}"
        if self.first_meeting_on is not None:
            return f"Missing: not reviewed at its first meeting of the year on {long_date(self.first_meeting_on)}"
        return "Not yet due: the sub-group has not met this year"


def tor_status(year: int, as_of: date | None = None, groups: list[Group] | None = None) -> list[TorStatus]:
    """Each active sub-group's terms-of-reference review for the year: three queries (two
    when the sub-groups are given)."""
    as_of = as_of or today()
    start, end = financial_year_bounds(year)
    groups = subgroups() if groups is None else groups
    reviews = {r.group_id: r for r in tor_reviews(year)}
    first = dict(
        db.session.execute(
            sa.select(Meeting.group_id, sa.func.min(Meeting.meeting_date))
            .where(
                Meeting.group_id.in_([g.id for g in groups] or [0]),
                Meeting.is_held,
                Meeting.meeting_date >= start,
                Meeting.meeting_date <= min(end, as_of),
            )
            .group_by(Meeting.group_id)
        ).all()
    )
    return [TorStatus(g, reviews.get(g.id), first.get(g.id)) for g in groups]


def tor_flags(year: int, as_of: date | None = None) -> list[TorStatus]:
    return [s for s in tor_status(year, as_of) if s.missing]


# --- the partnership view ------------------------------------------------------------------

RAG_ORDER = (Rag.red, Rag.amber, Rag.green, Rag.complete, Rag.not_rated)


@dataclass
class PartnershipView:
    year: int
    business_plan: BusinessPlan | None
    priorities: list[Priority]
    groups: list[Group]
    plans: dict[int, WorkPlan]
    by_priority: dict[int, dict[Rag, int]]
    by_group: dict[int, dict[Rag, int]]
    tor: list[TorStatus] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(c.values()) for c in self.by_group.values())


def partnership_view(
    year: int,
    *,
    arm: str | None = None,
    area: str | None = None,
    organisation_id: int | None = None,
    as_of: date | None = None,
) -> PartnershipView:
    """Every sub-group's plan for the year: counts by rating per priority and per
    sub-group, filtered by the priority's arm and area (a priority for both counts for
    each) and the items' lead organisation. A fixed number of queries."""
    business_plan = business_plan_for_year(year)
    priorities = priorities_of(business_plan.id) if business_plan else []
    if arm:
        priorities = [p for p in priorities if p.arm in (Arm(arm), Arm.both) or arm == Arm.both.value]
    if area:
        priorities = [p for p in priorities if p.area in (Area(area), Area.both) or area == Area.both.value]
    groups = subgroups()
    plans = {p.group_id: p for p in db.session.scalars(sa.select(WorkPlan).where(WorkPlan.financial_year == year))}
    by_priority: dict[int, dict[Rag, int]] = defaultdict(lambda: defaultdict(int))
    by_group: dict[int, dict[Rag, int]] = defaultdict(lambda: defaultdict(int))
    if plans and priorities:
        rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
        stmt = (
            sa.select(WorkPlan.group_id, WorkPlanItem.priority_id, rating, sa.func.count())
            .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
            .where(WorkPlan.financial_year == year, WorkPlanItem.priority_id.in_([p.id for p in priorities]))
            .group_by(WorkPlan.group_id, WorkPlanItem.priority_id, rating)
        )
        if organisation_id:
            stmt = stmt.where(WorkPlanItem.lead_organisation_id == organisation_id)
        for group_id, priority_id, value, n in db.session.execute(stmt):
            r = Rag(value)
            by_priority[priority_id][r] += n
            by_group[group_id][r] += n
    return PartnershipView(
        year, business_plan, priorities, groups, plans, by_priority, by_group, tor_status(year, as_of, groups)
    )


# --- highlight reports ---------------------------------------------------------------------


@dataclass
class Highlight:
    group: Group
    meeting: Meeting
    plan: WorkPlan | None
    previous_on: date | None
    next_on: date | None
    completed: list[WorkPlanItem]
    red_amber: list[WorkPlanItem]
    due_next: list[WorkPlanItem]
    tor: TorStatus
    as_of: date
    # The Board's first meeting of the financial year: every sub-group's ToR status.
    first_of_year: bool = False
    all_tor: list[TorStatus] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Highlight report: {self.group.name}"

    @property
    def reference(self) -> str:
        return f"HR-{self.meeting.meeting_date:%Y-%m-%d}-{self.group.id}"


def board_meetings_around(meeting: Meeting) -> tuple[date | None, date | None]:
    prev_on = db.session.scalar(
        sa.select(sa.func.max(Meeting.meeting_date)).where(
            Meeting.group_id == meeting.group_id,
            Meeting.meeting_date < meeting.meeting_date,
            Meeting.state != MeetingState.cancelled,
        )
    )
    next_on = db.session.scalar(
        sa.select(sa.func.min(Meeting.meeting_date)).where(
            Meeting.group_id == meeting.group_id,
            Meeting.meeting_date > meeting.meeting_date,
            Meeting.state != MeetingState.cancelled,
        )
    )
    return prev_on, next_on


def get_board_meeting(meeting_id: int | None) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if meeting is None or meeting.group.kind != GroupKind.board:
        raise NotFound("Board meeting not found")
    return meeting


def get_subgroup(group_id: int | None) -> Group:
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.kind != GroupKind.subgroup:
        raise NotFound("Sub-group not found")
    return group


def highlight(group: Group, meeting: Meeting) -> Highlight:
    """What the sub-group reports to this Board meeting, from its plan for the meeting's
    financial year: items completed since the previous Board meeting, red and amber items
    with their reasons, items due before the next Board meeting, and the sub-group's
    terms-of-reference review status."""
    year = financial_year_start(meeting.meeting_date)
    as_of = min(today(), meeting.meeting_date)
    plan = plan_for(group.id, year)
    items = items_of(plan) if plan else []
    prev_on, next_on = board_meetings_around(meeting)
    since = prev_on or financial_year_bounds(year)[0]
    until = next_on or financial_year_bounds(year)[1]
    completed = [
        i
        for i in items
        if i.status == ItemStatus.completed and i.completed_on and since < i.completed_on <= meeting.meeting_date
    ]
    red_amber = [i for i in items if i.rating in (Rag.red, Rag.amber)]
    due_next = [
        i
        for i in items
        if i.status in (ItemStatus.not_started, ItemStatus.in_progress) and meeting.meeting_date <= i.due_date <= until
    ]
    statuses = tor_status(year, max(as_of, meeting.meeting_date))
    mine = next((s for s in statuses if s.group.id == group.id), TorStatus(group, None, None))
    first_board = db.session.scalar(
        sa.select(sa.func.min(Meeting.meeting_date)).where(
            Meeting.group_id == meeting.group_id,
            Meeting.state != MeetingState.cancelled,
            Meeting.meeting_date >= financial_year_bounds(year)[0],
        )
    )
    return Highlight(
        group,
        meeting,
        plan,
        prev_on,
        next_on,
        completed,
        red_amber,
        due_next,
        mine,
        as_of,
        first_of_year=first_board == meeting.meeting_date,
        all_tor=statuses,
    )


def highlight_report(h: Highlight) -> Any:
    from safeguarding.documents import Report, Section, Table

    def lead(i: WorkPlanItem) -> str:
        return i.lead_organisation.short_name if i.lead_organisation else "—"

    year = financial_year_title(financial_year_start(h.meeting.meeting_date))
    intro = (
        f"The {h.group.name}'s report to the Board meeting of {long_date(h.meeting.meeting_date)}, "
        f"from its work plan for {year}"
        + (f" ({h.plan.state.label.lower()})." if h.plan else ". The sub-group has no work plan for the year.")
    )
    since = f"since the Board met on {long_date(h.previous_on)}" if h.previous_on else "this year"
    sections = [
        Section("Summary", [intro]),
        Section(
            "Completed " + since,
            [] if h.completed else ["Nothing was completed in the period."],
            [
                Table(
                    "Completed items",
                    ["Item", "Lead organisation", "Completed"],
                    [[i.title, lead(i), long_date(i.completed_on)] for i in h.completed],
                )
            ]
            if h.completed
            else [],
        ),
        Section(
            "Red and amber items",
            [] if h.red_amber else ["No items are red or amber."],
            [
                Table(
                    "Red and amber items",
                    ["Item", "Rating", "Reason", "Due"],
                    [[i.title, i.rating.label, rag_reason(i, h.as_of), long_date(i.due_date)] for i in h.red_amber],
                )
            ]
            if h.red_amber
            else [],
        ),
        Section(
            "Due before the next meeting" + (f" ({long_date(h.next_on)})" if h.next_on else ""),
            [] if h.due_next else ["No items fall due before the next meeting."],
            [
                Table(
                    "Items due",
                    ["Item", "Lead organisation", "Due", "Rating"],
                    [[i.title, lead(i), long_date(i.due_date), i.rating.label] for i in h.due_next],
                )
            ]
            if h.due_next
            else [],
        ),
        Section("Terms of reference", [h.tor.sentence]),
    ]
    if h.first_of_year:
        sections.append(
            Section(
                "Terms of reference reviews of every sub-group",
                [
                    "This is the Board's first meeting of the financial year: it sees every sub-group's terms of reference."
                ],
                [
                    Table(
                        "Terms of reference reviews",
                        ["Sub-group", "Status"],
                        [[s.group.name, s.sentence] for s in h.all_tor],
                    )
                ],
            )
        )
    return Report(
        title=h.title,
        subtitle=f"Board meeting of {long_date(h.meeting.meeting_date)}",
        sections=sections,
        date=today(),
        reference=h.reference,
    )


def subgroup_slot(group: Group, meeting: Meeting) -> AgendaItem | None:
    return db.session.scalar(
        sa.select(AgendaItem).where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.kind == AgendaItemKind.subgroup_report,
            AgendaItem.group_id == group.id,
            AgendaItem.withdrawn.is_(False),
        )
    )


def attached_papers(group: Group, meeting: Meeting) -> list[Paper]:
    return list(
        db.session.scalars(
            sa.select(Paper)
            .join(AgendaItem, AgendaItem.id == Paper.agenda_item_id)
            .where(
                Paper.meeting_id == meeting.id,
                AgendaItem.kind == AgendaItemKind.subgroup_report,
                AgendaItem.group_id == group.id,
            )
            .order_by(Paper.id)
        )
    )


def attach_highlight(group: Group, meeting: Meeting, user: Any) -> list[Paper]:
    """Render the highlight report as a PDF and a DOCX and attach both to the Board
    meeting's "Report from the <sub-group>" slot (office or the sub-group's chair)."""
    from safeguarding.documents import render_docx, render_pdf
    from safeguarding.services import meetings

    if not may_edit_plan(group.id, user):
        raise Forbidden("Only the business office and the sub-group's chair attach its highlight report")
    slot = subgroup_slot(group, meeting)
    if slot is None:
        raise Conflict(f"The Board meeting of {long_date(meeting.meeting_date)} has no slot for the {group.name}")
    h = highlight(group, meeting)
    report = highlight_report(h)
    papers = []
    for ext, data in (("pdf", render_pdf(report)), ("docx", render_docx(report))):
        stored = storage.save_upload(
            FileStorage(io.BytesIO(data), filename=f"{h.reference}.{ext}"),
            purpose="highlight_report",
            kinds=(ext,),
            uploaded_by_id=user.id,
            max_bytes=max(len(data), 1),
        )
        kind = "PDF" if ext == "pdf" else "Word"
        papers.append(
            meetings.attach_paper(
                slot, stored, title=f"Highlight report ({kind}), {long_date(meeting.meeting_date)}", added_by_id=user.id
            )
        )
    return papers


def board_meetings_for_year(year: int) -> list[Meeting]:
    from safeguarding.services import meetings

    board = meetings.board()
    if board is None:
        return []
    start, end = financial_year_bounds(year)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.group_id == board.id,
                Meeting.meeting_date >= start,
                Meeting.meeting_date <= end,
                Meeting.state != MeetingState.cancelled,
            )
            .order_by(Meeting.meeting_date)
        )
    )


# --- for other features and the home page ---------------------------------------------------


def year_summary(year: int) -> dict[int, dict[str, int]]:
    """Per sub-group for a year: items by rating, completed and carried forward (for the
    annual report), over the plans the Board approved (approved or closed; drafts and
    plans awaiting the Board are not the partnership's). One query."""
    rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
    out: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        sa.select(
            WorkPlan.group_id,
            rating,
            sa.func.count(),
            sa.func.sum(sa.case((WorkPlanItem.carried_to_item_id.is_not(None), 1), else_=0)),
        )
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(WorkPlan.financial_year == year, WorkPlan.state.in_((WorkPlanState.approved, WorkPlanState.closed)))
        .group_by(WorkPlan.group_id, rating)
    )
    for group_id, value, n, carried in rows:
        counts = out.setdefault(group_id, {"total": 0, "carried_forward": 0})
        key = Rag(value).value
        counts[key] = counts.get(key, 0) + n
        counts["total"] += n
        counts["carried_forward"] += int(carried or 0)
    for counts in out.values():
        counts["completed"] = counts.get(Rag.complete.value, 0)
    return out


def count_red(year: int) -> int:
    return db.session.scalar(rating_count_select(year, (Rag.red,))) or 0


def rating_count_select(year: int, ratings, *, group_ids: sa.Select | None = None) -> sa.Select:
    """A COUNT of items rated (the override when set) one of `ratings` in the year's
    approved plans, optionally of the sub-groups in `group_ids` (a subquery): for the home
    page, no query of its own."""
    rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
    stmt = (
        sa.select(sa.func.count())
        .select_from(WorkPlanItem)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(
            WorkPlan.financial_year == year,
            WorkPlan.state == WorkPlanState.approved,
            rating.in_([r.value for r in ratings]),
        )
    )
    if group_ids is not None:
        stmt = stmt.where(WorkPlan.group_id.in_(group_ids))
    return stmt
