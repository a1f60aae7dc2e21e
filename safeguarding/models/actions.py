"""The shared action log: actions from meetings, review recommendations, audits, work
plans and disputes, each owned by an organisation, with progress updates."""

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


class ActionSource(StrEnum):
    meeting = "meeting"
    review = "review"
    audit = "audit"
    work_plan = "work_plan"
    dispute = "dispute"
    escalation = "escalation"
    risk = "risk"
    other = "other"

    @property
    def label(self) -> str:
        return {
            "meeting": "Meeting",
            "review": "Case review",
            "audit": "Audit",
            "work_plan": "Work plan",
            "dispute": "Dispute",
            "escalation": "Attendance escalation",
            "risk": "Risk register",
            "other": "Other",
        }[self.value]


class ActionStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    completion_claimed = "completion_claimed"
    completed = "completed"
    not_implemented = "not_implemented"
    cancelled = "cancelled"

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "in_progress": "In progress",
            "completion_claimed": "Awaiting acceptance",
            "completed": "Completed",
            "not_implemented": "Not implemented",
            "cancelled": "Cancelled",
        }[self.value]


OPEN_STATUSES = (ActionStatus.open, ActionStatus.in_progress, ActionStatus.completion_claimed)
CLOSED_STATUSES = (ActionStatus.completed, ActionStatus.not_implemented, ActionStatus.cancelled)
OPEN_WHERE = "status IN ('open', 'in_progress', 'completion_claimed')"


class Action(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "actions"
    __table_args__ = (
        # An organisation's actions by status, and by source (a partner's open review actions).
        sa.Index("ix_actions_owner_status", "owner_organisation_id", "status", "source_type"),
        # …and each source's actions with what their figures read (a recommendation's stage:
        # services/learning/reaudits.py), so those figures come from the index alone.
        sa.Index("ix_actions_source", "source_type", "source_id", "status", "completed_on"),
        sa.Index("ix_actions_status_due", "status", "due_date"),
        # The log's order (due date, then id): a page of "all" reads the index, not a sort.
        sa.Index("ix_actions_due", "due_date", "id"),
        # The open actions in that order (the log's default view, its review actions): a partial
        # index PostgreSQL uses where open actions cluster at the recent end of the due dates.
        sa.Index(
            "ix_actions_open_due",
            "due_date",
            "id",
            postgresql_where=sa.text(OPEN_WHERE),
            sqlite_where=sa.text(OPEN_WHERE),
        ),
        # The timeliness figures: a source's actions completed (or not) in a year.
        sa.Index("ix_actions_source_status", "source_type", "status", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    source_type: Mapped[ActionSource] = mapped_column(str_enum(ActionSource))
    # The record that raised it (a meeting, a review recommendation, …) and how to name it.
    source_id: Mapped[int | None]
    source_label: Mapped[str | None] = mapped_column(sa.String(300))
    # The group whose meeting or work plan raised it (its chair and members see it).
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    owner_organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    owner_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    due_date: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, name="action_status"), default=ActionStatus.open
    )
    area: Mapped[Area] = mapped_column(str_enum(Area), default=Area.both)
    arm: Mapped[Arm] = mapped_column(str_enum(Arm), default=Arm.both)
    # Case-review actions are need-to-know: only the office, the chair, the review's
    # sub-group and the owning agency see them.
    restricted: Mapped[bool] = mapped_column(default=False)
    completed_on: Mapped[date | None]
    closure_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    last_chased_on: Mapped[date | None]

    owner_organisation: Mapped[Organisation] = relationship(lazy="joined")
    owner_person: Mapped[Person | None] = relationship(lazy="joined")
    group: Mapped[Group | None] = relationship(lazy="joined")
    updates: Mapped[list[ActionUpdate]] = relationship(
        back_populates="action", lazy="raise", order_by="ActionUpdate.id"
    )

    def is_overdue(self, on: date) -> bool:
        return self.status in OPEN_STATUSES and self.due_date < on


class ActionUpdate(Base):
    """Progress on an action, from its owner organisation or the business office."""

    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    progress: Mapped[int | None]  # percent complete, 0–100
    evidence_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))

    action: Mapped[Action] = relationship(back_populates="updates", lazy="raise")
    by: Mapped[User | None] = relationship(lazy="joined")
    evidence: Mapped[StoredFile | None] = relationship(lazy="joined")
