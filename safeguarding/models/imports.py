"""Imports of the office's spreadsheets (issue 21): each upload is checked whole (a dry
run) and kept with its hash and report; only a run with no problems can be committed, and
the commit applies exactly that file. The column mapping used for a kind is saved for next
time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from safeguarding.models.base import Base, utcnow
from safeguarding.models.files import StoredFile


class ImportRun(Base):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # "checked" (no problems: may be committed), "problems", "committed"
    status: Mapped[str] = mapped_column(sa.String(20))
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    headings: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    # Each problem: {"sheet", "row", "column", "message"}
    problems: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    checked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    committed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    committed_at: Mapped[datetime | None]

    stored_file: Mapped[StoredFile] = relationship(lazy="joined")


class ImportMapping(Base):
    """The headings last used for a kind's fields: {field: heading}."""

    __tablename__ = "import_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
