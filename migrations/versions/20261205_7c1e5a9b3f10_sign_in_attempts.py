"""sign-in attempts (the throttle shared by every worker)

Revision ID: 7c1e5a9b3f10
Revises: 4755a122f32a
Create Date: 2026-12-05 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c1e5a9b3f10"
down_revision = "4755a122f32a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_sign_in_attempts_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_sign_in_attempts_email_at", ["email_hash", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempts_email_at")
        batch_op.drop_index("ix_sign_in_attempts_address_at")
    op.drop_table("sign_in_attempts")
