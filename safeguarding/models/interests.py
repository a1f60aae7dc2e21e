"""The annual register of interests (the constitution: declarations are made in writing to
the Independent Chair and recorded in a register): each Board member declares their
interests, or makes a nil return, once a financial year."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, utcnow
from safeguarding.models.people import Person


class InterestReturn(Base):
    """One person's return for one financial year (`financial_year` = the year it starts)."""

    __tablename__ = "interest_returns"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "financial_year"),
        sa.CheckConstraint("nil OR interests <> ''", name="interests_or_nil"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    financial_year: Mapped[int] = mapped_column(index=True)
    nil: Mapped[bool] = mapped_column(default=False)
    interests: Mapped[str] = mapped_column(sa.Text, default="")
    declared_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    person: Mapped[Person] = relationship(lazy="joined", innerjoin=True)
