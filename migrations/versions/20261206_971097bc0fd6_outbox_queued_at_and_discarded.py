"""outbox: queued_at (the give-up deadline counts from it) and the discarded status

Revision ID: 971097bc0fd6
Revises: ed43baed05e1
Create Date: 2026-12-06 07:04:11

"""

import sqlalchemy as sa
from alembic import op

revision = "971097bc0fd6"
down_revision = "ed43baed05e1"
branch_labels = None
depends_on = None

_OLD = ("held", "pending", "sending", "sent", "failed")
_NEW = (*_OLD, "discarded")


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f("ck_outbox_messages_outbox_status"), type_="check")
        batch_op.alter_column("status", existing_type=sa.VARCHAR(length=15), type_=sa.String(length=17))
        batch_op.create_check_constraint(op.f("ck_outbox_messages_outbox_status"), sa.column("status").in_(_NEW))
    # Messages already waiting (or given up on) entered the queue when they were written.
    op.execute("UPDATE outbox_messages SET queued_at = created_at WHERE status <> 'held'")


def downgrade():
    op.execute("UPDATE outbox_messages SET status = 'held' WHERE status = 'discarded'")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_messages_outbox_status"), type_="check")
        batch_op.alter_column("status", existing_type=sa.String(length=17), type_=sa.VARCHAR(length=15))
        batch_op.create_check_constraint(op.f("ck_outbox_messages_outbox_status"), sa.column("status").in_(_OLD))
        batch_op.drop_column("queued_at")
