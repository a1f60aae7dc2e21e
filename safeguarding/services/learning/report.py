"""The learning report of a financial year (`GET /api/v1/reports/learning?year=`, and the
annual report's and yearly report's impact sections may read it): findings by theme,
recurrence, recommendations by stage (open / complete / re-audited / embedded) and the
re-audits' impact ratings — not only counts of completed actions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_label
from safeguarding.extensions import db
from safeguarding.models import Finding, FindingTag, ImpactRating, Reaudit, ReauditState
from safeguarding.models.learning import TAG_LABELS
from safeguarding.services.learning.library import Recurrence, recurrence
from safeguarding.services.learning.reaudits import STAGE_LABELS, stage_counts

RECURRENCE_YEARS = 5  # recurrence counts sources in the five calendar years to the year's end


@dataclass
class LearningReport:
    year: int
    label: str
    findings: int
    by_theme: dict[str, int]
    since: int
    recurrence: list[Recurrence]
    stages: dict[str, int]
    ratings: dict[str, int]


def learning_report(year: int) -> LearningReport:
    start, end = financial_year_bounds(year)
    in_year = sa.and_(Finding.found_on >= start, Finding.found_on <= end)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Finding).where(in_year)) or 0
    by_theme = {
        code: n
        for code, n in db.session.execute(
            sa.select(FindingTag.code, sa.func.count(sa.distinct(FindingTag.finding_id)))
            .join(Finding, Finding.id == FindingTag.finding_id)
            .where(in_year)
            .group_by(FindingTag.code)
        )
    }
    stages = stage_counts()
    ratings = dict.fromkeys((r.value for r in ImpactRating), 0)
    for rating, n in db.session.execute(
        sa.select(Reaudit.rating, sa.func.count())
        .where(Reaudit.state == ReauditState.completed, Reaudit.completed_on >= start, Reaudit.completed_on <= end)
        .group_by(Reaudit.rating)
    ):
        ratings[rating.value] = n
    since = end.year - RECURRENCE_YEARS + 1
    return LearningReport(
        year=year,
        label=financial_year_label(year),
        findings=total,
        by_theme=dict(sorted(by_theme.items(), key=lambda kv: (-kv[1], TAG_LABELS.get(kv[0], kv[0])))),
        since=since,
        recurrence=recurrence(since),
        stages=stages,
        ratings=ratings,
    )


def report_csv(report: LearningReport) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "code", "label", "count"])
    w.writerow(["findings", "", f"Findings in {report.label}", report.findings])
    for code, n in report.by_theme.items():
        w.writerow(["theme", code, TAG_LABELS.get(code, code), n])
    for r in report.recurrence:
        w.writerow([f"recurrence_sources_since_{report.since}", r.code, r.label, r.sources])
    for stage, n in report.stages.items():
        w.writerow(["recommendation_stage", stage, STAGE_LABELS[stage], n])
    for rating, n in report.ratings.items():
        w.writerow(["impact_rating", rating, ImpactRating(rating).label, n])
    return out.getvalue()
