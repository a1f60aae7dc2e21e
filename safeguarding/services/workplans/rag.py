"""Work plans: the RAG rating of an item.

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

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import ItemStatus, Rag, WorkPlan, WorkPlanItem, WorkPlanState


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
