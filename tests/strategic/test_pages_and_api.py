"""The strategic plan's pages and API: the office's forms (GOV.UK errors on bad input),
publication refused before the Board agreed, a stale version refused, the PDF, and who
reads what."""

from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from safeguarding.extensions import db
from safeguarding.models import AgendaItem, StrategicPlan
from safeguarding.services import strategic


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _demo_plan(demo) -> StrategicPlan:
    return db.session.get(StrategicPlan, demo.id("strategic_plans", "2026"))


def test_the_demo_plan_is_published_with_its_consultations_and_agreement(demo, client_as):
    plan = _demo_plan(demo)
    assert plan.state.value == "published" and plan.agreed_on is not None and plan.published_pdf
    kinds = [c.kind.value for c in strategic.consultations_of(plan)]
    assert kinds == ["healthwatch", "community"]
    assert all(strategic.priorities_by_objective(plan).get(o.id) for o in strategic.objectives_of(plan))
    for who in ("office", "chair", "police", "sarchair", "viewer"):
        page = client_as(who).get(f"/strategic-plans/{plan.id}")
        assert page.status_code == 200, who
        assert "Healthwatch County board and its volunteers" in page.text
        assert "People at the centre of every enquiry" in page.text
    r = client_as("viewer").get(f"/strategic-plans/{plan.id}/plan.pdf")
    assert r.status_code == 200 and r.data == plan.published_pdf  # the bytes as published
    text = _pdf_text(r.data)
    assert "Prevention first" in text and "Learning that changes practice" in text


def test_the_office_builds_a_plan_through_the_pages(client_as, demo):
    c = client_as("office")
    r = c.post("/strategic-plans/new", data={"financial_year": "2031", "title": ""})
    assert r.status_code == 400
    assert "Enter the financial year, like 2026-27" in r.text and "Enter the title of the plan" in r.text
    assert "govuk-error-summary" in r.text
    r = c.post("/strategic-plans/new", data={"financial_year": "2031-32", "title": "Safe together"})
    assert r.status_code == 302
    plan = strategic.plan_for_year(2031)
    r = c.post(f"/strategic-plans/{plan.id}/objectives", data={"add-title": ""})
    assert "Enter the objective" in r.text
    r = c.post(f"/strategic-plans/{plan.id}/objectives", data={"add-title": "Prevention first"})
    assert r.status_code == 302
    (objective,) = strategic.objectives_of(plan)
    r = c.post(
        f"/strategic-plans/{plan.id}/commitments",
        data={"objective_id": str(objective.id), "organisation_id": str(demo.org("icb").id), "text": ""},
    )
    assert "Enter what the organisation will do" in r.text
    r = c.post(
        f"/strategic-plans/{plan.id}/commitments",
        data={"objective_id": str(objective.id), "organisation_id": str(demo.org("icb").id), "text": "Audit GPs"},
    )
    assert r.status_code == 302
    r = c.post(
        f"/strategic-plans/{plan.id}/consultations",
        data={"kind": "healthwatch", "consulted_on": ["31", "2", "2026"], "consulted": "", "response": ""},
    )
    assert "must be a real date" in r.text and "Enter who was consulted" in r.text
    # Before the consultations, the Board cannot be asked: the reasons are shown.
    r = c.post(f"/strategic-plans/{plan.id}/agree", data={})
    assert r.status_code == 400 and "Record the consultation of Local Healthwatch" in r.text
    for kind in ("healthwatch", "community"):
        r = c.post(
            f"/strategic-plans/{plan.id}/consultations",
            data={"kind": kind, "consulted_on": ["2", "11", "2026"], "consulted": "Them", "response": "Fine"},
        )
        assert r.status_code == 302
    r = c.post(f"/strategic-plans/{plan.id}/agree", data={})
    assert r.status_code == 302
    assert db.session.scalar(
        sa.select(AgendaItem.id).where(AgendaItem.subject_type == "strategic_plan", AgendaItem.subject_id == plan.id)
    )
    # Not agreed yet: publication is refused with the reason.
    r = c.post(f"/strategic-plans/{plan.id}/publish", data={"version": str(plan.version)})
    assert r.status_code == 400 and "The Board has not agreed the plan yet" in r.text
    # A draft is not for members or viewers.
    assert client_as("police").get(f"/strategic-plans/{plan.id}").status_code == 404
    assert client_as("viewer").get(f"/strategic-plans/{plan.id}/plan.pdf").status_code == 404
    assert client_as("chair").get(f"/strategic-plans/{plan.id}").status_code == 200
    assert "Safe together" not in client_as("viewer").get("/strategic-plans").text


