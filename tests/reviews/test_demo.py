"""The demo's case reviews: a SAR in each main state, a CSPR with its rapid review due
soon, and a published SAR whose action plan is part-implemented."""

from __future__ import annotations

from datetime import date

from safeguarding.extensions import db
from safeguarding.models import ActionStatus, Review, ReviewState
from safeguarding.services import reviews as svc


def _review(demo, key) -> Review:
    return db.session.get(Review, demo.id("reviews", key))


def test_the_demo_has_a_sar_in_each_main_state(demo):
    states = {key: _review(demo, key).state for key in demo.ids["reviews"]}
    sar_states = {s for k, s in states.items() if not k.startswith("cspr")}
    assert sar_states == {
        ReviewState.referred,
        ReviewState.screening,
        ReviewState.information_gathering,
        ReviewState.awaiting_decision,
        ReviewState.commissioned,
        ReviewState.not_commissioned,
        ReviewState.in_review,
        ReviewState.paused,
        ReviewState.draft_report,
        ReviewState.signed_off,
        ReviewState.published,
        ReviewState.action_monitoring,
        ReviewState.closed,
    }
    paused = _review(demo, "paused")
    assert "criminal_trial" in paused.parallel_processes and paused.paused_since == date(2026, 7, 1)
    assert _review(demo, "signed_off").board_decision_id is not None


def test_a_cspr_rapid_review_is_due_soon(demo):
    rapid = _review(demo, "cspr_rapid")
    # 15 working days after the notification of Tuesday 17 November: 3 working days after
    # the demo's day (Thursday 3 December).
    [d] = [d for d in svc.deadlines(rapid, date(2026, 12, 3)) if d.kind.value == "rapid_review"]
    assert (d.due_on, d.status) == (date(2026, 12, 8), "due_soon")


def test_a_published_sar_has_its_action_plan_part_implemented(demo):
    review = _review(demo, "published")
    statuses = [a.status for _, actions in svc.recommendations_with_actions(review) for a in actions]
    assert statuses.count(ActionStatus.completed) == 2 and statuses.count(ActionStatus.not_implemented) == 1
    assert sum(s in (ActionStatus.open, ActionStatus.in_progress) for s in statuses) == 2
    [reason] = [
        a.closure_reason
        for _, acts in svc.recommendations_with_actions(review)
        for a in acts
        if a.status == ActionStatus.not_implemented
    ]
    assert reason.startswith("Superseded")
