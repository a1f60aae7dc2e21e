"""The annual report's built-in sections: Safeguarding Adults Reviews and Child Safeguarding
Practice Reviews."""

from __future__ import annotations

from collections import Counter, defaultdict

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, financial_year_title, working_days
from safeguarding.extensions import db
from safeguarding.models import Action, ActionStatus, Area, Review, ReviewKind, ReviewOutcome
from safeguarding.models.reviews import ReviewRecommendation
from safeguarding.services import reviews as reviews_svc
from safeguarding.services.annual_sections.common import _pct, _plural, _scope
from safeguarding.services.annual_sections.registry import Figure, SectionData, Table, section

# --- Safeguarding Adults Reviews ---------------------------------------------------------------


def _reviews(kind: ReviewKind, year: int, area: str | None) -> list[Review]:
    _, end = financial_year_bounds(year)
    stmt = sa.select(Review).where(Review.kind == kind, Review.received_on <= end)
    if area:
        stmt = stmt.where(Review.area == Area(area))
    return list(db.session.scalars(stmt.order_by(Review.reference)))


def _between(d, start, end) -> bool:
    return d is not None and start <= d <= end


def _recommendations(review_ids: list[int]) -> dict[int, list[ReviewRecommendation]]:
    out: dict[int, list[ReviewRecommendation]] = defaultdict(list)
    if review_ids:
        for rec in db.session.scalars(
            sa.select(ReviewRecommendation)
            .where(ReviewRecommendation.review_id.in_(review_ids))
            .order_by(ReviewRecommendation.number)
        ):
            out[rec.review_id].append(rec)
    return out


def _action_status_by_review(review_ids: list[int]) -> dict[int, Counter]:
    out: dict[int, Counter] = defaultdict(Counter)
    if review_ids:
        rows = db.session.execute(
            sa.select(ReviewRecommendation.review_id, Action.status, sa.func.count())
            .join(ReviewRecommendation, ReviewRecommendation.id == Action.source_id)
            .where(Action.source_type == "review", ReviewRecommendation.review_id.in_(review_ids))
            .group_by(ReviewRecommendation.review_id, Action.status)
        )
        for review_id, status, n in rows:
            out[review_id][ActionStatus(status).value] += n
    return out


@section("sars", 50, "Safeguarding Adults Reviews", breakdown=("arm", "area"), arms=("adults",))
def sars_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    """Care Act 2014 Schedule 2 para 4 (d)–(g): findings of SARs concluded in the year,
    SARs ongoing at year end, what was done to implement findings, reasons for not
    implementing a finding; with referrals by source, decisions and timeliness."""
    if arm == "children":
        return SectionData(summary="Safeguarding Adults Reviews concern adults.")
    start, end = financial_year_bounds(year)
    t = reviews_svc.timeliness(year, area)
    reviews = _reviews(ReviewKind.sar, year, area)
    received = [r for r in reviews if _between(r.received_on, start, end)]
    sources = Counter(r.referral_source.strip() or "Not recorded" for r in received)
    decided = [r for r in reviews if _between(r.decided_on, start, end) and r.decision is not None]
    concluded = [r for r in reviews if _between(r.publication_decided_on, start, end)]
    ongoing = [
        r
        for r in reviews
        if r.decision is not None
        and ReviewOutcome(r.decision).commissions
        and r.decided_on
        and r.decided_on <= end
        and not (r.publication_decided_on and r.publication_decided_on <= end)
    ]
    recs = _recommendations([r.id for r in concluded])
    statuses = _action_status_by_review([r.id for r in concluded + ongoing])
    d = t["decisions"]["sar"]
    actions = t["actions"]
    timing = t["timeliness"]
    figures = [
        Figure("referrals", "Referrals received", len(received)),
        Figure("mandatory", "Decided: mandatory SAR", d["mandatory"]),
        Figure("discretionary", "Decided: discretionary SAR", d["discretionary"]),
        Figure("not_commissioned", "Decided: not commissioned", d["not_commissioned"]),
        Figure("concluded", "SARs concluded in the year", len(concluded)),
        Figure("ongoing", "SARs ongoing at year end", len(ongoing)),
        Figure("findings", "Findings of SARs concluded", sum(len(recs[r.id]) for r in concluded)),
        Figure("actions_implemented", "Actions implemented in the year", actions["implemented"]),
        Figure("actions_not_implemented", "Decisions not to implement a finding", actions["not_implemented"]),
        Figure(
            "median_referral_to_decision",
            "Median days from referral to decision",
            timing["referral_to_decision"]["sar"]["median_days"],
            "days",
        ),
    ]
    tables = [
        Table(
            "Referrals by source",
            ["Source", "Referrals"],
            [[s, n] for s, n in sorted(sources.items())],
            ["text", "number"],
        ),
        Table(
            "Decisions made in the year",
            ["Review", "Decision", "Reason"],
            [[r.reference, ReviewOutcome(r.decision).label, r.decision_reason or ""] for r in decided],
            ["text", "text", "text"],
        ),
        Table(
            "Findings of SARs concluded in the year (Schedule 2 (d))",
            ["Review", "Finding"],
            [[r.reference, f"{rec.number}. {rec.text}"] for r in concluded for rec in recs[r.id]],
            ["text", "text"],
        ),
        Table(
            "SARs ongoing at year end (Schedule 2 (e))",
            ["Review", "Decided on", "Stage"],
            [[r.reference, r.decided_on.isoformat() if r.decided_on else "", r.state.label] for r in ongoing],
            ["text", "date", "text"],
        ),
        Table(
            "What was done to implement findings (Schedule 2 (f))",
            ["Review", "Actions completed", "Actions open", "Not implemented"],
            [
                [
                    r.reference,
                    statuses[r.id]["completed"],
                    statuses[r.id]["open"] + statuses[r.id]["in_progress"] + statuses[r.id]["completion_claimed"],
                    statuses[r.id]["not_implemented"],
                ]
                for r in concluded + ongoing
            ],
            ["text", "number", "number", "number"],
        ),
        Table(
            "Reasons for decisions not to implement a finding (Schedule 2 (g))",
            ["Review", "Action", "Organisation", "Reason"],
            [
                [a["reference"], a["title"], a["organisation"], a["reason"] or ""]
                for a in actions["not_implemented_reasons"]
            ],
            ["text", "text", "text", "text"],
        ),
        Table(
            "Timeliness (median days, paused time left out)",
            ["Stage", "Reviews", "Median days"],
            [
                [label, timing[m]["sar"]["count"], timing[m]["sar"]["median_days"]]
                for m, label in (
                    ("referral_to_decision", "Referral to decision"),
                    ("decision_to_draft", "Decision to draft report"),
                    ("draft_to_publication", "Draft report to publication"),
                )
            ],
            ["text", "number", "days"],
        ),
    ]
    summary = (
        f"The partnership received {_plural(len(received), 'referral')} for a Safeguarding Adults Review"
        f"{_scope(None, area)} in {financial_year_title(year)} and commissioned "
        f"{d['mandatory'] + d['discretionary']} ({d['mandatory']} mandatory, {d['discretionary']} "
        f"discretionary); {d['not_commissioned']} did not meet the criteria or were not commissioned. "
        f"{_plural(len(concluded), 'SAR')} concluded in the year with "
        f"{_plural(figures[6].value or 0, 'finding')}; {len(ongoing)} {'was' if len(ongoing) == 1 else 'were'} "
        f"ongoing at the end of the year. {_plural(actions['implemented'], 'action')} to implement findings "
        f"{'was' if actions['implemented'] == 1 else 'were'} completed"
        + (
            f", and {actions['not_implemented']} {'was' if actions['not_implemented'] == 1 else 'were'} "
            f"not implemented, for the reasons given."
            if actions["not_implemented"]
            else "."
        )
    )
    return SectionData(figures, tables, [], summary)


