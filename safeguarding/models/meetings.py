"""Meetings and governance: meetings of the Board and its groups, their agendas and
papers, the register of attendance, declarations of interest, decisions and votes,
chair's actions between meetings, and minutes.

Other features read these tables:

- attendance monitoring scans `Attendance` rows of meetings that were *held*
  (`Meeting.is_held`: state `closed` or `inquorate`; an inquorate meeting still took
  place, so who came counts) and asks `Attendance.represented`;
- guards that need "approved by the Board" ask `services.meetings.decisions_for(...)`
  and `decision_stands(...)`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.accounts import User
from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.files import StoredFile
from safeguarding.models.groups import Group, Membership
from safeguarding.models.people import Organisation, Person


class MeetingState(StrEnum):
    scheduled = "scheduled"
    papers_published = "papers_published"
    in_session = "in_session"
    closed = "closed"
    cancelled = "cancelled"
    inquorate = "inquorate"

    @property
    def label(self) -> str:
        return {
            "scheduled": "Scheduled",
            "papers_published": "Papers published",
            "in_session": "In session",
            "closed": "Closed",
            "cancelled": "Cancelled",
            "inquorate": "Inquorate",
        }[self.value]


# A meeting that took place: closed normally, or recorded as inquorate (members came but
# there was no quorum, so it could not proceed). Attendance at both counts.
HELD_STATES = (MeetingState.closed, MeetingState.inquorate)
# Meetings still to happen (or happening): agenda items and apologies may be added.
UPCOMING_STATES = (MeetingState.scheduled, MeetingState.papers_published, MeetingState.in_session)


class MeetingKind(StrEnum):
    ordinary = "ordinary"
    extraordinary = "extraordinary"

    @property
    def label(self) -> str:
        return {"ordinary": "Ordinary meeting", "extraordinary": "Extraordinary meeting"}[self.value]


class AttendanceStatus(StrEnum):
    present = "present"
    deputy_present = "deputy_present"
    apologies = "apologies"
    absent = "absent"

    @property
    def label(self) -> str:
        return {
            "present": "Present",
            "deputy_present": "Deputy present",
            "apologies": "Apologies",
            "absent": "Absent (no apologies)",
        }[self.value]

    @property
    def represented(self) -> bool:
        """The organisation was represented: its member, or a deputy for them, was there."""
        return self in REPRESENTED


REPRESENTED = (AttendanceStatus.present, AttendanceStatus.deputy_present)


class AgendaItemKind(StrEnum):
    apologies = "apologies"
    declarations = "declarations"
    previous_minutes = "previous_minutes"
    action_log = "action_log"
    chair_actions = "chair_actions"
    subgroup_report = "subgroup_report"
    business = "business"

    @property
    def label(self) -> str:
        return {
            "apologies": "Apologies",
            "declarations": "Declarations of interest",
            "previous_minutes": "Minutes of the previous meeting",
            "action_log": "Action log",
            "chair_actions": "Chair's actions for ratification",
            "subgroup_report": "Sub-group report",
            "business": "Item",
        }[self.value]


STANDING_KINDS = (
    AgendaItemKind.apologies,
    AgendaItemKind.declarations,
    AgendaItemKind.previous_minutes,
    AgendaItemKind.action_log,
    AgendaItemKind.chair_actions,
    AgendaItemKind.subgroup_report,
)


class DecisionMethod(StrEnum):
    consensus = "consensus"
    vote = "vote"

    @property
    def label(self) -> str:
        return {"consensus": "By consensus", "vote": "By vote"}[self.value]


class DecisionOutcome(StrEnum):
    agreed = "agreed"
    carried = "carried"
    not_carried = "not_carried"

    @property
    def label(self) -> str:
        return {"agreed": "Agreed", "carried": "Carried", "not_carried": "Not carried"}[self.value]


class VoteChoice(StrEnum):
    for_ = "for"
    against = "against"
    abstain = "abstain"

    @property
    def label(self) -> str:
        return {"for": "For", "against": "Against", "abstain": "Abstain"}[self.value]


class MinutesState(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    ratified = "ratified"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ChairActionStatus(StrEnum):
    awaiting_ratification = "awaiting_ratification"
    ratified = "ratified"
    not_ratified = "not_ratified"

    @property
    def label(self) -> str:
        return {
            "awaiting_ratification": "Awaiting ratification",
            "ratified": "Ratified",
            "not_ratified": "Not ratified",
        }[self.value]


class Meeting(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_meetings_group_date", "group_id", "meeting_date"),
        sa.Index("ix_meetings_state_date", "state", "meeting_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind), default=MeetingKind.ordinary)
    # Extraordinary meetings say what they are for; ordinary ones are named by group and date.
    purpose: Mapped[str | None] = mapped_column(sa.String(300))
    meeting_date: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time] = mapped_column(sa.Time)
    ends_at: Mapped[time] = mapped_column(sa.Time)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    papers_due_on: Mapped[date]
    papers_published_on: Mapped[date | None]
    late_publication_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Chairs the meeting when neither the chair nor the vice chair is there.
    nominated_chair_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    state: Mapped[MeetingState] = mapped_column(
        str_enum(MeetingState, name="meeting_state"), default=MeetingState.scheduled
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    group: Mapped[Group] = relationship(lazy="joined", innerjoin=True)
    nominated_chair: Mapped[Person | None] = relationship(lazy="joined")
    minutes: Mapped[Minutes | None] = relationship(
        primaryjoin="Minutes.meeting_id == Meeting.id", uselist=False, viewonly=True, lazy="select"
    )

    @hybrid_property
    def is_held(self) -> bool:
        """The meeting took place (closed, or recorded as inquorate)."""
        return self.state in HELD_STATES

    @is_held.inplace.expression
    @classmethod
    def _is_held_expression(cls) -> sa.ColumnElement[bool]:
        return cls.state.in_(HELD_STATES)

    @property
    def name(self) -> str:
        """ "Board meeting, 21 April 2020" — no personal names, safe for subjects and logs."""
        from safeguarding.formatting import long_date

        kind = "extraordinary meeting" if self.kind == MeetingKind.extraordinary else "meeting"
        return f"{self.group.short_name} {kind}, {long_date(self.meeting_date)}"

    def __repr__(self) -> str:
        return f"<Meeting {self.id} group={self.group_id} {self.meeting_date}>"


class Attendance(TimestampMixin, Base):
    """One membership's attendance at one meeting. Before the meeting a member may send
    apologies (naming who will come in their place as `deputy_person_id`); on the day
    the business office confirms the register. When a meeting closes (or is recorded as
    inquorate) every membership without a row is recorded `absent`, so a held meeting has
    a complete register."""

    __tablename__ = "attendance"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "membership_id"),
        sa.CheckConstraint(
            "status IN ('deputy_present', 'apologies') OR deputy_person_id IS NULL", name="deputy_only_when_deputising"
        ),
        sa.CheckConstraint(
            "status <> 'deputy_present' OR deputy_person_id IS NOT NULL", name="deputy_present_names_deputy"
        ),
        sa.CheckConstraint(
            "status IN ('present', 'deputy_present') OR (arrived_at IS NULL AND left_at IS NULL)",
            name="times_only_when_present",
        ),
        sa.CheckConstraint("arrived_at IS NULL OR left_at IS NULL OR left_at > arrived_at", name="left_after_arriving"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(str_enum(AttendanceStatus, name="attendance_status"))
    # The deputy who attended (deputy_present) or who is to attend (apologies sent in advance).
    deputy_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(500))
    # For a seat filled at the meeting: when the attendee came in late (none: from the
    # start) and when they left early (none: stayed to the end). Quorum is checked for each
    # decision at the time it was taken.
    arrived_at: Mapped[time | None] = mapped_column(sa.Time)
    left_at: Mapped[time | None] = mapped_column(sa.Time)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    membership: Mapped[Membership] = relationship(lazy="joined", innerjoin=True)
    deputy: Mapped[Person | None] = relationship(lazy="joined")

    @property
    def represented(self) -> bool:
        return self.status in REPRESENTED


class AgendaItem(TimestampMixin, Base):
    """An item on a meeting's agenda. Standing items are added when the meeting is
    scheduled; other features add items about their records (`subject_type`,
    `subject_id`), at most one per subject per meeting."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "subject_type", "subject_id"),
        # The few confidential items (the search's need-to-know on minutes sections).
        sa.Index("ix_agenda_items_restricted", "restricted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[AgendaItemKind] = mapped_column(
        str_enum(AgendaItemKind, name="agenda_item_kind"), default=AgendaItemKind.business
    )
    description: Mapped[str | None] = mapped_column(sa.Text)
    presenter: Mapped[str | None] = mapped_column(sa.String(200))
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    # The sub-group a "report from <sub-group>" slot belongs to.
    group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("groups.id"))
    withdrawn: Mapped[bool] = mapped_column(default=False)
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Confidential business (Part B): only the group's members, the office and the
    # independent chair see the item, its papers and its minutes; others read "Item N was
    # taken in private".
    restricted: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    meeting: Mapped[Meeting] = relationship(lazy="raise")
    group: Mapped[Group | None] = relationship(lazy="joined")

    @property
    def standing(self) -> bool:
        return self.kind in STANDING_KINDS


