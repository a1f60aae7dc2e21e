"""The search index at scale: the generators write in bulk (no flush hook runs), so the
index is rebuilt once at the end, as `flask search reindex` does after bulk data."""

from __future__ import annotations

from safeguarding.extensions import db
from safeguarding.services import search

ORDER = 99  # last: every other generator's records


def generate(ctx) -> None:
    db.session.flush()
    counts = search.reindex(db.session.connection())
    ctx.extra["search_entries"] = sum(counts.values())