# --- Child Safeguarding Practice Reviews ------------------------------------------------------------


@section("csprs", 60, "Child Safeguarding Practice Reviews", breakdown=("arm", "area"), arms=("children",))
def csprs_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    if arm == "adults":
        return SectionData(summary="Child Safeguarding Practice Reviews concern children.")
    start, end = financial_year_bounds(year)
    reviews = _reviews(ReviewKind.cspr, year, area)
    cal = working_days()
    notified = [r for r in reviews if _between(r.notified_on, start, end)]
    rapid = [r for r in reviews if _between(r.rapid_review_sent_on, start, end)]
    in_time = [r for r in rapid if r.notified_on and r.rapid_review_sent_on <= cal.add(r.notified_on, 15)]
    commissioned = [r for r in reviews if _between(r.decided_on, start, end) and r.decision == ReviewOutcome.lcspr]
    published = [r for r in reviews if _between(r.published_on, start, end)]
    figures = [
        Figure("notifications", "Serious incidents notified to the national panel", len(notified)),
        Figure("rapid_reviews", "Rapid reviews completed", len(rapid)),
        Figure("rapid_in_time", "Rapid reviews within 15 working days", len(in_time)),
        Figure("rapid_in_time_rate", "Rapid reviews on time", _pct(len(in_time), len(rapid)), "percent"),
        Figure("lcsprs_commissioned", "Local reviews (LCSPRs) commissioned", len(commissioned)),
        Figure("lcsprs_published", "LCSPRs published", len(published)),
    ]
    tables = [
        Table(
            "Rapid reviews in the year",
            ["Review", "Notified on", "Rapid review sent on", "Within 15 working days"],
            [
                [
                    r.reference,
                    r.notified_on.isoformat() if r.notified_on else "",
                    r.rapid_review_sent_on.isoformat(),
                    "Yes" if r in in_time else "No",
                ]
                for r in rapid
            ],
            ["text", "date", "date", "text"],
        ),
        Table(
            "LCSPRs published in the year",
            ["Review", "Published on"],
            [[r.reference, r.published_on.isoformat()] for r in published],
            ["text", "date"],
        ),
    ]
    summary = (
        f"{_plural(len(notified), 'serious incident')}{_scope(None, area)} "
        f"{'was' if len(notified) == 1 else 'were'} notified to the national panel in "
        f"{financial_year_title(year)}. {_plural(len(rapid), 'rapid review')} "
        f"{'was' if len(rapid) == 1 else 'were'} completed, {len(in_time)} within 15 working days. "
        f"{_plural(len(commissioned), 'local child safeguarding practice review')} "
        f"{'was' if len(commissioned) == 1 else 'were'} commissioned and {len(published)} published."
    )
    return SectionData(figures, tables, [], summary)
