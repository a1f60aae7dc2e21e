"""The work plans API: business plans and priorities, work plans with the uniform
transitions/history, items, progress updates, item changes and the highlight report."""

from __future__ import annotations

from datetime import date

from safeguarding.services import workplans as svc
from tests.workplans.helpers import plan


def test_business_plans_and_priorities(api_as, demo):
    office = api_as("office")
    r = office.post("/api/v1/business-plans", json={"financial_year": "2045-46", "strategic_plan": "Safe"})
    assert r.status_code == 201, r.json
    bp = r.json
    assert bp["financial_year"] == "2045-46"
    r = office.post(
        f"/api/v1/business-plans/{bp['id']}/priorities",
        json={"title": "Prevention", "arm": "adults", "area": "north", "outcomes": ["Fewer repeats"]},
    )
    assert r.status_code == 201 and r.json["number"] == 1 and r.json["outcomes"] == ["Fewer repeats"]
    r = office.post("/api/v1/business-plans", json={"financial_year": "2045-46", "strategic_plan": "Again"})
    assert r.status_code == 422 and r.content_type.startswith("application/problem+json")
    assert (
        api_as("viewer")
        .post("/api/v1/business-plans", json={"financial_year": "2046-47", "strategic_plan": "x"})
        .status_code
        == 403
    )
    listed = api_as("viewer").get(f"/api/v1/business-plans/{bp['id']}/priorities")
    assert listed.status_code == 200 and listed.json[0]["arm"] == "adults"


def test_work_plans_transitions_items_and_updates(api_as, demo):
    p = plan(demo, state="submitted")
    office = api_as("office")
    r = office.get(f"/api/v1/work-plans/{p.id}")
    assert r.json["state"] == "submitted" and "return_for_changes" in r.json["available_triggers"]
    r = office.post(f"/api/v1/work-plans/{p.id}/transitions", json={"trigger": "approve", "version": p.version})
    assert r.status_code == 422 and "The Board has not approved" in r.json["detail"] + str(r.json.get("reasons"))
    r = office.post(
        f"/api/v1/work-plans/{p.id}/transitions",
        json={"trigger": "return_for_changes", "version": p.version, "comment": "Add measures"},
    )
    assert r.status_code == 200 and r.json["state"] == "draft"
    assert [h["trigger"] for h in office.get(f"/api/v1/work-plans/{p.id}/history").json] == [
        "submit",
        "return_for_changes",
    ]
    first = svc.priorities_of(svc.business_plan_for_year(p.financial_year).id)[0]
    r = office.post(
        f"/api/v1/work-plans/{p.id}/items",
        json={
            "priority_id": first.id,
            "title": "New",
            "lead_organisation_id": demo.org("west").id,
            "due_date": "2030-01-31",
            "success_measure": "Done",
        },
    )
    assert r.status_code == 201 and r.json["rating"] == "green"
    items = office.get(f"/api/v1/work-plans/{p.id}/items").json
    assert len(items) == 2
    # A draft plan takes no updates.
    r = office.post(f"/api/v1/work-plan-items/{items[0]['id']}/updates", json={"text": "Started"})
    assert r.status_code == 409


def test_updates_and_item_changes_on_an_approved_plan(api_as, demo):
    p = plan(demo, state="approved", due=date(2020, 1, 1))
    it = svc.items_of(p)[0]
    lead = api_as("police")
    r = lead.post(f"/api/v1/work-plan-items/{it.id}/updates", json={"text": "Halfway", "percent": 50})
    assert r.status_code == 201
    assert api_as("west").post(f"/api/v1/work-plan-items/{it.id}/updates", json={"text": "x"}).status_code == 403
    assert len(api_as("chair").get(f"/api/v1/work-plan-items/{it.id}/updates").json) == 1
    # Work plans are the groups' working papers: viewers read the business plans only.
    assert api_as("viewer").get(f"/api/v1/work-plan-items/{it.id}/updates").status_code == 403
    item = lead.get(f"/api/v1/work-plan-items/{it.id}").json
    assert item["rag"] == "red"
    r = lead.patch(f"/api/v1/work-plan-items/{it.id}", json={"version": item["version"], "status": "deferred"})
    assert r.status_code == 422 and r.json["errors"] == {"reason": "Enter why the item is deferred"}
    r = api_as("office").patch(
        f"/api/v1/work-plan-items/{it.id}",
        json={"version": item["version"], "rag_override": "amber", "override_justification": "Recovery plan agreed"},
    )
    assert r.status_code == 200 and (r.json["rag"], r.json["rating"]) == ("red", "amber")
    r = api_as("office").patch(f"/api/v1/work-plan-items/{it.id}", json={"version": 1, "status": "completed"})
    assert r.status_code == 409


def test_the_highlight_report(api_as, demo):
    r = api_as("chair").get(
        f"/api/v1/reports/highlight?group={demo.group('sar').id}&meeting={demo.id('meetings', 'board_upcoming')}"
    )
    assert r.status_code == 200
    # A Board paper: not the viewers' (they never see papers).
    assert (
        api_as("viewer")
        .get(f"/api/v1/reports/highlight?group={demo.group('sar').id}&meeting={demo.id('meetings', 'board_upcoming')}")
        .status_code
        == 403
    )
    assert r.json["terms_of_reference"]["missing"] is True
    assert {i["rating"] for i in r.json["red_and_amber"]} <= {"red", "amber"} and r.json["red_and_amber"]
    assert all(i["reason"] for i in r.json["red_and_amber"])
    assert (
        api_as("chair")
        .get(
            f"/api/v1/reports/highlight?group={demo.group('board').id}&meeting={demo.id('meetings', 'board_upcoming')}"
        )
        .status_code
        == 404
    )
