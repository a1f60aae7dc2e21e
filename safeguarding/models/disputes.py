"""Disputes between partner organisations (a joint meeting within 28 days of the date the
dispute was determined to exist — constitution) and complaints (about the operation of the
partnership, investigated by the Chair; or about a member organisation's service, referred
to that organisation's own complaints process)."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.accounts import User
from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.people import Organisation, Person


class DisputeState(StrEnum):
    raised = "raised"
    determined = "determined"
    meeting_convened = "meeting_convened"
    agenda_agreed = "agenda_agreed"
    meeting_held = "meeting_held"
    resolved = "resolved"
    escalated = "escalated"
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "raised": "Raised",
            "determined": "Determined",
            "meeting_convened": "Meeting convened",
            "agenda_agreed": "Agenda agreed",
            "meeting_held": "Meeting held",
            "resolved": "Resolved",
            "escalated": "Escalated",
            "withdrawn": "Withdrawn",
        }[self.value]


OPEN_DISPUTE_STATES = (
    DisputeState.raised,
    DisputeState.determined,
    DisputeState.meeting_convened,
    DisputeState.agenda_agreed,
    DisputeState.meeting_held,
)
CLOSED_DISPUTE_STATES = (DisputeState.resolved, DisputeState.escalated, DisputeState.withdrawn)
# Determined, and the joint meeting has not yet taken place: the 28 days are running.
AWAITING_MEETING_STATES = (DisputeState.determined, DisputeState.meeting_convened, DisputeState.agenda_agreed)


class AgendaResponseKind(StrEnum):
    agreed = "agreed"
    changes_proposed = "changes_proposed"

    @property
    def label(self) -> str:
        return {"agreed": "Agreed", "changes_proposed": "Changes proposed"}[self.value]


class Dispute(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "disputes"
    __table_args__ = (
        sa.UniqueConstraint("ref_year", "ref_number"),
        sa.Index("ix_disputes_state_deadline", "state", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # DSP-2026-003: the year it was raised and its number in that year.
    ref_year: Mapped[int]
    ref_number: Mapped[int]
    subject: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text)
    raised_on: Mapped[date]
    raised_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[DisputeState] = mapped_column(
        str_enum(DisputeState, name="dispute_state"), default=DisputeState.raised
    )

    # The date it was determined that the dispute exists; the joint meeting is due within
    # 28 calendar days of it (constitution).
    determined_on: Mapped[date | None]
    deadline: Mapped[date | None]

    # The joint meeting.
    meeting_on: Mapped[date | None]
    meeting_time: Mapped[time | None] = mapped_column(sa.Time)
    meeting_location: Mapped[str | None] = mapped_column(sa.Text)
    chair_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    # Why someone other than the Independent Chair chairs it.
    chair_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Why the meeting is after the deadline (a breach, reported as one).
    late_reason: Mapped[str | None] = mapped_column(sa.Text)

    # The agenda: drafted by the business office; each redraft is a new revision, and
    # parties' responses belong to the revision they answered.
    agenda: Mapped[str | None] = mapped_column(sa.Text)
    agenda_revision: Mapped[int] = mapped_column(default=0)
    agenda_drafted_at: Mapped[datetime | None]

    held_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    escalation_reason: Mapped[str | None] = mapped_column(sa.Text)
    escalated_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)

    # A breach of the 28-day rule: recorded once (when a late date is accepted, or by the
    # daily job on day 29 without a held meeting), with what happened.
    breach_recorded_on: Mapped[date | None]
    breach_note: Mapped[str | None] = mapped_column(sa.Text)
    # The daily job's "7 days left and no meeting convened" alert.
    deadline_alert_sent_on: Mapped[date | None]

    chair_person: Mapped[Person | None] = relationship(lazy="joined")
    raised_by: Mapped[User | None] = relationship(lazy="raise")
    parties: Mapped[list[DisputeParty]] = relationship(
        back_populates="dispute", lazy="raise", order_by="DisputeParty.id"
    )

    @property
    def reference(self) -> str:
        return dispute_reference(self.ref_year, self.ref_number)

    @property
    def breached(self) -> bool:
        return self.breach_recorded_on is not None

    @property
    def deadline_running(self) -> bool:
        """Whether the 28 days still matter (determined, the meeting not yet held)."""
        return self.deadline is not None and self.state in AWAITING_MEETING_STATES

    def __repr__(self) -> str:
        return f"<Dispute {self.id} {self.reference}>"


def dispute_reference(year: int, number: int) -> str:
    return f"DSP-{year}-{number:03d}"


class DisputeParty(Base):
    """An organisation that is a party to a dispute."""

    __tablename__ = "dispute_parties"
    __table_args__ = (sa.UniqueConstraint("dispute_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)

    dispute: Mapped[Dispute] = relationship(back_populates="parties", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class AgendaResponse(Base):
    """A party's response to one revision of a dispute meeting's agenda: agreement, or
    proposed changes (which send the agenda back to the business office to redraft)."""

    __tablename__ = "dispute_agenda_responses"
    __table_args__ = (sa.Index("ix_dispute_agenda_responses_dispute", "dispute_id", "agenda_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(sa.ForeignKey("disputes.id"))
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("dispute_parties.id"))
    agenda_revision: Mapped[int]
    response: Mapped[AgendaResponseKind] = mapped_column(str_enum(AgendaResponseKind, name="agenda_response"))
    changes: Mapped[str | None] = mapped_column(sa.Text)
    by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    party: Mapped[DisputeParty] = relationship(lazy="joined")
    by: Mapped[User | None] = relationship(lazy="joined")


class ComplaintKind(StrEnum):
    partnership = "partnership"
    member_service = "member_service"

    @property
    def label(self) -> str:
        return {
            "partnership": "About the operation of the partnership",
            "member_service": "About a member organisation's service",
        }[self.value]

    @property
    def short_label(self) -> str:
        return {"partnership": "The partnership", "member_service": "A member's service"}[self.value]


class ComplaintState(StrEnum):
    received = "received"
    investigating = "investigating"
    responded = "responded"
    closed = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ResponseMethod(StrEnum):
    email = "email"
    letter = "letter"
    telephone = "telephone"
    meeting = "meeting"

    @property
    def label(self) -> str:
        return {"email": "Email", "letter": "Letter", "telephone": "Telephone", "meeting": "In a meeting"}[self.value]


class Complaint(VersionedMixin, TimestampMixin, Base):
    """A complaint. The complainant's name and contact are held for the response and shown
    only on the complaint's own page (never in lists or email subjects)."""

    __tablename__ = "complaints"
    __table_args__ = (
        sa.UniqueConstraint("ref_year", "ref_number"),
        sa.Index("ix_complaints_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref_year: Mapped[int]
    ref_number: Mapped[int]
    kind: Mapped[ComplaintKind] = mapped_column(str_enum(ComplaintKind, name="complaint_kind"))
    received_on: Mapped[date]
    complainant_name: Mapped[str] = mapped_column(sa.String(200))
    complainant_contact: Mapped[str] = mapped_column(sa.String(320))
    summary: Mapped[str] = mapped_column(sa.Text)
    # The member organisation whose service the complaint is about.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    # Complaints about the partnership go to the Chair, who investigates.
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    logged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[ComplaintState] = mapped_column(
        str_enum(ComplaintState, name="complaint_state"), default=ComplaintState.received
    )

    investigation_started_on: Mapped[date | None]
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    responded_on: Mapped[date | None]
    response_method: Mapped[ResponseMethod | None] = mapped_column(str_enum(ResponseMethod, name="response_method"))
    # A complaint about a member's service: referred to its own complaints process.
    referred_on: Mapped[date | None]
    organisation_notified_at: Mapped[datetime | None]
    closed_on: Mapped[date | None]

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    assigned_to: Mapped[User | None] = relationship(lazy="select", foreign_keys=[assigned_to_id])

    @property
    def reference(self) -> str:
        return f"CMP-{self.ref_year}-{self.ref_number:03d}"

    def __repr__(self) -> str:
        return f"<Complaint {self.id} {self.reference}>"
