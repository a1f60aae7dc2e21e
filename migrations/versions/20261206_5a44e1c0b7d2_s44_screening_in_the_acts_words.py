"""s44 screening in the Act's words: the adult in the Board's area, whether the adult has
died, and whether the Board knows or suspects abuse or neglect (the death resulted from it,
or serious abuse or neglect of an adult alive) — replacing the single "what happened" answer

Revision ID: 5a44e1c0b7d2
Revises: 7c1e5a9b3f10
Create Date: 2026-12-06 07:30:00

Existing screenings: "died" becomes died and known or suspected; "serious_abuse" alive and
known or suspected; "neither" not known or suspected, whether the adult died left blank
(the old answer did not say). Each existing SAR was referred to this Board for an adult in
its area, so `s44_in_area` is recorded as yes where a screening exists, with that reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "5a44e1c0b7d2"
down_revision = "7c1e5a9b3f10"
branch_labels = None
depends_on = None

HARM = sa.Enum(
    "died", "serious_abuse", "neither", name="s44_harm", native_enum=False, create_constraint=True, length=21
)


def upgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("s44_in_area", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("s44_in_area_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("s44_died", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("s44_abuse", sa.Boolean(), nullable=True))
        batch_op.alter_column("s44_harm_reason", new_column_name="s44_abuse_reason")
    reviews = sa.table(
        "reviews",
        sa.column("s44_harm", sa.String),
        sa.column("s44_needs", sa.Boolean),
        sa.column("s44_in_area", sa.Boolean),
        sa.column("s44_in_area_reason", sa.Text),
        sa.column("s44_died", sa.Boolean),
        sa.column("s44_abuse", sa.Boolean),
    )
    for harm, died, abuse in (("died", True, True), ("serious_abuse", False, True), ("neither", None, False)):
        op.execute(reviews.update().where(reviews.c.s44_harm == harm).values(s44_died=died, s44_abuse=abuse))
    op.execute(
        reviews.update()
        .where(reviews.c.s44_needs.is_not(None))
        .values(s44_in_area=True, s44_in_area_reason="Referred to the Board as an adult in its area")
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint("s44_harm", type_="check")
        batch_op.drop_column("s44_harm")


def downgrade():
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("s44_harm", HARM, nullable=True))
        batch_op.alter_column("s44_abuse_reason", new_column_name="s44_harm_reason")
    reviews = sa.table(
        "reviews",
        sa.column("s44_harm", sa.String),
        sa.column("s44_died", sa.Boolean),
        sa.column("s44_abuse", sa.Boolean),
    )
    op.execute(
        reviews.update().where(reviews.c.s44_abuse.is_(True), reviews.c.s44_died.is_(True)).values(s44_harm="died")
    )
    op.execute(
        reviews.update()
        .where(reviews.c.s44_abuse.is_(True), reviews.c.s44_died.is_not(True))
        .values(s44_harm="serious_abuse")
    )
    op.execute(reviews.update().where(reviews.c.s44_abuse.is_(False)).values(s44_harm="neither"))
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("s44_abuse")
        batch_op.drop_column("s44_died")
        batch_op.drop_column("s44_in_area_reason")
        batch_op.drop_column("s44_in_area")
