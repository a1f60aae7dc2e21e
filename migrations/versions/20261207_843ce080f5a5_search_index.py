"""Search index (issue 25): search_entries and its full-text objects

The full-text objects are written by hand (their names start `search_fts`, which
migrations/env.py and the models/migrations test leave out of autogenerate): on SQLite an
FTS5 table over search_entries.title, public_text and body (external content) kept in step
by triggers; on PostgreSQL GIN indexes on the English tsvectors of all the text and of the
title and public text. The table starts empty: run `flask search reindex` once after this
upgrade on a database with data (the demo and the benchmark fill it themselves).

Revision ID: 843ce080f5a5
Revises: cf60643d2384
Create Date: 2026-12-07 03:14:23.753876

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "843ce080f5a5"
down_revision = "cf60643d2384"
branch_labels = None
depends_on = None

COLUMNS = "title, public_text, body"
SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS},"
    " content='search_entries', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_entries BEGIN"
    f" INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, new.title, new.public_text, new.body); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_entries BEGIN"
    f" INSERT INTO search_fts(search_fts, rowid, {COLUMNS})"
    " VALUES ('delete', old.id, old.title, old.public_text, old.body); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_entries BEGIN"
    f" INSERT INTO search_fts(search_fts, rowid, {COLUMNS})"
    " VALUES ('delete', old.id, old.title, old.public_text, old.body);"
    f" INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, new.title, new.public_text, new.body); END",
]
# The expressions services/search/query.py matches (the same text, or the index is not used).
POSTGRESQL_FTS = [
    "CREATE INDEX search_fts_all ON search_entries USING gin"
    " (to_tsvector('english'::regconfig, (((title || ' ') || public_text) || ' ') || body))",
    "CREATE INDEX search_fts_public ON search_entries USING gin"
    " (to_tsvector('english'::regconfig, (title || ' ') || public_text))",
]


def upgrade():
    op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_type", sa.String(length=30), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("public_text", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("area", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("record_type", "record_id", name=op.f("uq_search_entries_record_type_record_id")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index("ix_search_entries_kind_date", ["kind", "occurred_on"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRESQL_FTS if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("search_fts_ai", "search_fts_ad", "search_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS search_fts_all")
        op.execute("DROP INDEX IF EXISTS search_fts_public")
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_search_entries_kind_date")
    op.drop_table("search_entries")
