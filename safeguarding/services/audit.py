"""Who is acting, and the append-only audit trail of every change.

Every create, update and delete of an audited model is recorded automatically when the
session flushes (before/after values of the changed columns), so no service can forget.
Views of sensitive records are recorded explicitly with `record_view`.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from safeguarding.models.audit import AuditEntry, WorkflowHistory
from safeguarding.models.base import utcnow

# Columns whose values never go into the audit log (only the fact they changed).
SECRET_COLUMNS = {"password_hash", "key_hash", "token_hash", "calendar_token"}
# Rows that are themselves a record of activity rather than data someone changed.
UNAUDITED_TABLES = {"audit_log", "workflow_history", "login_sessions", "api_tokens"}
# Columns maintained automatically whose churn is noise in the trail.
NOISE_COLUMNS = {"updated_at", "version", "created_at", "last_login_at"}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str


_system_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("system_actor", default=None)


@contextlib.contextmanager
def acting_as(label: str, user_id: int | None = None) -> Iterator[Actor]:
    """Run a block as a named actor (a job, a CLI command, or a user outside a request)."""
    actor = Actor(user_id, label)
    token = _system_actor.set(actor)
    try:
        yield actor
    finally:
        _system_actor.reset(token)


def current_actor() -> Actor:
    actor = _system_actor.get()
    if actor is not None:
        return actor
    try:
        from flask import has_request_context
        from flask_login import current_user

        if has_request_context() and current_user and current_user.is_authenticated:
            return Actor(current_user.id, current_user.email)
    except Exception:  # pragma: no cover - outside Flask entirely
        pass
    return Actor(None, "system")


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _entity_id(obj: Any) -> str:
    # New rows have no identity key until the flush finishes; their primary key
    # attributes are already set by the INSERT.
    values = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(v) for v in values)


def _column_changes(obj: Any, *, new: bool) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in NOISE_COLUMNS:
            continue
        hist = state.attrs[key].history
        if new:
            value = getattr(obj, key)
            if value is None:
                continue
            changes[key] = "(set)" if key in SECRET_COLUMNS else _plain(value)
        elif hist.has_changes():
            if key in SECRET_COLUMNS:
                changes[key] = "(changed)"
                continue
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if before == after:
                continue
            changes[key] = {"before": _plain(before), "after": _plain(after)}
    return changes


def _audited(obj: Any) -> bool:
    table = getattr(obj, "__tablename__", None)
    return table is not None and table not in UNAUDITED_TABLES


def _after_flush(session: Session, flush_context: Any) -> None:
    actor = current_actor()
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(obj: Any, action: str, changes: dict[str, Any]) -> None:
        rows.append(
            {
                "at": now,
                "actor_id": actor.user_id,
                "actor_label": actor.label,
                "action": action,
                "entity_type": obj.__tablename__,
                "entity_id": _entity_id(obj),
                "changes": changes,
            }
        )

    for obj in session.new:
        if _audited(obj):
            add(obj, "create", _column_changes(obj, new=True))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            changes = _column_changes(obj, new=False)
            action = obj.__dict__.pop("_audit_action", None) or "update"
            if changes or action != "update":
                add(obj, action, changes)
    for obj in session.deleted:
        if _audited(obj):
            add(obj, "delete", {})
    if rows:
        session.connection().execute(sa.insert(AuditEntry.__table__), rows)


def _refuse_change(mapper: Any, connection: Any, target: Any) -> None:
    raise RuntimeError(f"{target.__tablename__} is append-only")


def install(session_class: type[Session]) -> None:
    """Attach the audit listener to the session class and forbid editing the trail."""
    event.listen(session_class, "after_flush", _after_flush)
    for model in (AuditEntry, WorkflowHistory):
        event.listen(model, "before_update", _refuse_change)
        event.listen(model, "before_delete", _refuse_change)


def mark_action(obj: Any, action: str) -> None:
    """Label the next audited update of `obj` (e.g. "transition:approve", "deactivate")."""
    obj.__dict__["_audit_action"] = action


def record(action: str, entity_type: str, entity_id: Any, changes: dict[str, Any] | None = None) -> None:
    """Record an event that is not a row change (a view, a download, a sign-in)."""
    from safeguarding.extensions import db

    actor = current_actor()
    db.session.execute(
        sa.insert(AuditEntry.__table__),
        [
            {
                "at": utcnow(),
                "actor_id": actor.user_id,
                "actor_label": actor.label,
                "action": action,
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "changes": {k: _plain(v) for k, v in (changes or {}).items()},
            }
        ],
    )


def record_view(entity_type: str, entity_id: Any) -> None:
    record("view", entity_type, entity_id)
