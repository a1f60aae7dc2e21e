"""The home page's counts of overdue and outstanding invoices, and the same figures for
the budget pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.services.budget.queries import InvoiceFilters, _invoice_query


def home_selects(user: Any, status: str, on: date | None = None) -> dict[str, sa.Select]:
    """Invoices with `status` ("overdue" or "outstanding") that `user` may see, as count
    and sum selects for the home page: count, owed and (of it) overdue."""
    on = on or today()
    stmt = _invoice_query(user, InvoiceFilters(status=status), on).subquery()
    owed = stmt.c.amount_pence - stmt.c.paid_pence
    return {
        "count": sa.select(sa.func.count()).select_from(stmt),
        "owed": sa.select(sa.func.coalesce(sa.func.sum(owed), 0)).select_from(stmt),
        "overdue": sa.select(
            sa.func.coalesce(sa.func.sum(sa.case((stmt.c.due_on < on, owed), else_=0)), 0)
        ).select_from(stmt),
    }


def overdue_summary(user: Any, on: date | None = None) -> tuple[int, int]:
    """(number of overdue invoices, total overdue) that `user` may see."""
    stmt = _invoice_query(user, InvoiceFilters(status="overdue"), on or today()).subquery()
    count, total = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(stmt.c.amount_pence - stmt.c.paid_pence), 0))
    ).one()
    return int(count or 0), int(total or 0)
