"""`flask backup` while the service writes, `flask restore` into another database: the
copy is one consistent state (every row the writer had committed, each with its audit
entry, none half written), restored row by row as it was, with the uploaded files; and a
damaged backup, or one from a newer migration, is refused before anything is replaced."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, Organisation
from safeguarding.services import audit
from tests.support import databases
from tests.support.committed import committed_app

pytestmark = pytest.mark.slow


def _database(name: str, directory: Path) -> str:
    if databases.backend() == "sqlite":
        return databases.fresh_database(name, directory)
    return databases._create_postgres_database(name)  # pg_dump takes a whole database


def _invoke(app, *args: str):
    """A command run by `app` (the test's own app context would otherwise be used)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


# SQLite's full-text indexes: derived from their tables (which are compared), and their
# internal segments are rewritten as the writer goes on, so they are not compared row by row.
DERIVED = ("search_fts", "findings_fts")


def _rows(app) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the full-text indexes', in primary-key order."""
    with app.app_context():
        with db.engine.connect() as conn:
            meta = sa.MetaData()
            meta.reflect(conn)
            out = {}
            for table in meta.sorted_tables:
                if table.name.startswith(DERIVED):
                    continue
                order = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*order))]
        db.engine.dispose()
    return out


class Writer(threading.Thread):
    """Adds organisations one transaction at a time (each audited) until stopped."""

    def __init__(self, app) -> None:
        super().__init__(daemon=True)
        self.app, self.stop, self.written, self.errors = app, threading.Event(), 0, []

    def run(self) -> None:
        try:
            with self.app.app_context(), audit.acting_as("system: test writer"):
                while not self.stop.is_set():
                    n = self.written + 1
                    db.session.add(Organisation(name=f"Writer {n:05d}", short_name=f"W{n:05d}", kind="other"))
                    db.session.commit()
                    self.written = n
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)


def test_a_backup_taken_while_the_service_writes_restores_row_by_row(tmp_path):
    backup = tmp_path / "backup"
    with committed_app(tmp_path, url=_database("backup_source", tmp_path)) as (source, _):
        uploads = Path(source.config["UPLOAD_FOLDER"])
        (uploads / "2026" / "12").mkdir(parents=True)
        (uploads / "2026" / "12" / "a1b2c3.pdf").write_bytes(b"%PDF-1.7 minutes of the Board\n" * 100)
        writer = Writer(source)
        writer.start()
        while writer.written < 20 and writer.is_alive():
            threading.Event().wait(0.01)
        result = _invoke(source, "backup", str(backup))
        during = writer.written
        writer.stop.set()
        writer.join(timeout=30)
        assert not writer.errors and result.exit_code == 0, (writer.errors, result.output)
        assert ("SQLite: copying" if databases.backend() == "sqlite" else "PostgreSQL: running pg_dump -Fc") in (
            result.output
        )
        assert writer.written > 20  # it went on writing while the backup ran
        source_rows = _rows(source)

    manifest = json.loads((backup / "manifest.json").read_text())
    assert "uploads/2026/12/a1b2c3.pdf" in manifest["files"] and manifest["migration"], sorted(manifest["files"])
    assert manifest["tables"]["organisations"] >= 20

    with committed_app(tmp_path / "t", url=_database("backup_target", tmp_path)) as (target, _):
        result = _invoke(target, "restore", "--yes", str(backup))
        assert result.exit_code == 0, result.output
        restored = _rows(target)
        restored_uploads = Path(target.config["UPLOAD_FOLDER"])
        assert (restored_uploads / "2026" / "12" / "a1b2c3.pdf").read_bytes() == (
            b"%PDF-1.7 minutes of the Board\n" * 100
        )

    # The manifest's counts are the restored database's.
    assert {t: len(rows) for t, rows in restored.items()} == {
        t: n for t, n in manifest["tables"].items() if not t.startswith(DERIVED)
    }
    # Row by row, what was restored is what the service had at one instant: every
    # table's rows are the source's first rows, unchanged.
    for table, rows in restored.items():
        assert rows == source_rows[table][: len(rows)], table
    # One consistent state: the writer's organisations 1..k, each with its audit entry.
    k = sum(1 for r in restored["organisations"] if any(str(v).startswith("Writer ") for v in r))
    assert 20 <= k <= during + 1
    assert _audited_organisations(restored) == k


def _audited_organisations(rows: dict[str, list[tuple[Any, ...]]]) -> int:
    columns = [c.name for c in AuditEntry.__table__.columns]
    action, entity_type = columns.index("action"), columns.index("entity_type")
    return sum(1 for r in rows["audit_log"] if r[action] == "create" and r[entity_type] == "organisations")


def _backup_of(app, path: Path) -> dict[str, Any]:
    result = _invoke(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    return json.loads((path / "manifest.json").read_text())


def _refused(app, path: Path) -> str:
    before = _rows(app)
    result = _invoke(app, "restore", "--yes", str(path))
    assert result.exit_code != 0, result.output
    assert _rows(app) == before  # nothing replaced
    return result.output


def test_a_damaged_backup_or_one_from_a_newer_migration_is_refused_before_anything_is_replaced(tmp_path):
    with committed_app(tmp_path, url=_database("backup_refused", tmp_path)) as (app, _):
        with app.app_context(), audit.acting_as("system: test"):
            db.session.add(Organisation(name="Kept", short_name="Kept", kind="other"))
            db.session.commit()
        uploads = Path(app.config["UPLOAD_FOLDER"])
        uploads.mkdir(parents=True, exist_ok=True)
        (uploads / "paper.pdf").write_bytes(b"%PDF paper")
        manifest = _backup_of(app, tmp_path / "good")
        with app.app_context(), audit.acting_as("system: test"):
            db.session.add(Organisation(name="Added after the backup", short_name="After", kind="other"))
            db.session.commit()

        # An uploaded file changed since the backup was made.
        damaged = tmp_path / "damaged"
        _backup_of(app, damaged)
        (damaged / "uploads" / "paper.pdf").write_bytes(b"%PDF tampered")
        assert "uploads/paper.pdf does not match its sha256" in _refused(app, damaged)

        # A backup made by a newer version of the service.
        newer = tmp_path / "newer"
        _backup_of(app, newer)
        data = json.loads((newer / "manifest.json").read_text())
        data["migration"] = "ffffffffffff"
        (newer / "manifest.json").write_text(json.dumps(data))
        assert "made by a newer version of the service (migration ffffffffffff" in _refused(app, newer)

        if databases.backend() == "sqlite":  # the copy's counts are checked before restoring
            wrong = tmp_path / "wrong_counts"
            _backup_of(app, wrong)
            data = json.loads((wrong / "manifest.json").read_text())
            data["tables"]["organisations"] += 1
            (wrong / "manifest.json").write_text(json.dumps(data))
            assert "row counts do not match the manifest (organisations" in _refused(app, wrong)

        # A backup is never written over something.
        result = _invoke(app, "backup", str(tmp_path / "good"))
        assert result.exit_code != 0 and "not an empty directory" in result.output

        # The good one restores: the organisation added after it is gone again.
        result = _invoke(app, "restore", "--yes", str(tmp_path / "good"))
        assert result.exit_code == 0, result.output
        with app.app_context():
            names = set(db.session.scalars(sa.select(Organisation.short_name)))
            db.session.remove()
        assert "Kept" in names and "After" not in names
        assert (Path(app.config["UPLOAD_FOLDER"]) / "paper.pdf").read_bytes() == b"%PDF paper"
        assert manifest["tables"]["organisations"] == len(names)
