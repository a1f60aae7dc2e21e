"""The annual report's (Care Act 2014 Schedule 2) and the children's yearly report's
account of impact: re-audits and their ratings, recommendations embedded, recurring
themes — not only counts of completed actions. A data section of both reports."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title
from safeguarding.extensions import db
from safeguarding.models import Area, Arm, Finding, ImpactRating, Reaudit, ReauditState, Review, ReviewKind
from safeguarding.models import ReviewRecommendation as Rec
from safeguarding.services.annual_sections.common import _plural, _scope
from safeguarding.services.annual_sections.registry import Figure, SectionData, Table, section
from safeguarding.services.learning.library import recurrence
from safeguarding.services.learning.reaudits import stage_counts

KIND_OF_ARM = {"adults": ReviewKind.sar, "children": ReviewKind.cspr}


def _review_filter(arm: str | None, area: str | None) -> list:
    where = []
    if arm:
        where.append(Review.kind == KIND_OF_ARM[arm])
    if area:
        where.append(Review.area == Area(area))
    return where


@section(
    "learning_impact",
    42,
    "Learning from reviews and its impact",
    breakdown=("arm", "area"),
    reports=("adults", "children"),
)
def learning_impact_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    start, end = financial_year_bounds(year)
    found = [Finding.found_on >= start, Finding.found_on <= end]
    if arm:
        found.append(Finding.arm == Arm(arm))
    if area:
        found.append(Finding.area == Area(area))
    findings = db.session.scalar(sa.select(sa.func.count()).select_from(Finding).where(*found)) or 0
    rows = db.session.execute(
        sa.select(Reaudit, Rec.number, Review.reference)
        .join(Rec, Rec.id == Reaudit.recommendation_id)
        .join(Review, Review.id == Rec.review_id)
        .where(
            Reaudit.state == ReauditState.completed,
            Reaudit.completed_on >= start,
            Reaudit.completed_on <= end,
            *_review_filter(arm, area),
        )
        .order_by(Reaudit.completed_on, Reaudit.id)
    ).all()
    ratings = {r: sum(1 for a, _, _ in rows if a.rating is r) for r in ImpactRating}
    where = sa.and_(*_review_filter(arm, area)) if (arm or area) else None
    stages = stage_counts(where)
    since = end.year - 4
    recurring = [r for r in recurrence(since) if r.sources > 1]
    figures = [
        Figure("findings", "Findings recorded in the year", findings),
        Figure("reaudits", "Re-audits in the year", len(rows)),
        Figure("clear", "Re-audits finding clear impact", ratings[ImpactRating.clear]),
        Figure("some", "Re-audits finding some impact", ratings[ImpactRating.some]),
        Figure("none", "Re-audits finding no evidence of impact", ratings[ImpactRating.none]),
        Figure("embedded", "Recommendations embedded (some or clear impact)", stages["embedded"]),
        Figure("awaiting", "Recommendations complete, awaiting re-audit", stages["complete"]),
    ]
    tables = [
        Table(
            "Re-audits in the year and their impact",
            ["Review", "Recommendation", "Impact", "Evidence"],
            [[ref, number, a.rating.label if a.rating else "", a.evidence or ""] for a, number, ref in rows],
            ["text", "number", "text", "text"],
        ),
        Table(
            f"Themes found by more than one review or audit since {since}",
            ["Theme", "Sources", "Findings"],
            [[r.label, r.sources, r.findings] for r in recurring],
            ["text", "number", "number"],
        ),
    ]
    summary = (
        f"In {financial_year_title(year)}{_scope(arm, area)} {_plural(findings, 'finding')} of reviews and audits "
        f"{'was' if findings == 1 else 'were'} recorded and {_plural(len(rows), 're-audit')} tested whether "
        f"practice had changed: {ratings[ImpactRating.clear]} found clear impact, {ratings[ImpactRating.some]} some "
        f"and {ratings[ImpactRating.none]} no evidence of impact. {_plural(stages['embedded'], 'recommendation')} "
        "so far shows the change embedded."
    )
    return SectionData(figures, tables, [], summary)
