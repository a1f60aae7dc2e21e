"""Attendance pages: the escalations list and page, the letter's preview and downloads,
the thresholds (the office edits them), the report's table, heat-map and CSV; partner
members see only their own organisation's attendance and letters."""

from __future__ import annotations

import re

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AttendancePolicy, Escalation, EscalationState, Role
from tests.support.factories import UserFactory


def _partner(demo, org: str):
    return UserFactory(roles=[Role.partner_member], organisation=demo.org(org))


def test_the_list_filters_by_state_and_group(client_as, demo):
    c = client_as("office")
    page = c.get("/attendance/escalations").get_data(as_text=True)
    assert "Healthwatch County" in page and "County Public Health" not in page  # open only
    page = c.get("/attendance/escalations?state=resolved").get_data(as_text=True)
    assert "County Public Health" in page and "Healthwatch County" not in page
    page = c.get(f"/attendance/escalations?state=all&group={demo.group('sar').id}").get_data(as_text=True)
    assert "No escalations match" in page
    assert c.get("/attendance/escalations?state=nonsense").status_code == 400


def test_the_chair_sees_the_approve_button_and_the_office_does_not(client_as, demo):
    url = f"/attendance/escalations/{demo.id('escalations', 'drafted')}"
    chair = client_as("chair").get(url).get_data(as_text=True)
    assert "Approve and sign the letter" in chair and "Letter drafted" in chair and "16 June 2026" in chair
    office = client_as("office").get(url).get_data(as_text=True)
    assert "Approve and sign the letter" not in office and "Withdraw the escalation" in office
    # Viewers never see escalations or letters (domain.md, "Who uses it").
    assert client_as("viewer").get(url).status_code == 403


