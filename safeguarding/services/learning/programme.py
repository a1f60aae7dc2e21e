"""The audit programme: the multi-agency audits a sub-group plans for the year, as items
of its work plan (`WorkPlanItem.is_audit`), each carried out by the audit the office then
records (`MultiAgencyAudit.work_plan_item_id`).

Linking an audit to its planned item completes the item on the audit's date (through the
work plan's own status change, so its RAG, override and audit log follow the work plan's
rules). The planned item must be of an approved work plan, the audit's group that plan's
sub-group and its date within the plan's financial year; an item cancelled, carried
forward or closed at year end, or already carried out by another audit, cannot be linked.
Once linked, the link stays (the item was completed by it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Group,
    ItemStatus,
    MultiAgencyAudit,
    Role,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.services.workplans.progress import change_status

LINKABLE = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.deferred, ItemStatus.completed)


@dataclass
class Planned:
    item: WorkPlanItem
    plan: WorkPlan
    audit: MultiAgencyAudit | None

    @property
    def overdue(self) -> bool:
        """Not carried out by its due date (and still to do)."""
        return self.audit is None and not self.item.settled and self.item.due_date < today()


@dataclass
class Programme:
    planned: list[Planned]
    unplanned: list[MultiAgencyAudit]  # the year's audits of the group no planned item names


def link_errors(values: dict[str, Any], row: MultiAgencyAudit | None) -> tuple[dict[str, str], WorkPlanItem | None]:
    """What is wrong with linking the audit (`values`: work_plan_item_id, group_id,
    audited_on) to a planned audit, and the item when it may be linked (None: no new
    link). May set values["group_id"] from the plan when none was given."""
    errors: dict[str, str] = {}
    item_id = values.get("work_plan_item_id")
    current = row.work_plan_item_id if row is not None else None
    if current is not None:
        if item_id != current:
            errors["work_plan_item_id"] = "The audit carries out a planned audit of a work plan: that link stays"
        return errors, None
    if item_id is None:
        return errors, None
    item = db.session.get(WorkPlanItem, item_id)
    plan = db.session.get(WorkPlan, item.work_plan_id) if item is not None else None
    if item is None or plan is None or not item.is_audit:
        errors["work_plan_item_id"] = "Select a planned audit from the list"
        return errors, None
    taken = db.session.scalar(
        sa.select(MultiAgencyAudit.reference).where(MultiAgencyAudit.work_plan_item_id == item.id)
    )
    year = financial_year_title(plan.financial_year)
    if taken is not None:
        errors["work_plan_item_id"] = f"Audit {taken} already carries out this planned audit"
    elif plan.state != WorkPlanState.approved:
        errors["work_plan_item_id"] = (
            f"The planned audit's {year} work plan is {plan.state.label.lower()}: "
            "link the audit once the Board has approved the plan"
        )
    elif item.status not in LINKABLE or item.carried_to_item_id is not None or item.closed_reason is not None:
        errors["work_plan_item_id"] = "The planned audit was cancelled or settled at year end: it cannot be linked"
    group_id = values.get("group_id")
    if group_id is None:
        values["group_id"] = plan.group_id
    elif group_id != plan.group_id:
        group = db.session.get(Group, plan.group_id)
        errors["group_id"] = (
            f"The planned audit is in the {group.name if group else 'other'} work plan: select that group"
        )
    on: date | None = values.get("audited_on")
    start, end = financial_year_bounds(plan.financial_year)
    if on is not None and not start <= on <= end:
        errors["audited_on"] = (
            f"The planned audit is in the {year} work plan: the audit date must be between "
            f"{long_date(start)} and {long_date(end)}"
        )
    return errors, (None if errors else item)


def link_audit(row: MultiAgencyAudit, item_id: int | None, user: Any) -> MultiAgencyAudit:
    """Link a recorded audit to the planned audit it carried out (the office), with the
    rules above; the item is completed on the audit's date."""
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can record learning reviews and audits")
    values: dict[str, Any] = {"work_plan_item_id": item_id, "group_id": row.group_id, "audited_on": row.audited_on}
    errors, item = link_errors(values, row)
    if item_id is None:
        errors.setdefault("work_plan_item_id", "Select a planned audit from the list")
    if errors:
        raise ValidationFailed(errors=errors)
    if item is not None:
        row.group_id = values["group_id"]
        carry_out(row, item, user)
    return row


