"""the audit programme: planned audits in work plans

Revision ID: 529a2fff3b6c
Revises: 9364def9efeb
Create Date: 2026-12-07 12:52:21.264772

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "529a2fff3b6c"
down_revision = "9364def9efeb"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ADD COLUMN (no batch copy): both tables are referenced by others, and
    # SQLite refuses to drop a referenced table while foreign keys are enforced.
    op.add_column("work_plan_items", sa.Column("is_audit", sa.Boolean(), server_default=sa.false(), nullable=False))
    fk = "fk_multi_agency_audits_work_plan_item_id_work_plan_items"
    if op.get_bind().dialect.name == "sqlite":
        # Alembic will not add a column with its constraint on SQLite; SQLite itself will.
        op.execute(
            "ALTER TABLE multi_agency_audits ADD COLUMN work_plan_item_id INTEGER"
            f" CONSTRAINT {fk} REFERENCES work_plan_items (id)"
        )
    else:
        op.add_column("multi_agency_audits", sa.Column("work_plan_item_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk, "multi_agency_audits", "work_plan_items", ["work_plan_item_id"], ["id"])
    op.create_index(
        "uq_multi_agency_audits_work_plan_item_id", "multi_agency_audits", ["work_plan_item_id"], unique=True
    )


def downgrade():
    op.drop_index("uq_multi_agency_audits_work_plan_item_id", table_name="multi_agency_audits")
    with op.batch_alter_table("multi_agency_audits", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":
            batch_op.drop_constraint("fk_multi_agency_audits_work_plan_item_id_work_plan_items", type_="foreignkey")
        batch_op.drop_column("work_plan_item_id")
    with op.batch_alter_table("work_plan_items", schema=None) as batch_op:
        batch_op.drop_column("is_audit")
