"""Uploaded files (meeting papers, agency chronologies, evidence), stored outside the web
root and served only through routes that check who may see the record they belong to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from safeguarding.models.base import Base, utcnow


class StoredFile(Base):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the file is for ("meeting_paper", "chronology", "evidence", ...): the feature
    # that serves it checks access through the record that points here.
    purpose: Mapped[str] = mapped_column(sa.String(40))
    original_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    # Relative path under UPLOAD_FOLDER; random, so names never reach the file system.
    storage_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
