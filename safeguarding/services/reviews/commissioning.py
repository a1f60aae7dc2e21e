"""A commissioned review: its terms of reference, reviewer and contract value (committed
in the budget), and the panel meetings, practitioner events and family involvement."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Methodology, Review, ReviewEvent, ReviewEventKind, ReviewKind, ReviewState, Role
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.services.reviews.checks import (
    _check_version,
    _enum,
    _require_office,
    _require_open,
    _require_state,
    _require_worker,
)

# --- commissioning and events ---------------------------------------------------------------------

COMMISSIONING_STATES = (
    ReviewState.commissioned,
    ReviewState.lcspr_commissioned,
    ReviewState.in_review,
    ReviewState.paused,
)


def record_commissioning(
    review: Review,
    user: Any,
    *,
    version: int | None,
    terms_of_reference: str | None,
    methodology: Methodology | str | None,
    reviewer: str | None,
    contract_value_pence: int | None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> Review:
    """Terms of reference, methodology, the independent reviewer and the contract value
    (charged to "Safeguarding Adult Reviews – Independent Authors" when the review
    starts), and the period the review covers."""
    _require_office(user)
    _check_version(review, version)
    _require_state(review, COMMISSIONING_STATES, "record the commissioning")
    errors: dict[str, str] = {}
    if not (terms_of_reference or "").strip():
        errors["terms_of_reference"] = "Enter the terms of reference"
    method = _enum(Methodology, methodology, "methodology", errors, "Select the methodology")
    if not (reviewer or "").strip():
        errors["reviewer"] = "Enter the independent reviewer"
    if contract_value_pence is None:
        errors["contract_value_pence"] = "Enter the contract value"
    elif contract_value_pence < 0:
        errors["contract_value_pence"] = "The contract value must be £0 or more"
    if review.commitment_recorded and contract_value_pence != review.contract_value_pence:
        errors["contract_value_pence"] = "The contract value is already committed in the budget: change it there"
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = "The end of the period in scope must be the same as or after its start"
    if errors:
        raise ValidationFailed(errors=errors)
    review.terms_of_reference = terms_of_reference.strip()
    review.methodology = method
    review.reviewer = reviewer.strip()[:200]
    review.contract_value_pence = contract_value_pence
    if period_from is not None:
        review.period_from = period_from
    if period_to is not None:
        review.period_to = period_to
    audit.mark_action(review, "commissioning")
    db.session.flush()
    return review


def commitment_due(review: Review) -> bool:
    """A started SAR whose reviewer's contract is not yet committed in the budget."""
    return bool(
        review.kind == ReviewKind.sar
        and review.review_started_on is not None
        and (review.contract_value_pence or 0) > 0
        and not review.commitment_recorded
    )


def commit_contract_value(review: Review, user: Any, *, on: date | None = None) -> Any:
    """Commit the independent reviewer's contract value against "Safeguarding Adult
    Reviews – Independent Authors" in the budget of the financial year the review
    started. Raises `ValidationFailed` with the budget's reason (no budget for that year,
    a closed budget, no such line); the review is not held up by it and the office can
    try again from the review's page once the budget is in place."""
    from safeguarding.calendar import financial_year_start
    from safeguarding.models import SAR_AUTHORS_LINE
    from safeguarding.services import budget

    if user is not None and not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can do this")
    if not commitment_due(review):
        raise Conflict("There is no contract value waiting to be committed for this review")
    started = review.review_started_on
    commitment = budget.record_commitment(
        financial_year=financial_year_start(started),
        line_name=SAR_AUTHORS_LINE,
        amount_pence=review.contract_value_pence,
        supplier=review.reviewer or "Independent reviewer",
        reference=review.reference,
        committed_on=on or started,
        description=f"Independent reviewer's contract for {review.reference}",
        source_type="review",
        source_id=review.id,
        recorded_by_id=user.id if user is not None else None,
    )
    review.commitment_recorded = True
    audit.mark_action(review, "budget_commitment")
    db.session.flush()
    return commitment


def add_event(
    review: Review, user: Any, *, kind: ReviewEventKind | str | None, held_on: date | None, notes: str | None = None
) -> ReviewEvent:
    """Record a panel meeting, practitioner event or family involvement."""
    _require_worker(review, user)
    _require_open(review)
    errors: dict[str, str] = {}
    event_kind = _enum(ReviewEventKind, kind, "kind", errors, "Select what happened")
    if held_on is None:
        errors["held_on"] = "Enter the date it took place"
    if errors:
        raise ValidationFailed(errors=errors)
    event = ReviewEvent(
        review_id=review.id,
        kind=event_kind,
        held_on=held_on,
        notes=(notes or "").strip() or None,
        recorded_by_id=user.id,
    )
    db.session.add(event)
    if event_kind is ReviewEventKind.family_involvement and review.family_invited is None:
        review.family_invited = True
    db.session.flush()
    return event


def events_of(review: Review) -> list[ReviewEvent]:
    return list(
        db.session.scalars(
            sa.select(ReviewEvent)
            .where(ReviewEvent.review_id == review.id)
            .order_by(ReviewEvent.held_on, ReviewEvent.id)
        )
    )
