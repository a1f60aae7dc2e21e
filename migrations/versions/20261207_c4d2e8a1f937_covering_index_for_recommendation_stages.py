"""A covering index for the recommendations' stages: ix_actions_source also holds each
action's status and completion date, so a recommendation's action figures (the learning
report, the re-audits page, the annual report's impact section) read the index alone.

Revision ID: c4d2e8a1f937
Revises: 529a2fff3b6c
Create Date: 2026-12-07 13:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d2e8a1f937"
down_revision = "529a2fff3b6c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_source")
        batch_op.create_index("ix_actions_source", ["source_type", "source_id", "status", "completed_on"], unique=False)


def downgrade():
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_source")
        batch_op.create_index("ix_actions_source", ["source_type", "source_id"], unique=False)
