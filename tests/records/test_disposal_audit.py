"""The audit log stays append-only with one narrow exception, made on purpose for disposal
(services/records/disposal.py): the database lets the `changes` of entries about a record
that has been disposed of be rewritten, and nothing else — not another column of those
entries, not the entries of any other record, and no delete."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from safeguarding.extensions import db
from safeguarding.models import AccessRequest, AuditEntry


def _entry_of(table: str, record_id: int) -> AuditEntry:
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == table, AuditEntry.entity_id == str(record_id))
        .order_by(AuditEntry.id)
        .limit(1)
    ).one()


def _refused(statement: str, **params) -> None:
    savepoint = db.session.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sa.text(statement), params)
    savepoint.rollback()


def test_the_database_refuses_rewriting_entries_of_records_not_disposed_of(demo):
    kept = demo.id("disposal_requests", "due_2024")
    entry = _entry_of("access_requests", kept)
    _refused("UPDATE audit_log SET changes = '{}' WHERE id = :id", id=entry.id)
    _refused("UPDATE audit_log SET changes = '{}'")


def test_for_a_disposed_record_only_the_changes_may_be_rewritten(demo):
    disposed = demo.id("disposal_requests", "disposed_2022")
    assert db.session.get(AccessRequest, disposed).requester_name.startswith("Disposed of on")
    entry = _entry_of("access_requests", disposed)
    for column, value in (("action", "'tampered'"), ("actor_label", "'someone'"), ("entity_id", "'999'")):
        _refused(f"UPDATE audit_log SET {column} = {value} WHERE id = :id", id=entry.id)
    _refused("UPDATE audit_log SET at = CURRENT_TIMESTAMP WHERE id = :id", id=entry.id)
    _refused("DELETE FROM audit_log WHERE id = :id", id=entry.id)
    savepoint = db.session.begin_nested()
    db.session.execute(sa.text("UPDATE audit_log SET changes = '{}' WHERE id = :id"), {"id": entry.id})
    savepoint.rollback()


def test_the_orm_still_refuses_any_update(demo):
    entry = _entry_of("access_requests", demo.id("disposal_requests", "disposed_2022"))
    entry.changes = {}
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_the_demo_disposal_left_no_personal_values_in_the_audit_log(demo):
    for key, name in (("disposed_2022", "Margaret Hollis"), ("disposed_2023", "Kevin Ashworth")):
        entries = db.session.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "access_requests",
                AuditEntry.entity_id == str(demo.id("disposal_requests", key)),
            )
        ).all()
        assert {e.action for e in entries} >= {"create", "update", "dispose"}
        assert all(name not in str(e.changes) for e in entries)
        assert all(e.actor_label for e in entries)
