"""Attendance monitoring: each group's policy (the thresholds, with the constitution's
defaults), reminders to members who missed meetings, and escalations — the Chair's letter
to an organisation's chief executive about persistent non-attendance.

An *episode* is a run of held meetings of one group at which one organisation was not
represented, named by the first meeting of the run. One episode gives at most one
reminder and at most one escalation, ever (unique constraints), however often the scan
runs and however many runners there are."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.groups import Group
from safeguarding.models.meetings import Meeting
from safeguarding.models.people import Organisation

# The constitution's defaults (domain.md "Attendance monitoring and escalation letters").
DEFAULT_POLICY = {
    "reminder_after": 2,  # consecutive meetings not represented → reminder
    "escalate_after": 3,  # consecutive meetings not represented → escalation
    "min_rate_percent": 50,  # represented at fewer than this share of held meetings …
    "min_held": 4,  # … when at least this many were held …
    "window_months": 12,  # … in this many months → escalation
    "response_days": 28,  # days the chief executive has to respond
    "resolve_after": 2,  # represented at this many following meetings → resolved
}


class AttendancePolicy(VersionedMixin, TimestampMixin, Base):
    """A group's thresholds. A group without a row uses `DEFAULT_POLICY`."""

    __tablename__ = "attendance_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), unique=True)
    reminder_after: Mapped[int] = mapped_column(default=DEFAULT_POLICY["reminder_after"])
    escalate_after: Mapped[int] = mapped_column(default=DEFAULT_POLICY["escalate_after"])
    min_rate_percent: Mapped[int] = mapped_column(default=DEFAULT_POLICY["min_rate_percent"])
    min_held: Mapped[int] = mapped_column(default=DEFAULT_POLICY["min_held"])
    window_months: Mapped[int] = mapped_column(default=DEFAULT_POLICY["window_months"])
    response_days: Mapped[int] = mapped_column(default=DEFAULT_POLICY["response_days"])
    resolve_after: Mapped[int] = mapped_column(default=DEFAULT_POLICY["resolve_after"])

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<AttendancePolicy {self.id} group={self.group_id}>"


class EscalationState(StrEnum):
    detected = "detected"
    letter_drafted = "letter_drafted"
    letter_approved = "letter_approved"
    sent = "sent"
    response_received = "response_received"
    resolved = "resolved"
    escalated_to_board = "escalated_to_board"
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "detected": "Detected",
            "letter_drafted": "Letter drafted",
            "letter_approved": "Letter approved",
            "sent": "Sent",
            "response_received": "Response received",
            "resolved": "Resolved",
            "escalated_to_board": "Escalated to the Board",
            "withdrawn": "Withdrawn",
        }[self.value]


OPEN_ESCALATION_STATES = (
    EscalationState.detected,
    EscalationState.letter_drafted,
    EscalationState.letter_approved,
    EscalationState.sent,
    EscalationState.response_received,
)
CLOSED_ESCALATION_STATES = (EscalationState.resolved, EscalationState.escalated_to_board, EscalationState.withdrawn)


class EscalationTrigger(StrEnum):
    consecutive = "consecutive"
    low_rate = "low_rate"

    @property
    def label(self) -> str:
        return {
            "consecutive": "Not represented at consecutive meetings",
            "low_rate": "Represented at too few meetings in 12 months",
        }[self.value]


class Escalation(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "escalations"
    __table_args__ = (
        # One episode of non-attendance → one escalation, ever.
        sa.UniqueConstraint("group_id", "organisation_id", "episode_start_meeting_id", name="uq_escalations_episode"),
        sa.Index("ix_escalations_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    episode_start_meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    detected_on: Mapped[date]
    trigger_reason: Mapped[EscalationTrigger] = mapped_column(str_enum(EscalationTrigger, name="escalation_trigger"))
    # The held meetings the organisation was not represented at, when detected:
    # [{"meeting_id": 12, "date": "2026-10-20"}, ...]
    missed_meetings: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Percentage represented over the window, when detected (for the low-rate trigger).
    represented_percent: Mapped[int | None]
    held_in_window: Mapped[int | None]
    state: Mapped[EscalationState] = mapped_column(
        str_enum(EscalationState, name="escalation_state"), default=EscalationState.detected
    )

    # The body of the letter the chair signs (the tables, the constitution's words and
    # the response requested are added when it is rendered).
    letter_text: Mapped[str | None] = mapped_column(sa.Text)
    drafted_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sent_on: Mapped[date | None]
    # The letter as sent, kept.
    sent_pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    sent_docx: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    response_due_on: Mapped[date | None]
    response_received_on: Mapped[date | None]
    response_summary: Mapped[str | None] = mapped_column(sa.Text)
    escalated_on: Mapped[date | None]
    escalation_reason: Mapped[str | None] = mapped_column(sa.Text)
    closed_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)
    episode_start_meeting: Mapped[Meeting] = relationship(lazy="raise")

    @property
    def reference(self) -> str:
        return f"ATT-{self.id:04d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ESCALATION_STATES

    @property
    def missed_dates(self) -> list[date]:
        return [date.fromisoformat(m["date"]) for m in self.missed_meetings or []]

    def __repr__(self) -> str:
        return f"<Escalation {self.id} org={self.organisation_id} group={self.group_id} {self.state}>"


class AttendanceReminder(Base):
    """The business office's reminder to a member (and their deputy) after meetings missed
    in a row; one per episode."""

    __tablename__ = "attendance_reminders"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "organisation_id", "episode_start_meeting_id", name="uq_reminders_episode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    episode_start_meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    sent_on: Mapped[date]
    missed_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
