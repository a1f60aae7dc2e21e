"""the audit programme: planned audits in work plans

Revision ID: 529a2fff3b6c
Revises: 9364def9efeb
Create Date: 2026-12-07 12:52:21.264772

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "529a2fff3b6c"
down_revision = "9364def9efeb"
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table("multi_agency_audits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("work_plan_item_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_multi_agency_audits_work_plan_item_id"), ["work_plan_item_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_multi_agency_audits_work_plan_item_id_work_plan_items"),
            "work_plan_items",
            ["work_plan_item_id"],
            ["id"],
        )

    with op.batch_alter_table("work_plan_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_audit", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():

    with op.batch_alter_table("work_plan_items", schema=None) as batch_op:
        batch_op.drop_column("is_audit")

    with op.batch_alter_table("multi_agency_audits", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_multi_agency_audits_work_plan_item_id_work_plan_items"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_multi_agency_audits_work_plan_item_id"), type_="unique")
        batch_op.drop_column("work_plan_item_id")
