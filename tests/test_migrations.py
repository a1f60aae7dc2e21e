"""The migrations build exactly the schema the models describe, and run both ways."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from safeguarding.extensions import db
from safeguarding.models import Base
from tests.support.databases import build_app, fresh_database


def _render_item(type_, obj, autogen_context):
    return False


def _not_hand_written(name, type_, parent_names):
    """The findings' full-text index is written by hand in its migration (FTS5 on SQLite,
    GIN on PostgreSQL), as migrations/env.py tells autogenerate."""
    return not (name or "").startswith(("findings_fts", "search_fts"))


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _not_hand_written})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_to_nothing_and_back(tmp_path):
    url = fresh_database("migrations", tmp_path)
    other = build_app(url, tmp_path)  # upgraded to head
    with other.app_context():
        downgrade(revision="base")
        inspector = db.inspect(db.engine)
        assert set(inspector.get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "organisations" in db.inspect(db.engine).get_table_names()
        db.engine.dispose()


RECENT = 6  # the newest migrations, taken down and up again over the demo's data


def test_the_newest_migrations_run_both_ways_over_a_database_with_data(database_url, tmp_path):
    """On SQLite a batch migration copies a table, drops it and renames the copy; with the
    app's foreign keys enforced, dropping a table others refer to fails — but only once
    there are rows, which an empty database never shows. The demo's data is taken down the
    newest migrations and up again: nothing lost, no reference left dangling."""
    import sqlite3
    from pathlib import Path

    import pytest
    import sqlalchemy as sa
    from alembic.script import ScriptDirectory

    if not database_url.startswith("sqlite:///"):
        pytest.skip("SQLite's table copies only; PostgreSQL alters tables in place")
    copy = tmp_path / "demo-copy.db"
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    scripts = ScriptDirectory(str(Path(__file__).resolve().parents[1] / "migrations"))
    newest = list(scripts.walk_revisions())[:RECENT]
    base = newest[-1].down_revision
    tables = ("work_plan_items", "multi_agency_audits", "findings", "actions", "agenda_items", "minutes_sections")

    def counts(engine) -> dict[str, int]:
        with engine.connect() as conn:
            return {t: conn.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}

    other = build_app(f"sqlite:///{copy}", tmp_path)  # at head already
    with other.app_context():
        before = counts(db.engine)
        assert before["work_plan_items"] > 0 and before["multi_agency_audits"] > 0 and before["findings"] > 0
        downgrade(revision=base)
        upgrade()
        assert counts(db.engine) == before
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again for the app
        db.engine.dispose()
