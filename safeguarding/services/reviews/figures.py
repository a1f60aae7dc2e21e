"""Timeliness: the year's case review figures for the timeliness report and the annual
report, and the reviews behind them."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import LONDON, financial_year_bounds, financial_year_label
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    ActionStatus,
    Area,
    Organisation,
    Review,
    ReviewKind,
    ReviewOutcome,
    ReviewPause,
    ReviewRecommendation,
    WorkflowHistory,
)
from safeguarding.services.reviews.deadlines import elapsed_days, pauses_of

# --- timeliness: the figures the annual report needs ------------------------------------------------


def _stats(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median_days": None, "min_days": None, "max_days": None}
    median = statistics.median(values)
    return {
        "count": len(values),
        "median_days": int(median) if float(median).is_integer() else round(median, 1),
        "min_days": min(values),
        "max_days": max(values),
    }


def _in(d: date | None, start: date, end: date) -> bool:
    return d is not None and start <= d <= end


def _area_clause(area: Area | str | None) -> sa.ColumnElement[bool]:
    return Review.area == Area(area) if area else sa.true()


def timeliness(financial_year: int, area: Area | str | None = None) -> dict[str, Any]:
    """The year's case review figures, for the timeliness report and the annual report.

    `financial_year` is the calendar year the financial year starts in (2020 for 2020/21,
    1 April 2020 – 31 March 2021); `area` limits the figures to reviews recorded for that
    area (north, west or both: exact match, so the three areas add up to the whole).
    Elapsed times are calendar days with paused time left out. Returns::

        {"financial_year": 2020, "label": "2020-21", "area": "north" | None,
         "from": date, "to": date,
         "referrals_received": {"sar": n, "cspr": n},        # received in the year
         "decisions": {"sar": {"mandatory": n, "discretionary": n, "not_commissioned": n},
                       "cspr": {"lcspr": n, "not_commissioned": n}},   # decided in the year
         "sars_commissioned": {"mandatory": n, "discretionary": n, "total": n},
         "lcsprs_commissioned": n,
         "reviews_completed": {"sar": n, "cspr": n},   # publication decided in the year
         "ongoing_at_year_end": {"sar": n, "cspr": n},  # commissioned, not completed by 31 March
         "timeliness": {"referral_to_decision" | "decision_to_draft" | "draft_to_publication":
                         {"sar": stats, "cspr": stats}},
             # stats = {"count", "median_days", "min_days", "max_days"}; a review counts in the
             # year its later event happened (a SAR's referral is the date it was received, a
             # CSPR's the date the local authority became aware)
         "actions": {"implemented": n, "not_implemented": n,   # closed in the year
                     "not_implemented_reasons": [{"reference", "action_id", "title",
                                                  "organisation", "reason", "closed_on"}]}}
    """
    key = Area(area) if area else None
    return timeliness_by_area(financial_year, [key])[key]


def timeliness_by_area(
    financial_year: int, areas: Sequence[Area | None] = (None, *Area)
) -> dict[Area | None, dict[str, Any]]:
    """`timeliness` for several areas at once (None: all areas), from one set of queries."""
    start, end = financial_year_bounds(financial_year)
    # Only the reviews that count in the year: an event in it, or commissioned and still
    # going at its end (not all ten years' history).
    rows = list(
        db.session.execute(
            sa.select(
                Review.id,
                Review.kind,
                Review.area,
                Review.received_on,
                Review.decision,
                Review.decided_on,
                Review.draft_received_on,
                Review.publication_decided_on,
                Review.published_on,
            ).where(
                Review.received_on <= end,
                sa.or_(
                    Review.received_on.between(start, end),
                    Review.decided_on.between(start, end),
                    Review.draft_received_on.between(start, end),
                    Review.publication_decided_on.between(start, end),
                    sa.and_(
                        Review.decision.is_not(None),
                        Review.decided_on <= end,
                        sa.or_(Review.publication_decided_on.is_(None), Review.publication_decided_on > end),
                    ),
                ),
            )
        )
    )
    pauses = pauses_of([r.id for r in rows])
    actions = _action_outcomes(start, end)
    return {
        area: _figures(
            financial_year,
            start,
            end,
            area,
            [r for r in rows if area is None or Area(r.area) == area],
            pauses,
            [a for a in actions if area is None or a["area"] == area],
        )
        for area in areas
    }


def _figures(
    financial_year: int,
    start: date,
    end: date,
    area: Area | None,
    rows: list[Any],
    pauses: dict[int, list[ReviewPause]],
    actions: list[dict[str, Any]],
) -> dict[str, Any]:
    kinds = ("sar", "cspr")
    received = dict.fromkeys(kinds, 0)
    completed = dict.fromkeys(kinds, 0)
    ongoing = dict.fromkeys(kinds, 0)
    decisions = {
        "sar": {"mandatory": 0, "discretionary": 0, "not_commissioned": 0},
        "cspr": {"lcspr": 0, "not_commissioned": 0},
    }
    measures: dict[str, dict[str, list[int]]] = {
        m: {k: [] for k in kinds} for m in ("referral_to_decision", "decision_to_draft", "draft_to_publication")
    }
    for r in rows:
        k = ReviewKind(r.kind).value
        p = pauses.get(r.id, [])
        if _in(r.received_on, start, end):
            received[k] += 1
        if _in(r.decided_on, start, end) and r.decision is not None:
            decisions[k][ReviewOutcome(r.decision).value] += 1
            measures["referral_to_decision"][k].append(elapsed_days(r.received_on, r.decided_on, p))
        if _in(r.draft_received_on, start, end) and r.decided_on:
            measures["decision_to_draft"][k].append(elapsed_days(r.decided_on, r.draft_received_on, p))
        if _in(r.publication_decided_on, start, end):
            completed[k] += 1
            if r.draft_received_on:
                concluded = r.published_on or r.publication_decided_on
                measures["draft_to_publication"][k].append(elapsed_days(r.draft_received_on, concluded, p))
        commissioned = r.decision is not None and ReviewOutcome(r.decision).commissions
        if (
            commissioned
            and r.decided_on
            and r.decided_on <= end
            and not (r.publication_decided_on and r.publication_decided_on <= end)
        ):
            ongoing[k] += 1
    sar = decisions["sar"]
    reasons = [
        {k: v for k, v in a.items() if k not in ("area", "status")}
        for a in actions
        if a["status"] == ActionStatus.not_implemented
    ]
    return {
        "financial_year": financial_year,
        "label": financial_year_label(financial_year),
        "area": area.value if area else None,
        "from": start,
        "to": end,
        "referrals_received": received,
        "decisions": decisions,
        "sars_commissioned": {
            "mandatory": sar["mandatory"],
            "discretionary": sar["discretionary"],
            "total": sar["mandatory"] + sar["discretionary"],
        },
        "lcsprs_commissioned": decisions["cspr"]["lcspr"],
        "reviews_completed": completed,
        "ongoing_at_year_end": ongoing,
        "timeliness": {m: {k: _stats(v) for k, v in by_kind.items()} for m, by_kind in measures.items()},
        "actions": {
            "implemented": sum(1 for a in actions if a["status"] == ActionStatus.completed),
            "not_implemented": len(reasons),
            "not_implemented_reasons": reasons,
        },
    }


def _action_outcomes(start: date, end: date) -> list[dict[str, Any]]:
    """Review actions completed, or accepted as not implemented, in [start, end]: the
    completed ones counted per area, the others with their reasons."""
    start_at = datetime.combine(start, time.min, LONDON).astimezone(UTC)
    end_at = datetime.combine(end + timedelta(days=1), time.min, LONDON).astimezone(UTC)
    base = (
        sa.select(Review.area)
        .select_from(Action)
        .join(ReviewRecommendation, ReviewRecommendation.id == Action.source_id)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .where(Action.source_type == ActionSource.review)
    )
    out: list[dict[str, Any]] = []
    for area, n in db.session.execute(
        base.add_columns(sa.func.count())
        .where(Action.status == ActionStatus.completed, Action.completed_on.between(start, end))
        .group_by(Review.area)
    ):
        out += [{"area": Area(area), "status": ActionStatus.completed}] * n
    closed_at = (
        sa.select(sa.func.max(WorkflowHistory.at))
        .where(
            WorkflowHistory.lifecycle == "action",
            WorkflowHistory.entity_id == Action.id,
            WorkflowHistory.to_state == ActionStatus.not_implemented.value,
        )
        .scalar_subquery()
    )
    stmt = (
        base.add_columns(
            Action.id,
            Action.title,
            Action.closure_reason,
            Organisation.short_name,
            Review.reference,
            closed_at.label("closed_at"),
        )
        .join(Organisation, Organisation.id == Action.owner_organisation_id)
        .where(Action.status == ActionStatus.not_implemented, closed_at >= start_at, closed_at < end_at)
        .order_by(Review.reference, Action.id)
    )
    for row in db.session.execute(stmt):
        at = row.closed_at if row.closed_at.tzinfo else row.closed_at.replace(tzinfo=UTC)
        out.append(
            {
                "reference": row.reference,
                "action_id": row.id,
                "title": row.title,
                "organisation": row.short_name,
                "reason": row.closure_reason,
                "closed_on": at.astimezone(LONDON).date(),
                "area": Area(row.area),
                "status": ActionStatus.not_implemented,
            }
        )
    return out


def concluded_reviews(
    financial_year: int, area: Area | str | None = None, kind: ReviewKind | str | None = None
) -> list[Review]:
    """Reviews whose publication was decided in the year (the annual report's "SARs
    concluded in the year")."""
    start, end = financial_year_bounds(financial_year)
    stmt = sa.select(Review).where(_area_clause(area), Review.publication_decided_on.between(start, end))
    if kind:
        stmt = stmt.where(Review.kind == ReviewKind(kind))
    return list(db.session.scalars(stmt.order_by(Review.publication_decided_on, Review.id)))


def ongoing_at(on: date, area: Area | str | None = None, kind: ReviewKind | str | None = None) -> list[Review]:
    """Reviews commissioned on or before `on` whose publication was not yet decided (the
    annual report's "SARs ongoing at year end")."""
    stmt = sa.select(Review).where(
        _area_clause(area),
        Review.decision.in_([ReviewOutcome.mandatory, ReviewOutcome.discretionary, ReviewOutcome.lcspr]),
        Review.decided_on <= on,
        sa.or_(Review.publication_decided_on.is_(None), Review.publication_decided_on > on),
    )
    if kind:
        stmt = stmt.where(Review.kind == ReviewKind(kind))
    return list(db.session.scalars(stmt.order_by(Review.decided_on, Review.id)))
