"""Numbered references (DSP-2026-003, SAR-2026-002, …): the next number of a series,
safe when several people save at once.

On PostgreSQL the series is locked for the rest of the transaction
(`pg_advisory_xact_lock`), so concurrent savers queue and each reads the number the one
before committed; on SQLite every write transaction already holds the database's write
lock (BEGIN IMMEDIATE, see create_app). The unique constraint stays the last word: an
insert that still collides takes the next number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from safeguarding.extensions import db
from safeguarding.services.errors import Conflict


def _lock_series(series: str, year: int) -> None:
    """Advisory locks belong to the database, not the schema: the key includes the current
    schema, so two partnerships' schemas in one database (or two test runs) never queue
    behind each other's numbering."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':' || :series), :year)"),
        {"series": series, "year": year},
    )


def next_number(column: Any, *where: Any, series: str, year: int) -> int:
    """One more than the highest `column` among the rows matching `where`."""
    _lock_series(series, year)
    top = db.session.scalar(sa.select(sa.func.max(column)).where(*where))
    return (top or 0) + 1


def insert_numbered(row: Any, number: Callable[[], None], *, attempts: int = 5) -> None:
    """Insert `row` after `number()` has given it the next number of its series."""
    for _ in range(attempts):
        number()
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            continue
        return
    raise Conflict("Another record was saved at the same moment. Try again.")
