"""The search index (issue 25): one row per searchable record — its title, the text
anyone who may open the record reads (`public_text`), the rest of its text (`body`,
need-to-know), its date and its area.

The rows hold text only, never who may see them: the search decides that when it runs,
with each feature's own visibility rule (`services/search/kinds.py`), so a change of
membership, a review's agencies or a minutes' state needs no reindexing. The service layer
keeps the rows in step on every flush (`services/search/index.py`); `flask search reindex`
rebuilds them all. The full-text objects are written by hand in the migration (names start
`search_fts`): on SQLite an FTS5 table over title, public_text and body (external content)
kept in step by triggers, on PostgreSQL GIN indexes on the English tsvectors."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from safeguarding.models.base import Base


class SearchEntry(Base):
    __tablename__ = "search_entries"
    __table_args__ = (
        sa.UniqueConstraint("record_type", "record_id"),
        sa.Index("ix_search_entries_kind_date", "kind", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The group it is shown in ("meetings", "papers", "minutes", …) and the record itself
    # ("minutes_section" 12 in the group "minutes").
    kind: Mapped[str] = mapped_column(sa.String(20))
    record_type: Mapped[str] = mapped_column(sa.String(30))
    record_id: Mapped[int]
    # The record the link goes to when it is not the record itself (a paper's meeting, a
    # minutes section's minutes).
    link_id: Mapped[int | None]
    title: Mapped[str] = mapped_column(sa.String(300))
    public_text: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    occurred_on: Mapped[date | None]
    area: Mapped[str | None] = mapped_column(sa.String(10))
