"""Extra closure days the business office adds to the working-day calendar."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from safeguarding.models.base import Base, TimestampMixin


class ClosureDay(TimestampMixin, Base):
    __tablename__ = "closure_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    reason: Mapped[str] = mapped_column(sa.String(200))
    # Removed closure days are kept (nothing is hard-deleted) but no longer count.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
