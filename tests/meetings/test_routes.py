"""Meeting pages: scheduling with GOV.UK errors, the agenda and papers, the register with
its quorum panel, apologies, declarations, decisions, actions, minutes, chair's action,
the calendar feed and the home panels."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import date, timedelta

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    Attendance,
    AttendanceStatus,
    ChairAction,
    Declaration,
    Meeting,
    MeetingState,
    Minutes,
    MinutesState,
    Paper,
)
from safeguarding.services import meetings as svc
from safeguarding.workflows.meetings import meeting_lifecycle
from tests.support.meetings import FUTURE, PAST, close, open_meeting, publish, schedule

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXEC = {
    "chair": "present",
    "north_dass": "present",
    "west_dass": "present",
    "police_lead": "present",
    "icb_lead": "present",
}


def _summary_links(page: str) -> list[tuple[str, str]]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S).group(1)
    return [
        (href, html_lib.unescape(text.strip())) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)
    ]


def _text(page: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _exec_today(demo) -> Meeting:
    """An Executive meeting in session, held on a day before today (the pages fire
    triggers as of today)."""
    m = schedule(demo, "exec", on=PAST)
    open_meeting(m, demo, EXEC, group="exec")
    return m


# --- scheduling ----------------------------------------------------------------------------------


def test_scheduling_a_meeting_with_errors_then_correctly(client_as, demo):
    c = client_as("office")
    r = c.post(
        "/meetings/new",
        data={
            "group_id": "",
            "kind": "ordinary",
            "meeting_date": ["31", "2", "2027"],
            "starts_at": "25:00",
            "ends_at": "",
        },
    )
    links = _summary_links(r.text)
    assert ("#group_id", "Select the group that is meeting") in links
    assert ("#meeting_date-day", "The date of the meeting must be a real date") in links
    assert ("#starts_at", "Enter the time the meeting starts as a time of day, like 10:00 or 2:30pm") in links
    assert ("#ends_at", "Enter the time the meeting ends") in links
    r = c.post(
        "/meetings/new",
        data={
            "group_id": str(demo.group("sar").id),
            "kind": "ordinary",
            "meeting_date": ["18", "5", "2027"],
            "starts_at": "9:30am",
            "ends_at": "11.30",
            "location": "Room 4",
        },
    )
    assert r.status_code == 302
    m = db.session.scalar(sa.select(Meeting).where(Meeting.meeting_date == FUTURE))
    assert (m.group_id, m.starts_at.hour, m.starts_at.minute, m.ends_at.hour) == (demo.group("sar").id, 9, 30, 11)
    assert "SAR sub-group meeting, 18 May 2027 scheduled" in _text(c.get(r.headers["Location"]).text)
    r = c.post(
        "/meetings/new",
        data={
            "group_id": str(demo.group("sar").id),
            "kind": "ordinary",
            "meeting_date": ["18", "5", "2027"],
            "starts_at": "10:00",
            "ends_at": "12:00",
        },
    )
    assert ("#meeting_date-day", "The SAR sub-group already has a meeting on 18 May 2027") in _summary_links(r.text)


def test_scheduling_the_board_year(client_as, demo):
    r = client_as("office").post(
        "/meetings/series",
        data={
            "group_id": str(demo.group("board").id),
            "first_date": ["20", "4", "2027"],
            "count": "6",
            "interval_months": "2",
            "starts_at": "10:00",
            "ends_at": "12:30",
        },
    )
    assert r.status_code == 302
    dates = db.session.scalars(
        sa.select(Meeting.meeting_date)
        .where(Meeting.group_id == demo.group("board").id, Meeting.meeting_date >= date(2027, 4, 1))
        .order_by(Meeting.meeting_date)
    ).all()
    assert dates == [
        date(2027, 4, 20),
        date(2027, 6, 15),
        date(2027, 8, 17),
        date(2027, 10, 19),
        date(2027, 12, 21),
        date(2028, 2, 15),
    ]


def test_partners_cannot_schedule(client_as):
    c = client_as("police")
    assert c.get("/meetings/new").status_code == 403
    assert c.post("/meetings/series", data={}).status_code == 403


# --- a meeting, its agenda and papers ---------------------------------------------------------------


def test_the_meeting_page_shows_the_agenda_and_what_the_user_may_do(client_as, demo):
    m = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    office = _text(client_as("office").get(f"/meetings/{m.id}").text)
    assert "Publish the papers" in office and "Add an agenda item" in office
    assert "Report from the Safeguarding Adults Review sub-group" in office
    assert "Ratification of chair's action: Publish the SAR concerning Adult C before the inquest" in office
    assert "Draft budget 2027/28" in office  # the office sees papers before publication
    police = _text(client_as("police").get(f"/meetings/{m.id}").text)
    assert "Publish the papers" not in police and "Add an agenda item" not in police
    assert "Papers will be available here when they are published." in police
    assert "Draft budget 2027/28 (PDF" not in police
    future = schedule(demo)
    assert "Send apologies or name a deputy" in client_as("police").get(f"/meetings/{future.id}").text
    west = _text(client_as("west").get(f"/meetings/{m.id}").text)
    assert "Apologies – Sarah Quinn will attend in your place" in west
    assert client_as("viewer").get(f"/meetings/{m.id}").status_code == 403
    sar = demo.id("meetings", "sar_upcoming")
    assert client_as("police").get(f"/meetings/{sar}").status_code == 404


def test_papers_are_uploaded_checked_and_served_only_to_those_who_may_see_them(client_as, demo):
    m = schedule(demo)
    item = svc.agenda_of(m)[3]
    c = client_as("office")
    r = c.post(
        f"/meetings/{m.id}/agenda/{item.id}/papers/new",
        data={"title": "Action log", "file": (io.BytesIO(b"MZ not a document"), "log.pdf")},
        content_type="multipart/form-data",
    )
    assert (
        "#file",
        "The selected file must be a PDF, Word document (DOCX) or Excel spreadsheet (XLSX)",
    ) in _summary_links(r.text)
    r = c.post(
        f"/meetings/{m.id}/agenda/{item.id}/papers/new",
        data={"title": "Action log", "file": (io.BytesIO(PDF), "log.pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    paper = db.session.scalar(sa.select(Paper).where(Paper.meeting_id == m.id))
    url = f"/meetings/{m.id}/papers/{paper.id}"
    assert client_as("police").get(url).status_code == 404  # not yet published
    assert client_as("chair").get(url).data == PDF
    publish(m, demo)
    download = client_as("police").get(url)
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert client_as("viewer").get(url).status_code == 403
    # A member of another group only.
    assert client_as("sarchair").get(url).status_code == 200  # sits on the Board for the ICB
    sar = schedule(demo, "sar")
    assert client_as("police").get(f"/meetings/{sar.id}/papers/{paper.id}").status_code == 404


def test_publishing_late_asks_for_the_reason(client_as, demo):
    m = schedule(demo, on=PAST)  # papers were due five working days before
    c = client_as("office")
    url = f"/workflow/meeting/{m.id}/publish_papers"
    r = c.post(url, data={"version": m.version, "confirmed": "1"})
    assert "give the reason they are published late" in _text(r.text)
    assert m.state == MeetingState.scheduled
    r = c.post(url, data={"version": m.version, "confirmed": "1", "late_reason": "The ICB report came late"})
    assert r.status_code == 302
    assert m.state == MeetingState.papers_published and m.late_publication_reason == "The ICB report came late"


def test_agenda_items_are_added_moved_and_withdrawn_after_confirmation(client_as, demo):
    m = schedule(demo)
    c = client_as("office")
    r = c.post(f"/meetings/{m.id}/agenda/new", data={"title": ""})
    assert ("#title", "Enter the title of the agenda item") in _summary_links(r.text)
    assert (
        c.post(
            f"/meetings/{m.id}/agenda/new", data={"title": "Prevent annual assurance", "presenter": "Police"}
        ).status_code
        == 302
    )
    item = svc.agenda_of(m)[-1]
    assert item.title == "Prevent annual assurance"
    c.post(f"/meetings/{m.id}/agenda/{item.id}/move", data={"direction": "up"})
    assert svc.agenda_of(m)[-2].id == item.id
    page = c.get(f"/meetings/{m.id}/agenda/{item.id}/withdraw").text
    assert "Withdraw “Prevent annual assurance” from the agenda?" in html_lib.unescape(page)
    assert not item.withdrawn
    r = c.post(f"/meetings/{m.id}/agenda/{item.id}/withdraw", data={"reason": ""})
    assert ("#reason", "Enter why the item is withdrawn") in _summary_links(r.text)
    c.post(f"/meetings/{m.id}/agenda/{item.id}/withdraw", data={"reason": "Deferred to June"})
    assert item.withdrawn and "Deferred to June" in _text(c.get(f"/meetings/{m.id}").text)
    assert client_as("police").post(f"/meetings/{m.id}/agenda/new", data={"title": "x"}).status_code == 403


# --- the register -----------------------------------------------------------------------------------


def test_the_register_shows_live_whether_the_meeting_is_quorate(client_as, demo):
    m = schedule(demo, "exec", on=PAST)
    c = client_as("office")
    seats = {
        k: demo.membership("exec", k).id
        for k in ("chair", "north_dass", "west_dass", "police_lead", "icb_lead", "office")
    }
    data = {f"status_{seats[k]}": "present" for k in seats}
    data[f"status_{seats['police_lead']}"] = "apologies"
    r = c.post(f"/meetings/{m.id}/attendance", data=data)
    assert r.status_code == 302
    page = _text(c.get(r.headers["Location"]).text)
    assert "Register saved. Not quorate: no one from the police is present." in page
    assert "No one from the police is present" in page
    data[f"status_{seats['police_lead']}"] = "deputy_present"
    r = c.post(f"/meetings/{m.id}/attendance", data=data)
    page = _text(c.get(r.headers["Location"]).text)
    assert "Register saved. Quorate." in page
    row = db.session.scalar(
        sa.select(Attendance).where(Attendance.meeting_id == m.id, Attendance.membership_id == seats["police_lead"])
    )
    assert row.status == AttendanceStatus.deputy_present and row.deputy_person_id == demo.person("police_deputy").id


def test_the_register_form_explains_mistakes(client_as, demo):
    m = schedule(demo, "exec", on=PAST)
    c = client_as("office")
    chair, north = demo.membership("exec", "chair").id, demo.membership("exec", "north_dass").id
    r = c.post(f"/meetings/{m.id}/attendance", data={f"status_{chair}": "present"})
    assert (f"#status_{north}", "Select whether Anita Desai attended") in _summary_links(r.text)
    data = {
        f"status_{demo.membership('exec', k).id}": "present"
        for k in ("north_dass", "west_dass", "police_lead", "icb_lead", "office")
    }
    r = c.post(f"/meetings/{m.id}/attendance", data={**data, f"status_{chair}": "deputy_present"})
    assert (f"#deputy_{chair}", "Select the deputy who attended for Margaret Ellison") in _summary_links(r.text)
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(Attendance).where(Attendance.meeting_id == m.id)) == 0
    )


def test_only_the_office_records_the_register(client_as, demo):
    m = schedule(demo, "exec", on=PAST)
    page = client_as("police").get(f"/meetings/{m.id}/attendance")
    assert page.status_code == 200 and "Save the register" not in page.text
    assert client_as("chair").post(f"/meetings/{m.id}/attendance", data={}).status_code == 403


def test_a_nominated_chair_is_recorded_on_the_register_page(client_as, demo):
    m = schedule(demo, "exec", on=PAST)
    c = client_as("office")
    r = c.post(
        f"/meetings/{m.id}/nominated-chair", data={"chair-nominated_chair_person_id": str(demo.person("west_dass").id)}
    )
    assert r.status_code == 302 and m.nominated_chair_person_id == demo.person("west_dass").id
    c.post(f"/meetings/{m.id}/nominated-chair", data={"chair-nominated_chair_person_id": str(demo.person("viewer").id)})
    assert m.nominated_chair_person_id == demo.person("west_dass").id


# --- apologies and declarations -----------------------------------------------------------------------


def test_a_member_sends_apologies_and_names_a_deputy(client_as, demo):
    m = schedule(demo)
    c = client_as("police")
    r = c.post(
        f"/meetings/{m.id}/apologies",
        data={"membership_id": str(demo.membership("board", "police_lead").id), "deputy": "other"},
    )
    assert ("#other_deputy_id", "Select who will attend in your place") in _summary_links(r.text)
    r = c.post(
        f"/meetings/{m.id}/apologies",
        data={
            "membership_id": str(demo.membership("board", "police_lead").id),
            "deputy": "named",
            "note": "At a national conference",
        },
    )
    assert r.status_code == 302
    row = db.session.scalar(sa.select(Attendance).where(Attendance.meeting_id == m.id))
    assert (row.status, row.deputy_person_id, row.note) == (
        AttendanceStatus.apologies,
        demo.person("police_deputy").id,
        "At a national conference",
    )
    assert client_as("viewer").get(f"/meetings/{m.id}/apologies").status_code == 403
    assert client_as("chair").get(f"/meetings/{m.id}/apologies").status_code == 403


def test_a_declaration_goes_to_the_chairs_register(client_as, demo):
    m = schedule(demo)
    item = svc.add_agenda_item(m, title="Commissioning of advocacy services")
    c = client_as("icb")
    r = c.post(f"/meetings/{m.id}/declarations/new", data={"agenda_item_id": str(item.id), "nature": ""})
    assert ("#nature", "Enter the nature of the interest") in _summary_links(r.text)
    r = c.post(
        f"/meetings/{m.id}/declarations/new",
        data={"agenda_item_id": str(item.id), "nature": "My partner works for a bidder"},
    )
    assert r.status_code == 302
    assert (
        db.session.scalar(sa.select(Declaration).where(Declaration.agenda_item_id == item.id)).person_id
        == demo.person("icb_lead").id
    )
    assert "My partner works for a bidder" in client_as("chair").get("/declarations").text
    assert "My partner works for a bidder" in client_as("icb").get("/declarations").text
    assert "My partner works for a bidder" not in client_as("police").get("/declarations").text
    office = _text(client_as("office").get(f"/meetings/{m.id}").text)
    assert "Declared interest: Joanne Whitfield – My partner works for a bidder" in office


# --- decisions and actions --------------------------------------------------------------------------------


def test_recording_a_tied_vote_asks_for_the_casting_vote(client_as, demo):
    m = _exec_today(demo)
    item = svc.add_agenda_item(m, title="Contributions formula")
    c = client_as("office")
    url = f"/meetings/{m.id}/agenda/{item.id}/decision"
    page = _text(c.get(url).text)
    assert "North Council (Anita Desai)" in page and "County Police (Ch Supt Daniel Reeve)" in page
    data = {
        "method": "vote",
        "text": "The formula is changed",
        f"vote_{demo.org('north').id}": "for",
        f"vote_{demo.org('west').id}": "for",
        f"vote_{demo.org('police').id}": "against",
        f"vote_{demo.org('icb').id}": "against",
    }
    r = c.post(url, data=data)
    assert ("#casting_vote", "The votes are tied 2 to 2: record the chair's casting vote") in _summary_links(r.text)
    assert svc.decisions_of(m) == []
    r = c.post(url, data={**data, "casting_vote": "against"})
    assert r.status_code == 302
    (decision,) = svc.decisions_of(m)
    assert decision.outcome.value == "not_carried" and decision.casting_vote.value == "against"
    assert "Not carried" in _text(c.get(f"/meetings/{m.id}").text)
    assert client_as("police").get(url).status_code == 403


def test_the_decision_page_warns_when_the_meeting_is_not_quorate(client_as, demo):
    m = _exec_today(demo)
    svc.record_attendance(
        m, [{"membership_id": demo.membership("exec", "police_lead").id, "status": "absent"}], user=demo.user("office")
    )
    item = svc.agenda_of(m)[0]
    c = client_as("office")
    html = c.get(f"/meetings/{m.id}/agenda/{item.id}/decision").text
    assert "Not quorate: no one from the police is present. Only an interim decision can be recorded" in _text(html)
    assert re.search(r'<input[^>]*name="interim"[^>]*checked', html)  # offered as interim
    r = c.post(f"/meetings/{m.id}/agenda/{item.id}/decision", data={"method": "consensus", "text": "Agreed"})
    assert "Not quorate: no one from the police is present" in _text(r.text)
    assert "The members present may agree an interim decision instead" in _text(r.text)
    assert svc.decisions_of(m) == []
    r = c.post(
        f"/meetings/{m.id}/agenda/{item.id}/decision", data={"method": "consensus", "text": "Agreed", "interim": "y"}
    )
    assert r.status_code == 302
    (decision,) = svc.decisions_of(m)
    assert (decision.interim, decision.quorate, svc.decision_stands(decision)) == (True, False, False)


def test_an_action_raised_at_a_meeting_goes_to_the_shared_log(client_as, demo):
    m = _exec_today(demo)
    item = svc.agenda_of(m)[3]
    c = client_as("office")
    r = c.post(
        f"/meetings/{m.id}/agenda/{item.id}/actions/new",
        data={
            "title": "Report repeat referrals by area",
            "owner_organisation_id": str(demo.org("police").id),
            "owner_person_id": "",
            "due_date": ["31", "1", "2027"],
        },
    )
    assert r.status_code == 302
    action = db.session.scalar(sa.select(Action).where(Action.title == "Report repeat referrals by area"))
    assert (action.source_type.value, action.source_id, action.group_id) == ("meeting", m.id, m.group_id)
    assert svc.actions_of(m)[item.id] == [action]
    assert "Report repeat referrals by area" in client_as("police").get("/actions").text
    # Partners update only their own organisation's actions.
    assert client_as("police").post(f"/actions/{action.id}", data={"text": "Data requested"}).status_code == 302
    assert client_as("icb").post(f"/actions/{action.id}", data={"text": "Not ours"}).status_code in (403, 404)
    assert client_as("north").post(f"/actions/{action.id}", data={"text": "Not ours"}).status_code == 403


# --- minutes ------------------------------------------------------------------------------------------------


def test_the_office_drafts_and_submits_and_the_chair_returns_then_approves(client_as, demo):
    m = _exec_today(demo)
    close(m, demo)
    office, chair = client_as("office"), client_as("chair")
    r = office.post(f"/meetings/{m.id}/minutes")
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == m.id))
    assert r.headers["Location"].endswith(f"/minutes/{minutes.id}/edit")
    item = svc.agenda_of(m)[0]
    r = office.post(
        f"/minutes/{minutes.id}/edit", data={"version": minutes.version, f"section_{item.id}": "Apologies: none."}
    )
    assert r.status_code == 302 and svc.sections_of(minutes)[item.id].text == "Apologies: none."
    office.post(f"/workflow/minutes/{minutes.id}/submit", data={"version": minutes.version, "confirmed": "1"})
    assert minutes.state == MinutesState.submitted
    assert (
        office.post(
            f"/workflow/minutes/{minutes.id}/approve", data={"version": minutes.version, "confirmed": "1"}
        ).status_code
        == 403
    )
    r = chair.post(
        f"/workflow/minutes/{minutes.id}/return_for_changes",
        data={"version": minutes.version, "confirmed": "1", "comment": ""},
    )
    assert ("#comment", "Enter what needs to change") in _summary_links(r.text)
    chair.post(
        f"/workflow/minutes/{minutes.id}/return_for_changes",
        data={"version": minutes.version, "confirmed": "1", "comment": "Add the apologies"},
    )
    assert minutes.state == MinutesState.draft
    office.post(f"/workflow/minutes/{minutes.id}/submit", data={"version": minutes.version, "confirmed": "1"})
    chair.post(f"/workflow/minutes/{minutes.id}/approve", data={"version": minutes.version, "confirmed": "1"})
    assert minutes.state == MinutesState.approved
    r = office.get(f"/minutes/{minutes.id}/edit")
    assert r.status_code == 302  # approved minutes are not edited
    assert "cannot be changed: record an amendment instead" in _text(office.get(r.headers["Location"]).text)


def test_ratifying_at_the_next_meeting_on_the_page(client_as, demo):
    minutes = db.session.get(Minutes, demo.id("minutes", "approved"))  # the Board, October 2026
    december = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    c = client_as("office")
    assert "No later meeting of the group is in session" in c.get(f"/minutes/{minutes.id}/ratify").text
    open_meeting(december, demo)
    page = c.get(f"/minutes/{minutes.id}/ratify").text
    assert "Board meeting, 15 December 2026" in page
    r = c.post(f"/minutes/{minutes.id}/ratify", data={"version": minutes.version, "meeting_id": str(december.id)})
    assert r.status_code == 302
    assert minutes.state == MinutesState.ratified and minutes.ratified_at_meeting_id == december.id
    r = c.post(f"/minutes/{minutes.id}/amendments/new", data={"text": "Item 7: read ‘quarter 2’", "reason": ""})
    assert ("#reason", "Enter why the minutes are corrected") in _summary_links(r.text)
    c.post(
        f"/minutes/{minutes.id}/amendments/new",
        data={"text": "Item 7: read ‘quarter 2’", "reason": "Agreed at the December Board"},
    )
    assert "Item 7: read ‘quarter 2’" in html_lib.unescape(client_as("viewer").get(f"/minutes/{minutes.id}").text)


def test_viewers_read_only_ratified_minutes(client_as, demo):
    c = client_as("viewer")
    listing = c.get("/minutes")
    assert listing.status_code == 200
    assert "Board meeting, 18 August 2026" in listing.text  # ratified
    assert "Board meeting, 20 October 2026" not in listing.text  # approved only
    assert c.get(f"/minutes/{demo.id('minutes', 'ratified')}").status_code == 200
    assert c.get(f"/minutes/{demo.id('minutes', 'approved')}").status_code == 404
    assert c.get(f"/minutes/{demo.id('minutes', 'draft')}").status_code == 404
    assert c.get("/meetings").status_code == 403
    nav = re.findall(r'govuk-service-navigation__link" href="([^"]+)"', c.get("/home").text)
    assert "/minutes" in nav and "/meetings" not in nav


# --- chair's action --------------------------------------------------------------------------------------------


def test_the_chair_records_chairs_action_with_the_statutory_consultations(client_as, demo):
    c = client_as("chair")
    north, police, icb = demo.org("north").id, demo.org("police").id, demo.org("icb").id
    data = {
        "title": "Commission an urgent review",
        "decision": "Commission it",
        "urgency": "Family request",
        "decided_on": ["20", "11", "2026"],
        f"consulted_on_{north}": ["19", "11", "2026"],
        f"view_{north}": "Agrees",
        f"consulted_on_{icb}": ["19", "11", "2026"],
        f"view_{icb}": "Agrees",
    }
    r = c.post("/chair-actions/new", data=data)
    assert "Record the consultation of the police" in _text(r.text)
    r = c.post(
        "/chair-actions/new",
        data={**data, f"consulted_on_{police}": ["20", "11", "2026"], f"view_{police}": "No objection"},
    )
    assert r.status_code == 302
    action = db.session.scalar(sa.select(ChairAction).where(ChairAction.title == "Commission an urgent review"))
    assert {c.organisation_id for c in action.consultations} == {north, police, icb}
    page = _text(client_as("police").get(f"/chair-actions/{action.id}").text)
    assert "On the agenda of the Board meeting, 15 December 2026" in page
    r = client_as("police").get("/chair-actions/new")
    assert r.status_code == 302  # only the chair or the Board's vice chair


# --- calendar --------------------------------------------------------------------------------------------------


def test_the_private_calendar_feed(client_as, client, demo):
    c = client_as("police")
    assert "Make my calendar link" in c.get("/calendar").text
    c.post("/calendar")
    token = demo.user("police").calendar_token
    assert token and token in c.get("/calendar").text
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    body = feed.data.decode()
    assert "BEGIN:VCALENDAR" in body and "SUMMARY:Safeguarding Partnership Board meeting" in body
    assert "DTSTART;TZID=Europe/London:20261215T100000" in body
    assert "Adult Review sub-group" not in body  # the police lead is not on the SAR sub-group
    assert "Daniel" not in body and "Reeve" not in body
    c.post("/calendar")  # a new link: the old one stops working
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_single_meeting_downloads_as_ics(client_as, demo):
    m = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    r = client_as("north").get(f"/meetings/{m.id}.ics")
    assert r.status_code == 200 and f'filename="meeting-{m.id}.ics"' in r.headers["Content-Disposition"]
    body = r.data.decode()
    assert body.count("BEGIN:VEVENT") == 1 and f"UID:meeting-{m.id}@" in body and "BEGIN:VTIMEZONE" in body
    meeting_lifecycle.fire(m, "cancel", user=demo.user("office"), version=m.version, comment="Snow")
    assert "STATUS:CANCELLED" in client_as("north").get(f"/meetings/{m.id}.ics").data.decode()


# --- home panels ------------------------------------------------------------------------------------------------


def test_home_panels(client_as, demo):
    # A meeting for the police lead to reply to, whatever the date the tests run.
    schedule(demo, "exec", on=today() + timedelta(days=14))
    police = _text(client_as("police").get("/home").text)
    waiting = svc.upcoming_without_reply(demo.user("police"))
    assert waiting >= 1 and f"Upcoming meetings {waiting} in the next 8 weeks" in police
    assert "Interim decisions to validate 2" in police
    assert "Upcoming meetings" not in _text(client_as("viewer").get("/home").text)
    chair = _text(client_as("chair").get("/home").text)
    # the demo's submitted minutes are the SAR sub-group's: its own chair approves them
    assert "Minutes to approve" not in chair and "Chair's actions awaiting ratification 1" in chair
    assert "Minutes to approve 1" in _text(client_as("sarchair").get("/home").text)
    office = _text(client_as("office").get("/home").text)
    assert "Minutes to draft 1" in office
    before = svc.papers_due_soon()
    m = schedule(demo, on=PAST)
    assert m.papers_due_on < today() and svc.papers_due_soon() == before + 1
    assert f"Papers to publish {before + 1}" in _text(client_as("office").get("/home").text)


def test_meeting_lists_filter_and_page(client_as, demo):
    c = client_as("office")
    past = _text(c.get(f"/meetings?when=past&group={demo.group('board').id}").text)
    # 40 ordinary meetings and the three extraordinary ones that signed off case reviews
    # (the learning library's demo SAR of 2024, followed to impact, was signed off at one).
    assert "43 meetings" in past and "1 of 2" in past
    assert c.get("/meetings?when=sometime").status_code == 400
    assert c.get("/meetings?state=nonsense").status_code == 400
    inquorate = _text(c.get("/meetings?when=all&state=inquorate").text)
    assert "1 meeting " in inquorate and "15 Aug 2023" in inquorate
    needed = _text(c.get("/meetings?when=past&minutes=needed").text)
    assert "1 meeting " in needed and "17 Nov 2026" in needed


def test_meeting_workflow_buttons_follow_the_state(client_as, demo):
    m = schedule(demo)
    office = client_as("office").get(f"/meetings/{m.id}").text
    assert "Publish the papers" in office and "Close the meeting" not in office
    open_meeting(m, demo)
    office = client_as("office").get(f"/meetings/{m.id}").text
    assert "Close the meeting" in office and "Publish the papers" not in office
    assert "Close the meeting" not in client_as("police").get(f"/meetings/{m.id}").text
