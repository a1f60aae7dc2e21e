"""Annual report agreed by the Board and sent to its recipients: the Board's decision on
the report, the directory's report contacts (email, sent as attachment or link), and each
recipient's address and outbox message.

Revision ID: 493b107d7340
Revises: dce26b156d02
Create Date: 2026-12-06 20:40:52.281188

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "493b107d7340"
down_revision = "dce26b156d02"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role_key", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column(
            "send_as",
            sa.Enum("attachment", "link", name="report_send_as", native_enum=False, create_constraint=True, length=18),
            server_default="attachment",
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_report_contacts_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_contacts")),
        sa.UniqueConstraint("organisation_id", "role_key", name=op.f("uq_report_contacts_organisation_id_role_key")),
    )
    with op.batch_alter_table("annual_report_recipients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_key", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.add_column(
            sa.Column(
                "send_as",
                sa.Enum(
                    "attachment", "link", name="report_send_as", native_enum=False, create_constraint=True, length=18
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_annual_report_recipients_message_id_outbox_messages"),
            "outbox_messages",
            ["message_id"],
            ["id"],
        )

    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("board_decision_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("board_agreed_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_annual_reports_board_decision_id_decisions"), "decisions", ["board_decision_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("annual_reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_annual_reports_board_decision_id_decisions"), type_="foreignkey")
        batch_op.drop_column("board_agreed_on")
        batch_op.drop_column("board_decision_id")

    with op.batch_alter_table("annual_report_recipients", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_annual_report_recipients_message_id_outbox_messages"), type_="foreignkey"
        )
        batch_op.drop_column("message_id")
        batch_op.drop_constraint(op.f("ck_annual_report_recipients_report_send_as"), type_="check")
        batch_op.drop_column("send_as")
        batch_op.drop_column("email")
        batch_op.drop_column("role_key")

    op.drop_table("report_contacts")
