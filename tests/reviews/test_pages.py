"""The review pages: forms with GOV.UK error summaries, bad input changing nothing, and
the dashboard, list, timeliness and closure-day pages."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ClosureDay, InformationRequest, RequestStatus, Review, ReviewState
from safeguarding.services import reviews as svc
from tests.reviews.helpers import PDF, advance, new_cspr, new_sar


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_referral_with_errors_shows_the_summary_and_saves_nothing(client_as):
    before = _count(Review)
    r = client_as("police").post(
        "/reviews/refer", data={"initials": "Jane Doe", "age_band": "", "harm_date": ["31", "2", "2026"], "summary": ""}
    )
    assert r.status_code == 200
    assert "There is a problem" in r.text
    assert 'href="#harm_date-day"' in r.text and "The date of death or serious harm must be a real date" in r.text
    assert "Select the adult&#39;s age band" in r.text and "Select the area" in r.text
    assert _count(Review) == before


def test_a_partner_refers_and_sees_only_the_case_reference(client_as, demo):
    c = client_as("police")
    r = c.post(
        "/reviews/refer",
        data={
            "initials": "MB",
            "age_band": "85_plus",
            "area": "north",
            "harm_date": ["2", "11", "2026"],
            "summary": "Neglect in a care home",
            "referrer_organisation_id": str(demo.org("police").id),
            "referral_source": "Public protection unit",
            "agency_ids": [str(demo.org("acute").id)],
            "received_by_email": "y",
            "received_on": ["1", "1", "2026"],
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/reviews/referral-sent")
    review = db.session.scalars(sa.select(Review).order_by(Review.id.desc())).first()
    from safeguarding.calendar import today

    assert (review.received_on, review.received_by_email) == (today(), False)  # office-only fields ignored
    page = c.get("/reviews/referral-sent")
    assert review.reference in page.text and review.summary not in page.text
    assert c.get("/reviews/referral-sent").status_code == 302  # shown once
    assert c.get(f"/reviews/{review.id}").status_code == 404


def test_the_office_enters_an_emailed_referral_and_lands_on_the_review(client_as, demo):
    r = client_as("office").post(
        "/reviews/refer",
        data={
            "initials": "PQ",
            "age_band": "65_74",
            "area": "west",
            "harm_date": ["1", "10", "2026"],
            "summary": "Financial abuse",
            "referral_source": "A neighbour",
            "received_by_email": "y",
            "received_on": ["20", "10", "2026"],
        },
    )
    assert r.status_code == 302
    review = db.session.scalars(sa.select(Review).order_by(Review.id.desc())).first()
    assert r.headers["Location"].endswith(f"/reviews/{review.id}")
    assert (review.received_on, review.received_by_email, review.referral_source) == (
        date(2026, 10, 20),
        True,
        "A neighbour",
    )


def test_recording_a_notification(client_as, demo):
    r = client_as("office").post(
        "/reviews/notify",
        data={
            "initials": "KO",
            "age_band": "11_15",
            "area": "west",
            "children_count": "1",
            "looked_after": "no",
            "harm_date": ["17", "11", "2026"],
            "summary": "Exploitation",
            "la_aware_on": ["19", "11", "2026"],
        },
    )
    # The notification's facts are asked for.
    assert r.status_code == 200 and 'href="#incident"' in r.text and 'href="#abuse_or_neglect"' in r.text
    r = client_as("office").post(
        "/reviews/notify",
        data={
            "initials": "KO",
            "age_band": "11_15",
            "area": "west",
            "children_count": "1",
            "looked_after": "no",
            "incident": "serious_harm",
            "abuse_or_neglect": "known",
            "siblings_harmed": "1",
            "harm_date": ["17", "11", "2026"],
            "summary": "Exploitation",
            "la_aware_on": ["19", "11", "2026"],
        },
    )
    assert r.status_code == 302
    review = db.session.scalars(sa.select(Review).order_by(Review.id.desc())).first()
    page = client_as("office").get(f"/reviews/{review.id}")
    assert "Notify the national panel" in page.text and "26 November 2026" in page.text
    assert "The child was seriously harmed" in page.text and "Abuse or neglect is known" in page.text
    assert client_as("sarchair").get("/reviews/notify").status_code == 403


def test_screening_through_the_page(client_as, demo):
    review = new_sar(demo)
    from tests.reviews.helpers import fire

    fire(review, "start_screening", demo.user("office"))
    c = client_as("sarchair")
    r = c.post(f"/reviews/{review.id}/screening", data={"version": review.version, "needs": "yes"})
    assert r.status_code == 200, r.headers.get("Location") and "Enter the reason for this answer" in r.text
    assert 'href="#in_area"' in r.text and 'href="#abuse"' in r.text and 'href="#died"' in r.text
    r = c.post(
        f"/reviews/{review.id}/screening",
        data={
            "version": review.version,
            "in_area": "yes",
            "in_area_reason": "Lives in North Council's area",
            "needs": "yes",
            "needs_reason": "Care plan",
            "died": "no",
            "abuse": "yes",
            "abuse_reason": "Assault",
            "concern": "no",
            "concern_reason": "Good joint working",
        },
    )
    assert r.status_code == 302
    db.session.refresh(review)
    assert review.screening_outcome.value == "discretionary"
    r = c.post(
        f"/reviews/{review.id}/screening",
        data={
            "version": review.version - 1,
            "in_area": "yes",
            "in_area_reason": "x",
            "needs": "yes",
            "needs_reason": "x",
            "died": "yes",
            "abuse": "yes",
            "abuse_reason": "x",
            "concern": "yes",
            "concern_reason": "x",
        },
    )
    assert r.status_code == 302 and "changed by someone else" in c.get(r.headers["Location"]).text
    db.session.refresh(review)
    assert review.screening_outcome.value == "discretionary"


def test_the_chair_decides_on_a_page_with_the_choices_for_the_kind(client_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    c = client_as("chair")
    page = c.get(f"/reviews/{review.id}/decide")
    assert "Commission a mandatory SAR" in page.text and "local child safeguarding" not in page.text
    r = c.post(
        f"/reviews/{review.id}/decide",
        data={"version": review.version, "outcome": "not_commissioned", "decision_reason": "No"},
    )
    assert r.status_code == 200 and "the Board must arrange one" in r.text
    r = c.post(
        f"/reviews/{review.id}/decide",
        data={"version": review.version, "outcome": "mandatory", "decision_reason": "The criteria are met"},
    )
    assert r.status_code == 302
    db.session.refresh(review)
    assert review.state == ReviewState.commissioned
    again = c.get(f"/reviews/{review.id}/decide")
    assert again.status_code == 302
    cspr = advance(new_cspr(demo), demo, ReviewState.awaiting_decision)
    assert "local child safeguarding practice review" in c.get(f"/reviews/{cspr.id}/decide").text


def test_one_click_triggers_and_the_generic_trigger_page(client_as, demo):
    review = new_sar(demo)
    c = client_as("office")
    r = c.post(f"/workflow/review/{review.id}/start_screening", data={"version": review.version})
    assert r.status_code == 302
    db.session.refresh(review)
    assert review.state == ReviewState.screening
    r = c.post(f"/workflow/review/{review.id}/request_information", data={"version": review.version})
    assert r.status_code == 200 and "Record the screening against the s44 criteria first" in r.text
    db.session.refresh(review)
    assert review.state == ReviewState.screening


def test_uploading_reports_checks_the_file(client_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.in_review)
    c = client_as("office")
    r = c.post(
        f"/reviews/{review.id}/reports/draft",
        data={"version": review.version, "file": (io.BytesIO(b"MZ"), "x.exe")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "The selected file must be a PDF or Word document (DOCX)" in r.text
    assert review.draft_report_file_id is None
    r = c.post(
        f"/reviews/{review.id}/reports/draft",
        data={"version": review.version, "file": (io.BytesIO(PDF), "draft.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    r = c.get(f"/reviews/{review.id}/reports/draft/download")
    assert r.status_code == 200 and r.data == PDF and review.reference in r.headers["Content-Disposition"]
    assert client_as("sarchair").get(f"/reviews/{review.id}/reports/draft").status_code == 403
    assert c.get(f"/reviews/{review.id}/reports/other").status_code == 404


def test_an_agency_answers_on_the_page_with_a_chronology(client_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    req = svc.send_information_request(
        review, demo.user("office"), organisation_id=demo.org("police").id, request="Chronology", conditions=[1, 2, 3]
    )
    c = client_as("police")
    url = f"/reviews/{review.id}/requests/{req.id}"
    r = c.post(url, data={"version": req.version, "response": ""})
    assert r.status_code == 200 and "Enter the information requested" in r.text
    r = c.post(
        url,
        data={"version": req.version, "response": "Eleven contacts", "chronology": (io.BytesIO(PDF), "chronology.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    req = db.session.get(InformationRequest, req.id)
    assert req.status == RequestStatus.returned and req.chronology_file_id is not None
    assert client_as("icb").post(url, data={"version": req.version, "response": "x"}).status_code == 404


def test_sending_a_request_on_the_page(client_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    c = client_as("sarchair")
    r = c.post(
        f"/reviews/{review.id}/requests/new",
        data={"organisation_id": str(demo.org("police").id), "request": "Chronology", "conditions": ["1", "2"]},
    )
    assert r.status_code == 200 and "conditions 1 and 2, and condition 3 or 4" in r.text
    r = c.post(
        f"/reviews/{review.id}/requests/new",
        data={"organisation_id": str(demo.org("police").id), "request": "Chronology", "conditions": ["1", "2", "3"]},
    )
    assert r.status_code == 302
    cspr = advance(new_cspr(demo), demo, ReviewState.rapid_review)
    page = client_as("office").get(f"/reviews/{cspr.id}/requests/new")
    assert "Section 45" not in page.text


def test_recommendations_and_actions_on_the_page(client_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.signed_off)
    c = client_as("office")
    r = c.post(f"/reviews/{review.id}/recommendations/new", data={"text": ""})
    assert r.status_code == 200 and "Enter the recommendation" in r.text
    r = c.post(f"/reviews/{review.id}/recommendations/new", data={"text": "Improve discharge planning"})
    assert r.status_code == 302
    [rec] = svc.recommendations_of(review)
    r = c.post(
        f"/reviews/{review.id}/recommendations/{rec.id}/actions/new",
        data={
            "title": "Revise the policy",
            "owner_organisation_id": str(demo.org("acute").id),
            "due_date": ["31", "3", "2027"],
        },
    )
    assert r.status_code == 302
    page = c.get(f"/reviews/{review.id}")
    assert "Revise the policy" in page.text and "Recommendation 1" in page.text


def test_dashboard_list_and_timeliness_pages(client_as, demo, monkeypatch):
    # The demo's reviews were set up on 23 November 2026: a rapid review due soon, others
    # breached or paused (by 3 December, the suite's day, the rapid review is breached).
    monkeypatch.setenv("SAFEGUARDING_TODAY", "2026-11-23")
    c = client_as("chair")
    page = c.get("/reviews")
    assert page.status_code == 200 and "The chair's queue of decisions" in page.text
    awaiting = db.session.get(Review, demo.id("reviews", "awaiting"))
    assert f"/reviews/{awaiting.id}/decide" in page.text
    assert "Due soon" in page.text and "Breached" in page.text and "Paused" in page.text
    listing = c.get("/reviews/all?kind=cspr&status=open")
    assert "CSPR-2026" in listing.text and "SAR-2026" not in listing.text
    assert c.get("/reviews/all?kind=spaceship").status_code == 400
    report = c.get("/reviews/timeliness?year=2026-27")
    assert report.status_code == 200 and "<svg" in report.text and "Referral to decision" in report.text
    assert c.get("/reviews/timeliness?year=2026-28").status_code == 400


def test_home_panels(client_as, demo):
    assert "Review decisions waiting" in client_as("chair").get("/home").text
    office = client_as("office").get("/home").text
    assert "Review deadlines this week" in office and "Overdue information requests" in office
    police = client_as("police").get("/home").text
    assert "Information requests" not in police  # the demo's police request has been returned
    assert "/reviews/refer" in client_as("viewer").get("/home").text
    assert "/reviews/refer" not in client_as("office").get("/home").text


def test_closure_days_are_added_and_removed_with_confirmation(client_as):
    c = client_as("office")
    r = c.post("/calendar/closure-days", data={"day": ["26", "12", "2026"], "reason": "x"})
    assert r.status_code == 200 and "is a weekend" in r.text
    r = c.post("/calendar/closure-days", data={"day": ["24", "12", "2026"], "reason": "Office closed"})
    assert r.status_code == 302
    row = db.session.scalar(sa.select(ClosureDay).where(ClosureDay.day == date(2026, 12, 24)))
    from safeguarding.calendar import working_days

    assert not working_days().is_working_day(date(2026, 12, 24))
    r = c.post("/calendar/closure-days", data={"day": ["24", "12", "2026"], "reason": "x"})
    assert "already a closure day" in r.text
    confirm = c.get(f"/calendar/closure-days/{row.id}/remove")
    assert "Are you sure" in confirm.text
    assert c.post(f"/calendar/closure-days/{row.id}/remove").status_code == 302
    db.session.refresh(row)
    assert row.active is False and working_days().is_working_day(date(2026, 12, 24))
    assert c.get(f"/calendar/closure-days/{row.id}/remove").status_code == 404
    r = c.post("/calendar/closure-days", data={"day": ["24", "12", "2026"], "reason": "Closed after all"})
    db.session.refresh(row)
    assert r.status_code == 302 and row.active and row.reason == "Closed after all"
    assert client_as("chair").get("/calendar/closure-days").status_code == 403
