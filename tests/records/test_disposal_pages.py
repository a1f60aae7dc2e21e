"""Disposal review pages and API: the dry-run counts, proposing a batch, the second office
user's approval (the proposer gets a clear refusal), bad input and stale versions, the
certificate of destruction as JSON and CSV, the home page's count."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AccessRequest, DisposalBatch, DisposalState


def _latest_batch() -> DisposalBatch:
    return db.session.scalars(sa.select(DisposalBatch).order_by(DisposalBatch.id.desc()).limit(1)).one()


def test_the_disposals_page_shows_the_dry_run_by_class_and_the_batches(demo, client_as):
    page = client_as("office").get("/disposals")
    assert page.status_code == 200
    text = page.text
    assert "records would be disposed of; 1 held" in text
    assert "1 record would be disposed of; 1 held" in text  # subject access requests
    assert "Not handled by the service yet" in text and "Not confirmed" in text
    assert "DISP-0001" in text and "Approved and disposed of" in text
    for who in ("chair", "viewer", "admin", "police"):
        assert client_as(who).get("/disposals").status_code == 403


def test_the_demo_batch_shows_its_records_by_reference_only(demo, client_as):
    batch_id = demo.id("disposals", "approved")
    text = client_as("office").get(f"/disposals/{batch_id}").text
    assert "DSAR-2022-001" in text and "DSAR-2023-001" in text and "Disposed of 7 October 2026" in text
    assert "Margaret Hollis" not in text and "Kevin Ashworth" not in text
    assert "Priya Shah" in text and "Tom Bell" in text  # proposed by one, approved by the other


def test_propose_then_a_second_office_user_approves_and_the_proposer_is_refused(demo, client_as):
    office, officer = client_as("office"), client_as("officer")
    form = office.get("/disposals/new?class=access_requests")
    assert form.status_code == 200 and "Propose for disposal" in form.text
    proposed = office.post("/disposals/new", data={"class_key": "access_requests"})
    assert proposed.status_code == 302
    batch = _latest_batch()
    assert batch.state == DisposalState.proposed and batch.proposed_by_id == demo.user("office").id
    own = office.get(f"/disposals/{batch.id}").text
    assert "You proposed this disposal" in own and "Approve and dispose" not in own
    refused = office.post(f"/disposals/{batch.id}/approve", data={"version": str(batch.version)})
    assert refused.status_code == 400
    assert "another member of the business office must approve it" in refused.text
    request = db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024"))
    assert request.requester_name == "Alison Croft"
    assert "Approve and dispose" in officer.get(f"/disposals/{batch.id}").text
    confirm = officer.get(f"/disposals/{batch.id}/approve")
    assert confirm.status_code == 200 and "cannot be restored" in confirm.text
    stale = officer.post(f"/disposals/{batch.id}/approve", data={"version": str(batch.version - 1)})
    assert stale.status_code == 400 and batch.state == DisposalState.proposed
    approved = officer.post(f"/disposals/{batch.id}/approve", data={"version": str(batch.version)})
    assert approved.status_code == 302
    db.session.expire_all()
    assert db.session.get(DisposalBatch, batch.id).state == DisposalState.approved
    assert db.session.get(AccessRequest, request.id).requester_name.startswith("Disposed of on")
    again = officer.post(f"/disposals/{batch.id}/approve", data={"version": str(batch.version)})
    assert again.status_code == 400


def test_bad_input_is_refused_with_the_error_summary_and_changes_nothing(demo, client_as):
    office, officer = client_as("office"), client_as("officer")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(DisposalBatch))
    for data in ({}, {"class_key": "nothing"}, {"class_key": "audit_log"}):
        bad = office.post("/disposals/new", data=data)
        assert bad.status_code == 400 and "govuk-error-summary" in bad.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisposalBatch)) == before
    office.post("/disposals/new", data={"class_key": "access_requests"})
    batch = _latest_batch()
    no_reason = officer.post(f"/disposals/{batch.id}/reject", data={"version": str(batch.version), "reason": ""})
    assert no_reason.status_code == 400 and "Enter the reason" in no_reason.text
    mine = office.post(f"/disposals/{batch.id}/reject", data={"version": str(batch.version), "reason": "No"})
    assert mine.status_code == 400 and "cancel it instead" in mine.text
    assert officer.get("/disposals/999999").status_code == 404
    rejected = officer.post(f"/disposals/{batch.id}/reject", data={"version": str(batch.version), "reason": "Wait"})
    assert rejected.status_code == 302
    db.session.expire_all()
    assert db.session.get(DisposalBatch, batch.id).state == DisposalState.rejected
    office.post("/disposals/new", data={"class_key": "access_requests"})
    second = _latest_batch()
    not_mine = officer.post(f"/disposals/{second.id}/cancel", data={"version": str(second.version), "reason": "x"})
    assert not_mine.status_code == 400 and "Only the person who proposed" in not_mine.text
    cancelled = office.post(f"/disposals/{second.id}/cancel", data={"version": str(second.version), "reason": "Oops"})
    assert cancelled.status_code == 302


def test_the_api_certificate_as_json_and_csv(demo, api_as):
    api = api_as("office")
    listed = api.get("/api/v1/disposals")
    assert listed.status_code == 200
    body = listed.get_json()
    assert body["total"] == 2
    refs = {r["reference"] for r in body["items"]}
    assert refs == {"DSAR-2022-001", "DSAR-2023-001"}
    item = body["items"][0]
    assert item["class_key"] == "access_requests" and item["period_years"] == 2 and item["final_action"] == "dispose"
    assert item["proposed_by_id"] == demo.user("office").id and item["approved_by_id"] == demo.user("officer").id
    assert "Hollis" not in listed.text and "Ashworth" not in listed.text
    for response in (
        api.get("/api/v1/disposals?format=csv"),
        api.get("/api/v1/disposals", headers={"Accept": "text/csv"}),
    ):
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert {r["reference"] for r in rows} == refs
        assert {r["proposed_by"] for r in rows} == {"Priya Shah"} and {r["approved_by"] for r in rows} == {"Tom Bell"}
    assert api.get("/api/v1/disposals?format=xml").status_code == 422
    assert api_as("chair").get("/api/v1/disposals").status_code == 403
    due = api.get("/api/v1/disposals/due").get_json()
    assert due["held"] == 1 and due["text"].endswith("1 held")


def test_the_api_proposes_and_approves_with_four_eyes_and_versions(demo, api_as):
    office, officer = api_as("office"), api_as("officer")
    assert office.post("/api/v1/disposal-batches", json={"class_key": "nothing"}).status_code == 422
    unconfirmed = office.post("/api/v1/disposal-batches", json={"class_key": "user_accounts"})
    assert unconfirmed.status_code == 422
    assert api_as("chair").post("/api/v1/disposal-batches", json={"class_key": None}).status_code == 403
    created = office.post("/api/v1/disposal-batches", json={"class_key": "access_requests"})
    assert created.status_code == 201
    batch = created.get_json()
    assert batch["state"] == "proposed" and [r["reference"][:9] for r in batch["records"]] == ["DSAR-2024"]
    url = f"/api/v1/disposal-batches/{batch['id']}"
    own = office.post(f"{url}/approve", json={"version": batch["version"]})
    assert own.status_code == 403 and "another member" in own.get_json()["detail"]
    assert officer.post(f"{url}/approve", json={"version": batch["version"] - 1}).status_code == 409
    assert officer.post(f"{url}/approve", json={}).status_code == 422
    approved = officer.post(f"{url}/approve", json={"version": batch["version"]})
    assert approved.status_code == 200
    assert (
        approved.get_json()["state"] == "approved" and approved.get_json()["records"][0]["disposed_on"] == "2026-12-03"
    )
    assert (
        officer.post(f"{url}/reject", json={"version": approved.get_json()["version"], "reason": "x"}).status_code
        == 409
    )
    assert office.get("/api/v1/disposals").get_json()["total"] == 3
    assert office.get("/api/v1/disposal-batches").get_json()[0]["id"] == batch["id"]


def test_the_home_page_counts_the_records_due(demo, client_as):
    page = client_as("office").get("/home").text
    assert "Records due for disposal review" in page and "are due for disposal review" in page
    assert "due for disposal review" not in client_as("chair").get("/home").text
