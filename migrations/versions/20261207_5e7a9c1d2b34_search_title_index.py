"""PostgreSQL: a GIN index of the search entries' titles, so that "by relevance" finds the
entries whose title holds the words from the index (once) instead of computing a title
vector for every matching row. SQLite's FTS5 table already answers per column: nothing to
do there.

Revision ID: 5e7a9c1d2b34
Revises: c4d2e8a1f937
Create Date: 2026-12-07 16:10:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "5e7a9c1d2b34"
down_revision = "c4d2e8a1f937"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX search_fts_title ON search_entries USING gin (to_tsvector('english'::regconfig, title))"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS search_fts_title")
