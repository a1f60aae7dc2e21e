"""Organisations (partners) and the people who represent them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, TimestampMixin, VersionedMixin, str_enum
from safeguarding.models.enums import (
    STATUTORY_KINDS,
    Area,
    OrganisationKind,
    PartnershipState,
)


class Organisation(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    area: Mapped[Area] = mapped_column(str_enum(Area), default=Area.both)
    statutory_adults: Mapped[bool] = mapped_column(default=False)
    statutory_children: Mapped[bool] = mapped_column(default=False)

    # Escalation letters go to the chief executive.
    chief_executive_name: Mapped[str | None] = mapped_column(sa.String(200))
    chief_executive_title: Mapped[str | None] = mapped_column(sa.String(200))
    chief_executive_email: Mapped[str | None] = mapped_column(sa.String(320))
    chief_executive_address: Mapped[str | None] = mapped_column(sa.Text)

    safeguarding_lead_name: Mapped[str | None] = mapped_column(sa.String(200))
    safeguarding_lead_email: Mapped[str | None] = mapped_column(sa.String(320))

    state: Mapped[PartnershipState] = mapped_column(
        str_enum(PartnershipState, name="partnership_state"), default=PartnershipState.proposed
    )
    joined_on: Mapped[date | None]
    notice_given_on: Mapped[date | None]
    leaving_on: Mapped[date | None]
    left_on: Mapped[date | None]

    people: Mapped[list[Person]] = relationship(back_populates="organisation", lazy="raise")

    @property
    def is_statutory(self) -> bool:
        return self.kind in STATUTORY_KINDS and (self.statutory_adults or self.statutory_children)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.short_name}>"


class Person(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(320), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people", lazy="joined")

    def __repr__(self) -> str:
        return f"<Person {self.id}>"
