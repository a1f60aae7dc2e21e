"""Dispute and complaint pages: days left wherever a dispute appears, GOV.UK error
summaries that change nothing, 404 for disputes a partner is not party to, and
complainants' details only on the complaint's own page."""

from __future__ import annotations

import html
import re
from datetime import date

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import days_left, long_date
from safeguarding.models import AuditEntry, Complaint, Dispute, DisputeState
from safeguarding.services import disputes as svc
from safeguarding.workflows.disputes import dispute_lifecycle


def _text(response) -> str:
    return html.unescape(response.text)


def _dispute(demo, key: str) -> Dispute:
    return db.session.get(Dispute, demo.id("disputes", key))


def test_the_list_shows_each_open_disputes_deadline_and_days_left(client_as, demo):
    awaiting = _dispute(demo, "awaiting_meeting")
    page = client_as("office").get("/disputes").text
    assert awaiting.reference in page
    assert "10 December 2026" in page
    assert days_left(awaiting.deadline, today()) in page
    assert "Breach" in client_as("office").get("/disputes?status=all&breached=1").text
    assert client_as("office").get("/disputes?status=bogus").status_code == 400


def test_partners_see_only_their_organisations_disputes(client_as, demo):
    convened = _dispute(demo, "convened")  # police and West
    resolved = _dispute(demo, "resolved")  # North and the ICB
    police = client_as("police")
    listing = police.get("/disputes?status=all").text
    assert convened.reference in listing and resolved.reference not in listing
    assert police.get(f"/disputes/{convened.id}").status_code == 200
    assert police.get(f"/disputes/{resolved.id}").status_code == 404
    assert client_as("icb").get(f"/disputes/{convened.id}").status_code == 404
    assert client_as("icb").get(f"/disputes/{convened.id}/agenda/response").status_code == 404
    assert client_as("icb").get(f"/workflow/dispute/{convened.id}/withdraw").status_code == 404
    assert police.get(f"/workflow/dispute/{convened.id}/withdraw").status_code == 403  # a party, not the office
    assert client_as("viewer").get("/disputes").status_code == 403
    assert client_as("admin").get(f"/disputes/{convened.id}").status_code == 403


def test_the_dispute_page(client_as, demo):
    d = _dispute(demo, "convened")
    page = _text(client_as("west").get(f"/disputes/{d.id}"))
    assert d.reference in page and d.subject in page
    assert "7 December 2026, 2pm" in page
    assert "Margaret Ellison" in page  # the Independent Chair by default
    assert days_left(d.deadline, today()) in page
    assert "Agree the agenda or propose changes" in page
    assert "Not answered yet" in page
    office = client_as("office").get(f"/disputes/{d.id}").text
    assert "Change the meeting arrangements" in office and "Redraft the agenda" in office
    assert "Record the agenda as agreed" not in office  # West has still to agree
    breached = client_as("chair").get(f"/disputes/{demo.id('disputes', 'breached')}").text
    assert "28-day rule breached" in breached and "Both directors were at the national" in breached


def test_raising_a_dispute_on_the_page(client_as, demo):
    c = client_as("police")
    form = c.get("/disputes/new").text
    checked = re.findall(r'type="checkbox" value="(\d+)"\s+checked', form)
    assert checked == [str(demo.org("police").id)]  # their own organisation, ready ticked
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Dispute))
    r = c.post("/disputes/new", data={"subject": "", "summary": "", "party_organisation_ids": [demo.org("police").id]})
    assert r.status_code == 200
    assert "There is a problem" in r.text
    assert 'href="#subject"' in r.text and "Enter what the dispute is about" in r.text
    assert "Select at least two organisations in dispute" in r.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute)) == before
    r = c.post(
        "/disputes/new",
        data={
            "subject": "Missing person reports",
            "summary": "Who reports and when.",
            "party_organisation_ids": [demo.org("police").id, demo.org("icb").id],
        },
    )
    assert r.status_code == 302
    d = db.session.scalar(sa.select(Dispute).where(Dispute.subject == "Missing person reports"))
    assert r.headers["Location"].endswith(f"/disputes/{d.id}")
    assert d.reference in client_as("icb").get(r.headers["Location"]).text


def test_determining_on_the_workflow_page_links_the_error_to_the_day_box(client_as, demo):
    d = _dispute(demo, "raised")
    c = client_as("chair")
    url = f"/workflow/dispute/{d.id}/determine"
    page = c.get(url).text
    assert "Date the dispute was determined" in page
    r = c.post(url, data={"version": d.version, "confirmed": "1"})
    assert 'href="#determined_on-day"' in r.text and "Enter the date the dispute was determined" in r.text
    r = c.post(url, data={"version": d.version, "confirmed": "1", "determined_on": ["31", "2", "2026"]})
    assert "Date the dispute was determined must be a real date" in r.text
    r = c.post(url, data={"version": d.version, "confirmed": "1", "determined_on": ["21", "11", "2026"]})
    assert r.status_code == 302
    db.session.refresh(d)
    assert (d.state, d.deadline) == (DisputeState.determined, date(2026, 12, 19))


