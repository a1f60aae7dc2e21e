"""The children's safeguarding arrangements (Children Act 2004 ss16E–16K; Working Together
2023): the safeguarding partners and their people, and the joint decisions that the law
gives the partners together."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.enums import Area, Arm
from safeguarding.models.people import Organisation, Person


class SafeguardingPartner(VersionedMixin, TimestampMixin, Base):
    """One statutory safeguarding partner of an arm: the council (for its area), the ICB or
    the police, with its lead safeguarding partner (LSP: the chief executive or chief
    constable) and any delegated safeguarding partner (DSP) and the date of delegation."""

    __tablename__ = "safeguarding_partners"
    __table_args__ = (sa.UniqueConstraint("arm", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arm: Mapped[Arm] = mapped_column(str_enum(Arm), default=Arm.children)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    area: Mapped[Area] = mapped_column(str_enum(Area))  # the area it is a partner for
    lead_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    delegate_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    delegated_on: Mapped[date | None]
    # The partnership chair is one of the delegated safeguarding partners.
    chairs_partnership: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    lead: Mapped[Person | None] = relationship(foreign_keys=[lead_person_id], lazy="joined")
    delegate: Mapped[Person | None] = relationship(foreign_keys=[delegate_person_id], lazy="joined")

    def covers(self, area: Area) -> bool:
        """Whether this partner is one of the partners for a matter of `area` (a child's
        area; `both` for partnership-wide matters, which every partner answers)."""
        return area is Area.both or self.area in (area, Area.both)


class JointDecisionSubject(StrEnum):
    """What the law gives the children's safeguarding partners to decide together."""

    rapid_review = "rapid_review"  # sign off the rapid review, with the decision on an LCSPR
    lcspr_report = "lcspr_report"  # sign off an LCSPR's final report
    publication = "publication"  # publish the LCSPR report, or not (and the improvements instead)
    yearly_report = "yearly_report"  # sign off the children's yearly report
    arrangements = "arrangements"  # the published arrangements

    @property
    def label(self) -> str:
        return {
            "rapid_review": "Rapid review sign-off and the decision on a local review",
            "lcspr_report": "Sign-off of a local review's final report",
            "publication": "Publication of a local review's report",
            "yearly_report": "Sign-off of the yearly report",
            "arrangements": "The published arrangements",
        }[self.value]


class JointDecisionState(StrEnum):
    open = "open"  # waiting for answers
    disputed = "disputed"  # a partner disagreed: paused, gone to the partners' dispute route
    carried = "carried"  # every partner agreed
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "open": "Waiting for answers",
            "disputed": "Disagreed: paused",
            "carried": "Agreed by every partner",
            "withdrawn": "Withdrawn",
        }[self.value]


class JointDecision(VersionedMixin, TimestampMixin, Base):
    """One question put to the safeguarding partners: one answer per statutory
    organisation (the partners of the child's area, or all of them for partnership-wide
    matters), carried only when every one agrees."""

    __tablename__ = "joint_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[JointDecisionSubject] = mapped_column(
        str_enum(JointDecisionSubject, name="joint_decision_subject"), index=True
    )
    question: Mapped[str] = mapped_column(sa.Text)
    area: Mapped[Area] = mapped_column(str_enum(Area))
    # What is decided, for the effect when carried (e.g. {"outcome": "lcspr"}).
    proposal: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    review_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reviews.id"), index=True)
    annual_report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("annual_reports.id"), index=True)
    state: Mapped[JointDecisionState] = mapped_column(
        str_enum(JointDecisionState, name="joint_decision_state"), default=JointDecisionState.open, index=True
    )
    put_on: Mapped[date]
    due_on: Mapped[date]
    decided_on: Mapped[date | None]
    put_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    dispute_id: Mapped[int | None] = mapped_column(sa.ForeignKey("disputes.id"))
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    # A decision the partners took before the service held the case, recorded by the
    # office (an import): where it is minuted. None for decisions answered in the service.
    recorded_from: Mapped[str | None] = mapped_column(sa.Text)

    answers: Mapped[list[JointDecisionAnswer]] = relationship(
        back_populates="decision", lazy="raise", order_by="JointDecisionAnswer.id"
    )


class JointDecisionAnswer(Base):
    """A safeguarding partner's answer, given by its LSP or DSP. An answer may be changed
    until the decision is carried (a partner that disagreed may agree once the dispute is
    resolved); each change is audited."""

    __tablename__ = "joint_decision_answers"
    __table_args__ = (sa.UniqueConstraint("decision_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("joint_decisions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    agree: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(sa.Text)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))  # who answered
    capacity: Mapped[str] = mapped_column(sa.String(10))  # "lead" or "delegate"
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    decision: Mapped[JointDecision] = relationship(back_populates="answers", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship(lazy="joined")


class JointDecisionComment(Base):
    """The independent chair's or the scrutineer's advice on a joint decision: they may
    comment; they do not decide."""

    __tablename__ = "joint_decision_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("joint_decisions.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    capacity: Mapped[str] = mapped_column(sa.String(40))  # "Independent chair", "Independent scrutineer"
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship(lazy="joined")


class Arrangements(VersionedMixin, TimestampMixin, Base):
    """The arrangements as published (one row per arm; the children's today): the
    independent scrutineer, the relevant agencies, where the document is published. Each
    change is kept in `ArrangementsChange`."""

    __tablename__ = "arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    arm: Mapped[Arm] = mapped_column(str_enum(Arm), unique=True)
    scrutineer_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    relevant_agencies: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    published_on: Mapped[date | None]
    publication_url: Mapped[str | None] = mapped_column(sa.String(500))
    summary: Mapped[str | None] = mapped_column(sa.Text)

    scrutineer: Mapped[Person | None] = relationship(lazy="joined")


class ArrangementsChange(Base):
    """A change to the published arrangements: what changed, when, by whom."""

    __tablename__ = "arrangements_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    arm: Mapped[Arm] = mapped_column(str_enum(Arm), index=True)
    changed_on: Mapped[date]
    description: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
