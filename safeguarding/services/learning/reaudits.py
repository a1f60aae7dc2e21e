"""From recommendation to impact (domain.md, "Learning from reviews"): when all of a
recommendation's actions are complete, a re-audit is scheduled 6–12 months later (default
6: `REAUDIT_MONTHS`), the daily job reminds the business office (which leads re-audits)
when it falls due, and the re-audit records what was checked and an impact rating with
its evidence. A recommendation is *embedded* only after a re-audit rated some or clear
impact; a re-audit that found no evidence of impact schedules the next one.

Stages of a recommendation: `open` (an action open, or none yet), `complete` (its actions
done, no re-audit completed), `re_audited` (re-audited, no impact shown yet), `embedded`.

"Complete" means every action is closed and at least one was completed: cancelled
actions do not hold it back; an action accepted as not implemented does (there is nothing
to re-audit for it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app, has_app_context

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Action,
    ActionSource,
    ActionStatus,
    ImpactRating,
    Reaudit,
    ReauditState,
    Review,
    ReviewRecommendation,
    Role,
    User,
    UserRole,
)
from safeguarding.notify import queue_email, service_url
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.validation import date_problem

DEFAULT_MONTHS = 6
MIN_MONTHS, MAX_MONTHS = 6, 12
STAGES = ("open", "complete", "re_audited", "embedded")
STAGE_LABELS = {"open": "Open", "complete": "Complete", "re_audited": "Re-audited", "embedded": "Embedded"}


def months() -> int:
    """The months from completion to re-audit (`REAUDIT_MONTHS`, 6–12; default 6)."""
    value = int(current_app.config.get("REAUDIT_MONTHS", DEFAULT_MONTHS)) if has_app_context() else DEFAULT_MONTHS
    return min(MAX_MONTHS, max(MIN_MONTHS, value))


# --- where each recommendation stands ---------------------------------------------------------------


def _action_figures() -> sa.Subquery:
    """Per recommendation: actions, open-or-not-implemented ones, completed ones, and the
    last completion date."""
    blocking = Action.status.notin_([ActionStatus.completed, ActionStatus.cancelled])
    return (
        sa.select(
            Action.source_id.label("recommendation_id"),
            sa.func.count().label("actions"),
            sa.func.sum(sa.case((blocking, 1), else_=0)).label("blocking"),
            sa.func.sum(sa.case((Action.status == ActionStatus.completed, 1), else_=0)).label("completed"),
            sa.func.max(Action.completed_on).label("completed_on"),
        )
        .where(Action.source_type == ActionSource.review)
        .group_by(Action.source_id)
        .subquery()
    )


def _reaudit_figures() -> sa.Subquery:
    embeds = sa.and_(
        Reaudit.state == ReauditState.completed, Reaudit.rating.in_([ImpactRating.some, ImpactRating.clear])
    )
    return (
        sa.select(
            Reaudit.recommendation_id,
            sa.func.count().label("reaudits"),
            sa.func.sum(sa.case((Reaudit.state == ReauditState.completed, 1), else_=0)).label("done"),
            sa.func.sum(sa.case((Reaudit.state == ReauditState.scheduled, 1), else_=0)).label("scheduled"),
            sa.func.sum(sa.case((embeds, 1), else_=0)).label("embeds"),
        )
        .group_by(Reaudit.recommendation_id)
        .subquery()
    )


def _stage(a: sa.Subquery, r: sa.Subquery) -> sa.ColumnElement[str]:
    """A recommendation's stage, in SQL: embedded (a completed re-audit found some or clear
    impact), re-audited (a re-audit completed), complete (it has actions, all completed or
    cancelled and at least one completed), otherwise open."""
    zero = sa.literal(0)
    return sa.case(
        (sa.func.coalesce(r.c.embeds, zero) > 0, "embedded"),
        (sa.func.coalesce(r.c.done, zero) > 0, "re_audited"),
        (
            sa.and_(
                sa.func.coalesce(a.c.actions, zero) > 0,
                sa.func.coalesce(a.c.blocking, zero) == 0,
                sa.func.coalesce(a.c.completed, zero) > 0,
            ),
            "complete",
        ),
        else_="open",
    )


def stage_counts(where: Any = None) -> dict[str, int]:
    """How many recommendations (of the reviews `where` selects) are at each stage: one
    grouped query, whatever the number of recommendations."""
    a, r = _action_figures(), _reaudit_figures()
    stage = _stage(a, r).label("stage")
    stmt = (
        sa.select(stage, sa.func.count())
        .select_from(ReviewRecommendation)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .outerjoin(a, a.c.recommendation_id == ReviewRecommendation.id)
        .outerjoin(r, r.c.recommendation_id == ReviewRecommendation.id)
        .group_by(stage)
    )
    if where is not None:
        stmt = stmt.where(where)
    counts = dict.fromkeys(STAGES, 0)
    counts.update({name: n for name, n in db.session.execute(stmt)})
    return counts


@dataclass
class RecommendationStanding:
    recommendation: ReviewRecommendation
    reference: str
    stage: str
    completed_on: date | None
    scheduled: int

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]


def standings(where: Any = None) -> list[RecommendationStanding]:
    """Every recommendation (of the reviews `where` selects) and its stage, in one query."""
    a, r = _action_figures(), _reaudit_figures()
    stmt = (
        sa.select(ReviewRecommendation, Review.reference, _stage(a, r), a.c.completed_on, r.c.scheduled)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .outerjoin(a, a.c.recommendation_id == ReviewRecommendation.id)
        .outerjoin(r, r.c.recommendation_id == ReviewRecommendation.id)
        .order_by(Review.reference, ReviewRecommendation.number)
    )
    if where is not None:
        stmt = stmt.where(where)
    return [
        RecommendationStanding(rec, ref, stage, completed_on, int(scheduled or 0))
        for rec, ref, stage, completed_on, scheduled in db.session.execute(stmt)
    ]


def stage_of(recommendation: ReviewRecommendation) -> str:
    found = standings(ReviewRecommendation.id == recommendation.id)
    return found[0].stage if found else "open"


# --- the daily job ----------------------------------------------------------------------------------


def schedule_reaudits(as_of: date) -> dict[str, int]:
    """Schedule a re-audit for each recommendation whose actions are complete and which
    has none (due `months()` after the last completion), and remind the office of each
    re-audit that has fallen due (once). Idempotent."""
    counts = {"scheduled": 0, "reminded": 0}
    # Only recommendations with no re-audit yet (a completed re-audit rated no impact
    # schedules its own follow-up): a day's work, not every recommendation of ten years.
    never = ~sa.exists().where(Reaudit.recommendation_id == ReviewRecommendation.id)
    for s in standings(never):
        if s.stage != "complete" or s.scheduled or s.completed_on is None or s.completed_on > as_of:
            continue
        db.session.add(
            Reaudit(
                recommendation_id=s.recommendation.id,
                state=ReauditState.scheduled,
                scheduled_on=as_of,
                due_on=s.completed_on + relativedelta(months=months()),
            )
        )
        counts["scheduled"] += 1
    db.session.flush()
    due = db.session.execute(
        sa.select(Reaudit, ReviewRecommendation, Review.reference)
        .join(ReviewRecommendation, ReviewRecommendation.id == Reaudit.recommendation_id)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .where(Reaudit.state == ReauditState.scheduled, Reaudit.due_on <= as_of, Reaudit.reminded_on.is_(None))
    ).all()
    for reaudit, rec, reference in due:
        _remind(reaudit, rec, reference)
        reaudit.reminded_on = as_of
        counts["reminded"] += 1
    db.session.flush()
    return counts


def _office_emails() -> list[str]:
    return sorted(
        set(
            db.session.scalars(
                sa.select(User.email).join(UserRole).where(User.active.is_(True), UserRole.role == Role.business_office)
            )
        )
    )


def _remind(reaudit: Reaudit, rec: ReviewRecommendation, reference: str) -> None:
    to = _office_emails()
    if not to:
        return
    queue_email(
        to,
        f"Re-audit due: {reference} recommendation {rec.number}",
        "reaudit_due",
        {
            "reference": reference,
            "number": rec.number,
            "due": long_date(reaudit.due_on),
            "link": service_url("library.reaudit", reaudit_id=reaudit.id),
        },
        kind="reaudit_due",
        dedupe_key=f"reaudit-due:{reaudit.id}",
    )


# --- recording a re-audit ----------------------------------------------------------------------------


def get_reaudit(reaudit_id: int) -> Reaudit:
    row = db.session.get(Reaudit, reaudit_id)
    if row is None:
        raise NotFound("Re-audit not found")
    return row


def record_reaudit(
    reaudit: Reaudit,
    user: Any,
    *,
    version: int | None,
    completed_on: date | None,
    checked: str | None,
    rating: str | None,
    evidence: str | None,
) -> Reaudit:
    """What was checked, the impact rating and its evidence (the business office). No
    evidence of impact: the next re-audit is scheduled `months()` later."""
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office records re-audits")
    if reaudit.state is ReauditState.completed:
        raise Conflict("This re-audit has been recorded already")
    if version is not None and version != reaudit.version:
        raise StaleVersion()
    errors: dict[str, str] = {}
    if completed_on is None:
        errors["completed_on"] = "Enter the date of the re-audit"
    elif problem := date_problem(completed_on):
        errors["completed_on"] = problem
    elif completed_on > today():
        errors["completed_on"] = "The date of the re-audit must be today or in the past"
    if not (checked or "").strip():
        errors["checked"] = "Enter what the re-audit checked"
    if rating not in {r.value for r in ImpactRating}:
        errors["rating"] = "Select the impact rating"
    if not (evidence or "").strip():
        errors["evidence"] = "Enter the evidence for the rating"
    if errors:
        raise ValidationFailed(errors=errors)
    reaudit.state = ReauditState.completed
    reaudit.completed_on = completed_on
    reaudit.checked = (checked or "").strip()
    reaudit.rating = ImpactRating(rating)
    reaudit.evidence = (evidence or "").strip()
    reaudit.completed_by_id = user.id
    db.session.flush()
    if reaudit.rating is ImpactRating.none:
        db.session.add(
            Reaudit(
                recommendation_id=reaudit.recommendation_id,
                state=ReauditState.scheduled,
                scheduled_on=completed_on,
                due_on=completed_on + relativedelta(months=months()),  # type: ignore[operator]
            )
        )
        db.session.flush()
    return reaudit


def list_reaudits(state: str | None = None, limit: int = 200) -> list[tuple[Reaudit, ReviewRecommendation, str]]:
    stmt = (
        sa.select(Reaudit, ReviewRecommendation, Review.reference)
        .join(ReviewRecommendation, ReviewRecommendation.id == Reaudit.recommendation_id)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .order_by(Reaudit.due_on, Reaudit.id)
        .limit(limit)
    )
    if state:
        stmt = stmt.where(Reaudit.state == ReauditState(state))
    return [(a, rec, ref) for a, rec, ref in db.session.execute(stmt)]
