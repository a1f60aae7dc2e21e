"""Indexes for the action log and the timeliness figures (issue 18): the log's order
(due date, then id), the open actions in that order (partial), a source's actions by
status and completion date, and an organisation's by status and source.

Revision ID: bfc980cd1031
Revises: f596eb58dee5
Create Date: 2026-12-07 00:17:21.030122

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "bfc980cd1031"
down_revision = "f596eb58dee5"
branch_labels = None
depends_on = None


def upgrade():
    # An organisation's actions by status, now with the source too (a partner member's home
    # counts its open case review actions; without it SQLite reads every open review action).
    op.drop_index("ix_actions_owner_status", table_name="actions")
    op.create_index("ix_actions_owner_status", "actions", ["owner_organisation_id", "status", "source_type"])
    op.create_index("ix_actions_due", "actions", ["due_date", "id"])
    open_where = sa.text("status IN ('open', 'in_progress', 'completion_claimed')")
    op.create_index(
        "ix_actions_open_due", "actions", ["due_date", "id"], postgresql_where=open_where, sqlite_where=open_where
    )
    op.create_index("ix_actions_source_status", "actions", ["source_type", "status", "completed_on"])


def downgrade():
    op.drop_index("ix_actions_source_status", table_name="actions")
    op.drop_index("ix_actions_open_due", table_name="actions")
    op.drop_index("ix_actions_due", table_name="actions")
    op.drop_index("ix_actions_owner_status", table_name="actions")
    op.create_index("ix_actions_owner_status", "actions", ["owner_organisation_id", "status"])
