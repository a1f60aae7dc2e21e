"""budget and partner contributions

Budgets per financial year with expenditure lines, other income and reserves, in-year
variations, contribution agreements, invoices, payments, and spend (commitments and
actuals in one table, `kind` telling them apart). Money columns are integer pence.

Revision ID: 3b2b7ae2756a
Revises: 124474456a5c
Create Date: 2026-11-23 15:41:18.663373

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3b2b7ae2756a"
down_revision = "124474456a5c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "proposed",
                "approved",
                "closed",
                name="budget_state",
                native_enum=False,
                create_constraint=True,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("equal_share_target_pence", sa.Integer(), nullable=True),
        sa.Column("reserves_brought_forward_pence", sa.Integer(), nullable=False),
        sa.Column("reserves_carried_in", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("uplift_bp", sa.Integer(), nullable=True),
        sa.Column("board_meeting_on", sa.Date(), nullable=True),
        sa.Column("minute_reference", sa.String(length=100), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outturn_income_pence", sa.Integer(), nullable=True),
        sa.Column("outturn_spend_pence", sa.Integer(), nullable=True),
        sa.Column("surplus_pence", sa.Integer(), nullable=True),
        sa.Column("reserves_carried_forward_pence", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["approved_by_id"], ["users.id"], name=op.f("fk_budgets_approved_by_id_users")),
        sa.ForeignKeyConstraint(["copied_from_id"], ["budgets.id"], name=op.f("fk_budgets_copied_from_id_budgets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("financial_year", name=op.f("uq_budgets_financial_year")),
    )
    op.create_table(
        "budget_income",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "other_income", "reserves", name="income_kind", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("original_pence", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_pence >= 0", name=op.f("ck_budget_income_amount_not_negative")),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_budget_income_budget_id_budgets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_income")),
        sa.UniqueConstraint("budget_id", "name", name=op.f("uq_budget_income_budget_id_name")),
    )
    with op.batch_alter_table("budget_income", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_income_budget_id"), ["budget_id"], unique=False)

    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "staffing",
                "independent_chair",
                "case_reviews",
                "engagement",
                "learning",
                "office",
                "legal",
                "other",
                name="line_category",
                native_enum=False,
                create_constraint=True,
                length=25,
            ),
            nullable=False,
        ),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("original_pence", sa.Integer(), nullable=True),
        sa.Column("forecast_pence", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_pence >= 0", name=op.f("ck_budget_lines_amount_not_negative")),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_budget_lines_budget_id_budgets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
        sa.UniqueConstraint("budget_id", "name", name=op.f("uq_budget_lines_budget_id_name")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_lines_budget_id"), ["budget_id"], unique=False)

    op.create_table(
        "contribution_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "fixed",
                "equal_share",
                "percentage",
                name="agreement_kind",
                native_enum=False,
                create_constraint=True,
                length=19,
            ),
            nullable=False,
        ),
        sa.Column("fixed_pence", sa.Integer(), nullable=True),
        sa.Column("percentage_bp", sa.Integer(), nullable=True),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("original_pence", sa.Integer(), nullable=True),
        sa.Column("remainder_pence", sa.Integer(), nullable=False),
        sa.Column("calculation", sa.Text(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_pence >= 0", name=op.f("ck_contribution_agreements_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budgets.id"], name=op.f("fk_contribution_agreements_budget_id_budgets")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_contribution_agreements_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution_agreements")),
        sa.UniqueConstraint(
            "budget_id", "organisation_id", name=op.f("uq_contribution_agreements_budget_id_organisation_id")
        ),
    )
    with op.batch_alter_table("contribution_agreements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contribution_agreements_budget_id"), ["budget_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contribution_agreements_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "budget_variations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "line",
                "income",
                "agreement",
                "target",
                name="variation_subject",
                native_enum=False,
                create_constraint=True,
                length=17,
            ),
            nullable=False,
        ),
        sa.Column("line_id", sa.Integer(), nullable=True),
        sa.Column("income_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("before_pence", sa.Integer(), nullable=False),
        sa.Column("after_pence", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approver", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["contribution_agreements.id"],
            name=op.f("fk_budget_variations_agreement_id_contribution_agreements"),
        ),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_budget_variations_budget_id_budgets")),
        sa.ForeignKeyConstraint(
            ["income_id"], ["budget_income.id"], name=op.f("fk_budget_variations_income_id_budget_income")
        ),
        sa.ForeignKeyConstraint(
            ["line_id"], ["budget_lines.id"], name=op.f("fk_budget_variations_line_id_budget_lines")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_budget_variations_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_variations")),
    )
    with op.batch_alter_table("budget_variations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_variations_budget_id"), ["budget_id"], unique=False)

    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("paid_pence", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("sent_to", sa.String(length=320), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("last_chased_on", sa.Date(), nullable=True),
        sa.Column("chase_count", sa.Integer(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_pence > 0", name=op.f("ck_invoices_amount_positive")),
        sa.CheckConstraint("paid_pence >= 0", name=op.f("ck_invoices_paid_not_negative")),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["contribution_agreements.id"],
            name=op.f("fk_invoices_agreement_id_contribution_agreements"),
        ),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_invoices_budget_id_budgets")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_invoices_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["raised_by_id"], ["users.id"], name=op.f("fk_invoices_raised_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_agreement_id"), ["agreement_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_budget_id"), ["budget_id"], unique=False)
        batch_op.create_index("ix_invoices_due", ["cancelled_on", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_organisation_id"), ["organisation_id"], unique=False)

    op.create_table(
        "spend_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("commitment", "actual", name="spend_kind", native_enum=False, create_constraint=True, length=18),
            nullable=False,
        ),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("source_type", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_pence > 0", name=op.f("ck_spend_entries_amount_positive")),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_spend_entries_budget_id_budgets")),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["spend_entries.id"], name=op.f("fk_spend_entries_commitment_id_spend_entries")
        ),
        sa.ForeignKeyConstraint(["line_id"], ["budget_lines.id"], name=op.f("fk_spend_entries_line_id_budget_lines")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_spend_entries_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spend_entries")),
    )
    with op.batch_alter_table("spend_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spend_entries_budget_id"), ["budget_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_spend_entries_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index("ix_spend_entries_line_kind", ["line_id", "kind"], unique=False)
        batch_op.create_index("ix_spend_entries_source", ["source_type", "source_id"], unique=False)

    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reversed_on", sa.Date(), nullable=True),
        sa.Column("reversal_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("amount_pence > 0", name=op.f("ck_payments_amount_positive")),
        sa.ForeignKeyConstraint(["budget_id"], ["budgets.id"], name=op.f("fk_payments_budget_id_budgets")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], name=op.f("fk_payments_invoice_id_invoices")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_payments_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_payments_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_budget_id"), ["budget_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_invoice_id"), ["invoice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_organisation_id"), ["organisation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_payments_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_payments_budget_id"))

    op.drop_table("payments")
    with op.batch_alter_table("spend_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_spend_entries_source")
        batch_op.drop_index("ix_spend_entries_line_kind")
        batch_op.drop_index(batch_op.f("ix_spend_entries_commitment_id"))
        batch_op.drop_index(batch_op.f("ix_spend_entries_budget_id"))

    op.drop_table("spend_entries")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_organisation_id"))
        batch_op.drop_index("ix_invoices_due")
        batch_op.drop_index(batch_op.f("ix_invoices_budget_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_agreement_id"))

    op.drop_table("invoices")
    with op.batch_alter_table("budget_variations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_variations_budget_id"))

    op.drop_table("budget_variations")
    with op.batch_alter_table("contribution_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_agreements_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_agreements_budget_id"))

    op.drop_table("contribution_agreements")
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_lines_budget_id"))

    op.drop_table("budget_lines")
    with op.batch_alter_table("budget_income", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_income_budget_id"))

    op.drop_table("budget_income")
    op.drop_table("budgets")
