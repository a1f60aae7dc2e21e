"""Disposal's redaction of what the append-only trails kept about a record: the audit
log's values of its personal columns, and the free text given with its workflow steps.
The database allows these two updates, and only for records that have been disposed of
(the migrations of disposal review and of history redaction); every other change to the
trails is refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, WorkflowHistory
from safeguarding.services.records.sources_base import REDACTED


def _redacted(value: Any) -> Any:
    if isinstance(value, dict) and set(value) <= {"before", "after"}:
        return {k: (None if v in (None, "", []) else REDACTED) for k, v in value.items()}
    return None if value in (None, "", []) else REDACTED


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """The ids in slices a database's `IN (...)` takes at any size."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def redact_audit(table: str, record_ids: list[int], columns: tuple[str, ...]) -> int:
    """Replace the values the audit log stored for the records' personal columns; table,
    record id, action, who and when stay. Returns the number of entries changed."""
    changed = 0
    for chunk in _chunks(record_ids):
        rows = db.session.execute(
            sa.select(AuditEntry.id, AuditEntry.changes).where(
                AuditEntry.entity_type == table, AuditEntry.entity_id.in_([str(i) for i in chunk])
            )
        ).all()
        updates = []
        for entry_id, changes in rows:
            new = {k: (_redacted(v) if k in columns else v) for k, v in (changes or {}).items()}
            if new != changes:
                updates.append({"entry_id": entry_id, "changes": new})
        if updates:
            table_ = AuditEntry.__table__
            db.session.execute(
                sa.update(table_)
                .where(table_.c.id == sa.bindparam("entry_id"))
                .values(changes=sa.bindparam("changes")),
                updates,
            )
            changed += len(updates)
    return changed


def _step_data(data: dict[str, Any]) -> dict[str, Any]:
    """A step's words (text and lists of text) redacted; its dates (`…_on`), numbers and
    yes/no answers kept."""
    return {k: _redacted(v) if isinstance(v, str | list) and not k.endswith("_on") else v for k, v in data.items()}


def redact_history(lifecycle: str, record_ids: list[int]) -> int:
    """The free text of the records' workflow steps (comments, reasons and other words
    given with a step); the steps themselves, their dates and who took them stay. Returns
    the number of steps changed."""
    table = WorkflowHistory.__table__
    changed = 0
    for chunk in _chunks(record_ids):
        rows = db.session.execute(
            sa.select(table.c.id, table.c.comment, table.c.data).where(
                table.c.lifecycle == lifecycle, table.c.entity_id.in_(chunk)
            )
        ).all()
        updates = []
        for step_id, comment, data in rows:
            new = _step_data(data or {})
            if new != (data or {}) or comment not in (None, ""):
                updates.append({"step_id": step_id, "comment": _redacted(comment), "data": new})
        if updates:
            db.session.execute(
                sa.update(table)
                .where(table.c.id == sa.bindparam("step_id"))
                .values(comment=sa.bindparam("comment"), data=sa.bindparam("data")),
                updates,
            )
            changed += len(updates)
    return changed
