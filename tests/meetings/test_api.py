"""The meetings API: the same services as the pages, problem JSON for refusals, and the
uniform transitions/history endpoints for meetings and minutes."""

from __future__ import annotations

from datetime import date

from safeguarding.extensions import db
from safeguarding.models import Meeting, MeetingState, Minutes
from safeguarding.services import meetings as svc
from tests.support.meetings import PAST, close, everyone, open_meeting, schedule


def test_list_meetings_with_filters_and_pages(api_as, demo):
    board = demo.group("board").id
    r = api_as("office").get(f"/api/v1/meetings?group_id={board}&from=2020-04-01&to=2021-03-31&per_page=4")
    assert r.status_code == 200
    assert r.json["total"] == 6 and len(r.json["items"]) == 4 and r.json["per_page"] == 4
    first = r.json["items"][0]
    assert (first["meeting_date"], first["state"], first["held"]) == ("2020-04-21", "closed", True)
    assert set(first) >= {"id", "group_id", "kind", "starts_at", "papers_due_on", "version", "available_triggers"}
    r = api_as("office").get("/api/v1/meetings?state=inquorate")
    assert [m["meeting_date"] for m in r.json["items"]] == ["2023-08-15"]
    assert api_as("office").get("/api/v1/meetings?state=bogus").status_code == 422
    # Members see their groups' meetings only; viewers none.
    police = api_as("police").get(f"/api/v1/meetings?group_id={demo.group('sar').id}")
    assert police.json["total"] == 0
    assert api_as("viewer").get("/api/v1/meetings").status_code == 403


def test_create_and_change_a_meeting(api_as, demo):
    c = api_as("office")
    r = c.post(
        "/api/v1/meetings",
        json={
            "group_id": demo.group("board").id,
            "meeting_date": "2027-05-18",
            "starts_at": "10:00:00",
            "ends_at": "12:30:00",
            "location": "Room 2",
        },
    )
    assert r.status_code == 201
    body = r.json
    assert body["state"] == "scheduled" and body["papers_due_on"] == "2027-05-11"
    assert body["available_triggers"] == ["publish_papers", "cancel"]
    assert [i["kind"] for i in body["agenda"][:5]] == [
        "apologies",
        "declarations",
        "previous_minutes",
        "action_log",
        "chair_actions",
    ]
    r = c.post("/api/v1/meetings", json={"group_id": demo.group("board").id, "meeting_date": "2027-05-18"})
    assert r.status_code == 422
    assert r.json["errors"] == {"meeting_date": "The Board already has a meeting on 18 May 2027"}
    patch = {
        "version": body["version"],
        "meeting_date": "2027-05-25",
        "starts_at": "14:00:00",
        "ends_at": "16:00:00",
        "location": "Online",
    }
    r = c.patch(f"/api/v1/meetings/{body['id']}", json=patch)
    assert r.status_code == 200 and r.json["papers_due_on"] == "2027-05-18"
    assert c.patch(f"/api/v1/meetings/{body['id']}", json=patch).status_code == 409  # stale version
    assert api_as("police").post("/api/v1/meetings", json={}).status_code == 403


def test_schedule_a_series(api_as, demo):
    r = api_as("office").post(
        "/api/v1/meetings/series",
        json={"group_id": demo.group("sar").id, "first_date": "2027-05-11", "count": 4, "interval_months": 3},
    )
    assert r.status_code == 201
    assert [m["meeting_date"] for m in r.json] == ["2027-05-11", "2027-08-10", "2027-11-09", "2028-02-08"]


def test_attendance_put_answers_with_the_quorum(api_as, demo):
    m = schedule(demo, on=PAST)
    c = api_as("office")
    seat = demo.membership("board", "police_lead").id
    entries = [
        {"membership_id": demo.membership("board", k).id, "status": "present"}
        for k in ("chair", "north_dass", "icb_lead")
    ]
    r = c.put(f"/api/v1/meetings/{m.id}/attendance", json=entries)
    assert r.status_code == 200
    assert r.json["quorate"] is False and r.json["quorum_missing"] == ["No one from the police is present"]
    r = c.put(
        f"/api/v1/meetings/{m.id}/attendance",
        json=[{"membership_id": seat, "status": "deputy_present", "deputy_person_id": None}],
    )
    assert r.json["quorate"] is True and r.json["quorum_missing"] == []
    police = next(s for s in r.json["seats"] if s["membership_id"] == seat)
    assert police["status"] == "deputy_present" and police["deputy_person_id"] == demo.person("police_deputy").id
    assert police["represented"] is True
    r = c.put(f"/api/v1/meetings/{m.id}/attendance", json=[{"membership_id": seat, "status": "late"}])
    assert r.status_code == 422
    r = c.put(
        f"/api/v1/meetings/{m.id}/attendance",
        json=[{"membership_id": demo.membership("board", "fire_lead").id, "status": "deputy_present"}],
    )
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    assert "Select the deputy who attended for Andrew Price" in r.json["errors"].values()
    assert api_as("chair").put(f"/api/v1/meetings/{m.id}/attendance", json=[]).status_code == 403
    assert api_as("police").get(f"/api/v1/meetings/{m.id}/attendance").json["quorate"] is True


