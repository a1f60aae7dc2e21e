"""The annual report's pages and API: starting a report, the report page (contents,
figures taken on, tables, charts with text alternatives), editing, the chair's return
with comments, the downloads, access, and problems for bad input."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AnnualReport, AnnualReportState, SectionKind
from safeguarding.services import annual
from tests.support.annual import board_agrees

YEAR = 2012


def _text(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def _start(demo, year=YEAR):
    return annual.start_report(year, demo.user("office"))


def _written(report, demo):
    for s in report.sections:
        if s.kind == SectionKind.narrative:
            annual.edit_section(report, s, demo.user("office"), version=report.version, text=f"About {s.heading}")
    return report


def test_office_starts_a_report_from_the_list(client_as, demo):
    c = client_as("office")
    page = c.get("/annual-reports")
    assert page.status_code == 200 and "Start a report" in page.text
    r = c.post("/annual-reports/new", data={"financial_year": "2016"})
    assert r.status_code == 302
    report = db.session.scalar(sa.select(AnnualReport).where(AnnualReport.financial_year == 2016))
    assert r.headers["Location"].endswith(f"/annual-reports/{report.id}")
    bad = c.post("/annual-reports/new", data={"financial_year": ""})
    assert bad.status_code == 400 and "Select the financial year the report covers" in bad.text


def test_the_report_page_shows_contents_figures_and_when_they_were_taken(client_as, demo):
    report = _start(demo)
    page = client_as("office").get(f"/annual-reports/{report.id}")
    assert page.status_code == 200
    text = _text(page.text)
    assert f"Figures taken on {annual.taken_on(report)}" in text
    assert "Contents" in text and "Chair's foreword" in text and "Safeguarding Adults Reviews" in text
    assert "by arm and council area" in text and "Take the figures again" in text
    assert 'href="#section-sars"' in page.text


def test_edit_a_section_and_refuse_empty_narrative(client_as, demo):
    report = _start(demo)
    s = annual.section_by_key(report, "foreword")
    c = client_as("office")
    url = f"/annual-reports/{report.id}/sections/{s.id}/edit"
    assert c.get(url).status_code == 200
    r = c.post(url, data={"version": str(report.version), "text": ""})
    assert r.status_code == 200 and "Enter the text of the section" in r.text
    r = c.post(url, data={"version": str(report.version), "text": "A good year."})
    assert r.status_code == 302 and s.text == "A good year."
    stale = c.post(url, data={"version": "1", "text": "Old"})
    assert stale.status_code in (200, 302) and s.text == "A good year."
    assert client_as("police").get(url).status_code in (403, 404)


def test_assign_a_writer_page(client_as, demo):
    report = _start(demo)
    s = annual.section_by_key(report, "priorities")
    c = client_as("office")
    url = f"/annual-reports/{report.id}/sections/{s.id}/writer"
    assert c.get(url).status_code == 200
    r = c.post(url, data={"version": str(report.version), "person_id": "", "due_on": ["", "", ""]})
    assert r.status_code == 200 and "Select who will write the section" in r.text
    person = demo.person("police_lead")
    r = c.post(url, data={"version": str(report.version), "person_id": str(person.id), "due_on": ["1", "2", "2027"]})
    assert r.status_code == 302 and s.writer_person_id == person.id
    # The writer now sees the draft and may write the section.
    police = client_as("police")
    assert police.get(f"/annual-reports/{report.id}").status_code == 200
    assert police.get(f"/annual-reports/{report.id}/sections/{s.id}/edit").status_code == 200


def test_the_chair_returns_with_at_least_one_comment(client_as, demo):
    report = _written(_start(demo), demo)
    from safeguarding.workflows.annual import annual_report_lifecycle as lc

    lc.fire(report, "submit", user=demo.user("office"), version=report.version)
    chair = client_as("chair")
    url = f"/annual-reports/{report.id}/return"
    assert "Return with comments" in chair.get(f"/annual-reports/{report.id}").text
    r = chair.post(url, data={"version": str(report.version)})
    assert r.status_code == 200 and "Comment on at least one section" in r.text
    assert report.state == AnnualReportState.submitted
    foreword = annual.section_by_key(report, "foreword")
    r = chair.post(url, data={"version": str(report.version), f"section_{foreword.id}": "Shorter, please"})
    assert r.status_code == 302
    assert report.state == AnnualReportState.changes_requested and foreword.chair_comment == "Shorter, please"
    assert client_as("office").get(url).status_code == 403
    assert "Shorter, please" in client_as("office").get(f"/annual-reports/{report.id}").text


def test_downloads(client_as, api_as, demo):
    report = _start(demo)
    pdf = client_as("office").get(f"/annual-reports/{report.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    docx = api_as("chair").get(f"/api/v1/annual-reports/{report.id}.docx")
    assert docx.status_code == 200 and docx.data.startswith(b"PK")
    assert client_as("office").get(f"/annual-reports/{report.id}.txt").status_code == 404
    doc = annual.document(report)
    assert [s.heading for s in doc.sections] == [s.heading for s in report.sections]
    assert all(f.alt for s in doc.sections for f in s.figures)


def test_drafts_are_for_the_office_and_the_chair(client_as, api_as, demo):
    report = _start(demo)
    assert client_as("police").get(f"/annual-reports/{report.id}").status_code == 404
    assert client_as("viewer").get(f"/annual-reports/{report.id}").status_code == 404
    assert api_as("viewer").get(f"/api/v1/annual-reports/{report.id}").status_code == 404
    assert client_as("admin").get("/annual-reports").status_code == 403
    assert report.id not in [r["id"] for r in api_as("police").get("/api/v1/annual-reports").json["items"]]


def test_the_api(api_as, demo):
    office, chair = api_as("office"), api_as("chair")
    r = office.post("/api/v1/annual-reports", json={"financial_year": "2014-15"})
    assert r.status_code == 201, r.json
    body = r.json
    assert body["state"] == "drafting" and body["financial_year"] == "2014-15" and body["figures_taken_at"]
    assert office.post("/api/v1/annual-reports", json={"financial_year": "2014-15"}).status_code == 409
    bad = office.post("/api/v1/annual-reports", json={"financial_year": "2014"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert chair.post("/api/v1/annual-reports", json={"financial_year": "2015-16"}).status_code == 403
    rid = body["id"]
    sections = office.get(f"/api/v1/annual-reports/{rid}/sections").json
    assert [s["key"] for s in sections][:2] == ["foreword", "priorities"]
    sars = next(s for s in sections if s["key"] == "sars")
    assert sars["figures"]["variants"][0]["label"] == "Whole partnership"
    version = body["version"]
    r = office.post(f"/api/v1/annual-reports/{rid}/transitions", json={"trigger": "submit", "version": version})
    assert r.status_code == 422 and "before submitting" in str(r.json)
    for s in sections:
        if s["kind"] == "narrative":
            r = office.patch(
                f"/api/v1/annual-reports/{rid}/sections/{s['id']}", json={"version": version, "text": "Done"}
            )
            assert r.status_code == 200, r.json
            version = office.get(f"/api/v1/annual-reports/{rid}").json["version"]
    r = office.post(f"/api/v1/annual-reports/{rid}/transitions", json={"trigger": "submit", "version": version})
    assert r.status_code == 200 and r.json["state"] == "submitted"
    version = r.json["version"]
    r = chair.post(f"/api/v1/annual-reports/{rid}/transitions", json={"trigger": "request_changes", "version": version})
    assert r.status_code == 422
    r = chair.put(f"/api/v1/annual-reports/{rid}/comments", json={"comments": {str(sars["id"]): "Add the timeliness"}})
    assert r.status_code == 200
    r = chair.post(f"/api/v1/annual-reports/{rid}/transitions", json={"trigger": "request_changes", "version": version})
    assert r.status_code == 200 and r.json["state"] == "changes_requested"
    assert (
        office.post(
            f"/api/v1/annual-reports/{rid}/transitions", json={"trigger": "approve", "version": r.json["version"]}
        ).status_code
        == 403
    )
    history = office.get(f"/api/v1/annual-reports/{rid}/history").json
    assert [h["trigger"] for h in history] == ["submit", "request_changes"]


def test_publish_through_the_page_records_the_distribution(client_as, demo):
    from safeguarding.calendar import today
    from safeguarding.workflows.annual import annual_report_lifecycle as lc

    report = _written(_start(demo, 2015), demo)
    lc.fire(report, "submit", user=demo.user("office"), version=report.version)
    lc.fire(report, "approve", user=demo.user("chair"), version=report.version)
    c = client_as("office")
    url = f"/workflow/annual_report/{report.id}/publish"
    page = c.get(url)
    assert page.status_code == 200 and "Health and Wellbeing Board" in page.text
    r = c.post(url, data={"version": str(report.version), "confirmed": "1", "sent_on": ["", "", ""]})
    assert r.status_code == 200 and "Enter the date the report was sent" in r.text
    on = today()
    data = {"version": str(report.version), "confirmed": "1", "sent_on": [str(on.day), str(on.month), str(on.year)]}
    # Not before the Board has agreed it (the chair's approval put it on the next Board agenda).
    r = c.post(url, data=data)
    assert r.status_code == 200 and "The Board has not agreed the report yet" in _text(r.text)
    assert report.state == AnnualReportState.approved
    board_agrees(report, demo)
    data["version"] = str(report.version)
    r = c.post(url, data=data)
    assert r.status_code == 302 and report.state == AnnualReportState.published
    text = _text(client_as("viewer").get(f"/annual-reports/{report.id}").text)
    assert "Chief executive, North Council" in text and "Distribution" in text
    assert client_as("chair").get(url).status_code in (302, 403)