def test_the_edit_page_refuses_a_stale_version(client_as, demo):
    c = client_as("office")
    plan = strategic.create_plan(demo.user("office"), financial_year=2032, title="Old")
    r = c.post(f"/strategic-plans/{plan.id}/edit", data={"version": str(plan.version - 1), "title": "New"})
    assert r.status_code == 400 and "changed by someone else" in r.text
    assert client_as("police").post(f"/strategic-plans/{plan.id}/edit", data={"title": "New"}).status_code == 403


def test_the_api(api_as, demo):
    office = api_as("office")
    r = office.post("/api/v1/strategic-plans", json={"financial_year": "2033-34", "title": "Plan", "vision": "V"})
    assert r.status_code == 201, r.json
    body = r.json
    assert body["financial_year"] == "2033-34" and body["state"] == "draft" and body["objectives"] == []
    bad = office.post("/api/v1/strategic-plans", json={"financial_year": "next year", "title": "Plan"})
    assert bad.status_code == 422 and bad.content_type == "application/problem+json"
    r = office.patch(f"/api/v1/strategic-plans/{body['id']}", json={"version": body["version"] - 1, "title": "X"})
    assert r.status_code == 409
    r = office.patch(f"/api/v1/strategic-plans/{body['id']}", json={"version": body["version"], "title": "New"})
    assert r.status_code == 200 and r.json["title"] == "New" and r.json["vision"] == "V"
    r = office.post(
        f"/api/v1/strategic-plans/{body['id']}/consultations",
        json={"kind": "healthwatch", "consulted_on": "2026-11-02", "consulted": "Healthwatch", "response": "Yes"},
    )
    assert r.status_code == 201 and r.json["kind"] == "healthwatch"
    r = office.post(
        f"/api/v1/strategic-plans/{body['id']}/consultations",
        json={"kind": "healthwatch", "consulted_on": "2099-01-01", "consulted": "Healthwatch", "response": "Yes"},
    )
    assert r.status_code == 422
    assert len(office.get(f"/api/v1/strategic-plans/{body['id']}/consultations").json) == 1
    pdf = office.get(f"/api/v1/strategic-plans/{body['id']}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # Members read published plans only; they cannot write.
    police = api_as("police")
    assert police.get(f"/api/v1/strategic-plans/{body['id']}").status_code == 404
    published = _demo_plan(demo)
    assert [p["id"] for p in police.get("/api/v1/strategic-plans").json] == [published.id]
    got = police.get(f"/api/v1/strategic-plans/{published.id}").json
    assert [o["number"] for o in got["objectives"]] == [1, 2, 3] and got["objectives"][0]["priority_ids"]
    assert police.post("/api/v1/strategic-plans", json={"financial_year": "2034-35", "title": "P"}).status_code == 403
    assert police.patch(f"/api/v1/strategic-plans/{published.id}", json={"version": 1, "title": "P"}).status_code == 403


def test_a_made_up_objective_or_organisation_is_refused_with_a_message(client_as, demo):
    plan = strategic.create_plan(demo.user("office"), financial_year=2035, title="Plan")
    strategic.add_objective(plan, demo.user("office"), title="One")
    r = client_as("office").post(
        f"/strategic-plans/{plan.id}/commitments",
        data={"objective_id": "999999", "organisation_id": "abc", "text": "Something"},
    )
    assert r.status_code == 400
    assert "Select an objective of this plan" in r.text and "Select a member organisation" in r.text
    r = client_as("office").post(
        f"/strategic-plans/{plan.id}/objectives", data={"link-objective_id": "999999", "link-priority_ids": "5"}
    )
    assert r.status_code == 200 and "Select an objective of this plan" in r.text
