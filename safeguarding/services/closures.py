"""The partnership's office closure days: extra non-working days on top of weekends and
English bank holidays (the working-day calendar, calendar.py, reads them). A removed
closure day is kept, marked inactive; adding the same day again restores it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.calendar import bank_holidays, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import ClosureDay
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, NotFound, ValidationFailed


def list_closure_days(*, include_past: bool = False) -> list[ClosureDay]:
    stmt = sa.select(ClosureDay).where(ClosureDay.active.is_(True))
    if not include_past:
        stmt = stmt.where(ClosureDay.day >= today())
    return list(db.session.scalars(stmt.order_by(ClosureDay.day)))


def get_closure_day(closure_id: int) -> ClosureDay:
    row = db.session.get(ClosureDay, closure_id)
    if row is None or not row.active:
        raise NotFound("Closure day not found")
    return row


def add_closure_day(day: date | None, reason: str | None) -> ClosureDay:
    errors: dict[str, str] = {}
    if day is None:
        errors["day"] = "Enter the date the office is closed"
    elif day.weekday() >= 5:
        errors["day"] = f"{long_date(day)} is a weekend: it is not a working day anyway"
    elif day in bank_holidays([day.year]):
        errors["day"] = f"{long_date(day)} is a bank holiday: it is not a working day anyway"
    if not (reason or "").strip():
        errors["reason"] = "Enter why the office is closed"
    if errors:
        raise ValidationFailed(errors=errors)
    existing = db.session.scalar(sa.select(ClosureDay).where(ClosureDay.day == day))
    if existing is not None and existing.active:
        raise ValidationFailed(errors={"day": f"{long_date(day)} is already a closure day"})
    if existing is not None:
        existing.active = True
        existing.reason = reason.strip()[:200]
        audit.mark_action(existing, "restore")
        db.session.flush()
        return existing
    row = ClosureDay(day=day, reason=reason.strip()[:200])
    db.session.add(row)
    db.session.flush()
    return row


def remove_closure_day(row: ClosureDay) -> ClosureDay:
    if not row.active:
        raise Conflict("This closure day has already been removed")
    row.active = False
    audit.mark_action(row, "remove")
    db.session.flush()
    return row
