"""The Partnership's business plan (its priorities for a financial year), each sub-group's
annual work plan derived from it, the plan's items with their progress updates and RAG
rating, and the record of each sub-group's terms-of-reference review."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.accounts import User
from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.enums import Area, Arm
from safeguarding.models.files import StoredFile
from safeguarding.models.groups import Group
from safeguarding.models.people import Organisation, Person


class BusinessPlan(VersionedMixin, TimestampMixin, Base):
    """The strategic and business plan for one financial year (2020 = 2020/21)."""

    __tablename__ = "business_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    financial_year: Mapped[int] = mapped_column(unique=True)
    strategic_plan: Mapped[str] = mapped_column(sa.Text, default="")

    def __repr__(self) -> str:
        return f"<BusinessPlan {self.id} {self.financial_year}>"


class Priority(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "business_plan_priorities"
    __table_args__ = (sa.UniqueConstraint("business_plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_plan_id: Mapped[int] = mapped_column(sa.ForeignKey("business_plans.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    arm: Mapped[Arm] = mapped_column(str_enum(Arm, name="priority_arm"), default=Arm.both)
    area: Mapped[Area] = mapped_column(str_enum(Area, name="priority_area"), default=Area.both)
    # Measurable outcomes, one a line.
    outcomes: Mapped[str] = mapped_column(sa.Text, default="")

    business_plan: Mapped[BusinessPlan] = relationship(lazy="joined", innerjoin=True)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def outcome_lines(self) -> list[str]:
        return [line.strip() for line in (self.outcomes or "").splitlines() if line.strip()]


class WorkPlanState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    closed = "closed"

    @property
    def label(self) -> str:
        return {
            "draft": "Draft",
            "submitted": "Submitted to the Board",
            "approved": "Approved by the Board",
            "closed": "Closed",
        }[self.value]


class WorkPlan(VersionedMixin, TimestampMixin, Base):
    """A sub-group's annual work plan for one financial year."""

    __tablename__ = "work_plans"
    __table_args__ = (sa.UniqueConstraint("group_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    financial_year: Mapped[int] = mapped_column(index=True)
    state: Mapped[WorkPlanState] = mapped_column(
        str_enum(WorkPlanState, name="work_plan_state"), default=WorkPlanState.draft
    )
    submitted_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    # The Board's standing decision that approved the plan.
    approved_decision_id: Mapped[int | None] = mapped_column(sa.ForeignKey("decisions.id"))
    closed_on: Mapped[date | None]

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<WorkPlan {self.id} group={self.group_id} {self.financial_year}>"


class ItemStatus(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    completed = "completed"
    deferred = "deferred"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return {
            "not_started": "Not started",
            "in_progress": "In progress",
            "completed": "Completed",
            "deferred": "Deferred",
            "cancelled": "Cancelled",
        }[self.value]


# Items that are still to be done: at year end each is carried forward or closed.
INCOMPLETE_STATUSES = (ItemStatus.not_started, ItemStatus.in_progress, ItemStatus.deferred)


class Rag(StrEnum):
    red = "red"
    amber = "amber"
    green = "green"
    complete = "complete"
    not_rated = "not_rated"

    @property
    def label(self) -> str:
        return {
            "red": "Red",
            "amber": "Amber",
            "green": "Green",
            "complete": "Complete (blue)",
            "not_rated": "Not rated",
        }[self.value]

    @property
    def colour(self) -> str:
        """The GOV.UK tag colour."""
        return {"red": "red", "amber": "orange", "green": "green", "complete": "blue", "not_rated": "grey"}[self.value]


OVERRIDE_RAGS = (Rag.red, Rag.amber, Rag.green)


class WorkPlanItem(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "work_plan_items"
    __table_args__ = (sa.Index("ix_work_plan_items_plan_rag", "work_plan_id", "rag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(sa.ForeignKey("work_plans.id"), index=True)
    priority_id: Mapped[int] = mapped_column(sa.ForeignKey("business_plan_priorities.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    lead_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    lead_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    due_date: Mapped[date]
    success_measure: Mapped[str] = mapped_column(sa.Text, default="")
    # A multi-agency audit of the sub-group's audit programme: done when the office records
    # the audit that carries it out (`MultiAgencyAudit.work_plan_item_id`).
    is_audit: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[ItemStatus] = mapped_column(
        str_enum(ItemStatus, name="work_plan_item_status"), default=ItemStatus.not_started
    )
    # Why it was deferred or cancelled.
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    completed_on: Mapped[date | None]
    at_risk: Mapped[bool] = mapped_column(default=False)
    at_risk_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Derived (services.workplans.derive_rag), stored so lists can count it in SQL.
    rag: Mapped[Rag] = mapped_column(str_enum(Rag, name="work_plan_rag"), default=Rag.green)
    rag_override: Mapped[Rag | None] = mapped_column(str_enum(Rag, name="work_plan_rag_override"))
    override_justification: Mapped[str | None] = mapped_column(sa.Text)
    override_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    override_at: Mapped[datetime | None]
    last_update_at: Mapped[datetime | None]
    # Year end: carried into next year's plan (a copy; the link kept both ways) or closed.
    carried_from_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work_plan_items.id"), index=True)
    carried_to_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("work_plan_items.id"))
    closed_reason: Mapped[str | None] = mapped_column(sa.Text)
    closed_on: Mapped[date | None]

    plan: Mapped[WorkPlan] = relationship(lazy="raise")
    priority: Mapped[Priority] = relationship(lazy="joined", innerjoin=True)
    lead_person: Mapped[Person | None] = relationship(lazy="joined")
    lead_organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    override_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[override_by_id])

    @property
    def rating(self) -> Rag:
        """What the item shows: the override when one is set, otherwise the derived RAG."""
        return self.rag_override or self.rag

    @property
    def settled(self) -> bool:
        """Complete, cancelled, carried forward or closed at year end."""
        return (
            self.status not in INCOMPLETE_STATUSES
            or self.carried_to_item_id is not None
            or self.closed_reason is not None
        )

    def __repr__(self) -> str:
        return f"<WorkPlanItem {self.id} plan={self.work_plan_id}>"


class ProgressUpdate(Base):
    __tablename__ = "work_plan_updates"
    __table_args__ = (sa.Index("ix_work_plan_updates_item", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("work_plan_items.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    percent: Mapped[int | None]
    milestone: Mapped[str | None] = mapped_column(sa.String(300))
    evidence_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
    evidence: Mapped[StoredFile | None] = relationship(lazy="joined")


class TorReview(Base):
    """A sub-group's review of its terms of reference for a financial year (at a meeting)."""

    __tablename__ = "tor_reviews"
    __table_args__ = (sa.UniqueConstraint("group_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    financial_year: Mapped[int]
    reviewed_on: Mapped[date]
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)
