"""The case review API: lists and filters, referral and notification, the uniform
workflow endpoints (403 / 409 / 422 with reasons), requests, recommendations and the
timeliness report."""

from __future__ import annotations

from safeguarding.models import ReviewState
from tests.reviews.helpers import advance, new_sar

REFERRAL = {
    "kind": "sar",
    "initials": "TS",
    "age_band": "45_64",
    "area": "north",
    "harm_date": "2026-11-01",
    "summary": "Self-neglect",
    "referral_source": "GP practice",
}


def test_list_and_filter(api_as, demo):
    office = api_as("office")
    r = office.get("/api/v1/reviews?kind=cspr&status=open")
    assert r.status_code == 200 and r.json["total"] == 4
    assert {i["kind"] for i in r.json["items"]} == {"cspr"} and all("available_triggers" in i for i in r.json["items"])
    r = office.get("/api/v1/reviews?state=awaiting_decision")
    # The SAR waits for the chair; the rapid review CSPR-2026-001 for the ICB's answer.
    assert sorted(i["reference"] for i in r.json["items"]) == ["CSPR-2026-001", "SAR-2026-004"]
    assert office.get("/api/v1/reviews?area=north&kind=sar").json["total"] >= 3
    r = office.get("/api/v1/reviews?kind=dhr")
    assert r.status_code == 422 and "kind" in r.json["errors"]
    # The SAR sub-group's chair sees its group's reviews, not the CSPR group's.
    kinds = {i["kind"] for i in api_as("sarchair").get("/api/v1/reviews?per_page=200").json["items"]}
    assert kinds == {"sar"}


def test_anyone_refers_and_gets_a_receipt(api_as, demo):
    r = api_as("viewer").post("/api/v1/reviews", json=REFERRAL)
    assert r.status_code == 201 and r.json["reference"].startswith("SAR-2026-") and r.json["state"] == "referred"
    assert set(r.json) == {"id", "reference", "kind", "state"}
    # The referrer gets the reference, never the review (a viewer sees no case content).
    assert api_as("viewer").get(f"/api/v1/reviews/{r.json['id']}").status_code == 403
    r = api_as("viewer").post(
        "/api/v1/reviews", json={**REFERRAL, "initials": "", "age_band": "85_plus", "harm_date": "2026-02-30"}
    )
    assert r.status_code == 422 and "harm_date" in r.json["errors"]
    r = api_as("viewer").post(
        "/api/v1/reviews", json={**REFERRAL, "kind": "cspr", "age_band": "1_4", "la_aware_on": "2026-11-20"}
    )
    assert r.status_code == 403


def test_the_office_records_a_notification(api_as):
    r = api_as("office").post(
        "/api/v1/reviews",
        json={
            "kind": "cspr",
            "initials": "LM",
            "age_band": "5_10",
            "area": "west",
            "harm_date": "2026-11-18",
            "summary": "Serious injury",
            "la_aware_on": "2026-11-19",
        },
    )
    assert r.status_code == 201 and r.json["reference"].startswith("CSPR-2026-")
    detail = api_as("office").get(f"/api/v1/reviews/{r.json['id']}").json
    # The Panel and the safeguarding partners are each told within 5 working days of awareness.
    assert sorted((d["kind"], d["due_on"], d["working"]) for d in detail["deadlines"]) == [
        ("notify_panel", "2026-11-26", True),
        ("tell_partners", "2026-11-26", True),
    ]


def test_transitions_through_the_api(api_as, demo):
    review = new_sar(demo)
    office, chair = api_as("office"), api_as("chair")
    url = f"/api/v1/reviews/{review.id}/transitions"
    r = office.post(url, json={"trigger": "start_screening", "version": review.version})
    assert r.status_code == 200 and r.json["state"] == "screening"
    version = r.json["version"]
    r = office.post(url, json={"trigger": "start_screening", "version": version})
    assert r.status_code == 409
    r = office.post(url, json={"trigger": "request_information", "version": version - 1})
    assert r.status_code == 409 and "changed by someone else" in r.json["detail"]
    r = office.post(url, json={"trigger": "request_information", "version": version})
    assert r.status_code == 422 and r.json["reasons"] == ["Record the screening against the s44 criteria first"]
    r = office.put(
        f"/api/v1/reviews/{review.id}/screening",
        json={
            "version": version,
            "in_area": True,
            "in_area_reason": "Lives in West Borough",
            "needs": True,
            "needs_reason": "Care plan",
            "died": True,
            "abuse": True,
            "abuse_reason": "Neglect",
            "concern": True,
            "concern_reason": "Not shared",
        },
    )
    assert r.status_code == 200 and r.json["screening"]["outcome"] == "mandatory"
    version = r.json["version"]
    r = office.post(url, json={"trigger": "request_information", "version": version})
    r = api_as("sarchair").post(
        url,
        json={
            "trigger": "recommend",
            "version": r.json["version"],
            "recommendation": "mandatory",
            "recommendation_reason": "Met",
        },
    )
    assert r.status_code == 200 and r.json["state"] == "awaiting_decision"
    r2 = office.post(
        url, json={"trigger": "decide", "version": r.json["version"], "outcome": "mandatory", "decision_reason": "x"}
    )
    assert r2.status_code == 403
    r2 = chair.post(url, json={"trigger": "decide", "version": r.json["version"], "outcome": "maybe"})
    assert r2.status_code == 422 and "outcome" in r2.json["errors"]
    r = chair.post(
        url,
        json={
            "trigger": "decide",
            "version": r.json["version"],
            "outcome": "mandatory",
            "decision_reason": "The criteria are met",
        },
    )
    assert r.status_code == 200 and r.json["state"] == "commissioned" and r.json["decision"] == "mandatory"
    history = office.get(f"/api/v1/reviews/{review.id}/history").json
    assert [h["trigger"] for h in history] == ["start_screening", "request_information", "recommend", "decide"]
    r = office.put(
        f"/api/v1/reviews/{review.id}/commissioning",
        json={
            "version": r.json["version"],
            "terms_of_reference": "ToR",
            "methodology": "thematic",
            "reviewer": "R",
            "contract_value_pence": 650000,
            "period_from": "2025-01-01",
            "period_to": "2026-01-01",
        },
    )
    assert r.status_code == 200 and r.json["contract_value_pence"] == 650000


