"""The daily jobs (once per date, idempotent effects) and the emails case reviews send:
case references and links only, never the subject's details."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding import jobs
from safeguarding.extensions import db
from safeguarding.models import JobOutcome, OutboxMessage, ReviewState
from safeguarding.services import reviews as svc
from tests.reviews.helpers import advance, fire, new_cspr, new_sar


def _messages(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id))
    )


def _no_case_details(message: OutboxMessage, review) -> None:
    for detail in (review.summary, f" {review.initials} ", review.initials + ","):
        assert detail not in message.subject and detail not in message.body


def test_the_deadline_job_warns_once_and_records_breaches(demo):
    review = new_cspr(demo, harm_date=date(2026, 11, 13), la_aware_on=date(2026, 11, 16), notified_on=None)
    # Aware Monday 16 November: the panel must be told by Monday 23 November.
    first = jobs.run_job("review_deadlines", date(2026, 11, 18))
    assert first.outcome == JobOutcome.succeeded and first.counts["warnings"] >= 1
    again = jobs.run_job("review_deadlines", date(2026, 11, 18))
    assert not again.ran_here
    jobs.run_job("review_deadlines", date(2026, 11, 19))  # another date: nothing new for this deadline
    warnings = [m for m in _messages("review_deadline_warning") if review.reference in m.subject]
    assert len(warnings) == 1
    [w] = warnings
    assert w.subject == f"Deadline coming for case review {review.reference}: notify the national panel"
    assert set(w.to_addrs) == {"office@demo.test", "officer@demo.test", "chair@demo.test"}
    assert f"/reviews/{review.id}" in w.body and "23 November 2026" in w.body
    _no_case_details(w, review)
    jobs.run_job("review_deadlines", date(2026, 11, 24))
    jobs.run_job("review_deadlines", date(2026, 11, 25))
    breaches = [m for m in _messages("review_deadline_breach") if review.reference in m.subject]
    assert len(breaches) == 1 and "The breach has been recorded" in breaches[0].body
    assert [(a.kind.value, a.recorded_on) for a in svc.alerts_of(review)] == [
        ("warning", date(2026, 11, 18)),
        ("breach", date(2026, 11, 24)),
    ]


def test_sending_a_request_emails_the_agency_and_chasing_emails_again(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    req = svc.send_information_request(
        review,
        demo.user("office"),
        organisation_id=demo.org("police").id,
        request="Chronology of contact with the adult",
        conditions=[1, 2, 3],
        sent_on=date(2026, 10, 1),
        due_on=date(2026, 11, 2),
    )
    [sent] = [m for m in _messages("review_information_request") if review.reference in m.subject]
    assert sent.to_addrs == ["police@demo.test"]
    assert "section 45 of the Care Act 2014 (conditions 1, 2, 3 apply)" in sent.body
    assert "Chronology of contact" not in sent.body  # the request is read in the service
    _no_case_details(sent, review)
    # Saturday 7 November: not a working day, so no chasing.
    skipped = jobs.run_job("review_request_chasing", date(2026, 11, 7))
    assert skipped.outcome == JobOutcome.skipped
    jobs.run_job("review_request_chasing", date(2026, 11, 9))
    jobs.run_job("review_request_chasing", date(2026, 11, 9))
    jobs.run_job("review_request_chasing", date(2026, 11, 10))
    chases = [m for m in _messages("review_request_chase") if review.reference in m.subject]
    assert len(chases) == 1 and req.chase_count == 1
    assert chases[0].subject == f"Overdue information request for case review {review.reference}"
    jobs.run_job("review_request_chasing", date(2026, 11, 16))
    assert req.chase_count == 2


def test_the_chair_is_told_when_a_decision_waits(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    fire(review, "recommend", demo.user("sarchair"), recommendation="mandatory", recommendation_reason="Met")
    [m] = [m for m in _messages("review_decision_waiting") if review.reference in m.subject]
    assert m.to_addrs == ["chair@demo.test"] and f"/reviews/{review.id}/decide" in m.body
    assert "Commission a mandatory SAR" in m.body
    _no_case_details(m, review)


def test_an_agency_without_partner_accounts_is_emailed_at_its_safeguarding_lead(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    svc.send_information_request(
        review, demo.user("office"), organisation_id=demo.org("fire").id, request="Visits", conditions=[1, 2, 3]
    )
    [m] = [m for m in _messages("review_information_request") if review.reference in m.subject]
    assert m.to_addrs == ["safeguarding@fire.demo.test"]
