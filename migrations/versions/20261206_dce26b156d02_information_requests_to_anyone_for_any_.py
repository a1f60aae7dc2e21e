"""Information requests to anyone (outside the directory) for any Board function, refusals,
the letter kept as sent

Revision ID: dce26b156d02
Revises: 6be43592d4a3
Create Date: 2026-12-06 20:51:11.934244

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "dce26b156d02"
down_revision = "6be43592d4a3"
branch_labels = None
depends_on = None

_OLD_STATUS = ("sent", "returned", "withdrawn")
_NEW_STATUS = (*_OLD_STATUS, "refused")
_PURPOSES = ("review", "audit", "data")


def upgrade():
    with op.batch_alter_table("review_information_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.String(length=14), server_default="review", nullable=False))
        batch_op.add_column(sa.Column("purpose_detail", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("recipient_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("recipient_address", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("recipient_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("refusal_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("refused_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("sent_pdf", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("sent_docx", sa.LargeBinary(), nullable=True))
        batch_op.alter_column("review_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("organisation_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_check_constraint(
            op.f("ck_review_information_requests_request_purpose"), sa.column("purpose").in_(_PURPOSES)
        )
        batch_op.drop_constraint(op.f("ck_review_information_requests_request_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_review_information_requests_request_status"), sa.column("status").in_(_NEW_STATUS)
        )
        batch_op.create_check_constraint(
            op.f("ck_review_information_requests_has_recipient"),
            "organisation_id IS NOT NULL OR recipient_name IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_review_information_requests_review_purpose_has_review"),
            "review_id IS NOT NULL OR purpose <> 'review'",
        )


def downgrade():
    bind = op.get_bind()
    outside = bind.scalar(
        sa.text("SELECT count(*) FROM review_information_requests WHERE review_id IS NULL OR organisation_id IS NULL")
    )
    if outside:
        raise RuntimeError(
            f"{outside} information requests are for another Board function or to someone outside the directory: "
            "the earlier schema cannot hold them"
        )
    op.execute(
        "UPDATE review_information_requests SET status = 'withdrawn', withdrawn_reason = "
        "'Refused: ' || coalesce(refusal_reason, '') WHERE status = 'refused'"
    )
    with op.batch_alter_table("review_information_requests", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_information_requests_review_purpose_has_review"), type_="check")
        batch_op.drop_constraint(op.f("ck_review_information_requests_has_recipient"), type_="check")
        batch_op.drop_constraint(op.f("ck_review_information_requests_request_status"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_review_information_requests_request_status"), sa.column("status").in_(_OLD_STATUS)
        )
        batch_op.drop_constraint(op.f("ck_review_information_requests_request_purpose"), type_="check")
        batch_op.alter_column("organisation_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column("review_id", existing_type=sa.INTEGER(), nullable=False)
        for column in (
            "sent_docx",
            "sent_pdf",
            "refused_on",
            "refusal_reason",
            "recipient_email",
            "recipient_address",
            "recipient_name",
            "purpose_detail",
            "purpose",
        ):
            batch_op.drop_column(column)