def test_convening_on_the_page_refuses_a_late_date_without_a_reason(client_as, demo):
    d = _dispute(demo, "awaiting_meeting")  # deadline 10 December 2026
    c = client_as("chair")
    page = c.get(f"/disputes/{d.id}/meeting")
    assert page.status_code == 200 and "must take place by 10 December 2026" in page.text
    chair = demo.person("chair")
    assert f'<option value="{chair.id}" selected' in page.text
    data = {
        "version": d.version,
        "meeting_on": ["14", "12", "2026"],
        "meeting_time": "10:00",
        "location": "County Hall",
        "chair_person_id": str(chair.id),
    }
    r = c.post(f"/disputes/{d.id}/meeting", data=data)
    assert r.status_code == 200
    assert 'href="#late_reason"' in r.text
    assert "Enter the reason the meeting is after the deadline of 10 December 2026" in r.text
    db.session.refresh(d)
    assert d.state == DisputeState.determined and d.meeting_on is None
    r = c.post(f"/disputes/{d.id}/meeting", data={**data, "meeting_on": ["", "", ""]})
    assert 'href="#meeting_on-day"' in r.text and "Enter the date of the meeting" in r.text
    r = c.post(f"/disputes/{d.id}/meeting", data={**data, "late_reason": "The police lead is on leave"})
    assert r.status_code == 302
    db.session.refresh(d)
    assert d.state == DisputeState.meeting_convened and d.breached
    assert c.get(f"/disputes/{d.id}").text.count("28-day rule breached") == 1


def test_a_stale_form_changes_nothing(client_as, demo):
    d = _dispute(demo, "awaiting_meeting")
    r = client_as("office").post(
        f"/disputes/{d.id}/meeting",
        data={
            "version": d.version - 1,
            "meeting_on": ["1", "12", "2026"],
            "meeting_time": "10:00",
            "location": "Hall",
            "chair_person_id": str(demo.person("chair").id),
        },
    )
    assert "This record was changed by someone else" in r.text
    db.session.refresh(d)
    assert d.state == DisputeState.determined


def test_the_meeting_page_is_for_the_office_and_chair_in_the_right_state(client_as, demo):
    assert client_as("police").get(f"/disputes/{demo.id('disputes', 'convened')}/meeting").status_code == 403
    r = client_as("office").get(f"/disputes/{demo.id('disputes', 'resolved')}/meeting")
    assert r.status_code == 302


def test_drafting_and_answering_the_agenda_on_the_pages(client_as, demo):
    d = _dispute(demo, "convened")
    office = client_as("office")
    r = office.post(f"/disputes/{d.id}/agenda", data={"version": d.version, "agenda": ""})
    assert 'href="#agenda"' in r.text and "Enter the agenda" in r.text
    r = office.post(f"/disputes/{d.id}/agenda", data={"version": d.version, "agenda": "One\nTwo\nThree"})
    assert r.status_code == 302
    db.session.refresh(d)
    assert d.agenda_revision == 2
    page = _text(office.get(f"/disputes/{d.id}"))
    assert "Responses to earlier drafts" in page and "Draft 1: County Police – agreed" in page
    assert "Not answered yet" in page  # the police's agreement was to draft 1
    west = client_as("west")
    form = west.get(f"/disputes/{d.id}/agenda/response")
    assert form.status_code == 200 and "Three" in form.text
    r = west.post(f"/disputes/{d.id}/agenda/response", data={"agenda_revision": "2"})
    assert "Select whether you agree the agenda or propose changes" in r.text
    r = west.post(f"/disputes/{d.id}/agenda/response", data={"agenda_revision": "1", "response": "agreed"})
    assert "The agenda has been redrafted since you read it" in r.text
    r = west.post(f"/disputes/{d.id}/agenda/response", data={"agenda_revision": "2", "response": "agreed"})
    assert r.status_code == 302
    r = client_as("police").post(
        f"/disputes/{d.id}/agenda/response", data={"agenda_revision": "2", "response": "agreed"}
    )
    assert r.status_code == 302
    db.session.refresh(d)
    assert d.state == DisputeState.agenda_agreed
    assert client_as("police").get(f"/disputes/{d.id}/agenda/response").status_code == 302


