"""Report cover sheets (issue 17): purpose, what the meeting is asked to do, author,
sponsoring organisation and risks, entered with the paper (page and API) and shown in the
agenda pack before the paper."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from safeguarding.extensions import db
from safeguarding.models import CoverSheet, MeetingState
from safeguarding.services import agenda_pack
from safeguarding.services import meetings as svc
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from tests.office.test_agenda_pack import attach, pdf_of
from tests.support.meetings import schedule


@pytest.fixture
def paper(demo):
    m = schedule(demo)
    item = svc.add_agenda_item(m, title="Draft budget 2027/28")
    return attach(demo, item, "Draft budget", pdf_of("BUDGET", 2), "budget.pdf")


def _sheet(demo, paper, **kw):
    values = {
        "purpose": "decision",
        "asked_to": "Approve the draft budget",
        "author": "Business Manager",
        "sponsor_organisation_id": demo.org("north").id,
        "risks": "A late council settlement.",
    }
    values.update(kw)
    return agenda_pack.save_cover_sheet(paper, user=demo.user("office"), **values)


def test_the_cover_sheet_is_shown_before_its_paper_in_the_pack(demo, paper):
    _sheet(demo, paper)
    m = svc.get_meeting(paper.meeting_id, demo.user("office"))
    reader = PdfReader(io.BytesIO(agenda_pack.agenda_pack(m, demo.user("office"), "full")))
    texts = [p.extract_text() for p in reader.pages]
    (sheet,) = [i for i, t in enumerate(texts) if "Report cover sheet: Draft budget" in t]
    assert "BUDGET page 1" in texts[sheet + 1]
    for words in ("For decision", "Approve the draft budget", "Business Manager", demo.org("north").name):
        assert words in texts[sheet]
    # The agenda and the bookmark point at the cover sheet, where the paper starts.
    assert f"Paper: Draft budget {sheet + 1}" in " ".join(texts[1].split())
    (entry,) = [e for e in reader.outline if not isinstance(e, list) and e.title.endswith("Draft budget 2027/28")]
    assert reader.get_destination_page_number(entry) == sheet


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("purpose", {"purpose": "noting"}, "Select whether the paper is for decision, assurance or information"),
        ("asked_to", {"asked_to": "  "}, "Enter what the meeting is asked to do"),
        ("author", {"author": ""}, "Enter the author of the paper"),
        ("sponsor_organisation_id", {"sponsor_organisation_id": 999999}, "Select the sponsoring organisation"),
    ],
)
def test_bad_input_is_refused_with_a_message(demo, paper, field, values, message):
    with pytest.raises(ValidationFailed) as exc:
        _sheet(demo, paper, **values)
    assert exc.value.errors[field].startswith(message)


def test_only_the_office_enters_one_before_the_meeting_and_a_stale_version_is_refused(demo, paper):
    with pytest.raises(Forbidden):
        agenda_pack.save_cover_sheet(paper, user=demo.user("chair"), purpose="decision", asked_to="x", author="y")
    sheet = _sheet(demo, paper)
    changed = _sheet(demo, paper, purpose="assurance", version=sheet.version)
    assert changed.purpose.value == "assurance"
    with pytest.raises(StaleVersion):
        _sheet(demo, paper, version=1)
    meeting = svc.get_meeting(paper.meeting_id, demo.user("office"))
    meeting.state = MeetingState.closed
    db.session.flush()
    with pytest.raises(Conflict):
        _sheet(demo, paper)


def test_the_paper_form_takes_the_cover_sheet_with_the_paper(client_as, demo):
    m = schedule(demo)
    item = svc.add_agenda_item(m, title="Communications plan")
    client = client_as("office")
    data = {
        "title": "Communications plan 2027",
        "file": (io.BytesIO(pdf_of("COMMS", 1)), "comms.pdf"),
        "purpose": "information",
        "asked_to": "Note the plan",
        "author": "Communications lead",
        "sponsor_organisation_id": "",
        "risks": "",
    }
    response = client.post(f"/meetings/{m.id}/agenda/{item.id}/papers/new", data=data, follow_redirects=False)
    assert response.status_code == 302
    (p,) = svc.papers_of(m)
    sheet = agenda_pack.cover_sheet_of(p)
    assert (sheet.purpose.value, sheet.asked_to, sheet.author, sheet.risks) == (
        "information",
        "Note the plan",
        "Communications lead",
        None,
    )


def test_the_cover_sheet_page_saves_and_shows_errors(client_as, demo, paper):
    client = client_as("office")
    url = f"/meetings/{paper.meeting_id}/papers/{paper.id}/cover-sheet"
    assert client.get(url).status_code == 200
    bad = client.post(
        url, data={"purpose": "decision", "asked_to": "", "author": "Someone", "sponsor_organisation_id": ""}
    )
    assert bad.status_code == 200 and "Enter what the meeting is asked to do" in bad.text
    assert "govuk-error-summary" in bad.text
    ok = client.post(
        url, data={"purpose": "assurance", "asked_to": "Be assured", "author": "Someone", "sponsor_organisation_id": ""}
    )
    assert ok.status_code == 302
    assert db.session.get(CoverSheet, agenda_pack.cover_sheet_of(paper).id).purpose.value == "assurance"


def test_the_api_puts_and_gets_a_cover_sheet(api_as, demo, paper):
    url = f"/api/v1/meetings/{paper.meeting_id}/papers/{paper.id}/cover-sheet"
    assert api_as("office").get(url).status_code == 404
    body = {"purpose": "decision", "asked_to": "Approve it", "author": "Business Manager"}
    put = api_as("office").put(url, json=body)
    assert put.status_code == 200 and put.json["purpose"] == "decision" and put.json["version"] == 1
    assert api_as("chair").get(url).json["asked_to"] == "Approve it"
    bad = api_as("office").put(url, json={**body, "purpose": "noting"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert api_as("chair").put(url, json=body).status_code == 403
    # a member before the papers are published does not see the paper at all
    assert api_as("police").get(url).status_code == 404
