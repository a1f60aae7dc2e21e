"""The adults' Board's strategic plan for a financial year (Care Act 2014 Schedule 2 para 3):
its objectives, what each member organisation will do to achieve each, the consultations
of Local Healthwatch and the community, the Board's agreement (a decision) and the
published PDF; each objective is linked to the business plan priorities that derive from it
(and so to the sub-groups' work plan items)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum
from safeguarding.models.people import Organisation


class StrategicPlanState(StrEnum):
    draft = "draft"
    agreed = "agreed"
    published = "published"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "agreed": "Agreed by the Board", "published": "Published"}[self.value]

    @property
    def colour(self) -> str:
        return {"draft": "grey", "agreed": "yellow", "published": "green"}[self.value]


class ConsultationKind(StrEnum):
    healthwatch = "healthwatch"
    community = "community"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "healthwatch": "Local Healthwatch",
            "community": "The community",
            "other": "Other",
        }[self.value]


# Which business plan priorities derive from which objective.
strategic_objective_priorities = sa.Table(
    "strategic_objective_priorities",
    Base.metadata,
    sa.Column("objective_id", sa.ForeignKey("strategic_objectives.id"), primary_key=True),
    sa.Column("priority_id", sa.ForeignKey("business_plan_priorities.id"), primary_key=True, index=True),
)


class StrategicPlan(VersionedMixin, TimestampMixin, Base):
    """One financial year's strategic plan (2026 = 2026/27)."""

    __tablename__ = "strategic_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    financial_year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    vision: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[StrategicPlanState] = mapped_column(
        str_enum(StrategicPlanState, name="strategic_plan_state"), default=StrategicPlanState.draft
    )
    # The Board's standing decision that agreed it, and the meeting's date.
    board_decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    agreed_on: Mapped[date | None]
    published_on: Mapped[date | None]
    # The PDF as published: kept, so what was published can always be sent again.
    published_pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))

    def __repr__(self) -> str:
        return f"<StrategicPlan {self.id} {self.financial_year}>"


class StrategicObjective(TimestampMixin, Base):
    __tablename__ = "strategic_objectives"
    __table_args__ = (sa.UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("strategic_plans.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"


class StrategicCommitment(TimestampMixin, Base):
    """What one member organisation will do to achieve one objective."""

    __tablename__ = "strategic_commitments"
    __table_args__ = (sa.UniqueConstraint("objective_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(sa.ForeignKey("strategic_objectives.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class StrategicConsultation(TimestampMixin, Base):
    """How the Board consulted Local Healthwatch or involved the community: when, whom,
    what they said and what changed in the plan as a result."""

    __tablename__ = "strategic_consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("strategic_plans.id"), index=True)
    kind: Mapped[ConsultationKind] = mapped_column(str_enum(ConsultationKind, name="strategic_consultation_kind"))
    consulted_on: Mapped[date]
    consulted: Mapped[str] = mapped_column(sa.String(300))
    response: Mapped[str] = mapped_column(sa.Text)
    changes: Mapped[str] = mapped_column(sa.Text, default="")