def test_agreed_actions_on_the_page(client_as, demo):
    d = _dispute(demo, "breached")  # meeting held
    c = client_as("office")
    r = c.post(f"/disputes/{d.id}/actions/new", data={"title": "", "owner_organisation_id": ""})
    assert "Enter what needs to be done" in r.text and 'href="#due_date-day"' in r.text
    r = c.post(
        f"/disputes/{d.id}/actions/new",
        data={
            "title": "Share the attendance audit with the Board",
            "owner_organisation_id": str(demo.org("icb").id),
            "due_date": ["31", "1", "2027"],
        },
    )
    assert r.status_code == 302
    page = c.get(f"/disputes/{d.id}").text
    assert "Share the attendance audit with the Board" in page
    log = c.get("/actions?source=dispute").text
    assert "Share the attendance audit with the Board" in log and d.reference in log
    assert client_as("office").get(f"/disputes/{demo.id('disputes', 'convened')}/actions/new").status_code == 302


def test_home_panels(client_as, demo):
    chair = client_as("chair").get("/home").text
    assert "Disputes needing a meeting convened" in chair
    awaiting = _dispute(demo, "awaiting_meeting")
    assert f"Nearest deadline 10 December 2026 ({days_left(awaiting.deadline, today())})" in chair
    west = _text(client_as("west").get("/home"))
    assert "Your organisation's open disputes" in west
    assert "Dispute agendas awaiting your agreement" in west
    assert "Dispute agendas awaiting your agreement" not in client_as("police").get("/home").text
    assert "Open complaints" in client_as("office").get("/home").text
    assert "Disputes" not in client_as("viewer").get("/home").text


def test_office_panel_shows_deadlines_this_week(client_as, demo):
    from datetime import timedelta

    on = today()
    d = svc.raise_dispute(
        demo.user("office"),
        subject="Panel check",
        summary="x",
        party_organisation_ids=[demo.org("icb").id, demo.org("west").id],
        raised_on=on - timedelta(days=26),
    )
    dispute_lifecycle.fire(
        d, "determine", user=demo.user("office"), version=d.version, params={"determined_on": on - timedelta(days=25)}
    )
    assert d.deadline == on + timedelta(days=3)
    page = client_as("office").get("/home").text
    assert "Dispute deadlines this week" in page
    # Due this week or already breached (a meeting still to be held after its deadline).
    due = svc.deadlines_between(date(2000, 1, 1), on + timedelta(days=6))
    assert due.count >= 1 and due.nearest <= d.deadline
    assert f"Dispute deadlines this week {due.count}" in " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f"Nearest deadline {long_date(due.nearest)} ({days_left(due.nearest, on)})" in page


# --- complaints -----------------------------------------------------------------------------


def test_complaint_lists_never_show_the_complainant(client_as, demo):
    c = client_as("office")
    listing = c.get("/complaints?status=all").text
    partnership = db.session.get(Complaint, demo.id("complaints", "partnership"))
    assert partnership.reference in listing
    for complaint in db.session.scalars(sa.select(Complaint)):
        assert complaint.complainant_name not in listing
        assert complaint.complainant_contact not in listing
    page = c.get(f"/complaints/{partnership.id}").text
    assert partnership.complainant_name in page and partnership.complainant_contact in page
    viewed = db.session.scalar(
        sa.select(AuditEntry).where(
            AuditEntry.action == "view",
            AuditEntry.entity_type == "complaints",
            AuditEntry.entity_id == str(partnership.id),
        )
    )
    assert viewed is not None and viewed.actor_id == demo.user("office").id
    for who in ("police", "viewer", "admin"):
        assert client_as(who).get("/complaints").status_code == 403
        assert client_as(who).get(f"/complaints/{partnership.id}").status_code == 403


def test_logging_a_complaint_on_the_page(client_as, demo):
    c = client_as("office")
    r = c.post(
        "/complaints/new",
        data={
            "kind": "member_service",
            "received_on": ["20", "11", "2026"],
            "complainant_name": "A Person",
            "complainant_contact": "a@example.com",
            "summary": "Late visit",
        },
    )
    assert "Select the organisation whose service the complaint is about" in r.text
    assert 'href="#organisation_id"' in r.text
    r = c.post(
        "/complaints/new",
        data={
            "kind": "member_service",
            "received_on": ["20", "11", "2026"],
            "complainant_name": "A Person",
            "complainant_contact": "a@example.com",
            "summary": "Late visit",
            "organisation_id": str(demo.org("fire").id),
        },
    )
    assert r.status_code == 302
    complaint = db.session.scalar(sa.select(Complaint).where(Complaint.complainant_name == "A Person"))
    assert complaint.reference in c.get(r.headers["Location"]).text
    assert "A Person" not in r.headers["Location"]