class AgendaRequest(Base):
    """A subject another feature asked to put before the Board ("the next Board agenda").
    It stays open until a decision on the subject stands, and is placed on the next Board
    meeting that is scheduled, or carried forward when a meeting ends without deciding it."""

    __tablename__ = "agenda_requests"
    __table_args__ = (sa.UniqueConstraint("group_id", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(300))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class Paper(Base):
    __tablename__ = "papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"), unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    stored_file: Mapped[StoredFile] = relationship(lazy="joined", innerjoin=True)


class Declaration(Base):
    """A declaration of interest in an agenda item, made in writing to the chair. The
    person takes no part in the decision on that item."""

    __tablename__ = "declarations"
    __table_args__ = (sa.UniqueConstraint("agenda_item_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    nature: Mapped[str] = mapped_column(sa.Text)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)
    agenda_item: Mapped[AgendaItem] = relationship(lazy="joined", innerjoin=True)


class Decision(Base):
    """A decision on an agenda item, by consensus or by vote (one vote per organisation;
    a tie decided by the chair's casting vote). Interim decisions stand once every
    organisation asked to validate them has done so."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.Index("ix_decisions_subject", "subject_type", "subject_id"),
        sa.CheckConstraint("casting_vote IS NULL OR casting_vote IN ('for', 'against')", name="casting_for_or_against"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    method: Mapped[DecisionMethod] = mapped_column(str_enum(DecisionMethod, name="decision_method"))
    outcome: Mapped[DecisionOutcome] = mapped_column(str_enum(DecisionOutcome, name="decision_outcome"))
    text: Mapped[str] = mapped_column(sa.Text)
    subject_type: Mapped[str | None] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    # Whether the meeting was quorate when the decision was taken, and when that was (none:
    # not given, checked against the register after every recorded departure).
    quorate: Mapped[bool]
    decided_at: Mapped[time | None] = mapped_column(sa.Time)
    interim: Mapped[bool] = mapped_column(default=False)
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    abstentions: Mapped[int] = mapped_column(default=0)
    casting_vote: Mapped[VoteChoice | None] = mapped_column(str_enum(VoteChoice, name="casting_vote_choice"))
    casting_vote_by_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    votes: Mapped[list[DecisionVote]] = relationship(lazy="selectin", order_by="DecisionVote.id")
    validations: Mapped[list[DecisionValidation]] = relationship(lazy="selectin", order_by="DecisionValidation.id")

    @property
    def validated(self) -> bool:
        """Every organisation asked to validate an interim decision has done so."""
        return all(v.validated_at is not None for v in self.validations)


class DecisionVote(Base):
    __tablename__ = "decision_votes"
    __table_args__ = (sa.UniqueConstraint("decision_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    voter_person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    vote: Mapped[VoteChoice] = mapped_column(str_enum(VoteChoice, name="vote_choice"))

    # Not innerjoin: under the decision's LEFT JOIN an inner join makes SQLite materialise
    # every vote.
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class DecisionValidation(Base):
    """An organisation's electronic validation of an interim decision after the meeting."""

    __tablename__ = "decision_validations"
    __table_args__ = (
        sa.UniqueConstraint("decision_id", "organisation_id"),
        sa.Index("ix_decision_validations_pending", "organisation_id", "validated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    validated_at: Mapped[datetime | None]
    validated_by_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    validated_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class MeetingAction(Base):
    """Links an action in the shared log to the agenda item that raised it."""

    __tablename__ = "meeting_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("actions.id"), unique=True)


class Minutes(VersionedMixin, TimestampMixin, Base):
    """The minutes of one meeting, written per agenda item. Immutable once approved:
    corrections are recorded as amendments."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), unique=True)
    state: Mapped[MinutesState] = mapped_column(
        str_enum(MinutesState, name="minutes_state"), default=MinutesState.draft
    )
    drafted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    submitted_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    circulated_at: Mapped[datetime | None]
    ratified_on: Mapped[date | None]
    ratified_at_meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))

    meeting: Mapped[Meeting] = relationship(foreign_keys=[meeting_id], lazy="joined", innerjoin=True)
    ratified_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[ratified_at_meeting_id], lazy="raise")


class MinutesSection(Base):
    __tablename__ = "minutes_sections"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "agenda_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id"), index=True)
    agenda_item_id: Mapped[int] = mapped_column(sa.ForeignKey("agenda_items.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")


class MinutesAmendment(Base):
    """A correction to approved or ratified minutes; the original text is never changed."""

    __tablename__ = "minutes_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(sa.ForeignKey("minutes.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_items.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User | None] = relationship(lazy="joined")


class ChairAction(VersionedMixin, TimestampMixin, Base):
    """An urgent decision the chair (or vice chair) took between meetings after consulting
    the three statutory agencies; the next Board meeting ratifies it."""

    __tablename__ = "chair_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    title: Mapped[str] = mapped_column(sa.String(300))
    decision: Mapped[str] = mapped_column(sa.Text)
    urgency: Mapped[str] = mapped_column(sa.Text)
    decided_on: Mapped[date]
    decided_by_person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[ChairActionStatus] = mapped_column(
        str_enum(ChairActionStatus, name="chair_action_status"), default=ChairActionStatus.awaiting_ratification
    )
    ratified_on: Mapped[date | None]

    decided_by: Mapped[Person] = relationship(lazy="joined", innerjoin=True)
    consultations: Mapped[list[ChairActionConsultation]] = relationship(
        lazy="selectin", order_by="ChairActionConsultation.id"
    )


class ChairActionConsultation(Base):
    __tablename__ = "chair_action_consultations"
    __table_args__ = (sa.UniqueConstraint("chair_action_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chair_action_id: Mapped[int] = mapped_column(sa.ForeignKey("chair_actions.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    # Who was consulted (optional: the agency's view is what matters).
    consulted_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    consulted_on: Mapped[date]
    view: Mapped[str] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    consulted_person: Mapped[Person | None] = relationship(lazy="joined")


@sa.event.listens_for(MinutesSection, "before_update")
@sa.event.listens_for(MinutesSection, "before_insert")
def _sections_of_draft_minutes_only(mapper: object, connection: sa.Connection, target: MinutesSection) -> None:
    """A safety net under the services: once minutes are approved their text never
    changes (a correction is a `MinutesAmendment`)."""
    state = connection.scalar(sa.select(Minutes.__table__.c.state).where(Minutes.__table__.c.id == target.minutes_id))
    if state is not None and MinutesState(state) != MinutesState.draft:
        raise RuntimeError("approved and ratified minutes are immutable: record an amendment")