def carry_out(row: MultiAgencyAudit, item: WorkPlanItem, user: Any) -> None:
    """Link the recorded audit to its planned item and complete the item on the audit's date."""
    row.work_plan_item_id = item.id
    db.session.flush()
    if item.status != ItemStatus.completed:
        plan = db.session.get(WorkPlan, item.work_plan_id)
        change_status(item, plan, user, version=item.version, status=ItemStatus.completed, as_of=row.audited_on)


def carried_out_by(item: WorkPlanItem) -> MultiAgencyAudit | None:
    """The audit that carried out a planned audit (None for any other item: no query)."""
    if not item.is_audit:
        return None
    return db.session.scalar(sa.select(MultiAgencyAudit).where(MultiAgencyAudit.work_plan_item_id == item.id))


def audit_programme(group_id: int, financial_year: int) -> Programme:
    """A sub-group's audit programme for a financial year (its work plan shows it): the
    planned audits with the audit that carried each out, and the year's other audits of the
    group (dated 1 April – 31 March). Two queries."""
    planned = [
        Planned(item, plan, audit)
        for item, plan, audit in db.session.execute(
            sa.select(WorkPlanItem, WorkPlan, MultiAgencyAudit)
            .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
            .outerjoin(MultiAgencyAudit, MultiAgencyAudit.work_plan_item_id == WorkPlanItem.id)
            .where(
                WorkPlan.group_id == group_id,
                WorkPlan.financial_year == financial_year,
                WorkPlanItem.is_audit.is_(True),
            )
            .order_by(WorkPlanItem.due_date, WorkPlanItem.id)
        )
    ]
    start, end = financial_year_bounds(financial_year)
    unplanned = list(
        db.session.scalars(
            sa.select(MultiAgencyAudit)
            .where(
                MultiAgencyAudit.group_id == group_id,
                MultiAgencyAudit.audited_on >= start,
                MultiAgencyAudit.audited_on <= end,
                MultiAgencyAudit.work_plan_item_id.is_(None),
            )
            .order_by(MultiAgencyAudit.audited_on, MultiAgencyAudit.id)
        )
    )
    return Programme(planned, unplanned)


def open_planned_audits(limit: int = 200) -> list[Planned]:
    """Planned audits of approved work plans that no audit has carried out yet and that
    are still to do (not cancelled, carried forward or closed), the earliest due first:
    what the office records next (one query)."""
    rows = db.session.execute(
        _open(sa.select(WorkPlanItem, WorkPlan)).order_by(WorkPlanItem.due_date, WorkPlanItem.id).limit(limit)
    )
    return [Planned(item, plan, None) for item, plan in rows]


def _open(stmt: sa.Select) -> sa.Select:
    return (
        stmt.select_from(WorkPlanItem)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .outerjoin(MultiAgencyAudit, MultiAgencyAudit.work_plan_item_id == WorkPlanItem.id)
        .where(
            WorkPlanItem.is_audit.is_(True),
            WorkPlan.state == WorkPlanState.approved,
            WorkPlanItem.status.in_(LINKABLE[:3]),  # not completed by hand either
            WorkPlanItem.carried_to_item_id.is_(None),
            WorkPlanItem.closed_reason.is_(None),
            MultiAgencyAudit.id.is_(None),
        )
    )


def overdue_count_select() -> sa.Select:
    """How many planned audits are past their due date with no audit recorded (the
    office's home page)."""
    return _open(sa.select(sa.func.count())).where(WorkPlanItem.due_date < today())
