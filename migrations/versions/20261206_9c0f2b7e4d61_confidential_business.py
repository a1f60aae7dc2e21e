"""confidential business and quorum settings: restricted (Part B) agenda items, a group
setting for minutes restricted as a whole (default: the groups that discuss cases), and a
group setting that each council must be present for the quorum (default: either)

Revision ID: 9c0f2b7e4d61
Revises: 5a44e1c0b7d2
Create Date: 2026-12-06 07:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "9c0f2b7e4d61"
down_revision = "5a44e1c0b7d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("restricted", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minutes_restricted", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("each_council_required", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("each_council_required")
        batch_op.drop_column("minutes_restricted")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("restricted")
