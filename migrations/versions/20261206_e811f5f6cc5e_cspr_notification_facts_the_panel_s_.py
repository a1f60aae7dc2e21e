"""CSPR notification facts, the Panel's response, report to the Panel

The serious incident notification's facts (death or serious harm, abuse or neglect,
Ofsted and the Secretary of State told, the partners told, harmed siblings); the Panel's
response as an outcome (the text already recorded stays as its reason); the review state
`national_review`; the date an LCSPR's final report went to the Panel.

Revision ID: e811f5f6cc5e
Revises: 60b4f6589a90
Create Date: 2026-12-06 18:13:50.570606

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e811f5f6cc5e"
down_revision = "60b4f6589a90"
branch_labels = None
depends_on = None

_OLD_STATES = (
    "referred",
    "screening",
    "information_gathering",
    "notified",
    "rapid_review",
    "awaiting_decision",
    "commissioned",
    "not_commissioned",
    "lcspr_commissioned",
    "no_lcspr",
    "in_review",
    "paused",
    "draft_report",
    "signed_off",
    "published",
    "action_monitoring",
    "closed",
)
_NEW_STATES = (*_OLD_STATES, "national_review")


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "incident",
                sa.Enum(
                    "death", "serious_harm", name="incident_kind", native_enum=False, create_constraint=True, length=20
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "abuse_or_neglect",
                sa.Enum(
                    "known",
                    "suspected",
                    "not_suspected",
                    name="abuse_or_neglect",
                    native_enum=False,
                    create_constraint=True,
                    length=21,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("ofsted_notified_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("secretary_of_state_notified_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("partners_told_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("partners_told", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("siblings_harmed", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("siblings_note", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "panel_outcome",
                sa.Enum(
                    "agrees",
                    "disagrees",
                    "national_review",
                    name="panel_outcome",
                    native_enum=False,
                    create_constraint=True,
                    length=23,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("report_sent_to_panel_on", sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f("ck_reviews_review_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reviews_review_state"), sa.column("state").in_(_NEW_STATES))


def downgrade():
    # A national review goes back to the state it cannot be told apart from: closed.
    op.execute("UPDATE reviews SET state = 'closed' WHERE state = 'national_review'")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reviews_review_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reviews_review_state"), sa.column("state").in_(_OLD_STATES))
        for name in ("incident_kind", "abuse_or_neglect", "panel_outcome"):
            batch_op.drop_constraint(op.f(f"ck_reviews_{name}"), type_="check")
        batch_op.drop_column("report_sent_to_panel_on")
        batch_op.drop_column("panel_outcome")
        batch_op.drop_column("siblings_note")
        batch_op.drop_column("siblings_harmed")
        batch_op.drop_column("partners_told")
        batch_op.drop_column("partners_told_on")
        batch_op.drop_column("secretary_of_state_notified_on")
        batch_op.drop_column("ofsted_notified_on")
        batch_op.drop_column("abuse_or_neglect")
        batch_op.drop_column("incident")
