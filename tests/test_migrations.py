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
