"""Joint decisions of the children's safeguarding partners (issue 15): the demo's rapid
review waits for the ICB's answer; the page and the API answer, comment and refuse."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import JointDecisionState, OutboxMessage
from safeguarding.services import joint_decisions
from tests.support.demo import Demo


def _mails() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "joint_decision")
    )


def _rapid(demo: Demo):
    review_id = demo.id("reviews", "cspr_rapid")
    return next(iter(joint_decisions.decisions_for(review_id=review_id)))


def test_the_demo_rapid_review_waits_for_the_icb(demo, api_as):
    d = _rapid(demo)
    assert d.state == JointDecisionState.open
    r = api_as("office").get(f"/api/v1/joint-decisions/{d.id}")
    assert r.status_code == 200
    answers = {a["organisation_id"]: a for a in r.json["answers"]}
    assert set(answers) == {demo.org("north").id, demo.org("icb").id, demo.org("police").id}
    assert answers[demo.org("north").id]["agree"] is True and answers[demo.org("north").id]["capacity"] == "delegate"
    assert answers[demo.org("icb").id]["agree"] is None
    # The ICB's delegated partner sees it on the home page and answers through the API.
    assert any(
        p["key"] == "joint_decisions_waiting" for p in api_as("icb").get("/api/v1/me/queue").json.get("items", [])
    )
    r = api_as("icb").post(f"/api/v1/joint-decisions/{d.id}/answers", json={"agree": True})
    assert r.status_code == 201 and r.json["state"] == "carried"
    r = api_as("office").get(f"/api/v1/reviews/{d.review_id}")
    assert r.json["state"] == "lcspr_commissioned"


def test_refusals(demo, api_as, client_as):
    d = _rapid(demo)
    # The chair comments, does not answer; a partner of the other area does not see it.
    assert api_as("chair").post(f"/api/v1/joint-decisions/{d.id}/answers", json={"agree": True}).status_code == 403
    assert api_as("westdcs").get(f"/api/v1/joint-decisions/{d.id}").status_code == 404
    r = api_as("icb").post(f"/api/v1/joint-decisions/{d.id}/answers", json={"agree": False})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    assert api_as("icb").post(f"/api/v1/joint-decisions/{d.id}/answers", json={"agree": "perhaps"}).status_code == 422
    r = api_as("chair").post(f"/api/v1/joint-decisions/{d.id}/comments", json={"text": "Agree with the criteria"})
    assert r.status_code == 201 and r.json["comments"][0]["capacity"] == "Independent chair"
    assert r.json["state"] == "open"
    assert api_as("viewer").get("/api/v1/joint-decisions").status_code == 403
    # The page: the ICB's form, an error summary for a disagreement without a reason.
    c = client_as("icb")
    page = c.get(f"/joint-decisions/{d.id}").text
    assert "Your organisation&#39;s answer" in page or "Your organisation's answer" in page
    r = c.post(f"/joint-decisions/{d.id}/answer", data={"organisation_id": str(demo.org("icb").id), "agree": "no"})
    assert (
        r.status_code == 200 and "govuk-error-summary" in r.text and "Enter why your organisation disagrees" in r.text
    )
    assert d.state == JointDecisionState.open


def test_putting_a_question_emails_each_partner_of_the_area(demo, api_as):
    before = _mails()
    d = _rapid(demo)
    r = api_as("office").post(f"/api/v1/joint-decisions/{d.id}/withdraw", json={"reason": "Put again"})
    assert r.status_code == 200 and r.json["state"] == "withdrawn"
    r = api_as("office").post("/api/v1/joint-decisions", json={"subject": "rapid_review", "review_id": d.review_id})
    assert r.status_code == 201 and r.json["state"] == "open" and r.json["id"] != d.id
    # One email to the partners of North: North Council's, the ICB's and the police's delegates.
    assert _mails() == before + 1
    r = api_as("office").post("/api/v1/joint-decisions", json={"subject": "rapid_review", "review_id": d.review_id})
    assert r.status_code == 409
    r = api_as("office").post("/api/v1/joint-decisions", json={"subject": "lcspr_report", "review_id": d.review_id})
    assert r.status_code == 409


def test_the_list_costs_the_same_queries_however_many_decisions(demo, api_as, count_queries):
    office = api_as("office")
    with count_queries() as one:
        r = office.get("/api/v1/joint-decisions?state=open")
    assert r.status_code == 200 and r.json["total"] >= 1
    d = _rapid(demo)
    office.post(f"/api/v1/joint-decisions/{d.id}/withdraw", json={"reason": "Put again"})
    office.post("/api/v1/joint-decisions", json={"subject": "rapid_review", "review_id": d.review_id})
    with count_queries() as more:
        r = office.get("/api/v1/joint-decisions?per_page=200")
    assert r.json["total"] > 1 and len(more.statements) <= len(one.statements) + 1


# --- a decision the partners took before the service held the case, recorded by the office ------


def _record(demo: Demo, user: str, **kw):
    from datetime import date

    from safeguarding.models import Review, ReviewOutcome
    from safeguarding.services.reviews import partners as review_partners

    review = db.session.get(Review, demo.id("reviews", "cspr_rapid"))
    values = {"outcome": ReviewOutcome.lcspr, "decided_on": date(2026, 11, 20), "recorded_from": "Partners' minutes"}
    values.update(kw)
    return review, review_partners.record_rapid_review_decision(review, demo.user(user), **values)


def test_the_office_records_a_decision_the_partners_took_and_it_settles_the_open_question(demo, client_as):
    from datetime import date

    from safeguarding.models import ReviewState

    open_question = _rapid(demo)
    review, d = _record(demo, "office")
    assert d.id == open_question.id and d.state == JointDecisionState.carried and d.decided_on == date(2026, 11, 20)
    assert {a.capacity for a in joint_decisions.answers_of(d)} == {"recorded"}
    assert all(a.agree for a in joint_decisions.answers_of(d))
    assert review.state == ReviewState.lcspr_commissioned and review.decided_on == date(2026, 11, 20)
    page = client_as("office").get(f"/joint-decisions/{d.id}").get_data(as_text=True)
    assert "before the case was held in this service" in page and "Partners&#39; minutes" in page
    assert "Recorded by the business office" in page


def test_only_the_office_records_and_only_a_past_decision_with_its_source(demo):
    from datetime import date

    import pytest

    from safeguarding.services.errors import Forbidden, ValidationFailed

    with pytest.raises(Forbidden):
        _record(demo, "chair")  # the chair neither decides nor records a CSPR's decision
    with pytest.raises(ValidationFailed) as exc:
        _record(demo, "office", decided_on=date(2026, 12, 3))  # today: the partners answer in the service
    assert "made in the service by the partners themselves" in exc.value.errors["decided_on"]
    with pytest.raises(ValidationFailed) as exc:
        _record(demo, "office", recorded_from="  ")
    assert "where the partners' decision is recorded" in exc.value.errors["recorded_from"]
    assert _rapid(demo).state == JointDecisionState.open