def test_patch_case_details_needs_the_version(api_as, demo):
    review = new_sar(demo)
    seen = review.version
    r = api_as("office").patch(
        f"/api/v1/reviews/{review.id}",
        json={"version": seen, "family_invited": True, "parallel_processes": ["inquest"]},
    )
    assert r.status_code == 200 and r.json["family_invited"] is True and r.json["parallel_processes"] == ["inquest"]
    current = r.json["version"]
    r = api_as("office").patch(f"/api/v1/reviews/{review.id}", json={"version": seen, "area": "west"})
    assert r.status_code == 409
    r = api_as("sarchair").patch(f"/api/v1/reviews/{review.id}", json={"version": current, "area": "west"})
    assert r.status_code == 403
    r = api_as("office").patch(f"/api/v1/reviews/{review.id}", json={"version": current, "initials": "Jo Bloggs"})
    assert r.status_code == 422 and r.json["errors"] == {
        "initials": "Initials must be 1 to 4 letters, like JS (never a name)"
    }


def test_information_requests_and_recommendations(api_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    sub = api_as("sarchair")
    url = f"/api/v1/reviews/{review.id}/information-requests"
    r = sub.post(url, json={"organisation_id": demo.org("fire").id, "request": "Visits", "conditions": [1, 2]})
    assert r.status_code == 422 and "conditions" in r.json["errors"]
    r = sub.post(
        url,
        json={
            "organisation_id": demo.org("fire").id,
            "request": "Visits",
            "conditions": [1, 2, 3],
            "sent_on": "2026-11-20",
        },
    )
    assert r.status_code == 201 and r.json["due_on"] == "2026-12-18" and r.json["state"] == "sent"
    assert [i["id"] for i in sub.get(url).json] == [r.json["id"]]
    req = r.json
    r = api_as("office").post(
        f"/api/v1/information-requests/{req['id']}/transitions", json={"trigger": "withdraw", "version": req["version"]}
    )
    assert r.status_code == 422 and r.json["errors"] == {"comment": "Enter reason for withdrawing"}
    r = api_as("office").post(
        f"/api/v1/information-requests/{req['id']}/transitions",
        json={"trigger": "withdraw", "version": req["version"], "comment": "Not needed"},
    )
    assert r.status_code == 200 and r.json["state"] == "withdrawn"
    assert [h["trigger"] for h in api_as("office").get(f"/api/v1/information-requests/{req['id']}/history").json] == [
        "withdraw"
    ]

    advance(review, demo, ReviewState.signed_off)
    r = api_as("office").post(
        f"/api/v1/reviews/{review.id}/recommendations",
        json={
            "text": "Share risk information",
            "actions": [
                {
                    "title": "Train call handlers",
                    "owner_organisation_id": demo.org("police").id,
                    "due_date": "2027-03-31",
                }
            ],
        },
    )
    assert r.status_code == 201 and r.json["number"] == 1 and len(r.json["actions"]) == 1
    r = api_as("office").post(
        f"/api/v1/reviews/{review.id}/recommendations",
        json={
            "text": "Another",
            "actions": [{"title": "", "owner_organisation_id": demo.org("police").id, "due_date": "2027-03-31"}],
        },
    )
    assert r.status_code == 422 and r.json["errors"] == {"actions.0.title": "Enter what needs to be done"}
    recs = api_as("sarchair").get(f"/api/v1/reviews/{review.id}/recommendations").json
    assert [(x["number"], [a["title"] for a in x["actions"]]) for x in recs] == [(1, ["Train call handlers"])]
    r = api_as("sarchair").post(f"/api/v1/reviews/{review.id}/recommendations", json={"text": "x"})
    assert r.status_code == 403


def test_timeliness_report(api_as):
    r = api_as("chair").get("/api/v1/reports/review-timeliness?year=2026-27")
    assert r.status_code == 200
    body = r.json
    assert body["label"] == "2026-27" and body["from"] == "2026-04-01" and body["to"] == "2027-03-31"
    assert body["referrals_received"]["sar"] >= 5 and body["referrals_received"]["cspr"] >= 2
    assert set(body["timeliness"]) == {"referral_to_decision", "decision_to_draft", "draft_to_publication"}
    assert body["timeliness"]["referral_to_decision"]["sar"]["count"] >= 1
    r = api_as("chair").get("/api/v1/reports/review-timeliness?year=2026-27&area=west")
    assert r.json["area"] == "west"
    r = api_as("chair").get("/api/v1/reports/review-timeliness?year=2026")
    assert r.status_code == 422 and "year" in r.json["errors"]
    assert api_as("police").get("/api/v1/reports/review-timeliness?year=2026-27").status_code == 403