def test_the_letter_preview_and_downloads(client_as, demo):
    e = demo.id("escalations", "drafted")
    c = client_as("chair")
    page = c.get(f"/attendance/escalations/{e}/letter").get_data(as_text=True)
    assert "Dear Beverley Tate" in page and "20 October 2026" in page and "persistent non-attendance" in page
    r = c.get(f"/attendance/escalations/{e}/letter.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    assert "Beverley" not in r.headers["Content-Disposition"]
    r = c.get(f"/attendance/escalations/{e}/letter.docx")
    assert r.status_code == 200 and r.data.startswith(b"PK")


def test_the_chair_approves_on_a_page_with_the_draft_to_edit(client_as, demo):
    e = db.session.get(Escalation, demo.id("escalations", "drafted"))
    url = f"/attendance/escalations/{e.id}/letter/approve"
    c = client_as("chair")
    page = c.get(url).get_data(as_text=True)
    assert "Healthwatch County was not represented at the last 3 meetings" in page  # the draft, to edit
    r = c.post(url, data={"version": str(e.version), "letter_text": "  "})
    assert r.status_code == 200 and "Enter the text of the letter" in r.get_data(as_text=True)
    r = c.post(url, data={"version": str(e.version - 1), "letter_text": "Edited."})
    assert "changed by someone else" in r.get_data(as_text=True)
    db.session.refresh(e)
    assert e.state == EscalationState.letter_drafted
    r = c.post(url, data={"version": str(e.version), "letter_text": "Edited.\n\nSecond."})
    assert r.status_code == 302
    db.session.refresh(e)
    assert e.state == EscalationState.letter_approved and e.letter_text == "Edited.\n\nSecond."
    assert c.get(url).status_code == 302  # approved already: back to the escalation


def test_the_office_edits_the_draft_but_cannot_approve(client_as, demo):
    e = db.session.get(Escalation, demo.id("escalations", "drafted"))
    office = client_as("office")
    assert office.get(f"/attendance/escalations/{e.id}/letter/approve").status_code == 403
    r = office.post(f"/workflow/escalation/{e.id}/approve", data={"version": e.version, "confirmed": "1"})
    assert r.status_code == 403
    r = office.post(
        f"/attendance/escalations/{e.id}/letter/edit_letter",
        data={"version": str(e.version), "letter_text": "Office's edit."},
    )
    assert r.status_code == 302
    db.session.refresh(e)
    assert e.state == EscalationState.letter_drafted and e.letter_text == "Office's edit."
    assert office.get(f"/attendance/escalations/{e.id}/letter/nonsense").status_code == 404
    assert client_as("viewer").get(f"/attendance/escalations/{e.id}/letter/approve").status_code == 403


def test_partners_see_only_letters_sent_to_their_organisation(client_as, demo):
    resolved, drafted = demo.id("escalations", "resolved"), demo.id("escalations", "drafted")
    ph = client_as(_partner(demo, "public_health"))
    page = ph.get("/attendance/escalations?state=all").get_data(as_text=True)
    assert "County Public Health" in page and "Healthwatch County" not in page
    assert ph.get(f"/attendance/escalations/{resolved}").status_code == 200
    assert ph.get(f"/attendance/escalations/{resolved}/letter.pdf").status_code == 200
    assert ph.get(f"/attendance/escalations/{drafted}").status_code == 404
    hw = client_as(_partner(demo, "healthwatch"))  # Healthwatch's letter is not sent yet
    assert hw.get(f"/attendance/escalations/{drafted}").status_code == 404
    assert client_as("police").get(f"/attendance/escalations/{resolved}/letter.pdf").status_code == 404


def test_the_report_shows_a_table_and_a_heat_map_with_words(client_as, demo):
    board = demo.group("board").id
    page = client_as("office").get(f"/attendance/report?group={board}&from=2025-11-24&to=2026-11-23")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Healthwatch County" in text and "County Police" in text
    assert "app-heatmap__cell--apologies" in text and ">Apologies<" in text and ">Present<" in text
    assert "Deputy" in text and "20 October 2026" in text
    assert "<svg" in text and "Percentage of meetings at which each organisation was represented" in text


def test_the_report_for_a_partner_shows_their_organisation_only(client_as, demo):
    board = demo.group("board").id
    text = client_as("police").get(f"/attendance/report?group={board}").get_data(as_text=True)
    assert "County Police" in text and "Healthwatch County" not in text and "North Council" not in text


def test_the_report_as_csv(client_as, demo):
    board = demo.group("board").id
    r = client_as("office").get(f"/attendance/report?group={board}&from=2026-06-01&to=2026-10-31&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    lines = r.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Organisation,2026-06-16,2026-08-18,2026-10-20,Meetings held")
    healthwatch = next(line for line in lines if line.startswith("Healthwatch County"))
    assert healthwatch == "Healthwatch County,Apologies,Apologies,Apologies,3,0,0"


def test_bad_report_dates_are_explained_not_a_500(client_as, demo):
    board = demo.group("board").id
    c = client_as("office")
    r = c.get(f"/attendance/report?group={board}&from=2026-13-01")
    assert r.status_code == 400 and "There is a problem" in r.get_data(as_text=True)
    r = c.get(f"/attendance/report?group={board}&from=2026-11-01&to=2026-10-01")
    assert r.status_code == 400 and "The start date must be on or before the end date" in r.get_data(as_text=True)
    assert c.get("/attendance/report?group=999999").status_code == 404


def test_the_office_edits_a_groups_thresholds(client_as, demo):
    board = demo.group("board").id
    c = client_as("office")
    page = c.get("/attendance/policies").get_data(as_text=True)
    assert "Defaults" in page
    form = {
        "version": "",
        "reminder_after": "2",
        "escalate_after": "4",
        "min_rate_percent": "50",
        "min_held": "4",
        "window_months": "12",
        "response_days": "21",
        "resolve_after": "2",
    }
    r = c.post(f"/attendance/policies/{board}", data=form)
    assert r.status_code == 302
    row = db.session.scalar(sa.select(AttendancePolicy).where(AttendancePolicy.group_id == board))
    assert (row.escalate_after, row.response_days) == (4, 21)
    # A stale form changes nothing.
    r = c.post(f"/attendance/policies/{board}", data={**form, "response_days": "14"})
    assert r.status_code == 200 and "changed by someone else" in r.get_data(as_text=True)
    # Bad input: the error summary, nothing changed.
    r = c.post(f"/attendance/policies/{board}", data={**form, "version": str(row.version), "min_rate_percent": "150"})
    assert r.status_code == 200 and "must be between 1 and 100" in r.get_data(as_text=True)
    r = c.post(f"/attendance/policies/{board}", data={**form, "version": str(row.version), "reminder_after": "5"})
    assert "The reminder must come no later than the escalation" in r.get_data(as_text=True)
    r = c.post(f"/attendance/policies/{board}", data={**form, "version": str(row.version), "min_held": "four"})
    assert r.status_code == 200 and "must be a whole number, like 3" in r.get_data(as_text=True)
    db.session.refresh(row)
    assert (row.min_rate_percent, row.response_days) == (50, 21)


def test_only_the_office_edits_thresholds(client_as, demo):
    board = demo.group("board").id
    for who in ("chair", "viewer", "police"):
        assert client_as(who).get(f"/attendance/policies/{board}").status_code == 403
    assert client_as("chair").get("/attendance/policies").status_code == 200
    assert client_as("police").get("/attendance/policies").status_code == 403


def test_the_report_period_is_typed_in_gov_uk_date_inputs_and_shown_once_the_report_is(client_as, demo):
    board = demo.group("board").id
    c = client_as("office")
    page = c.get(f"/attendance/report?group={board}&from=1&from=6&from=2026&to=31&to=10&to=2026")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "1 June 2026 to 31 October 2026" in text
    assert 'id="from-day" name="from" type="text" inputmode="numeric" value="1"' in text
    assert 'id="to-year" name="to" type="text" inputmode="numeric" value="2026"' in text
    # A period given as ISO dates (links, the CSV) fills the boxes as well.
    text = c.get(f"/attendance/report?group={board}&from=2026-06-01&to=2026-10-31").get_data(as_text=True)
    assert 'id="from-month" name="from" type="text" inputmode="numeric" value="6"' in text
    r = c.get(f"/attendance/report?group={board}&from=1&from=&from=2026")
    assert r.status_code == 400 and "The start date must include a month" in r.get_data(as_text=True)
    assert 'href="#from-day"' in r.get_data(as_text=True)
    r = c.get(f"/attendance/report?group={board}&from=31&from=2&from=2026")
    assert r.status_code == 400 and "The start date must be a real date" in r.get_data(as_text=True)
    # The same limits as every date field, typed or in a link.
    for period in ("from=1&from=1&from=0001", "from=0001-01-01"):
        r = c.get(f"/attendance/report?group={board}&{period}")
        assert r.status_code == 400 and "The start date must be between 1900 and 2100" in r.get_data(as_text=True)


def test_the_chair_s_main_action_on_a_drafted_letter_is_to_approve_it(client_as, demo):
    page = client_as("chair").get(f"/attendance/escalations/{demo.id('escalations', 'drafted')}").text
    buttons = re.findall(r'class="govuk-button([^"]*)" data-module="govuk-button">([^<]+)<', page)
    assert buttons[0] == ("", "Approve and sign the letter")  # primary, and first
    assert all("govuk-button--secondary" in classes for classes, _ in buttons[1:])
