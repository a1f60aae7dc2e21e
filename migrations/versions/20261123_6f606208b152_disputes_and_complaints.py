"""disputes and complaints: disputes, their parties and agenda responses; complaints

Revision ID: 6f606208b152
Revises: 3b2b7ae2756a
Create Date: 2026-11-23 15:40:34.195405

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6f606208b152"
down_revision = "3b2b7ae2756a"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref_year", sa.Integer(), nullable=False),
        sa.Column("ref_number", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "partnership",
                "member_service",
                name="complaint_kind",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=False,
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("complainant_name", sa.String(length=200), nullable=False),
        sa.Column("complainant_contact", sa.String(length=320), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("logged_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "investigating",
                "responded",
                "closed",
                name="complaint_state",
                native_enum=False,
                create_constraint=True,
                length=21,
            ),
            nullable=False,
        ),
        sa.Column("investigation_started_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column(
            "response_method",
            sa.Enum(
                "email",
                "letter",
                "telephone",
                "meeting",
                name="response_method",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=True,
        ),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("organisation_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["users.id"], name=op.f("fk_complaints_assigned_to_id_users")),
        sa.ForeignKeyConstraint(["logged_by_id"], ["users.id"], name=op.f("fk_complaints_logged_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_complaints_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("ref_year", "ref_number", name=op.f("uq_complaints_ref_year_ref_number")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index("ix_complaints_state", ["state"], unique=False)

    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref_year", sa.Integer(), nullable=False),
        sa.Column("ref_number", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "raised",
                "determined",
                "meeting_convened",
                "agenda_agreed",
                "meeting_held",
                "resolved",
                "escalated",
                "withdrawn",
                name="dispute_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("determined_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("meeting_on", sa.Date(), nullable=True),
        sa.Column("meeting_time", sa.Time(), nullable=True),
        sa.Column("meeting_location", sa.Text(), nullable=True),
        sa.Column("chair_person_id", sa.Integer(), nullable=True),
        sa.Column("chair_reason", sa.Text(), nullable=True),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("agenda_revision", sa.Integer(), nullable=False),
        sa.Column("agenda_drafted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("escalation_reason", sa.Text(), nullable=True),
        sa.Column("escalated_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("breach_recorded_on", sa.Date(), nullable=True),
        sa.Column("breach_note", sa.Text(), nullable=True),
        sa.Column("deadline_alert_sent_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["chair_person_id"], ["people.id"], name=op.f("fk_disputes_chair_person_id_people")),
        sa.ForeignKeyConstraint(["raised_by_id"], ["users.id"], name=op.f("fk_disputes_raised_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disputes")),
        sa.UniqueConstraint("ref_year", "ref_number", name=op.f("uq_disputes_ref_year_ref_number")),
    )
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.create_index("ix_disputes_state_deadline", ["state", "deadline"], unique=False)

    op.create_table(
        "dispute_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dispute_id"], ["disputes.id"], name=op.f("fk_dispute_parties_dispute_id_disputes")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_dispute_parties_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_parties")),
        sa.UniqueConstraint(
            "dispute_id", "organisation_id", name=op.f("uq_dispute_parties_dispute_id_organisation_id")
        ),
    )
    with op.batch_alter_table("dispute_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispute_parties_dispute_id"), ["dispute_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dispute_parties_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "dispute_agenda_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("agenda_revision", sa.Integer(), nullable=False),
        sa.Column(
            "response",
            sa.Enum(
                "agreed",
                "changes_proposed",
                name="agenda_response",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("changes", sa.Text(), nullable=True),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["users.id"], name=op.f("fk_dispute_agenda_responses_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"], ["disputes.id"], name=op.f("fk_dispute_agenda_responses_dispute_id_disputes")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["dispute_parties.id"], name=op.f("fk_dispute_agenda_responses_party_id_dispute_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_agenda_responses")),
    )
    with op.batch_alter_table("dispute_agenda_responses", schema=None) as batch_op:
        batch_op.create_index("ix_dispute_agenda_responses_dispute", ["dispute_id", "agenda_revision"], unique=False)


def downgrade():
    with op.batch_alter_table("dispute_agenda_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_agenda_responses_dispute")

    op.drop_table("dispute_agenda_responses")
    with op.batch_alter_table("dispute_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispute_parties_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_dispute_parties_dispute_id"))

    op.drop_table("dispute_parties")
    with op.batch_alter_table("disputes", schema=None) as batch_op:
        batch_op.drop_index("ix_disputes_state_deadline")

    op.drop_table("disputes")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_state")
        batch_op.drop_index(batch_op.f("ix_complaints_organisation_id"))

    op.drop_table("complaints")