def test_apologies_through_the_api(api_as, demo):
    m = schedule(demo)
    r = api_as("police").post(
        f"/api/v1/meetings/{m.id}/apologies", json={"deputy_person_id": demo.person("police_deputy").id}
    )
    assert r.status_code == 201
    seat = next(s for s in r.json["seats"] if s["membership_id"] == demo.membership("board", "police_lead").id)
    assert seat["status"] == "apologies"


def test_decisions_with_votes_and_a_casting_vote(api_as, demo):
    m = schedule(demo)
    open_meeting(m, demo)
    item = svc.add_agenda_item(m, title="Thresholds document", subject_type="policy", subject_id=5)
    c = api_as("office")
    # 4 for, 4 against, 1 not voting of the 9 organisations entitled: the chair decides
    ballot = [{"organisation_id": demo.org(key).id, "vote": "for"} for key in ("north", "police", "icb", "acute")] + [
        {"organisation_id": demo.org(key).id, "vote": "against"} for key in ("west", "fire", "probation", "vcs")
    ]
    r = c.post(
        f"/api/v1/meetings/{m.id}/decisions",
        json={"agenda_item_id": item.id, "method": "vote", "text": "Adopted", "votes": ballot},
    )
    assert r.status_code == 422 and "casting_vote" in r.json["errors"]
    r = c.post(
        f"/api/v1/meetings/{m.id}/decisions",
        json={"agenda_item_id": item.id, "method": "vote", "text": "Adopted", "votes": ballot, "casting_vote": "for"},
    )
    assert r.status_code == 201
    assert (r.json["outcome"], r.json["stands"], r.json["subject_type"], r.json["subject_id"]) == (
        "carried",
        True,
        "policy",
        5,
    )
    listed = api_as("police").get(f"/api/v1/meetings/{m.id}/decisions").json
    assert [d["id"] for d in listed] == [r.json["id"]]
    r = c.post(
        f"/api/v1/meetings/{m.id}/decisions",
        json={
            "agenda_item_id": item.id,
            "method": "vote",
            "text": "x",
            "votes": [{"organisation_id": 1, "vote": "maybe"}],
        },
    )
    assert r.status_code == 422
    close(m, demo)
    r = c.post(
        f"/api/v1/meetings/{m.id}/decisions", json={"agenda_item_id": item.id, "method": "consensus", "text": "Late"}
    )
    assert r.status_code == 409
    assert api_as("police").post(f"/api/v1/meetings/{m.id}/decisions", json={}).status_code == 403


def test_interim_validation_through_the_api(api_as, demo):
    decision_id = demo.id("decisions", "interim_pending")
    r = api_as("police").post(f"/api/v1/decisions/{decision_id}/validations")
    assert r.status_code == 201
    assert r.json["stands"] is False  # the ICB has still to validate
    assert api_as("police").post(f"/api/v1/decisions/{decision_id}/validations").status_code == 409
    r = api_as("icb").post(f"/api/v1/decisions/{decision_id}/validations")
    assert r.json["stands"] is True


def test_meeting_transitions_and_history(api_as, demo):
    m = schedule(demo, on=PAST)
    c = api_as("office")
    r = c.post(f"/api/v1/meetings/{m.id}/transitions", json={"trigger": "publish_papers", "version": m.version})
    assert r.status_code == 422
    assert r.json["reasons"][0].startswith("The papers were due by")
    r = c.post(
        f"/api/v1/meetings/{m.id}/transitions",
        json={"trigger": "publish_papers", "version": m.version, "late_reason": "Late report"},
    )
    assert r.status_code == 200 and r.json["state"] == "papers_published"
    r = c.post(f"/api/v1/meetings/{m.id}/transitions", json={"trigger": "open", "version": r.json["version"]})
    assert r.status_code == 422 and r.json["reasons"][0].startswith("The meeting is not quorate")
    r = api_as("police").post(
        f"/api/v1/meetings/{m.id}/transitions", json={"trigger": "cancel", "version": 2, "comment": "x"}
    )
    assert r.status_code == 403
    r = c.post(f"/api/v1/meetings/{m.id}/transitions", json={"trigger": "close", "version": m.version})
    assert r.status_code == 409
    history = c.get(f"/api/v1/meetings/{m.id}/history").json
    assert [h["trigger"] for h in history] == ["publish_papers"]
    assert history[0]["data"] == {"late_reason": "Late report"}


