"""Budgets per arm (adults, children, joint), contribution schemes, finance references

A budget is now one per arm per financial year: existing budgets become the adults'
(the server default). Each budget has a contribution scheme (equal shares, today's rule,
by default), a joint budget each arm's share; agreements a percentage or figure share
and a new kind, a fixed amount within the scheme (`scheme_fixed`);
invoices the host council's purchase order and ledger invoice number.

Revision ID: 90c4131c31eb
Revises: 0eeb456d3e97
Create Date: 2026-12-06 20:41:30.458027

"""

import sqlalchemy as sa
from alembic import op

_OLD_KINDS = ("fixed", "equal_share", "percentage")
_NEW_KINDS = (*_OLD_KINDS, "scheme_fixed")

# revision identifiers, used by Alembic.
revision = "90c4131c31eb"
down_revision = "0eeb456d3e97"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "arm",
                sa.Enum(
                    "adults",
                    "children",
                    "both",
                    name="budget_arm",
                    native_enum=False,
                    create_constraint=True,
                    length=16,
                ),
                server_default="adults",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "contribution_scheme",
                sa.Enum(
                    "equal_share",
                    "percentage",
                    "by_figure",
                    name="contribution_scheme",
                    native_enum=False,
                    create_constraint=True,
                    length=19,
                ),
                server_default="equal_share",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("figure_label", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("adults_share_bp", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("children_share_bp", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_budgets_financial_year"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_budgets_arm_financial_year"), ["arm", "financial_year"])
        batch_op.create_check_constraint(
            batch_op.f("ck_budgets_arm_shares_total_100"),
            "(adults_share_bp IS NULL AND children_share_bp IS NULL) OR "
            "(adults_share_bp >= 0 AND children_share_bp >= 0 AND adults_share_bp + children_share_bp = 10000)",
        )

    with op.batch_alter_table("contribution_agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("share_bp", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("share_figure", sa.BigInteger(), nullable=True))
        # A fixed amount within the scheme (the rest shared): a new kind of agreement.
        batch_op.drop_constraint(op.f("ck_contribution_agreements_agreement_kind"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.VARCHAR(length=19), type_=sa.String(length=20))
        batch_op.create_check_constraint(
            op.f("ck_contribution_agreements_agreement_kind"), sa.column("kind").in_(_NEW_KINDS)
        )

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purchase_order", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("ledger_invoice_number", sa.String(length=40), nullable=True))


def downgrade():
    # One budget per year again: only possible while no year has a children's or joint budget.
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_column("ledger_invoice_number")
        batch_op.drop_column("purchase_order")

    op.execute("UPDATE contribution_agreements SET kind = 'fixed' WHERE kind = 'scheme_fixed'")
    with op.batch_alter_table("contribution_agreements", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_contribution_agreements_agreement_kind"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=20), type_=sa.VARCHAR(length=19))
        batch_op.create_check_constraint(
            op.f("ck_contribution_agreements_agreement_kind"), sa.column("kind").in_(_OLD_KINDS)
        )
        batch_op.drop_column("share_figure")
        batch_op.drop_column("share_bp")

    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_budgets_arm_shares_total_100"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_budgets_arm_financial_year"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_budgets_financial_year"), ["financial_year"])
        batch_op.drop_constraint(op.f("ck_budgets_contribution_scheme"), type_="check")
        batch_op.drop_constraint(op.f("ck_budgets_budget_arm"), type_="check")
        batch_op.drop_column("children_share_bp")
        batch_op.drop_column("adults_share_bp")
        batch_op.drop_column("figure_label")
        batch_op.drop_column("contribution_scheme")
        batch_op.drop_column("arm")
