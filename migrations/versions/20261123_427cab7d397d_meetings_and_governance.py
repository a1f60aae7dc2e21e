"""meetings and governance: meetings, agendas and papers, attendance, declarations,
decisions with votes and validations, chair's actions with consultations, minutes with
sections and amendments, and subjects waiting for the Board's agenda

Revision ID: 427cab7d397d
Revises: 6f606208b152
Create Date: 2026-11-23 16:16:35.620031

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "427cab7d397d"
down_revision = "6f606208b152"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agenda_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_agenda_requests_group_id_groups")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_requests")),
        sa.UniqueConstraint(
            "group_id", "subject_type", "subject_id", name=op.f("uq_agenda_requests_group_id_subject_type_subject_id")
        ),
    )
    op.create_table(
        "chair_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("urgency", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by_person_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_ratification",
                "ratified",
                "not_ratified",
                name="chair_action_status",
                native_enum=False,
                create_constraint=True,
                length=29,
            ),
            nullable=False,
        ),
        sa.Column("ratified_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_person_id"], ["people.id"], name=op.f("fk_chair_actions_decided_by_person_id_people")
        ),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_chair_actions_group_id_groups")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_chair_actions_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chair_actions")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ordinary", "extraordinary", name="meetingkind", native_enum=False, create_constraint=True, length=21
            ),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=300), nullable=True),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("papers_due_on", sa.Date(), nullable=False),
        sa.Column("papers_published_on", sa.Date(), nullable=True),
        sa.Column("late_publication_reason", sa.Text(), nullable=True),
        sa.Column("nominated_chair_person_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "scheduled",
                "papers_published",
                "in_session",
                "closed",
                "cancelled",
                "inquorate",
                name="meeting_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meetings_ends_after_start")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_meetings_created_by_id_users")),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_meetings_group_id_groups")),
        sa.ForeignKeyConstraint(
            ["nominated_chair_person_id"], ["people.id"], name=op.f("fk_meetings_nominated_chair_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_group_date", ["group_id", "meeting_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_meeting_date"), ["meeting_date"], unique=False)
        batch_op.create_index("ix_meetings_state_date", ["state", "meeting_date"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "apologies",
                "declarations",
                "previous_minutes",
                "action_log",
                "chair_actions",
                "subgroup_report",
                "business",
                name="agenda_item_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("presenter", sa.String(length=200), nullable=True),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.id"], name=op.f("fk_agenda_items_group_id_groups")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
        sa.UniqueConstraint(
            "meeting_id", "subject_type", "subject_id", name=op.f("uq_agenda_items_meeting_id_subject_type_subject_id")
        ),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "deputy_present",
                "apologies",
                "absent",
                name="attendance_status",
                native_enum=False,
                create_constraint=True,
                length=22,
            ),
            nullable=False,
        ),
        sa.Column("deputy_person_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status <> 'deputy_present' OR deputy_person_id IS NOT NULL",
            name=op.f("ck_attendance_deputy_present_names_deputy"),
        ),
        sa.CheckConstraint(
            "status IN ('deputy_present', 'apologies') OR deputy_person_id IS NULL",
            name=op.f("ck_attendance_deputy_only_when_deputising"),
        ),
        sa.ForeignKeyConstraint(
            ["deputy_person_id"], ["people.id"], name=op.f("fk_attendance_deputy_person_id_people")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_attendance_meeting_id_meetings")),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["memberships.id"], name=op.f("fk_attendance_membership_id_memberships")
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_attendance_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("meeting_id", "membership_id", name=op.f("uq_attendance_meeting_id_membership_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_deputy_person_id"), ["deputy_person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_membership_id"), ["membership_id"], unique=False)

    op.create_table(
        "chair_action_consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chair_action_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("consulted_person_id", sa.Integer(), nullable=True),
        sa.Column("consulted_on", sa.Date(), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chair_action_id"],
            ["chair_actions.id"],
            name=op.f("fk_chair_action_consultations_chair_action_id_chair_actions"),
        ),
        sa.ForeignKeyConstraint(
            ["consulted_person_id"],
            ["people.id"],
            name=op.f("fk_chair_action_consultations_consulted_person_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_chair_action_consultations_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chair_action_consultations")),
        sa.UniqueConstraint(
            "chair_action_id",
            "organisation_id",
            name=op.f("uq_chair_action_consultations_chair_action_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("chair_action_consultations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chair_action_consultations_chair_action_id"), ["chair_action_id"], unique=False
        )

    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "ratified",
                name="minutes_state",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("drafted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("circulated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ratified_on", sa.Date(), nullable=True),
        sa.Column("ratified_at_meeting_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["approved_by_id"], ["users.id"], name=op.f("fk_minutes_approved_by_id_users")),
        sa.ForeignKeyConstraint(["drafted_by_id"], ["users.id"], name=op.f("fk_minutes_drafted_by_id_users")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_minutes_meeting_id_meetings")),
        sa.ForeignKeyConstraint(
            ["ratified_at_meeting_id"], ["meetings.id"], name=op.f("fk_minutes_ratified_at_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum("consensus", "vote", name="decision_method", native_enum=False, create_constraint=True, length=17),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "agreed",
                "carried",
                "not_carried",
                name="decision_outcome",
                native_enum=False,
                create_constraint=True,
                length=19,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject_type", sa.String(length=40), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("quorate", sa.Boolean(), nullable=False),
        sa.Column("interim", sa.Boolean(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column(
            "casting_vote",
            sa.Enum(
                "for",
                "against",
                "abstain",
                name="casting_vote_choice",
                native_enum=False,
                create_constraint=True,
                length=15,
            ),
            nullable=True,
        ),
        sa.Column("casting_vote_by_person_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "casting_vote IS NULL OR casting_vote IN ('for', 'against')",
            name=op.f("ck_decisions_casting_for_or_against"),
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_decisions_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(
            ["casting_vote_by_person_id"], ["people.id"], name=op.f("fk_decisions_casting_vote_by_person_id_people")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_decisions_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_decisions_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index("ix_decisions_subject", ["subject_type", "subject_id"], unique=False)

    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("nature", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_declarations_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_declarations_meeting_id_meetings")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_declarations_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_declarations_person_id_people")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_declarations_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declarations")),
        sa.UniqueConstraint("agenda_item_id", "person_id", name=op.f("uq_declarations_agenda_item_id_person_id")),
    )
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declarations_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declarations_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declarations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "meeting_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["actions.id"], name=op.f("fk_meeting_actions_action_id_actions")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_meeting_actions_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_actions_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_actions")),
        sa.UniqueConstraint("action_id", name=op.f("uq_meeting_actions_action_id")),
    )
    with op.batch_alter_table("meeting_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_actions_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_actions_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "minutes_amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_minutes_amendments_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_amendments_minutes_id_minutes")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_minutes_amendments_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_amendments")),
    )
    with op.batch_alter_table("minutes_amendments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_amendments_minutes_id"), ["minutes_id"], unique=False)

    op.create_table(
        "minutes_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_minutes_sections_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_sections_minutes_id_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_sections")),
        sa.UniqueConstraint("minutes_id", "agenda_item_id", name=op.f("uq_minutes_sections_minutes_id_agenda_item_id")),
    )
    with op.batch_alter_table("minutes_sections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_sections_minutes_id"), ["minutes_id"], unique=False)

    op.create_table(
        "papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("stored_file_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], name=op.f("fk_papers_added_by_id_users")),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_papers_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_papers_meeting_id_meetings")),
        sa.ForeignKeyConstraint(
            ["stored_file_id"], ["stored_files.id"], name=op.f("fk_papers_stored_file_id_stored_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_papers")),
        sa.UniqueConstraint("stored_file_id", name=op.f("uq_papers_stored_file_id")),
    )
    with op.batch_alter_table("papers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_papers_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_papers_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "decision_validations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_by_person_id", sa.Integer(), nullable=True),
        sa.Column("validated_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_decision_validations_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_decision_validations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["validated_by_person_id"],
            ["people.id"],
            name=op.f("fk_decision_validations_validated_by_person_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["validated_by_user_id"], ["users.id"], name=op.f("fk_decision_validations_validated_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_validations")),
        sa.UniqueConstraint(
            "decision_id", "organisation_id", name=op.f("uq_decision_validations_decision_id_organisation_id")
        ),
    )
    with op.batch_alter_table("decision_validations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_validations_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index("ix_decision_validations_pending", ["organisation_id", "validated_at"], unique=False)

    op.create_table(
        "decision_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("voter_person_id", sa.Integer(), nullable=False),
        sa.Column(
            "vote",
            sa.Enum(
                "for", "against", "abstain", name="vote_choice", native_enum=False, create_constraint=True, length=15
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_decision_votes_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_decision_votes_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["voter_person_id"], ["people.id"], name=op.f("fk_decision_votes_voter_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_votes")),
        sa.UniqueConstraint(
            "decision_id", "organisation_id", name=op.f("uq_decision_votes_decision_id_organisation_id")
        ),
    )
    with op.batch_alter_table("decision_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decision_votes_decision_id"), ["decision_id"], unique=False)


def downgrade():
    with op.batch_alter_table("decision_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_votes_decision_id"))

    op.drop_table("decision_votes")
    with op.batch_alter_table("decision_validations", schema=None) as batch_op:
        batch_op.drop_index("ix_decision_validations_pending")
        batch_op.drop_index(batch_op.f("ix_decision_validations_decision_id"))

    op.drop_table("decision_validations")
    with op.batch_alter_table("papers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_papers_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_papers_agenda_item_id"))

    op.drop_table("papers")
    with op.batch_alter_table("minutes_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_sections_minutes_id"))

    op.drop_table("minutes_sections")
    with op.batch_alter_table("minutes_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_amendments_minutes_id"))

    op.drop_table("minutes_amendments")
    with op.batch_alter_table("meeting_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_actions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_actions_agenda_item_id"))

    op.drop_table("meeting_actions")
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declarations_person_id"))
        batch_op.drop_index(batch_op.f("ix_declarations_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_declarations_agenda_item_id"))

    op.drop_table("declarations")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_subject")
        batch_op.drop_index(batch_op.f("ix_decisions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_agenda_item_id"))

    op.drop_table("decisions")
    op.drop_table("minutes")
    with op.batch_alter_table("chair_action_consultations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chair_action_consultations_chair_action_id"))

    op.drop_table("chair_action_consultations")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_membership_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_deputy_person_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_meeting_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_state_date")
        batch_op.drop_index(batch_op.f("ix_meetings_meeting_date"))
        batch_op.drop_index("ix_meetings_group_date")

    op.drop_table("meetings")
    op.drop_table("chair_actions")
    op.drop_table("agenda_requests")
