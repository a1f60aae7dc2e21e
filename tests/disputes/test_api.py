"""The disputes and complaints API: the uniform workflow contract, agenda agreements,
404 for disputes a partner is not party to, RFC 9457 problems for bad input, and no
complainants' details in lists."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Complaint, ComplaintState, Dispute


def test_create_and_read_a_dispute(api_as, demo):
    police = api_as("police")
    r = police.post(
        "/api/v1/disputes",
        json={
            "subject": "Missing person reports",
            "summary": "Who reports when.",
            "party_organisation_ids": [demo.org("police").id, demo.org("icb").id],
        },
    )
    assert r.status_code == 201, r.json
    body = r.json
    assert body["reference"].startswith("DSP-2026-") and body["state"] == "raised"
    assert [p["short_name"] for p in body["parties"]] == ["Police", "ICB"]
    assert body["deadline"] is None and body["days_left"] is None
    assert body["available_triggers"] == []  # determination is for the office and chair
    assert api_as("office").get(f"/api/v1/disputes/{body['id']}").json["available_triggers"] == [
        "determine",
        "withdraw",
    ]
    assert api_as("west").get(f"/api/v1/disputes/{body['id']}").status_code == 404
    assert api_as("viewer").get(f"/api/v1/disputes/{body['id']}").status_code == 403


def test_bad_input_is_a_problem_and_changes_nothing(api_as, demo):
    office = api_as("office")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Dispute))
    r = office.post("/api/v1/disputes", json={"subject": "x", "summary": "y", "party_organisation_ids": [1]})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["errors"] == {"party_organisation_ids": "Select at least two organisations in dispute"}
    r = office.post("/api/v1/disputes", json={"subject": "x"})
    assert r.status_code == 422 and set(r.json["errors"]) == {"summary", "party_organisation_ids"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute)) == before
    assert office.get("/api/v1/disputes?status=nonsense").status_code == 422


def test_the_workflow_through_the_api(api_as, demo):
    d = db.session.get(Dispute, demo.id("disputes", "awaiting_meeting"))  # deadline 10 December 2026
    chair = api_as("chair")
    url = f"/api/v1/disputes/{d.id}/transitions"
    r = chair.get(f"/api/v1/disputes/{d.id}")
    assert r.json["deadline"] == "2026-12-10" and r.json["days_left"]
    version = r.json["version"]
    r = chair.post(
        url,
        json={
            "trigger": "convene",
            "version": version,
            "meeting_on": "2026-12-14",
            "meeting_time": "10:00",
            "location": "County Hall",
        },
    )
    assert r.status_code == 422
    assert r.json["errors"] == {"late_reason": "Enter the reason the meeting is after the deadline of 10 December 2026"}
    r = chair.post(
        url,
        json={
            "trigger": "convene",
            "version": version,
            "meeting_on": "2026-12-14",
            "meeting_time": "10:00",
            "location": "County Hall",
            "late_reason": "Police lead on leave",
        },
    )
    assert r.status_code == 200, r.json
    assert (r.json["state"], r.json["breached"], r.json["meeting_time"]) == ("meeting_convened", True, "10:00")
    assert r.json["chair_name"] == "Margaret Ellison"
    # Stale version, wrong state, wrong role.
    assert chair.post(url, json={"trigger": "withdraw", "version": version, "comment": "x"}).status_code == 409
    r = chair.post(
        url, json={"trigger": "record_meeting", "version": r.json["version"], "held_on": "2026-11-20", "outcome": "x"}
    )
    assert r.status_code == 409 and "when the dispute is meeting convened" in r.json["detail"]
    police = api_as("police")
    v = police.get(f"/api/v1/disputes/{d.id}").json["version"]
    assert police.post(url, json={"trigger": "withdraw", "version": v, "comment": "x"}).status_code == 403
    history = chair.get(f"/api/v1/disputes/{d.id}/history").json
    assert [h["trigger"] for h in history] == ["determine", "convene"]
    assert api_as("icb").get(f"/api/v1/disputes/{d.id}/history").status_code == 404


def test_agenda_agreements(api_as, demo):
    d = db.session.get(Dispute, demo.id("disputes", "convened"))  # police agreed, West not yet
    west = api_as("west")
    url = f"/api/v1/disputes/{d.id}/agenda-agreements"
    r = west.get(url)
    assert r.status_code == 200
    assert r.json["agreed_by_every_party"] is False
    assert {p["organisation"]: p["response"] for p in r.json["parties"]} == {
        "County Police": "agreed",
        "West Council": None,
    }
    r = api_as("office").post(
        f"/api/v1/disputes/{d.id}/transitions", json={"trigger": "agree_agenda", "version": d.version}
    )
    assert r.status_code == 422 and r.json["reasons"] == ["West Council has not agreed the agenda yet"]
    assert api_as("icb").get(url).status_code == 404
    assert api_as("icb").post(url, json={"agenda_revision": 1, "response": "agreed"}).status_code == 404
    assert api_as("office").post(url, json={"agenda_revision": 1, "response": "agreed"}).status_code == 403
    r = west.post(url, json={"agenda_revision": d.agenda_revision, "response": "changes_proposed"})
    assert r.status_code == 422 and r.json["errors"] == {"changes": "Enter the changes you propose to the agenda"}
    r = west.post(url, json={"agenda_revision": d.agenda_revision + 5, "response": "agreed"})
    assert r.status_code == 409
    r = west.post(url, json={"agenda_revision": d.agenda_revision, "response": "agreed"})
    assert r.status_code == 201 and r.json["agreed_by_every_party"] is True
    assert west.get(f"/api/v1/disputes/{d.id}").json["state"] == "agenda_agreed"


def test_the_office_drafts_the_agenda_with_patch(api_as, demo):
    d = db.session.get(Dispute, demo.id("disputes", "convened"))
    office = api_as("office")
    revision, version = d.agenda_revision, d.version
    r = office.patch(f"/api/v1/disputes/{d.id}", json={"version": version, "agenda": "New\nDraft"})
    assert r.status_code == 200 and r.json["agenda_revision"] == revision + 1
    parties = office.get(f"/api/v1/disputes/{d.id}/agenda-agreements").json["parties"]
    assert [p["response"] for p in parties] == [None, None]
    assert office.patch(f"/api/v1/disputes/{d.id}", json={"version": version, "agenda": "x"}).status_code == 409
    assert (
        api_as("police")
        .patch(f"/api/v1/disputes/{d.id}", json={"version": r.json["version"], "agenda": "x"})
        .status_code
        == 403
    )


def test_the_list_is_filtered_to_what_you_may_see(api_as, demo):
    r = api_as("north").get("/api/v1/disputes?all=true&per_page=200")
    refs = {i["reference"] for i in r.json["items"]}
    north = {db.session.get(Dispute, demo.id("disputes", k)).reference for k in ("resolved", "awaiting_meeting")}
    others = {db.session.get(Dispute, demo.id("disputes", k)).reference for k in ("breached", "convened", "raised")}
    assert north <= refs and not (others & refs)
    r = api_as("office").get("/api/v1/disputes?all=true&breached=true")
    assert {i["reference"] for i in r.json["items"]} == {
        db.session.get(Dispute, demo.id("disputes", "breached")).reference
    }
    r = api_as("office").get("/api/v1/disputes")
    assert all(i["state"] not in ("resolved", "escalated", "withdrawn") for i in r.json["items"])


def test_complaints_api(api_as, demo):
    office = api_as("office")
    r = office.get("/api/v1/complaints?all=true")
    assert r.status_code == 200 and r.json["total"] >= 3
    for item in r.json["items"]:
        assert "complainant_name" not in item and "complainant_contact" not in item and "summary" not in item
    received = db.session.get(Complaint, demo.id("complaints", "member_received"))
    r = office.get(f"/api/v1/complaints/{received.id}")
    assert r.json["complainant_name"] == received.complainant_name
    assert r.json["available_triggers"] == ["refer"]  # not "investigate": it is about a member's service
    partnership = db.session.get(Complaint, demo.id("complaints", "partnership"))
    assert api_as("chair").get(f"/api/v1/complaints/{partnership.id}").json["available_triggers"] == ["respond"]
    assert api_as("police").get("/api/v1/complaints").status_code == 403
    r = office.post(
        "/api/v1/complaints",
        json={
            "kind": "partnership",
            "received_on": "2026-11-23",
            "complainant_name": "B Person",
            "complainant_contact": "b@example.com",
            "summary": "Minutes published late",
        },
    )
    assert r.status_code == 201 and r.json["state"] == "received" and r.json["assigned_to"] == "chair@demo.test"
    r = office.post(
        "/api/v1/complaints",
        json={
            "kind": "member_service",
            "received_on": "2030-01-01",
            "complainant_name": "",
            "complainant_contact": "x",
            "summary": "y",
        },
    )
    assert r.status_code == 422
    r = office.post(
        f"/api/v1/complaints/{received.id}/transitions", json={"trigger": "investigate", "version": received.version}
    )
    assert r.status_code == 403  # investigating is the Chair's
    r = api_as("chair").post(
        f"/api/v1/complaints/{received.id}/transitions", json={"trigger": "investigate", "version": received.version}
    )
    assert r.status_code == 422 and "referred to that organisation" in r.json["reasons"][0]
    r = office.post(
        f"/api/v1/complaints/{received.id}/transitions",
        # Referred two days ago by telephone; the office asks for the email to go now too.
        json={"trigger": "refer", "version": received.version, "referred_on": "2026-11-21", "send_notice": True},
    )
    assert r.status_code == 200 and r.json["state"] == "closed" and r.json["referred_on"] == "2026-11-21"
    assert r.json["closed_on"] == "2026-11-21"
    db.session.refresh(received)
    assert received.state == ComplaintState.closed and received.organisation_notified_at is not None
    history = office.get(f"/api/v1/complaints/{received.id}/history").json
    assert [h["trigger"] for h in history] == ["refer"]
    assert history[0]["data"] == {"referred_on": "2026-11-21", "send_notice": True}
    assert history[0]["occurred_on"] == "2026-11-21"


def test_a_complaint_about_the_partnership_from_investigation_to_closure(api_as, demo):
    c = db.session.get(Complaint, demo.id("complaints", "partnership"))  # investigating
    chair = api_as("chair")
    url = f"/api/v1/complaints/{c.id}/transitions"
    r = chair.post(
        url,
        json={
            "trigger": "respond",
            "version": c.version,
            "outcome": "Website updated",
            "responded_on": "2026-10-01",
            "response_method": "email",
        },
    )
    assert r.status_code == 422
    assert r.json["reasons"] == [
        "The date the outcome was communicated must be on or after the date the complaint was received "
        f"({c.received_on.day} {c.received_on:%B %Y})"
    ]
    r = chair.post(
        url,
        json={
            "trigger": "respond",
            "version": c.version,
            "outcome": "Website updated",
            "responded_on": "2026-11-20",
            "response_method": "fax",
        },
    )
    assert r.status_code == 422
    r = chair.post(
        url,
        json={
            "trigger": "respond",
            "version": c.version,
            "outcome": "Website updated",
            "responded_on": "2026-11-20",
            "response_method": "email",
        },
    )
    assert r.status_code == 200 and r.json["state"] == "responded" and r.json["response_method"] == "email"
    r = api_as("office").post(url, json={"trigger": "close", "version": r.json["version"]})
    assert r.status_code == 200 and r.json["state"] == "closed" and r.json["closed_on"] == today().isoformat()
