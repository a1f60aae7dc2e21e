"""The append-only audit log and the workflow history.

Both tables are insert-only: the ORM refuses updates and deletes, and the migration adds
database triggers that refuse them too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.accounts import User
from safeguarding.models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # "system: attendance scan" when a job acted, the user's email otherwise
    actor_label: Mapped[str] = mapped_column(sa.String(320))
    action: Mapped[str] = mapped_column(sa.String(60))  # create, update, transition:<trigger>, view
    entity_type: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[str] = mapped_column(sa.String(60))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor: Mapped[User | None] = relationship(lazy="raise")


class WorkflowHistory(Base):
    """One row per fired lifecycle transition."""

    __tablename__ = "workflow_history"
    __table_args__ = (sa.Index("ix_workflow_history_entity", "lifecycle", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lifecycle: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[int]
    trigger: Mapped[str] = mapped_column(sa.String(60))
    from_state: Mapped[str] = mapped_column(sa.String(60))
    to_state: Mapped[str] = mapped_column(sa.String(60))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(sa.String(320))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The day the event happened outside the service, when the trigger asks for it (a
    # dispute determined on Tuesday and entered on Friday: Tuesday here, Friday in `at`).
    # None: it happened when it was entered.
    occurred_on: Mapped[date | None]

    # Filled in by Lifecycle.history: the actor's name (the audit keeps the sign-in).
    actor_name = None

    @property
    def who(self) -> str:
        """The person's name for a user's step; the job or command otherwise."""
        return self.actor_name or self.actor_label
