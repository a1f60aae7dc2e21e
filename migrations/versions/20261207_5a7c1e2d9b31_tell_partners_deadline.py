"""review deadline alerts: the deadline to tell the safeguarding partners; joint decisions
recorded by the office from the minutes of a decision taken before the service held the case

Revision ID: 5a7c1e2d9b31
Revises: 98882f69d0fc
Create Date: 2026-12-07 06:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5a7c1e2d9b31"
down_revision = "98882f69d0fc"
branch_labels = None
depends_on = None

_OLD = ("notify_panel", "rapid_review", "report")
_NEW = ("notify_panel", "tell_partners", "rapid_review", "report")


def upgrade():
    with op.batch_alter_table("joint_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_from", sa.Text(), nullable=True))
    with op.batch_alter_table("review_deadline_alerts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_deadline_alerts_deadline_kind"), type_="check")
        batch_op.alter_column("deadline", existing_type=sa.VARCHAR(length=20), type_=sa.String(length=21))
        batch_op.create_check_constraint(
            op.f("ck_review_deadline_alerts_deadline_kind"), sa.column("deadline").in_(_NEW)
        )


def downgrade():
    with op.batch_alter_table("joint_decisions", schema=None) as batch_op:
        batch_op.drop_column("recorded_from")
    op.execute("DELETE FROM review_deadline_alerts WHERE deadline = 'tell_partners'")
    with op.batch_alter_table("review_deadline_alerts", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_deadline_alerts_deadline_kind"), type_="check")
        batch_op.alter_column("deadline", existing_type=sa.String(length=21), type_=sa.VARCHAR(length=20))
        batch_op.create_check_constraint(
            op.f("ck_review_deadline_alerts_deadline_kind"), sa.column("deadline").in_(_OLD)
        )
