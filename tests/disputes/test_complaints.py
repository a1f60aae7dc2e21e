"""Complaints: about the partnership (assigned to the Chair, investigated, outcome recorded
and communicated, closed) or about a member's service (referred to its own complaints
process, the organisation told); who may do what; only the office and Chair see them."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.models import ComplaintKind, ComplaintState, ResponseMethod
from safeguarding.services import complaints as svc
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.workflows.disputes import complaint_lifecycle as lifecycle
from safeguarding.workflows.disputes import complaint_options
from tests.support.factories import OrganisationFactory

TODAY = date(2026, 11, 23)


def log(demo, kind=ComplaintKind.partnership, **kw):
    values = dict(
        kind=kind,
        received_on=date(2026, 11, 16),
        complainant_name="C Person",
        complainant_contact="c.person@example.com",
        summary="Minutes were published late",
    )
    values.update(kw)
    return svc.log_complaint(demo.user(values.pop("by", "office")), **values)


def fire(c, trigger, who, demo, on=TODAY, **kw):
    return lifecycle.fire(c, trigger, user=demo.user(who), version=c.version, as_of=on, **kw)


def test_a_complaint_about_the_partnership_goes_to_the_chair(demo):
    c = log(demo)
    assert c.reference.startswith("CMP-2026-") and c.state == ComplaintState.received
    assert c.assigned_to_id == demo.user("chair").id and c.organisation_id is None
    assert [o.trigger for o in complaint_options(c, demo.user("chair"))] == ["investigate"]
    with pytest.raises(Forbidden):
        fire(c, "investigate", "office", demo)
    fire(c, "investigate", "chair", demo)
    assert c.state == ComplaintState.investigating and c.investigation_started_on == TODAY
    with pytest.raises(ValidationFailed) as exc:
        fire(c, "respond", "chair", demo, params={})
    assert set(exc.value.errors) == {"outcome", "responded_on", "response_method"}
    with pytest.raises(ValidationFailed) as exc:
        fire(
            c,
            "respond",
            "chair",
            demo,
            params={"outcome": "Upheld", "responded_on": date(2026, 11, 24), "response_method": "letter"},
        )
    assert exc.value.reasons == ["The date the outcome was communicated must be today or in the past"]
    with pytest.raises(Forbidden):
        fire(
            c,
            "respond",
            "office",
            demo,
            params={"outcome": "Upheld", "responded_on": TODAY, "response_method": "letter"},
        )
    fire(
        c,
        "respond",
        "chair",
        demo,
        params={
            "outcome": "Upheld: minutes now go out in 10 working days",
            "responded_on": TODAY,
            "response_method": "letter",
        },
    )
    assert (c.state, c.responded_on, c.response_method) == (ComplaintState.responded, TODAY, ResponseMethod.letter)
    fire(c, "close", "office", demo)
    assert c.state == ComplaintState.closed and c.closed_on == TODAY
    with pytest.raises(Conflict):
        fire(c, "close", "office", demo)


def test_a_complaint_about_a_members_service_is_referred_to_it(demo):
    c = log(demo, kind=ComplaintKind.member_service, organisation_id=demo.org("acute").id)
    assert c.assigned_to_id is None
    assert [o.trigger for o in complaint_options(c, demo.user("office"))] == ["refer"]
    with pytest.raises(ValidationFailed) as exc:
        fire(c, "investigate", "chair", demo)
    assert "referred to that organisation" in exc.value.reasons[0]
    with pytest.raises(ValidationFailed) as exc:
        fire(c, "refer", "office", demo, params={"referred_on": date(2026, 11, 15)})
    assert exc.value.reasons == [
        "The date referred must be on or after the date the complaint was received (16 November 2026)"
    ]
    fire(c, "refer", "office", demo, params={"referred_on": TODAY})
    assert (c.state, c.referred_on, c.closed_on) == (ComplaintState.closed, TODAY, TODAY)
    assert c.organisation_notified_at is not None  # referred today, through the service
    assert svc.referral_recipient(c) == demo.org("acute").safeguarding_lead_email


def test_a_partnership_complaint_is_not_referred_and_an_unreachable_organisation_is_not_either(demo):
    c = log(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(c, "refer", "office", demo, params={"referred_on": TODAY})
    assert exc.value.reasons[0].startswith("Only a complaint about a member organisation's service is referred")
    silent = OrganisationFactory(chief_executive_email=None, safeguarding_lead_email=None)
    c = log(demo, kind=ComplaintKind.member_service, organisation_id=silent.id)
    with pytest.raises(ValidationFailed) as exc:
        fire(c, "refer", "office", demo, params={"referred_on": TODAY})
    assert "Record an email address" in exc.value.reasons[0]
    assert c.state == ComplaintState.received


def test_logging_checks_the_details(demo):
    with pytest.raises(ValidationFailed) as exc:
        svc.log_complaint(
            demo.user("office"), kind=None, received_on=None, complainant_name=" ", complainant_contact="", summary=""
        )
    assert exc.value.errors == {
        "kind": "Select what the complaint is about",
        "received_on": "Enter the date the complaint was received",
        "complainant_name": "Enter the complainant's name",
        "complainant_contact": "Enter how to contact the complainant",
        "summary": "Enter what the complaint is about",
    }
    with pytest.raises(ValidationFailed) as exc:
        log(demo, kind=ComplaintKind.member_service)
    assert exc.value.errors == {"organisation_id": "Select the organisation whose service the complaint is about"}
    with pytest.raises(ValidationFailed) as exc:
        log(demo, received_on=date(2099, 1, 1))
    assert exc.value.errors == {"received_on": "The date the complaint was received must be today or in the past"}
    for who in ("police", "viewer", "admin"):
        with pytest.raises(Forbidden):
            log(demo, by=who)


def test_only_the_office_and_chair_see_complaints(demo):
    c = log(demo)
    assert svc.get_complaint(c.id, demo.user("chair")) == c
    for who in ("police", "sarchair", "viewer", "admin"):
        with pytest.raises(NotFound):
            svc.get_complaint(c.id, demo.user(who))
        assert svc.list_complaints(demo.user(who), svc.ComplaintFilters(status=None))[1] == 0


def test_a_stale_version_is_refused(demo):
    c = log(demo)
    with pytest.raises(StaleVersion):
        lifecycle.fire(c, "investigate", user=demo.user("chair"), version=c.version + 1)
    assert c.state == ComplaintState.received
