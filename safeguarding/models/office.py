"""The meeting office's records: the cover sheet of each paper (shown before it in the
agenda pack) and the risk register with each risk's score history.

A risk's score is likelihood × impact (1–5 each), before mitigations (inherent) and after
(residual); its RAG rating comes from the residual score (`services.risks.rag_for`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.meetings import Paper
from safeguarding.models.people import Organisation, Person


class PaperPurpose(StrEnum):
    decision = "decision"
    assurance = "assurance"
    information = "information"

    @property
    def label(self) -> str:
        return {"decision": "For decision", "assurance": "For assurance", "information": "For information"}[self.value]


class CoverSheet(VersionedMixin, TimestampMixin, Base):
    """A paper's report cover sheet: why it comes to the meeting, what the members are
    asked to do, who wrote it, which organisation sponsors it and the risks it raises."""

    __tablename__ = "cover_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    paper_id: Mapped[int] = mapped_column(sa.ForeignKey("papers.id"), unique=True)
    purpose: Mapped[PaperPurpose] = mapped_column(str_enum(PaperPurpose, name="paper_purpose"))
    asked_to: Mapped[str] = mapped_column(sa.Text)
    author: Mapped[str] = mapped_column(sa.String(200))
    sponsor_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    risks: Mapped[str | None] = mapped_column(sa.Text)

    paper: Mapped[Paper] = relationship(lazy="raise")
    sponsor: Mapped[Organisation | None] = relationship(lazy="joined")


class RiskStatus(StrEnum):
    open = "open"
    closed = "closed"

    @property
    def label(self) -> str:
        return {"open": "Open", "closed": "Closed"}[self.value]


SCORE_CHECK = "BETWEEN 1 AND 5"


class Risk(VersionedMixin, TimestampMixin, Base):
    """A risk on the partnership's register."""

    __tablename__ = "risks"
    __table_args__ = (
        sa.CheckConstraint(f"inherent_likelihood {SCORE_CHECK}", name="inherent_likelihood"),
        sa.CheckConstraint(f"inherent_impact {SCORE_CHECK}", name="inherent_impact"),
        sa.CheckConstraint(f"residual_likelihood {SCORE_CHECK}", name="residual_likelihood"),
        sa.CheckConstraint(f"residual_impact {SCORE_CHECK}", name="residual_impact"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    cause: Mapped[str] = mapped_column(sa.Text)
    effect: Mapped[str] = mapped_column(sa.Text)
    owner_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    owner_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    inherent_likelihood: Mapped[int]
    inherent_impact: Mapped[int]
    residual_likelihood: Mapped[int]
    residual_impact: Mapped[int]
    controls: Mapped[str | None] = mapped_column(sa.Text)
    review_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[RiskStatus] = mapped_column(str_enum(RiskStatus, name="risk_status"), default=RiskStatus.open)
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    owner_organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    owner_person: Mapped[Person | None] = relationship(lazy="joined")

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact


class RiskScore(Base):
    """One assessment of a risk's scores: the first when it is entered, then one each time
    they change (the history the register shows)."""

    __tablename__ = "risk_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    risk_id: Mapped[int] = mapped_column(sa.ForeignKey("risks.id"), index=True)
    assessed_on: Mapped[date]
    inherent_likelihood: Mapped[int]
    inherent_impact: Mapped[int]
    residual_likelihood: Mapped[int]
    residual_impact: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact


class ForwardKind(StrEnum):
    annual_report = "annual_report"
    budget = "budget"
    strategic_plan = "strategic_plan"
    tor_review = "tor_review"
    risk_register = "risk_register"
    highlight_report = "highlight_report"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "annual_report": "Annual report",
            "budget": "Budget",
            "strategic_plan": "Strategic plan",
            "tor_review": "Terms of reference",
            "risk_register": "Risk register",
            "highlight_report": "Sub-group highlight report",
            "other": "Other business",
        }[self.value]


class ForwardPlanItem(VersionedMixin, TimestampMixin, Base):
    """An item of the year's cycle of business: what goes to a group's meeting in which
    month of a financial year. Placed on that meeting's agenda (`agenda_item_id`) once the
    meeting is scheduled; the office edits, moves and removes items."""

    __tablename__ = "forward_plan_items"
    __table_args__ = (sa.CheckConstraint("month BETWEEN 1 AND 12", name="month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    financial_year: Mapped[int] = mapped_column(index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    kind: Mapped[ForwardKind] = mapped_column(str_enum(ForwardKind, name="forward_kind"))
    title: Mapped[str] = mapped_column(sa.String(300))
    month: Mapped[int]
    # The sub-group whose highlight report or terms of reference this is.
    sub_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id"))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    active: Mapped[bool] = mapped_column(default=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id"))
