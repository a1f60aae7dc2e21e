"""Reading the audit trail (the business office's audit page and record histories)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from safeguarding.calendar import LONDON
from safeguarding.extensions import db
from safeguarding.models import AuditEntry


@dataclass
class AuditFilters:
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    on: date | None = None
    page: int = 1
    per_page: int = 50


def entity_types() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.entity_type).distinct().order_by(AuditEntry.entity_type)))


def search(f: AuditFilters) -> tuple[list[AuditEntry], int]:
    stmt = sa.select(AuditEntry)
    if f.entity_type:
        stmt = stmt.where(AuditEntry.entity_type == f.entity_type)
    if f.entity_id:
        stmt = stmt.where(AuditEntry.entity_id == f.entity_id)
    if f.actor:
        stmt = stmt.where(sa.func.lower(AuditEntry.actor_label).contains(f.actor.strip().lower()))
    if f.action:
        stmt = stmt.where(AuditEntry.action.startswith(f.action))
    if f.on:
        start = datetime.combine(f.on, time.min, tzinfo=LONDON)
        stmt = stmt.where(AuditEntry.at >= start, AuditEntry.at < start + timedelta(days=1))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(AuditEntry.id.desc()).limit(f.per_page).offset((f.page - 1) * f.per_page))
    return list(rows), total
