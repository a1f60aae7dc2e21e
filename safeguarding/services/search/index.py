"""Keeping the index in step: after every flush the entries of the indexed records that
were inserted, changed or deleted in it are written again (or removed), on the flush's own
connection — so no service has to remember the search, and a rolled-back transaction
rolls its entries back with it. `reindex()` (`flask search reindex`) rebuilds them all,
for data written in bulk (imports, the benchmark's generators) and after a restore."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from safeguarding.models import AgendaItem, Decision, Meeting, Minutes, MinutesSection, Paper, SearchEntry, WorkPlanItem
from safeguarding.services.search.kinds import BY_MODEL, BY_RECORD_TYPE, KINDS, Kind

CHUNK = 500

# Changes to a record that another kind's entry is made from: (model, the kind's record
# type, the id of the entry's record). A paper names its item and meeting, a section its
# item, a work plan lists its items.
DEPENDENTS: tuple[tuple[type, str, str], ...] = ((WorkPlanItem, "work_plan", "work_plan_id"),)


def _targets(session: Session) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    changed = [*session.new, *(o for o in session.dirty if session.is_modified(o, include_collections=False))]
    for obj in [*changed, *session.deleted]:
        kind = BY_MODEL.get(type(obj))
        if kind is not None and getattr(obj, "id", None) is not None:
            out.setdefault(kind.record_type, set()).add(obj.id)
        for model, record_type, attr in DEPENDENTS:
            if isinstance(obj, model) and getattr(obj, attr, None) is not None:
                out.setdefault(record_type, set()).add(getattr(obj, attr))
    # An item's title and a meeting's name (group, kind, date) are in the entries made
    # from them: when they change (not on every change of state), those are written again.
    items = {o.id for o in session.dirty if isinstance(o, AgendaItem) and _changed(o, "title")}
    meetings = {
        o.id for o in session.dirty if isinstance(o, Meeting) and _changed(o, "meeting_date", "kind", "group_id")
    }
    if items or meetings:
        out["_items"] = items
        out["_meetings"] = meetings
    return out


def _changed(obj: Any, *names: str) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _after_flush(session: Session, flush_context: Any) -> None:
    targets = _targets(session)
    if not targets:
        return
    conn = session.connection()
    items, meetings = targets.pop("_items", set()), targets.pop("_meetings", set())
    if items or meetings:
        _add_related(conn, targets, items, meetings)
    for record_type, ids in targets.items():
        write(conn, BY_RECORD_TYPE[record_type], sorted(ids))


def _add_related(conn: sa.Connection, targets: dict[str, set[int]], items: set[int], meetings: set[int]) -> None:
    """Entries that show an item's title or a meeting's name: written again."""
    related = [
        ("paper", sa.select(Paper.id).where(sa.or_(Paper.agenda_item_id.in_(items), Paper.meeting_id.in_(meetings)))),
        (
            "decision",
            sa.select(Decision.id).where(sa.or_(Decision.agenda_item_id.in_(items), Decision.meeting_id.in_(meetings))),
        ),
        (
            "minutes_section",
            sa.select(MinutesSection.id)
            .join(Minutes, Minutes.id == MinutesSection.minutes_id)
            .where(sa.or_(MinutesSection.agenda_item_id.in_(items), Minutes.meeting_id.in_(meetings))),
        ),
        ("agenda_item", sa.select(AgendaItem.id).where(AgendaItem.meeting_id.in_(meetings))),
    ]
    for record_type, ids in related:
        targets.setdefault(record_type, set()).update(conn.scalars(ids))


def write(conn: sa.Connection, kind: Kind, ids: Iterable[int]) -> int:
    """(Re)write the entries of `kind` for records `ids`: those that exist are indexed,
    the others' entries removed. Returns the entries written."""
    t = SearchEntry.__table__
    written = 0
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(sa.delete(t).where(t.c.record_type == kind.record_type, t.c.record_id.in_(chunk)))
        rows = [_entry(kind, row) for row in kind.build(conn, chunk)]
        if rows:
            conn.execute(sa.insert(t), rows)
            written += len(rows)
    return written


def _entry(kind: Kind, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": kind.key,
        "record_type": kind.record_type,
        "record_id": row["record_id"],
        "link_id": row.get("link_id"),
        "title": (row.get("title") or "")[:300],
        "public_text": row.get("public_text") or "",
        "body": row.get("body") or "",
        "occurred_on": row.get("occurred_on"),
        "area": row.get("area"),
    }


def reindex(conn: sa.Connection, kinds: Iterable[Kind] = KINDS) -> dict[str, int]:
    """Rebuild every entry of `kinds` (all by default): {kind: entries}."""
    t = SearchEntry.__table__
    counts: dict[str, int] = {}
    for kind in kinds:
        conn.execute(sa.delete(t).where(t.c.record_type == kind.record_type))
        ids = list(conn.scalars(sa.select(kind.model.id).order_by(kind.model.id)))  # type: ignore[attr-defined]
        counts[kind.key] = write(conn, kind, ids)
    # Fresh statistics for the planner (a rebuilt table's are stale until autovacuum) and a
    # merged FTS5 index.
    if conn.dialect.name == "sqlite":
        conn.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('optimize')"))
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("ANALYZE search_entries"))
    return counts


def install(session_class: type[Session]) -> None:
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
