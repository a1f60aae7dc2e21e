"""Groups (the Board, the Executive, sub-groups), their memberships and the memorandum
of understanding members sign."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum, utcnow
from safeguarding.models.enums import Area, Arm, GroupKind, MembershipRole
from safeguarding.models.people import Organisation, Person


class Group(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[GroupKind] = mapped_column(str_enum(GroupKind))
    arm: Mapped[Arm] = mapped_column(str_enum(Arm), default=Arm.both)
    area: Mapped[Area] = mapped_column(str_enum(Area), default=Area.both)
    terms_of_reference: Mapped[str | None] = mapped_column(sa.Text)
    tor_last_reviewed_on: Mapped[date | None]
    tor_review_due_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    # Minutes restricted as a whole (viewers never see them): None follows the default —
    # restricted for the groups that discuss cases (the SAR and CSPR sub-groups).
    minutes_restricted: Mapped[bool | None]
    # Quorum: whether each council with a seat must be present for the local-authority
    # seat (default: either council will do).
    each_council_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    memberships: Mapped[list[Membership]] = relationship(back_populates="group", lazy="raise")

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.short_name}>"


class Membership(VersionedMixin, TimestampMixin, Base):
    """A person's seat on a group, for an organisation, with a named deputy."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.CheckConstraint("deputy_person_id IS NULL OR deputy_person_id <> person_id", name="deputy_not_member"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        sa.Index("ix_memberships_group_current", "group_id", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(str_enum(MembershipRole), default=MembershipRole.member)
    deputy_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    notice_given_on: Mapped[date | None]

    group: Mapped[Group] = relationship(back_populates="memberships", lazy="joined")
    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    deputy: Mapped[Person | None] = relationship(foreign_keys=[deputy_person_id], lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def votes(self) -> bool:
        return self.role != MembershipRole.adviser

    def __repr__(self) -> str:
        return f"<Membership {self.id} group={self.group_id} person={self.person_id}>"


class MouVersion(Base):
    """A version of the memorandum of understanding, recorded by the office. The version in
    force is the latest whose `in_force_from` has come; only those who signed it vote."""

    __tablename__ = "mou_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)
    in_force_from: Mapped[date] = mapped_column(index=True)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class MouSignature(Base):
    """A signature of the memorandum of understanding. Only members who have signed may
    vote (constitution: "those with signed memberships")."""

    __tablename__ = "mou_signatures"
    __table_args__ = (sa.UniqueConstraint("person_id", "document_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    document_version: Mapped[str] = mapped_column(sa.String(40))
    signed_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")
