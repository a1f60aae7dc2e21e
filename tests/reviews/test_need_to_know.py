"""Need-to-know: who sees a review in full, who sees only their agency's requests and
actions, and who is told it does not exist (404, never 403) — on pages and the API —
and the audit of every view."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, ReviewState, Role
from safeguarding.services import actions as actions_svc
from safeguarding.services import reviews as svc
from safeguarding.services.errors import NotFound
from tests.reviews.helpers import advance, new_sar, stored
from tests.support.factories import UserFactory


@pytest.fixture
def case(demo):
    """A SAR naming the police (an agency, not on the SAR sub-group) with a request to the
    police and one to the hospitals, and an action for each."""
    review = advance(new_sar(demo, agency_ids=[demo.org("police").id]), demo, ReviewState.information_gathering)
    office = demo.user("office")
    police_req = svc.send_information_request(
        review, office, organisation_id=demo.org("police").id, request="Police chronology", conditions=[1, 2, 3]
    )
    acute_req = svc.send_information_request(
        review, office, organisation_id=demo.org("acute").id, request="Hospital chronology", conditions=[1, 2, 3]
    )
    return review, police_req, acute_req


def _views(review_id):
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == "reviews", AuditEntry.entity_id == str(review_id), AuditEntry.action == "view")
        .order_by(AuditEntry.id)
    ).all()


@pytest.mark.parametrize("who", ["office", "chair", "sarchair"])
def test_office_chair_and_sub_group_see_the_review_in_full(client_as, api_as, case, who):
    review, *_ = case
    r = client_as(who).get(f"/reviews/{review.id}")
    assert r.status_code == 200 and "Screening against the s44 criteria" in r.text and review.summary in r.text
    r = api_as(who).get(f"/api/v1/reviews/{review.id}")
    assert r.status_code == 200 and r.json["reference"] == review.reference
    assert {d["kind"] for d in r.json["deadlines"]} <= {"report", "notify_panel", "rapid_review"}


@pytest.mark.parametrize("who", ["viewer", "admin", "icb", "west"])
def test_everyone_else_is_told_the_review_does_not_exist(client_as, api_as, case, demo, who):
    """Partner members of agencies not named are told the review does not exist (404);
    viewers and administrators never see case content and are refused every review page
    by role (403, whatever the id: tests/test_access_table.py); the pages only the office
    or the chair use are refused to partners by role too."""
    review, police_req, _ = case
    c, a = client_as(who), api_as(who)
    by_role = who in ("viewer", "admin")
    hidden = 403 if by_role else 404
    for url in (
        f"/reviews/{review.id}",
        f"/reviews/{review.id}/screening",
        f"/reviews/{review.id}/requests/{police_req.id}",
        f"/workflow/review/{review.id}/start_screening",
    ):
        assert c.get(url).status_code == hidden, url
    for url in (f"/reviews/{review.id}/edit", f"/reviews/{review.id}/decide"):
        assert c.get(url).status_code == 403, url
    for url in (
        f"/api/v1/reviews/{review.id}",
        f"/api/v1/reviews/{review.id}/history",
        f"/api/v1/reviews/{review.id}/information-requests",
        f"/api/v1/reviews/{review.id}/recommendations",
        f"/api/v1/information-requests/{police_req.id}",
    ):
        assert a.get(url).status_code == hidden, url
    r = a.post(f"/api/v1/reviews/{review.id}/transitions", json={"trigger": "recommend", "version": review.version})
    assert r.status_code == hidden
    if not by_role:
        assert review.reference not in c.get("/reviews/all").text
    assert _views(review.id) == []


def test_viewers_and_admins_see_no_case_content_at_all(client_as, api_as, case):
    for who in ("viewer", "admin"):
        assert client_as(who).get("/reviews").status_code == 403
        assert api_as(who).get("/api/v1/reviews").status_code == 403
        assert api_as(who).get("/api/v1/information-requests").status_code == 403


def test_a_named_agency_sees_only_its_own_requests_and_actions(client_as, api_as, case, demo):
    review, police_req, acute_req = case
    police = client_as("police")
    page = police.get(f"/reviews/{review.id}")
    assert page.status_code == 200
    for case_detail in (review.summary, "Age band", "Date of death or serious harm", "Screening", "History"):
        assert case_detail not in page.text
    assert f"Request {police_req.id}" in page.text and f"Request {acute_req.id}" not in page.text
    assert police.get(f"/reviews/{review.id}/requests/{police_req.id}").status_code == 200
    assert police.get(f"/reviews/{review.id}/requests/{acute_req.id}").status_code == 404
    assert police.get(f"/reviews/{review.id}/screening").status_code == 404
    api = api_as("police")
    assert api.get(f"/api/v1/reviews/{review.id}").status_code == 404  # no case resource
    listed = api.get(f"/api/v1/reviews/{review.id}/information-requests").json
    assert [r["id"] for r in listed] == [police_req.id]
    mine = api.get("/api/v1/information-requests").json
    assert police_req.id in [r["id"] for r in mine["items"]] and acute_req.id not in [r["id"] for r in mine["items"]]
    assert api.get(f"/api/v1/information-requests/{acute_req.id}").status_code == 404
    assert review.reference not in api.get("/api/v1/reviews").text
    # The police answer their own request through the API.
    r = api.post(
        f"/api/v1/information-requests/{police_req.id}/transitions",
        json={"trigger": "respond", "version": police_req.version, "response": "Chronology attached"},
    )
    assert r.status_code == 200 and r.json["state"] == "returned"
    r = api.post(
        f"/api/v1/information-requests/{police_req.id}/transitions",
        json={"trigger": "withdraw", "version": r.json["version"], "comment": "No"},
    )
    assert r.status_code == 403


def test_a_named_agency_sees_its_review_actions_and_not_others(demo, case):
    review, police_req, acute_req = case
    from safeguarding.workflows.reviews import request_lifecycle

    for req in (police_req, acute_req):
        request_lifecycle.fire(req, "withdraw", user=demo.user("office"), version=req.version, comment="Not needed")
    advance(review, demo, ReviewState.published)
    office = demo.user("office")
    rec = svc.add_recommendation(review, office, text="Share risk information")
    police_action = svc.add_action(
        review,
        rec,
        office,
        title="Brief officers",
        owner_organisation_id=demo.org("police").id,
        due_date=date(2027, 1, 31),
    )
    acute_action = svc.add_action(
        review,
        rec,
        office,
        title="Audit discharges",
        owner_organisation_id=demo.org("acute").id,
        due_date=date(2027, 1, 31),
    )
    police = demo.user("police")
    seen = {a.id for acts in svc.actions_of(review, police).values() for a in acts}
    assert seen == {police_action.id}
    assert actions_svc.get_action(police_action.id, police)
    with pytest.raises(NotFound):
        actions_svc.get_action(acute_action.id, police)
    # Sub-group members see the review's actions (the action carries the sub-group).
    assert actions_svc.get_action(acute_action.id, demo.user("sarchair"))


def test_a_partner_sees_a_group_review_only_while_on_the_group(demo):
    review = new_sar(demo, agency_ids=[])
    from tests.support.factories import MembershipFactory, PersonFactory

    person = PersonFactory(organisation=demo.org("fire"))
    user = UserFactory(roles=[Role.partner_member], person_id=person.id, organisation_id=demo.org("fire").id)
    with pytest.raises(NotFound):
        svc.get_review(review.id, user)
    m = MembershipFactory(group=demo.group("sar"), person=person, organisation=demo.org("fire"))
    assert svc.get_review(review.id, user) == review
    m.end_date = date(2026, 1, 31)
    db.session.flush()
    with pytest.raises(NotFound):
        svc.get_review(review.id, user)


def test_every_view_of_a_review_is_audited_without_names(client_as, api_as, case, demo):
    review, police_req, _ = case
    client_as("office").get(f"/reviews/{review.id}")
    api_as("chair").get(f"/api/v1/reviews/{review.id}")
    client_as("police").get(f"/reviews/{review.id}")
    views = _views(review.id)
    assert [v.actor_label for v in views] == ["office@demo.test", "chair@demo.test", "police@demo.test"]
    assert all(v.changes == {} for v in views)
    client_as("police").get(f"/reviews/{review.id}/requests/{police_req.id}")
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity_type == "review_information_requests", AuditEntry.action == "view")
        )
        == 1
    )


def test_report_and_chronology_downloads_are_checked_and_audited(client_as, case, demo):
    review, police_req, _ = case
    chronology = stored(demo.user("police"), purpose="chronology")
    svc.return_information(
        police_req, demo.user("police"), version=police_req.version, response="x", chronology=chronology
    )
    url = f"/reviews/{review.id}/requests/{police_req.id}/chronology"
    r = client_as("police").get(url)
    assert r.status_code == 200 and r.data.startswith(b"%PDF") and review.reference in r.headers["Content-Disposition"]
    assert client_as("icb").get(url).status_code == 404
    assert client_as("sarchair").get(url).status_code == 200
    assert client_as("office").get(f"/reviews/{review.id}/reports/draft/download").status_code == 404  # none yet
    downloads = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "download")).all()
    assert len(downloads) == 2 and all(d.entity_id == str(police_req.id) for d in downloads)


def test_the_sub_group_may_not_use_office_only_pages_of_a_review_it_knows(client_as, case):
    review, *_ = case
    sub = client_as("sarchair")
    assert sub.get(f"/reviews/{review.id}/edit").status_code == 403
    assert sub.get(f"/reviews/{review.id}/decide").status_code == 403
    assert sub.get(f"/reviews/{review.id}/screening").status_code == 200
