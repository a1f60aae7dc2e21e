"""The attendance API: thresholds (office edits, stale refused, bad input a problem),
escalations with the uniform workflow contract and letters, the report as JSON and CSV,
and partner members limited to their own organisation."""

from __future__ import annotations

from safeguarding.models import Role
from tests.support.factories import UserFactory


def test_policies_list_get_and_patch(api_as, demo):
    board = demo.group("board").id
    office = api_as("office")
    listed = office.get("/api/v1/attendance-policies").json
    row = next(p for p in listed if p["group_id"] == board)
    assert row["is_default"] is True and row["version"] is None and row["escalate_after"] == 3
    r = office.patch(f"/api/v1/attendance-policies/{board}", json={"version": None, "response_days": 21})
    assert r.status_code == 200, r.json
    assert (r.json["response_days"], r.json["is_default"], r.json["version"]) == (21, False, 1)
    # Stale, bad input, wrong role.
    assert (
        office.patch(f"/api/v1/attendance-policies/{board}", json={"version": None, "response_days": 7}).status_code
        == 409
    )
    r = office.patch(f"/api/v1/attendance-policies/{board}", json={"version": 1, "min_rate_percent": 0})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert "min_rate_percent" in r.json["errors"]
    assert (
        api_as("chair")
        .patch(f"/api/v1/attendance-policies/{board}", json={"version": 1, "response_days": 7})
        .status_code
        == 403
    )
    assert office.get(f"/api/v1/attendance-policies/{board}").json["response_days"] == 21
    assert office.get("/api/v1/attendance-policies/999999").status_code == 404


def test_escalations_list_filter_and_detail(api_as, demo):
    office = api_as("office")
    body = office.get("/api/v1/escalations?state=all").json
    assert {e["organisation"] for e in body["items"]} >= {"Healthwatch County", "County Public Health"}
    body = office.get("/api/v1/escalations?state=letter_drafted").json
    assert [e["organisation"] for e in body["items"]] == ["Healthwatch County"]
    body = office.get(f"/api/v1/escalations?organisation_id={demo.org('public_health').id}").json
    assert [e["state"] for e in body["items"]] == ["resolved"]
    e = office.get(f"/api/v1/escalations/{demo.id('escalations', 'drafted')}").json
    assert e["trigger_reason"] == "consecutive" and [m["date"] for m in e["missed_meetings"]] == [
        "2026-06-16",
        "2026-08-18",
        "2026-10-20",
    ]
    assert e["available_triggers"] == ["edit_letter", "withdraw"]
    assert office.get("/api/v1/escalations?state=nonsense").status_code == 422


def test_the_workflow_through_the_api(api_as, demo):
    e = demo.id("escalations", "drafted")
    url = f"/api/v1/escalations/{e}/transitions"
    chair, office = api_as("chair"), api_as("office")
    version = chair.get(f"/api/v1/escalations/{e}").json["version"]
    r = office.post(url, json={"trigger": "approve", "version": version})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert chair.post(url, json={"trigger": "approve", "version": version - 1}).status_code == 409
    assert office.post(url, json={"trigger": "send", "version": version}).status_code == 409
    r = chair.post(url, json={"trigger": "approve", "version": version, "letter_text": "Dear colleague text."})
    assert r.status_code == 200, r.json
    assert (r.json["state"], r.json["letter_text"]) == ("letter_approved", "Dear colleague text.")
    r = office.post(url, json={"trigger": "send", "version": r.json["version"]})
    assert r.status_code == 200 and r.json["state"] == "sent" and r.json["response_due_on"]
    history = office.get(f"/api/v1/escalations/{e}/history").json
    assert [h["trigger"] for h in history] == ["draft_letter", "approve", "send"]
    pdf = office.get(f"/api/v1/escalations/{e}/letter.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    docx = office.get(f"/api/v1/escalations/{e}/letter.docx")
    assert docx.status_code == 200 and docx.data.startswith(b"PK")


def test_partners_see_only_letters_sent_to_them(api_as, demo):
    ph = api_as(UserFactory(roles=[Role.partner_member], organisation=demo.org("public_health")))
    body = ph.get("/api/v1/escalations?state=all").json
    assert [e["organisation"] for e in body["items"]] == ["County Public Health"]
    assert ph.get(f"/api/v1/escalations/{demo.id('escalations', 'drafted')}").status_code == 404
    assert ph.get(f"/api/v1/escalations/{demo.id('escalations', 'drafted')}/letter.pdf").status_code == 404
    assert api_as("police").get("/api/v1/escalations?state=all").json["total"] == 0
    assert api_as("police").get("/api/v1/attendance-policies").status_code == 403


def test_the_report_as_json_and_csv(api_as, demo):
    board = demo.group("board").id
    office = api_as("office")
    r = office.get(f"/api/v1/reports/attendance?group={board}&from=2026-06-01&to=2026-10-31")
    assert r.status_code == 200
    assert [m["date"] for m in r.json["meetings"]] == ["2026-06-16", "2026-08-18", "2026-10-20"]
    hw = next(o for o in r.json["organisations"] if o["organisation"] == "Healthwatch County")
    assert (hw["held"], hw["represented"], hw["percent"]) == (3, 0, 0)
    assert [c["status"] for c in hw["cells"]] == ["Apologies"] * 3
    csv = office.get(
        f"/api/v1/reports/attendance?group={board}&from=2026-06-01&to=2026-10-31", headers={"Accept": "text/csv"}
    )
    assert csv.mimetype == "text/csv" and "Healthwatch County,Apologies,Apologies,Apologies,3,0,0" in csv.get_data(
        as_text=True
    )
    assert office.get(f"/api/v1/reports/attendance?group={board}&format=csv").mimetype == "text/csv"
    police = api_as("police").get(f"/api/v1/reports/attendance?group={board}").json
    assert [o["organisation"] for o in police["organisations"]] == ["County Police"]
    assert office.get("/api/v1/reports/attendance").status_code == 422
    r = office.get(f"/api/v1/reports/attendance?group={board}&from=2026-11-01&to=2026-10-01")
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
