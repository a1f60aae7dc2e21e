"""The Chair's decision on a review is recorded on the day it was made (issue 26's check
of other records: a decision at Tuesday's meeting entered on Friday keeps Tuesday, and the
report's due date runs from it), never in the future."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ReviewState, WorkflowHistory
from safeguarding.services.errors import ValidationFailed
from tests.reviews.helpers import advance, fire, new_sar


def _awaiting(demo):
    return advance(new_sar(demo), demo, ReviewState.awaiting_decision)


def test_the_decision_keeps_the_day_it_was_made_and_the_report_is_due_from_it(demo):
    review = _awaiting(demo)
    fire(
        review,
        "decide",
        demo.user("chair"),
        outcome=review.screening_outcome.value,
        decision_reason="Agreed at the Board",
        decided_on=date(2026, 11, 30),
    )
    assert review.decided_on == date(2026, 11, 30)
    assert review.report_due_on == date(2027, 5, 30)  # six months from the decision, not from its entry
    h = db.session.scalars(
        sa.select(WorkflowHistory)
        .where(WorkflowHistory.lifecycle == "review", WorkflowHistory.entity_id == review.id)
        .order_by(WorkflowHistory.id.desc())
    ).first()
    assert (h.trigger, h.occurred_on) == ("decide", date(2026, 11, 30))


def test_left_out_it_is_today(demo):
    review = _awaiting(demo)
    fire(review, "decide", demo.user("chair"), outcome=review.screening_outcome.value, decision_reason="x")
    assert review.decided_on == date(2026, 12, 3)


def test_a_future_date_is_refused(demo):
    review = _awaiting(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(
            review,
            "decide",
            demo.user("chair"),
            outcome=review.screening_outcome.value,
            decision_reason="x",
            decided_on=date(2026, 12, 4),
        )
    assert exc.value.reasons == ["The date of the decision must be today or in the past"]
    assert review.state == ReviewState.awaiting_decision and review.decided_on is None
