"""Learning briefings at size: 400 briefings of the benchmark's reviews (most published,
some drafts), each published one confirmed by a few organisations."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import BriefingConfirmation, LearningBriefing, Review
from safeguarding.models.base import utcnow

ORDER = 56  # after the learning library (55)


def generate(ctx) -> None:
    rng = ctx.rng
    now = utcnow()
    reviews = db.session.execute(
        sa.select(Review.id, Review.kind, Review.reference, Review.group_id, Review.received_on).order_by(Review.id)
    ).all()
    if not reviews:
        return
    org_ids = ctx.ids["organisations"]
    n = ctx.n(400)
    rows, confirmations = [], []
    for i in range(n):
        rid, kind, reference, group_id, received = reviews[i % len(reviews)]
        published = i % 8 != 0
        published_on = received + timedelta(days=300) if published else None
        bid = i + 1
        rows.append(
            {
                "id": bid,
                "review_id": rid,
                "source_reference": reference,
                "source_label": "Safeguarding Adults Review" if kind == "sar" else "Child Safeguarding Practice Review",
                "group_id": group_id,
                "arm": "adults" if kind == "sar" else "children",
                "title": f"7-minute briefing: {reference}",
                "background": f"This briefing shares the learning from {reference}.",
                "what_happened": "- Information about risk was not shared between agencies.",
                "learning": "Themes: Multi-agency information sharing.",
                "what_to_do": "- Who else needs to know what you know, and have you told them?",
                "resources": "The partnership's learning library.",
                "state": "published" if published else "draft",
                "published_on": published_on,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        if published:
            for org in rng.sample(org_ids, min(len(org_ids), rng.randint(1, 5))):
                confirmations.append(
                    {
                        "briefing_id": bid,
                        "organisation_id": org,
                        "confirmed_on": published_on + timedelta(days=rng.randint(1, 60)),
                        "how_shared": "Team meetings",
                        "by_office": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    ctx.insert(LearningBriefing.__table__, rows, "learning briefings")
    ctx.insert(BriefingConfirmation.__table__, confirmations, "briefing confirmations")