def test_minutes_through_the_api(api_as, demo):
    m = schedule(demo)
    open_meeting(m, demo)
    close(m, demo)
    c = api_as("office")
    r = c.post(f"/api/v1/meetings/{m.id}/minutes")
    assert r.status_code == 201 and r.json["state"] == "draft"
    minutes_id, item_id = r.json["id"], r.json["sections"][0]["agenda_item_id"]
    r = c.patch(
        f"/api/v1/minutes/{minutes_id}",
        json={"version": r.json["version"], "sections": [{"agenda_item_id": item_id, "text": "None."}]},
    )
    assert r.status_code == 200 and r.json["sections"][0]["text"] == "None."
    r = c.post(f"/api/v1/minutes/{minutes_id}/transitions", json={"trigger": "submit", "version": r.json["version"]})
    assert r.json["state"] == "submitted"
    r = c.post(f"/api/v1/minutes/{minutes_id}/transitions", json={"trigger": "approve", "version": r.json["version"]})
    assert r.status_code == 403
    chair = api_as("chair")
    version = db.session.get(Minutes, minutes_id).version
    r = chair.post(
        f"/api/v1/minutes/{minutes_id}/transitions", json={"trigger": "return_for_changes", "version": version}
    )
    assert r.status_code == 422 and r.json["errors"] == {"comment": "Enter what needs to change"}
    r = chair.post(f"/api/v1/minutes/{minutes_id}/transitions", json={"trigger": "approve", "version": version})
    assert r.status_code == 200 and r.json["state"] == "approved"
    r = c.patch(f"/api/v1/minutes/{minutes_id}", json={"version": r.json["version"], "sections": []})
    assert r.status_code == 409
    r = c.post(
        f"/api/v1/minutes/{minutes_id}/transitions",
        json={"trigger": "ratify", "version": db.session.get(Minutes, minutes_id).version},
    )
    assert r.status_code == 422 and r.json["reasons"] == [
        "Choose the meeting of the group, now in session, that ratifies the minutes"
    ]
    later = schedule(demo, on=date(2027, 6, 15))
    open_meeting(later, demo, everyone())
    r = c.post(
        f"/api/v1/minutes/{minutes_id}/transitions",
        json={"trigger": "ratify", "version": db.session.get(Minutes, minutes_id).version, "meeting_id": later.id},
    )
    assert r.status_code == 200 and r.json["state"] == "ratified" and r.json["ratified_at_meeting_id"] == later.id
    assert [h["trigger"] for h in c.get(f"/api/v1/minutes/{minutes_id}/history").json] == [
        "submit",
        "approve",
        "ratify",
    ]
    r = c.post(f"/api/v1/minutes/{minutes_id}/amendments", json={"text": "Correct a date", "reason": "Typo"})
    assert r.status_code == 201
    assert api_as("viewer").get(f"/api/v1/minutes/{minutes_id}").status_code == 200


def test_viewers_list_only_ratified_minutes(api_as, demo):
    r = api_as("viewer").get("/api/v1/minutes?per_page=200")
    assert r.status_code == 200 and r.json["total"] > 0
    assert {m["state"] for m in r.json["items"]} == {"ratified"}
    assert api_as("viewer").get(f"/api/v1/minutes/{demo.id('minutes', 'draft')}").status_code == 404


def test_declarations_api(api_as, demo):
    m = schedule(demo)
    item = svc.agenda_of(m)[2]
    r = api_as("north").post("/api/v1/declarations", json={"agenda_item_id": item.id, "nature": "Related"})
    assert r.status_code == 201 and r.json["person_id"] == demo.person("north_dass").id
    assert (
        api_as("north").post("/api/v1/declarations", json={"agenda_item_id": 999999, "nature": "x"}).status_code == 404
    )
    sar_item = svc.agenda_of(schedule(demo, "sar"))[0]
    assert (
        api_as("north").post("/api/v1/declarations", json={"agenda_item_id": sar_item.id, "nature": "x"}).status_code
        == 404
    )
    assert api_as("chair").get(f"/api/v1/declarations?meeting_id={m.id}").json["total"] == 1
    assert api_as("police").get(f"/api/v1/declarations?meeting_id={m.id}").json["total"] == 0


def test_chair_actions_api(api_as, demo):
    body = {
        "title": "Extend a deadline",
        "decision": "Extended",
        "urgency": "Cannot wait",
        "decided_on": "2026-11-20",
        "consultations": [
            {"organisation_id": demo.org(k).id, "consulted_on": "2026-11-19", "view": "Agrees"}
            for k in ("west", "police", "icb")
        ],
    }
    assert api_as("police").post("/api/v1/chair-actions", json=body).status_code == 403
    r = api_as("chair").post("/api/v1/chair-actions", json=body)
    assert r.status_code == 201 and r.json["state"] == "awaiting_ratification"
    assert r.json["available_triggers"] == []
    r = api_as("chair").post("/api/v1/chair-actions", json={**body, "consultations": body["consultations"][:2]})
    assert r.status_code == 422 and r.json["reasons"][0].startswith("Record the consultation of the integrated")
    listed = api_as("police").get("/api/v1/chair-actions?status=awaiting_ratification").json
    assert listed["total"] == 2
    assert api_as("viewer").get("/api/v1/chair-actions").status_code == 403


def test_the_meeting_resource_shows_papers_only_once_published(api_as, demo):
    m = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    assert m.state == MeetingState.scheduled
    office = api_as("office").get(f"/api/v1/meetings/{m.id}").json
    assert any(p["title"] == "Draft budget 2027/28" for i in office["agenda"] for p in i["papers"])
    police = api_as("police").get(f"/api/v1/meetings/{m.id}").json
    assert all(i["papers"] == [] for i in police["agenda"])
