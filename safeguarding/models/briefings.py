"""Learning briefings: the one-page "7-minute briefing" of a case review, a learning
review or a multi-agency audit, built from the source's public findings and its
recommendations (never case content), edited by the business office, published, and its
dissemination recorded: which partner organisations confirmed they shared it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum
from safeguarding.models.enums import Arm
from safeguarding.models.people import Organisation

# The 7-minute briefing's standard sections, in order: (field, heading).
BRIEFING_SECTIONS: tuple[tuple[str, str], ...] = (
    ("background", "Background"),
    ("what_happened", "What happened"),
    ("learning", "Learning"),
    ("what_to_do", "What to do: questions for practitioners"),
    ("resources", "Further resources"),
)


class BriefingState(StrEnum):
    draft = "draft"
    published = "published"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "published": "Published"}[self.value]


class LearningBriefing(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "learning_briefings"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN review_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN learning_review_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN audit_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="briefing_one_source",
        ),
        sa.CheckConstraint("state <> 'published' OR published_on IS NOT NULL", name="briefing_published_on"),
        sa.Index("ix_learning_briefings_state_published_on", "state", "published_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    learning_review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("learning_reviews.id"), index=True)
    audit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("multi_agency_audits.id"), index=True)
    # Copied from the source: the list filters and shows them without joining three tables.
    source_reference: Mapped[str] = mapped_column(sa.String(40))
    source_label: Mapped[str] = mapped_column(sa.String(80))
    # The source's group (its sub-group): its members see the draft.
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    arm: Mapped[Arm] = mapped_column(str_enum(Arm))
    title: Mapped[str] = mapped_column(sa.String(200))
    background: Mapped[str] = mapped_column(sa.Text, default="")
    what_happened: Mapped[str] = mapped_column(sa.Text, default="")
    learning: Mapped[str] = mapped_column(sa.Text, default="")
    what_to_do: Mapped[str] = mapped_column(sa.Text, default="")
    resources: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[BriefingState] = mapped_column(str_enum(BriefingState, name="briefing_state"))
    published_on: Mapped[date | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    @property
    def reference(self) -> str:
        return f"LB-{self.id}"

    @property
    def sections(self) -> list[tuple[str, str, str]]:
        """(field, heading, text) of the standard sections, in order."""
        return [(name, heading, getattr(self, name) or "") for name, heading in BRIEFING_SECTIONS]


class BriefingConfirmation(TimestampMixin, Base):
    """A partner organisation confirmed it shared a published briefing: when, how, and
    who recorded it (their own organisation's partner member, or the business office)."""

    __tablename__ = "briefing_confirmations"
    __table_args__ = (sa.UniqueConstraint("briefing_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_briefings.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    confirmed_on: Mapped[date]
    how_shared: Mapped[str] = mapped_column(sa.Text)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Recorded by the business office for the organisation (not by its own member).
    by_office: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
