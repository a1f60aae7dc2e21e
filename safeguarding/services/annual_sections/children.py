"""The children's yearly report's data sections (Working Together 2023): the decisions and
actions on local and national child safeguarding practice reviews in the year (rapid
reviews, the decisions on a local review, the Panel's responses, LCSPRs commissioned and
published, the actions), the learning from them (the recommendations of reviews published
in the year and what was done about them), and the funding (the year's budget and the
partners' contributions). The narrative sections are `registry.CHILDREN_NARRATIVE`."""

from __future__ import annotations

from safeguarding.calendar import financial_year_bounds, financial_year_title
from safeguarding.models import Arm, ReviewKind, ReviewOutcome
from safeguarding.services.annual_sections.common import _plural, _scope
from safeguarding.services.annual_sections.partnership import arm_budget_section
from safeguarding.services.annual_sections.registry import Figure, SectionData, Table, section
from safeguarding.services.annual_sections.reviews import (
    _action_status_by_review,
    _between,
    _recommendations,
    _reviews,
)

CHILDREN = ("children",)


def _iso(d) -> str:
    return d.isoformat() if d else ""


@section(
    "cspr_decisions",
    30,
    "Decisions and actions on local and national child safeguarding practice reviews",
    breakdown=("area",),
    reports=CHILDREN,
)
def cspr_decisions_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    start, end = financial_year_bounds(year)
    reviews = _reviews(ReviewKind.cspr, year, area)
    notified = [r for r in reviews if _between(r.notified_on, start, end)]
    rapid = [r for r in reviews if _between(r.rapid_review_sent_on, start, end)]
    decided = [r for r in reviews if _between(r.decided_on, start, end) and r.decision is not None]
    commissioned = [r for r in decided if r.decision == ReviewOutcome.lcspr]
    responded = [r for r in reviews if _between(r.panel_response_on, start, end)]
    published = [r for r in reviews if _between(r.published_on, start, end)]
    statuses = _action_status_by_review([r.id for r in reviews])
    with_actions = [r for r in reviews if statuses[r.id]]
    completed = sum(statuses[r.id]["completed"] for r in with_actions)
    open_ = sum(
        statuses[r.id]["open"] + statuses[r.id]["in_progress"] + statuses[r.id]["completion_claimed"]
        for r in with_actions
    )
    figures = [
        Figure("notifications", "Serious incidents notified to the national Panel", len(notified)),
        Figure("rapid_reviews", "Rapid reviews sent to the Panel", len(rapid)),
        Figure("lcsprs_commissioned", "Local reviews (LCSPRs) commissioned", len(commissioned)),
        Figure("not_commissioned", "Decided: no local review", len(decided) - len(commissioned)),
        Figure("panel_responses", "Responses from the national Panel", len(responded)),
        Figure("lcsprs_published", "LCSPRs published", len(published)),
        Figure("actions_completed", "Review actions completed", completed),
        Figure("actions_open", "Review actions still open", open_),
    ]
    tables = [
        Table(
            "Rapid reviews and the decisions on a local review",
            ["Review", "Notified on", "Rapid review sent on", "Decision", "Reason"],
            [
                [
                    r.reference,
                    _iso(r.notified_on),
                    _iso(r.rapid_review_sent_on),
                    ReviewOutcome(r.decision).label if r.decision else "Not yet decided",
                    r.decision_reason or "",
                ]
                for r in reviews
                if r in rapid or r in decided
            ],
            ["text", "date", "date", "text", "text"],
        ),
        Table(
            "The national Panel's responses",
            ["Review", "Responded on", "Response"],
            [[r.reference, _iso(r.panel_response_on), r.panel_response or ""] for r in responded],
            ["text", "date", "text"],
        ),
        Table(
            "LCSPRs published in the year",
            ["Review", "Published on"],
            [[r.reference, _iso(r.published_on)] for r in published],
            ["text", "date"],
        ),
        Table(
            "Actions from the reviews",
            ["Review", "Completed", "Open", "Not implemented"],
            [
                [
                    r.reference,
                    statuses[r.id]["completed"],
                    statuses[r.id]["open"] + statuses[r.id]["in_progress"] + statuses[r.id]["completion_claimed"],
                    statuses[r.id]["not_implemented"],
                ]
                for r in with_actions
            ],
            ["text", "number", "number", "number"],
        ),
    ]
    summary = (
        f"In {financial_year_title(year)}{_scope(None, area)} the safeguarding partners notified "
        f"{_plural(len(notified), 'serious incident')} to the national Child Safeguarding Practice Review Panel "
        f"and sent it {_plural(len(rapid), 'rapid review')}. They decided on a local review in "
        f"{_plural(len(decided), 'case')}, commissioning {len(commissioned)}; "
        f"{_plural(len(published), 'local review')} {'was' if len(published) == 1 else 'were'} published. "
        f"{_plural(completed, 'action')} from the reviews {'was' if completed == 1 else 'were'} completed and "
        f"{open_} {'remains' if open_ == 1 else 'remain'} open."
    )
    return SectionData(figures, tables, [], summary)


@section("cspr_learning", 40, "The learning from the reviews", breakdown=("area",), reports=CHILDREN)
def cspr_learning_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    start, end = financial_year_bounds(year)
    reviews = _reviews(ReviewKind.cspr, year, area)
    concluded = [
        r for r in reviews if _between(r.published_on, start, end) or _between(r.publication_decided_on, start, end)
    ]
    recs = _recommendations([r.id for r in concluded])
    learning = [r for r in reviews if _between(r.decided_on, start, end) and r.alternative_learning]
    n = sum(len(recs[r.id]) for r in concluded)
    figures = [
        Figure("reviews_concluded", "Local reviews concluded in the year", len(concluded)),
        Figure("recommendations", "Recommendations of those reviews", n),
        Figure("other_learning", "Cases with learning taken another way", len(learning)),
    ]
    tables = [
        Table(
            "Recommendations of the local reviews concluded in the year",
            ["Review", "Recommendation"],
            [[r.reference, f"{rec.number}. {rec.text}"] for r in concluded for rec in recs[r.id]],
            ["text", "text"],
        ),
        Table(
            "Learning taken without a local review",
            ["Review", "How the learning is taken"],
            [[r.reference, r.alternative_learning or ""] for r in learning],
            ["text", "text"],
        ),
    ]
    summary = (
        f"{_plural(len(concluded), 'local review')}{_scope(None, area)} concluded in {financial_year_title(year)} "
        f"with {_plural(n, 'recommendation')}; in {_plural(len(learning), 'other case')} the partners took the "
        "learning another way. The partners' account of what changed because of it follows."
    )
    return SectionData(figures, tables, [], summary)


@section("funding", 80, "Funding", breakdown=(), reports=CHILDREN)
def funding_section(year: int, *, arm: str | None, area: str | None) -> SectionData:
    """The children's partnership's own budget for the year and each partner's
    contribution (Working Together 2023: the yearly report sets out the funding), with its
    share of any joint budget."""
    return arm_budget_section(year, Arm.children)
