"""What every record source of the disposal has in common (`sources.py` lists them): the
period's arithmetic and the `Source` itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

REDACTED = "(disposed of)"


def due_date(trigger_on: date, years: int) -> date:
    """The day the period ends: the anniversary (29 February → 1 March in a common year)."""
    try:
        return trigger_on.replace(year=trigger_on.year + years)
    except ValueError:
        return date(trigger_on.year + years, 3, 1)


def cutoff(on: date, years: int) -> date:
    """The latest trigger date whose period has ended by `on`."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February → 28 February: a trigger on the 29th is due on 1 March
        return date(on.year - years, 2, 28)


@dataclass(frozen=True)
class Related:
    """Rows of another table disposed of with a record (a person's user accounts): each
    gets a disposal record of its own, which lets the audit log's values about it be
    redacted (the database allows that only for a record with a disposal record)."""

    record_type: str
    table: str
    personal: tuple[str, ...]
    rows: Callable[[list[int]], list[tuple[int, int]]]  # record ids → (record id, row id)
    reference: Callable[[int], str]


@dataclass(frozen=True)
class Source:
    """One kind of record of a class (a class may hold several: disputes and complaints)."""

    class_key: str
    record_type: str  # as holds name it
    model: Any
    closed: tuple[Any, ...]  # SQL conditions: the record can be disposed of at all
    trigger_column: Any  # SQL expression (date or datetime): the day its period runs from
    personal: tuple[str, ...]  # columns removed; their values are redacted in the audit log
    reference: Callable[[Any], str]
    dispose: Callable[[Any, str], None]
    is_datetime: bool = False
    related: tuple[Related, ...] = ()
    # Holds on another record that cover this one too: (record type, this model's column
    # holding that record's id) — a hold on a meeting covers its register.
    held_with: tuple[tuple[str, str], ...] = ()
    # The due condition, where a better one than `trigger_column <= last` exists: a register
    # row's meeting date is another table's, so the rows are found through the meetings
    # (an index range), not by a subquery per row of the register.
    due_where: Callable[[date], Any] | None = None

    @property
    def table(self) -> str:
        return self.model.__tablename__

    def due_filter(self, last: date) -> Any:
        if self.due_where is not None:
            return self.due_where(last)
        if self.is_datetime:
            return self.trigger_column < datetime.combine(last + timedelta(days=1), time(), UTC)
        return self.trigger_column <= last

    def trigger_on(self, value: Any) -> date:
        """The trigger date from the value `trigger_column` selected."""
        return value.date() if isinstance(value, datetime) else value
