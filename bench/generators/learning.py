"""The learning library at size: 5,000 findings on the benchmark's reviews over ten
years, each with one to three tags from the national taxonomies and one or two agencies
(SQLite's FTS5 index is kept by the migration's triggers as the rows go in)."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Finding, FindingAgency, FindingTag, Reaudit, Review
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
    _reaudits(ctx, now)


def _reaudits(ctx, now) -> None:
    """Re-audits as ten years of the daily job and the office would have left them: each
    recommendation complete for a while has its re-audit — done and rated when it fell due
    more than two months ago (now and then with no evidence of impact, and its follow-up
    scheduled), reminded when it fell due since, scheduled when it is still to come — so
    the job's daily work is a day's, not ten years' at once."""
    from dateutil.relativedelta import relativedelta

    from safeguarding.calendar import today
    from safeguarding.services.learning import reaudits

    on, rows, next_id = today(), [], 1
    for k, s in enumerate(reaudits.standings()):
        if s.stage != "complete" or s.completed_on is None or s.completed_on > on:
            continue
        due = s.completed_on + relativedelta(months=reaudits.months())
        rated = due < on - relativedelta(months=2)
        rating = ("clear", "some", "some", "none")[k % 4] if rated else None
        rows.append(
            {
                "id": next_id,
                "recommendation_id": s.recommendation.id,
                "state": "completed" if rated else "scheduled",
                "scheduled_on": s.completed_on,
                "due_on": due,
                "reminded_on": due if due <= on else None,
                "completed_on": due + relativedelta(days=20) if rated else None,
                "checked": "Case files sampled" if rated else None,
                "rating": rating,
                "evidence": "Audit of ten cases" if rated else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        next_id += 1
        if rating == "none":
            follow = due + relativedelta(months=reaudits.months())
            rows.append(
                {
                    "id": next_id,
                    "recommendation_id": s.recommendation.id,
                    "state": "scheduled",
                    "scheduled_on": due,
                    "due_on": follow,
                    "reminded_on": follow if follow <= on else None,
                    "completed_on": None,
                    "checked": None,
                    "rating": None,
                    "evidence": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            next_id += 1
    ctx.insert(Reaudit.__table__, rows, "re-audits")
