"""The learning library at size: 5,000 findings on the benchmark's reviews over ten
years, each with one to three tags from the national taxonomies and one or two agencies
(SQLite's FTS5 index is kept by the migration's triggers as the rows go in)."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Finding, FindingAgency, FindingTag, Review
from safeguarding.models.base import utcnow
from safeguarding.models.learning import ABUSE_TYPES, PANEL_THEMES, PRACTICE_DOMAINS, TAG_LABELS, TAG_TAXONOMY

ORDER = 55  # after the reviews (50)
WORDS = (
    "information sharing between agencies was delayed",
    "the risk assessment did not consider the history",
    "the person declined support and the case was closed",
    "hoarding and fire risk were not referred",
    "the voice of the child was not recorded",
    "mental capacity was assumed rather than assessed",
    "professional curiosity about who lived in the household",
    "escalation to senior managers did not happen",
)


def generate(ctx) -> None:
    rng = ctx.rng
    now = utcnow()
    reviews = db.session.execute(
        sa.select(Review.id, Review.kind, Review.reference, Review.area, Review.received_on).order_by(Review.id)
    ).all()
    if not reviews:
        return
    org_ids = ctx.ids["organisations"]
    n = ctx.n(5_000)
    findings, tags, agencies = [], [], []
    for i in range(n):
        rid, kind, reference, area, received = reviews[i % len(reviews)]
        adults = kind == "sar"
        codes = (
            [rng.choice(list(ABUSE_TYPES)), rng.choice(list(PRACTICE_DOMAINS))]
            if adults
            else rng.sample(list(PANEL_THEMES), rng.randint(1, 3))
        )
        text = rng.choice(WORDS)
        public = f"{text.capitalize()}."
        keywords = [rng.choice(("hoarding", "discharge", "neglect", "strategy", "safer sleep"))]
        search_public = " ".join([public, *keywords, *(TAG_LABELS[c] for c in codes)])
        fid = i + 1
        findings.append(
            {
                "id": fid,
                "source_kind": "sar" if adults else rng.choice(("rapid_review", "lcspr")),
                "review_id": rid,
                "source_key": f"review:{rid}",
                "source_reference": reference,
                "arm": "adults" if adults else "children",
                "area": area,
                "found_on": received,
                "statement": f"In case {reference}: {text}.",
                "public_statement": public,
                "keywords": keywords,
                "search_public": search_public,
                "search_full": f"In case {reference}: {text}. {search_public}",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        tags += [{"finding_id": fid, "taxonomy": TAG_TAXONOMY[c].value, "code": c} for c in codes]
        agencies += [{"finding_id": fid, "organisation_id": o} for o in rng.sample(org_ids, 2)]
    ctx.insert(Finding.__table__, findings, "findings")
    ctx.insert(FindingTag.__table__, tags, "finding tags")
    ctx.insert(FindingAgency.__table__, agencies, "finding agencies")
