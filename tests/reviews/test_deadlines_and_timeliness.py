"""Deadlines (working days for the children's statutory steps, calendar months for
reports), their status, the daily job's warnings, breaches and chasing (each once), and
the timeliness figures with paused time left out."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    Area,
    ClosureDay,
    DeadlineKind,
    ReviewDeadlineAlert,
    ReviewPause,
    ReviewState,
)
from safeguarding.services import reviews as svc
from safeguarding.workflows.actions import action_lifecycle
from tests.reviews.helpers import advance, fire, new_cspr, new_sar


def _deadline(review, kind, on):
    return next(d for d in svc.deadlines(review, on) if d.kind == kind)


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        # Aware Friday 18 December 2026: 5 working days skip Christmas Day (Friday) and the
        # substitute Boxing Day (Monday 28 December).
        (date(2026, 12, 18), date(2026, 12, 29)),
        # Aware Thursday 2 April 2026: Good Friday and Easter Monday are skipped.
        (date(2026, 4, 2), date(2026, 4, 13)),
        # Aware Friday 29 May 2026: the spring bank holiday is 25 May, so no skip; an ordinary week.
        (date(2026, 5, 29), date(2026, 6, 5)),
        # Aware Thursday 1 June 2022: the Platinum Jubilee bank holidays (2 and 3 June).
        (date(2022, 6, 1), date(2022, 6, 10)),
    ],
)
def test_the_panel_must_be_notified_within_5_working_days(demo, aware, due):
    review = new_cspr(demo, notified_on=None)
    review.received_on = aware  # the date the local authority became aware
    d = _deadline(review, DeadlineKind.notify_panel, aware)
    assert d.due_on == due and d.working and d.met_on is None


def test_the_rapid_review_is_due_15_working_days_after_the_notification(demo):
    # Notified Monday 14 December 2026 → Thursday 7 January 2027 (three bank holidays).
    review = new_cspr(
        demo, harm_date=date(2026, 11, 20), la_aware_on=date(2026, 11, 23), notified_on=date(2026, 11, 23)
    )
    review.notified_on = date(2026, 12, 14)
    d = _deadline(review, DeadlineKind.rapid_review, date(2026, 12, 14))
    assert d.due_on == date(2027, 1, 7)


def test_closure_days_move_working_day_deadlines(demo):
    review = new_cspr(demo, harm_date=date(2026, 11, 20), la_aware_on=date(2026, 11, 23), notified_on=None)
    assert _deadline(review, DeadlineKind.notify_panel, date(2026, 11, 23)).due_on == date(2026, 11, 30)
    db.session.add(ClosureDay(day=date(2026, 11, 25), reason="Office move"))
    db.session.flush()
    assert _deadline(review, DeadlineKind.notify_panel, date(2026, 11, 23)).due_on == date(2026, 12, 1)


def test_deadline_status_on_track_due_soon_breached_and_met(demo):
    review = new_cspr(demo, harm_date=date(2026, 11, 20), la_aware_on=date(2026, 11, 23), notified_on=None)
    # Due Monday 30 November.
    on_track = _deadline(review, DeadlineKind.notify_panel, date(2026, 11, 23))
    assert (on_track.status, on_track.remaining, on_track.remaining_text) == ("on_track", 5, "5 working days left")
    soon = _deadline(review, DeadlineKind.notify_panel, date(2026, 11, 25))
    assert (soon.status, soon.remaining) == ("due_soon", 3)
    today = _deadline(review, DeadlineKind.notify_panel, date(2026, 11, 30))
    assert (today.status, today.remaining_text) == ("due_soon", "due today")
    late = _deadline(review, DeadlineKind.notify_panel, date(2026, 12, 2))
    assert (late.status, late.remaining, late.remaining_text) == ("breached", -2, "2 working days overdue")
    review.notified_on = date(2026, 11, 27)
    met = _deadline(review, DeadlineKind.notify_panel, date(2026, 12, 2))
    assert (met.status, met.is_open) == ("met", False)
    review.notified_on = date(2026, 12, 1)
    assert _deadline(review, DeadlineKind.notify_panel, date(2026, 12, 2)).status == "met_late"


def test_the_warning_window_is_configurable(app, demo):
    review = new_cspr(demo, harm_date=date(2026, 11, 20), la_aware_on=date(2026, 11, 23), notified_on=None)
    app.config["REVIEW_WARNING_WORKING_DAYS"] = 5
    try:
        assert _deadline(review, DeadlineKind.notify_panel, date(2026, 11, 23)).status == "due_soon"
    finally:
        del app.config["REVIEW_WARNING_WORKING_DAYS"]


def test_a_pause_moves_the_report_deadline_and_stops_the_clock(demo):
    review = advance(new_sar(demo), demo, ReviewState.in_review, decided_on=date(2026, 3, 16))
    office = demo.user("office")
    assert review.report_due_on == date(2026, 9, 16)
    assert _deadline(review, DeadlineKind.report, date(2026, 9, 17)).status == "breached"
    fire(
        review,
        "pause",
        office,
        on=date(2026, 7, 1),
        process="inquest",
        pause_reason="Inquest",
        expected_resume_on=date(2026, 10, 1),
    )
    fire(review, "resume", office, on=date(2026, 10, 9))
    assert (review.paused_days, review.paused_since) == (100, None)
    d = _deadline(review, DeadlineKind.report, date(2026, 11, 23))
    assert d.due_on == date(2026, 12, 25) and d.status == "on_track"  # 100 paused days added
    fire(
        review,
        "pause",
        office,
        on=date(2026, 11, 1),
        process="criminal_trial",
        pause_reason="Trial",
        expected_resume_on=date(2027, 3, 1),
    )
    d = _deadline(review, DeadlineKind.report, date(2026, 11, 23))
    assert d.status == "paused" and d.due_on == date(2027, 1, 16)  # and 22 days of the pause under way
    assert [(p.started_on, p.ended_on) for p in svc.pauses_of([review.id])[review.id]] == [
        (date(2026, 7, 1), date(2026, 10, 9)),
        (date(2026, 11, 1), None),
    ]


def test_elapsed_time_leaves_out_the_pauses():
    pauses = [
        ReviewPause(started_on=date(2026, 2, 1), ended_on=date(2026, 3, 1)),
        ReviewPause(started_on=date(2026, 5, 1), ended_on=None),
    ]
    assert svc.elapsed_days(date(2026, 1, 1), date(2026, 4, 1), pauses) == 90 - 28
    assert svc.elapsed_days(date(2026, 1, 1), date(2026, 5, 11), pauses) == 130 - 28 - 10
    assert svc.elapsed_days(date(2026, 2, 15), date(2026, 2, 20), pauses) == 0


# --- the daily job -----------------------------------------------------------------------------


def _alerts(review):
    return [(a.deadline, a.kind, a.due_on, a.recorded_on) for a in svc.alerts_of(review)]


def test_the_job_warns_before_and_records_a_breach_after_once_each(demo):
    review = new_cspr(demo, harm_date=date(2026, 11, 20), la_aware_on=date(2026, 11, 23), notified_on=None)
    # The job looks at every open review (the demo's too): what it did to this one is
    # read from this review's alerts.
    svc.check_deadlines(date(2026, 11, 23))
    assert _alerts(review) == []  # 5 working days left: on track
    first = svc.check_deadlines(date(2026, 11, 25))
    again = svc.check_deadlines(date(2026, 11, 25))
    svc.check_deadlines(date(2026, 11, 26))
    assert first["warnings"] >= 1 and again == {"warnings": 0, "breaches": 0}
    assert _alerts(review) == [(DeadlineKind.notify_panel, "warning", date(2026, 11, 30), date(2026, 11, 25))]
    svc.check_deadlines(date(2026, 12, 1))
    svc.check_deadlines(date(2026, 12, 2))
    assert _alerts(review)[1:] == [(DeadlineKind.notify_panel, "breach", date(2026, 11, 30), date(2026, 12, 1))]
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(ReviewDeadlineAlert).where(ReviewDeadlineAlert.review_id == review.id)
    )
    assert count == 2


def test_the_job_ignores_met_and_paused_deadlines(demo):
    review = new_cspr(
        demo, harm_date=date(2026, 11, 13), la_aware_on=date(2026, 11, 16), notified_on=date(2026, 11, 20)
    )
    svc.check_deadlines(date(2026, 11, 23))
    assert all(a[0] != DeadlineKind.notify_panel for a in _alerts(review))


def test_overdue_requests_are_chased_once_then_every_5_working_days(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    req = svc.send_information_request(
        review,
        demo.user("office"),
        organisation_id=demo.org("police").id,
        request="Chronology",
        conditions=[1, 2, 3],
        sent_on=date(2026, 10, 1),
        due_on=date(2026, 11, 2),
    )
    svc.chase_information_requests(date(2026, 11, 2))
    assert req.chase_count == 0  # due today: not overdue yet
    svc.chase_information_requests(date(2026, 11, 3))
    svc.chase_information_requests(date(2026, 11, 3))
    svc.chase_information_requests(date(2026, 11, 9))
    assert (req.chase_count, req.last_chased_on) == (1, date(2026, 11, 3))
    svc.chase_information_requests(date(2026, 11, 10))
    assert (req.chase_count, req.last_chased_on) == (2, date(2026, 11, 10))
    svc.return_information(req, demo.user("police"), version=req.version, response="Sent")
    svc.chase_information_requests(date(2026, 11, 30))
    assert req.chase_count == 2


# --- timeliness -------------------------------------------------------------------------------


def _reviewed(demo, *, received, decided, draft, published, area=Area.north, pause=None, outcome="mandatory"):
    review = new_sar(demo, received_on=received, harm_date=received, area=area)
    fire(review, "start_screening", demo.user("office"))
    from tests.reviews.helpers import screen

    screen(review, demo, concern=outcome == "mandatory")
    advance(review, demo, ReviewState.awaiting_decision, outcome=outcome)
    fire(review, "decide", demo.user("chair"), on=decided, outcome=outcome, decision_reason="x")
    advance(review, demo, ReviewState.in_review)
    if pause:
        fire(
            review,
            "pause",
            demo.user("office"),
            on=pause[0],
            process="criminal_trial",
            pause_reason="Trial",
            expected_resume_on=pause[1],
        )
        fire(review, "resume", demo.user("office"), on=pause[1])
    review.review_started_on = decided
    db.session.flush()
    advance(review, demo, ReviewState.draft_report)
    review.draft_received_on = draft
    db.session.flush()
    advance(review, demo, ReviewState.signed_off)
    advance(review, demo, ReviewState.published)
    review.publication_decided_on = review.published_on = published
    db.session.flush()
    return review


def test_timeliness_medians_and_ranges_leave_out_paused_time(demo):
    # Financial year 2023/24 (1 April 2023 – 31 March 2024).
    a = _reviewed(
        demo, received=date(2023, 4, 1), decided=date(2023, 5, 1), draft=date(2023, 11, 1), published=date(2024, 1, 1)
    )
    _reviewed(
        demo,
        received=date(2023, 5, 1),
        decided=date(2023, 6, 10),
        draft=date(2024, 2, 10),
        published=date(2024, 3, 1),
        pause=(date(2023, 7, 1), date(2023, 9, 29)),
    )  # 90 days paused
    _reviewed(
        demo,
        received=date(2023, 6, 1),
        decided=date(2023, 7, 1),
        draft=date(2024, 1, 1),
        published=date(2024, 4, 20),
        area=Area.west,
        outcome="discretionary",
    )
    t = svc.timeliness(2023)
    assert t["label"] == "2023-24" and (t["from"], t["to"]) == (date(2023, 4, 1), date(2024, 3, 31))
    assert t["referrals_received"]["sar"] >= 3
    r2d = t["timeliness"]["referral_to_decision"]["sar"]
    assert r2d["count"] >= 3
    north = svc.timeliness(2023, Area.north)
    assert north["area"] == "north"
    assert north["timeliness"]["referral_to_decision"]["sar"] == {
        "count": 2,
        "median_days": 35,
        "min_days": 30,
        "max_days": 40,
    }
    # decision → draft: 184 days; and 245 days less 90 paused = 155.
    assert north["timeliness"]["decision_to_draft"]["sar"] == {
        "count": 2,
        "median_days": 169.5,
        "min_days": 155,
        "max_days": 184,
    }
    assert north["timeliness"]["draft_to_publication"]["sar"] == {
        "count": 2,
        "median_days": 40.5,
        "min_days": 20,
        "max_days": 61,
    }
    assert north["sars_commissioned"] == {"mandatory": 2, "discretionary": 0, "total": 2}
    assert north["reviews_completed"]["sar"] == 2
    west = svc.timeliness(2023, "west")
    assert west["sars_commissioned"]["discretionary"] == 1 and west["reviews_completed"]["sar"] == 0
    assert west["ongoing_at_year_end"]["sar"] == 1  # published in April 2024, after the year end
    assert svc.timeliness(2024, "west")["reviews_completed"]["sar"] == 1
    assert a in svc.concluded_reviews(2023, Area.north)
    assert a not in svc.ongoing_at(date(2024, 3, 31), Area.north)


def test_timeliness_reports_actions_implemented_and_not_with_reasons(demo):
    review = advance(new_sar(demo), demo, ReviewState.action_monitoring)
    office = demo.user("office")
    [rec] = svc.recommendations_of(review)
    extra = svc.add_action(
        review,
        rec,
        office,
        title="Audit referrals",
        owner_organisation_id=demo.org("north").id,
        due_date=date(2027, 1, 31),
    )
    action_lifecycle.fire(
        extra,
        "close_not_implemented",
        user=demo.user("chair"),
        version=extra.version,
        comment="The national framework replaced the local audit",
    )
    [first] = [a for a in svc.actions_of(review)[rec.id] if a.id != extra.id]
    action_lifecycle.fire(first, "claim_complete", user=office, version=first.version, comment="Done")
    action_lifecycle.fire(first, "accept_completion", user=office, version=first.version, as_of=date(2026, 11, 23))
    t = svc.timeliness(2026, review.area)
    assert t["actions"]["implemented"] >= 1
    reasons = [r for r in t["actions"]["not_implemented_reasons"] if r["action_id"] == extra.id]
    assert reasons == [
        {
            "reference": review.reference,
            "action_id": extra.id,
            "title": "Audit referrals",
            "organisation": "North Council",
            "reason": "The national framework replaced the local audit",
            "closed_on": reasons[0]["closed_on"],
        }
    ]
    assert svc.timeliness(2024, review.area)["actions"] == {
        "implemented": 0,
        "not_implemented": 0,
        "not_implemented_reasons": [],
    }
