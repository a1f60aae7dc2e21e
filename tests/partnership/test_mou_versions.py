"""The memorandum of understanding is versioned data (issue 16): the office records a new
version and the date it comes into force, and who has signed which; voting needs a
signature of the version in force."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.services import meetings
from safeguarding.services import partnership as svc
from safeguarding.services.errors import ValidationFailed
from tests.support.meetings import business, open_meeting, schedule


def test_the_demo_has_one_version_in_force_and_its_signatures(demo):
    version = svc.mou_in_force()
    assert version is not None and version.name == "FNSPP MoU 2020"
    assert demo.person("police_lead").id in svc.mou_signed_person_ids([demo.person("police_lead").id])
    assert not svc.mou_signed_person_ids([demo.person("healthwatch_lead").id])


def test_a_new_version_in_force_needs_new_signatures_to_vote(demo, api_as):
    m = schedule(demo)
    open_meeting(m, demo)
    item = business(m)
    before = set(meetings.voting_eligibility(m, item).voters)
    assert demo.org("police").id in before
    # a version coming into force next April changes nothing today
    r = api_as("office").post("/api/v1/mou-versions", json={"name": "FNSPP MoU 2027", "in_force_from": "2027-04-01"})
    assert r.status_code == 201 and r.json["in_force"] is False
    assert set(meetings.voting_eligibility(m, item).voters) == before
    # one in force from 1 December 2026: only its signatories vote
    r = api_as("office").post(
        "/api/v1/mou-versions",
        json={"name": "FNSPP MoU 2026", "in_force_from": "2026-12-01", "summary": "Adds the ICB's duties"},
    )
    assert r.status_code == 201 and r.json["in_force"] is True and r.json["signatures"] == 0
    eligibility = meetings.voting_eligibility(m, item)
    assert eligibility.voters == {}
    assert any(reason == "has not signed the memorandum of understanding" for _, _, reason in eligibility.excluded)
    r = api_as("office").post(
        "/api/v1/mou-signatures",
        json={"person_id": demo.person("police_lead").id, "signed_on": "2026-12-02"},
    )
    assert r.status_code == 201 and r.json["document_version"] == "FNSPP MoU 2026"
    assert set(meetings.voting_eligibility(m, item).voters) == {demo.org("police").id}
    listed = {v["name"]: v for v in api_as("police").get("/api/v1/mou-versions").json}
    assert listed["FNSPP MoU 2026"]["signatures"] == 1 and listed["FNSPP MoU 2020"]["in_force"] is False


def test_versions_are_recorded_once_with_a_date_by_the_office_only(demo, api_as):
    with pytest.raises(ValidationFailed) as exc:
        svc.record_mou_version(name="FNSPP MoU 2020", in_force_from=None, summary=None, recorded_by_id=None)
    assert exc.value.errors == {
        "name": "A version with this name has already been recorded",
        "in_force_from": "Enter the date the version comes into force",
    }
    assert (
        api_as("chair").post("/api/v1/mou-versions", json={"name": "X", "in_force_from": "2027-01-01"}).status_code
        == 403
    )
    r = api_as("office").post("/api/v1/mou-versions", json={"name": "", "in_force_from": "not a date"})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    with pytest.raises(ValidationFailed) as exc:
        svc.record_mou_signature(
            demo.person("healthwatch_lead"), date(2026, 12, 1), recorded_by_id=None, document_version="No such MoU"
        )
    assert exc.value.errors == {"document_version": "Select a recorded version of the memorandum"}


def test_the_memorandum_pages(client_as, demo):
    c = client_as("office")
    page = c.get("/memorandum").text
    assert "FNSPP MoU 2020" in page and "In force" in page
    r = c.post("/memorandum/new", data={"name": "", "in_force_from": ["31", "2", "2027"]})
    assert r.status_code == 200 and "govuk-error-summary" in r.text
    assert "Enter the name of the version" in r.text
    r = c.post(
        "/memorandum/new",
        data={"name": "FNSPP MoU 2027", "in_force_from": ["1", "4", "2027"]},
    )
    assert r.status_code == 302
    assert "FNSPP MoU 2027" in c.get("/memorandum").text
    person = demo.person("healthwatch_lead")
    form = c.get(f"/people/{person.id}/mou").text
    assert "FNSPP MoU 2027" in form and "FNSPP MoU 2020" in form
    assert client_as("chair").get("/memorandum").status_code == 403
