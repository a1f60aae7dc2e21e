"""A report's recommendations and their actions (in the shared action log, restricted
to the review's sub-group and the owning agency)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, Review, ReviewRecommendation, ReviewState
from safeguarding.models.actions import OPEN_STATUSES as ACTION_OPEN
from safeguarding.services.errors import NotFound, ValidationFailed
from safeguarding.services.reviews.agencies import _name_agencies
from safeguarding.services.reviews.checks import _require_office, _require_state
from safeguarding.services.reviews.queries import access_to, agency_organisation_id

# --- recommendations and their actions -------------------------------------------------------------

RECOMMENDATION_STATES = (
    ReviewState.draft_report,
    ReviewState.signed_off,
    ReviewState.published,
    ReviewState.action_monitoring,
)


def add_recommendation(review: Review, user: Any, *, text: str | None) -> ReviewRecommendation:
    _require_office(user)
    _require_state(review, RECOMMENDATION_STATES, "add a recommendation")
    if not (text or "").strip():
        raise ValidationFailed(errors={"text": "Enter the recommendation"})
    number = (
        db.session.scalar(
            sa.select(sa.func.max(ReviewRecommendation.number)).where(ReviewRecommendation.review_id == review.id)
        )
        or 0
    ) + 1
    rec = ReviewRecommendation(review_id=review.id, number=number, text=text.strip(), created_by_id=user.id)
    db.session.add(rec)
    db.session.flush()
    return rec


def get_recommendation(review: Review, recommendation_id: int) -> ReviewRecommendation:
    rec = db.session.get(ReviewRecommendation, recommendation_id)
    if rec is None or rec.review_id != review.id:
        raise NotFound("Recommendation not found")
    return rec


def recommendations_of(review: Review) -> list[ReviewRecommendation]:
    return list(
        db.session.scalars(
            sa.select(ReviewRecommendation)
            .where(ReviewRecommendation.review_id == review.id)
            .order_by(ReviewRecommendation.number)
        )
    )


def add_action(
    review: Review,
    rec: ReviewRecommendation,
    user: Any,
    *,
    title: str | None,
    owner_organisation_id: int | None,
    due_date: date | None,
    owner_person_id: int | None = None,
    description: str | None = None,
) -> Action:
    """An action for a named agency in the shared log: restricted (need-to-know), seen by
    the review's sub-group and the owning agency."""
    from safeguarding.services import actions

    _require_office(user)
    _require_state(review, RECOMMENDATION_STATES, "add an action")
    if rec.review_id != review.id:
        raise NotFound("Recommendation not found")
    action = actions.create_action(
        title=title or "",
        owner_organisation_id=owner_organisation_id,
        due_date=due_date,
        source_type=ActionSource.review,
        source_id=rec.id,
        source_label=review.reference,
        description=description,
        owner_person_id=owner_person_id,
        group_id=review.group_id,
        area=review.area,
        arm=review.arm,
        restricted=True,
        created_by_id=user.id,
    )
    _name_agencies(review, [action.owner_organisation_id], today())
    return action


def _review_actions_stmt(review_ids: Any) -> sa.Select:
    return (
        sa.select(Action, ReviewRecommendation.review_id)
        .join(ReviewRecommendation, ReviewRecommendation.id == Action.source_id)
        .where(Action.source_type == ActionSource.review, ReviewRecommendation.review_id.in_(review_ids))
    )


def actions_of(review: Review, user: Any | None = None) -> dict[int, list[Action]]:
    """The review's actions by recommendation id (an agency sees only its own)."""
    stmt = _review_actions_stmt([review.id]).order_by(Action.id)
    if user is not None and access_to(review, user) == "agency":
        stmt = stmt.where(Action.owner_organisation_id == agency_organisation_id(user))
    out: dict[int, list[Action]] = {}
    for action, _ in db.session.execute(stmt):
        out.setdefault(action.source_id, []).append(action)
    return out


def recommendations_with_actions(
    review: Review, user: Any | None = None
) -> list[tuple[ReviewRecommendation, list[Action]]]:
    """The review's recommendations, each with its actions (an agency sees only its own
    actions), in one query."""
    join = sa.and_(Action.source_type == ActionSource.review, Action.source_id == ReviewRecommendation.id)
    if user is not None and access_to(review, user) == "agency":
        join = sa.and_(join, Action.owner_organisation_id == agency_organisation_id(user))
    stmt = (
        sa.select(ReviewRecommendation, Action)
        .outerjoin(Action, join)
        .where(ReviewRecommendation.review_id == review.id)
        .order_by(ReviewRecommendation.number, Action.id)
    )
    out: dict[int, tuple[ReviewRecommendation, list[Action]]] = {}
    for rec, action in db.session.execute(stmt):
        entry = out.setdefault(rec.id, (rec, []))
        if action is not None:
            entry[1].append(action)
    return list(out.values())


def open_action_count(review: Review) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(
                _review_actions_stmt([review.id]).where(Action.status.in_(ACTION_OPEN)).subquery()
            )
        )
        or 0
    )
