"""history occurred_on: the day a lifecycle's event happened, beside the time it was entered

Revision ID: 89676ed7be0b
Revises: 9c0f2b7e4d61
Create Date: 2026-12-06 07:04:14.516263

"""

import sqlalchemy as sa
from alembic import op

revision = "89676ed7be0b"
down_revision = "9c0f2b7e4d61"
branch_labels = None
depends_on = None


# Plain ALTER TABLE (no batch copy): workflow_history is append-only through triggers that
# a table copy would lose.
def upgrade():
    op.add_column("workflow_history", sa.Column("occurred_on", sa.Date(), nullable=True))


def downgrade():
    op.drop_column("workflow_history", "occurred_on")
