"""A CSPR's statutory facts and dates (Working Together 2023): the serious incident
notification's facts and the safeguarding partners told by email; the Panel's response
(agrees, disagrees with a reason, or a national review that closes the local route); the
LCSPR's final report sent to the Panel and the Secretary of State at least 7 working days
before publication, published for at least a year; the statutory 6-month target beside a
due date moved by a pause."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    AbuseOrNeglect,
    Area,
    Arm,
    IncidentKind,
    JointDecisionSubject,
    OutboxMessage,
    PanelOutcome,
    Person,
    Review,
    ReviewState,
)
from safeguarding.models.arrangements import SafeguardingPartner
from safeguarding.models.reviews import CLOSED_STATES, CSPR_STATES
from safeguarding.services import reviews as svc
from safeguarding.services.errors import Conflict, ValidationFailed
from safeguarding.services.reviews import partners as partner_svc
from tests.reviews.helpers import advance, fire, new_cspr, new_sar, partners_agree, stored

# --- the notification's facts --------------------------------------------------------------------


def _errors(call) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as exc:
        call()
    return exc.value.errors


def test_the_notification_records_its_facts(demo):
    review = new_cspr(
        demo,
        looked_after=True,
        incident="death",
        abuse_or_neglect="not_suspected",
        ofsted_notified_on=date(2026, 11, 5),
        secretary_of_state_notified_on=date(2026, 11, 6),
        siblings_harmed=2,
        siblings_note="Two younger siblings with injuries",
    )
    assert review.incident is IncidentKind.death and review.abuse_or_neglect is AbuseOrNeglect.not_suspected
    assert (review.ofsted_notified_on, review.secretary_of_state_notified_on) == (date(2026, 11, 5), date(2026, 11, 6))
    assert (review.siblings_harmed, review.siblings_note) == (2, "Two younger siblings with injuries")
    # The partners are due to be told 5 working days after the council became aware (Tuesday 3 November).
    assert svc.partners_due_on(review) == date(2026, 11, 10)


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        # A looked-after child: Ofsted and the Secretary of State are notified with the Panel.
        ({"looked_after": True}, "ofsted_notified_on", "Enter the date Ofsted was notified"),
        ({"looked_after": True}, "secretary_of_state_notified_on", "Enter the date the Secretary of State"),
        (
            {
                "looked_after": True,
                "ofsted_notified_on": date(2026, 12, 4),
                "secretary_of_state_notified_on": date(2026, 11, 5),
            },
            "ofsted_notified_on",
            "must be today or in the past",
        ),
        (
            {
                "looked_after": True,
                "ofsted_notified_on": date(2026, 11, 2),
                "secretary_of_state_notified_on": date(2026, 11, 5),
            },
            "ofsted_notified_on",
            "on or after the date the local authority became aware",
        ),
        ({"partners_told_on": date(2026, 11, 2)}, "partners_told_on", "on or after the date the local authority"),
        ({"partners_told_on": date(2026, 12, 10)}, "partners_told_on", "must be today or in the past"),
        # Only a looked-after child's death is notified without abuse or neglect known or suspected.
        ({"incident": "serious_harm", "abuse_or_neglect": "not_suspected"}, "abuse_or_neglect", "known or suspected"),
        ({"incident": "death", "abuse_or_neglect": "not_suspected"}, "abuse_or_neglect", "known or suspected"),
        # One notification per child who died.
        ({"incident": "death", "children_count": 2}, "children_count", "One notification per child who died"),
        ({"incident": "fire"}, "incident", "Select whether the child died or was seriously harmed"),
        ({"siblings_harmed": -1}, "siblings_harmed", "from 0 to 20"),
    ],
)
def test_bad_notification_facts_are_refused(demo, facts, field, message):
    errors = _errors(lambda: new_cspr(demo, **facts))
    assert message in errors[field]


def test_the_facts_are_refused_on_a_sar_and_checked_when_changed(demo):
    sar = new_sar(demo)
    errors = _errors(lambda: svc.update_case_details(sar, demo.user("office"), version=sar.version, incident="death"))
    assert errors == {"incident": "Only a CSPR has a serious incident notification"}
    cspr = new_cspr(demo, incident="serious_harm", abuse_or_neglect="suspected")
    errors = _errors(
        lambda: svc.update_case_details(cspr, demo.user("office"), version=cspr.version, looked_after=True)
    )
    assert set(errors) == {"ofsted_notified_on", "secretary_of_state_notified_on"}
    svc.update_case_details(
        cspr,
        demo.user("office"),
        version=cspr.version,
        looked_after=True,
        ofsted_notified_on=date(2026, 11, 5),
        secretary_of_state_notified_on=date(2026, 11, 5),
    )
    assert cspr.looked_after and cspr.ofsted_notified_on == date(2026, 11, 5)


def test_bad_facts_are_a_422_problem_in_the_api(api_as, demo):
    office = api_as("office")
    body = {
        "kind": "cspr",
        "initials": "KO",
        "age_band": "11_15",
        "area": "west",
        "harm_date": "2026-11-18",
        "summary": "Serious injury",
        "la_aware_on": "2026-11-19",
        "notified_on": "2026-11-20",
        "looked_after": True,
        "incident": "serious_harm",
        "abuse_or_neglect": "not_suspected",
        "siblings_harmed": 1,
    }
    r = office.post("/api/v1/reviews", json=body)
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    assert set(r.json["errors"]) == {"abuse_or_neglect", "ofsted_notified_on", "secretary_of_state_notified_on"}
    r = office.post("/api/v1/reviews", json={**body, "incident": "maybe"})
    assert r.status_code == 422 and "incident" in r.json["errors"]
    r = office.post(
        "/api/v1/reviews",
        json={
            **body,
            "abuse_or_neglect": "suspected",
            "ofsted_notified_on": "2026-11-20",
            "secretary_of_state_notified_on": "2026-11-20",
        },
    )
    assert r.status_code == 201
    detail = office.get(f"/api/v1/reviews/{r.json['id']}").json
    assert (detail["incident"], detail["abuse_or_neglect"], detail["siblings_harmed"]) == (
        "serious_harm",
        "suspected",
        1,
    )
    assert detail["partners_due_on"] == "2026-11-26"
    r = office.patch(
        f"/api/v1/reviews/{detail['id']}", json={"version": detail["version"], "ofsted_notified_on": "2026-11-18"}
    )
    assert r.status_code == 422 and "local authority became aware" in r.json["errors"]["ofsted_notified_on"]


# --- telling the safeguarding partners ------------------------------------------------------------


def _partner(org, area: Area, lead_email: str | None, delegate_email: str | None = None) -> SafeguardingPartner:
    lead = Person(name=f"Lead of {org.short_name}", email=lead_email, organisation_id=org.id)
    db.session.add(lead)
    delegate = None
    if delegate_email:
        delegate = Person(name=f"Delegate of {org.short_name}", email=delegate_email, organisation_id=org.id)
        db.session.add(delegate)
    db.session.flush()
    partner = SafeguardingPartner(
        arm=Arm.children,
        organisation_id=org.id,
        area=area,
        lead_person_id=lead.id,
        delegate_person_id=delegate.id if delegate else None,
        delegated_on=date(2026, 4, 1) if delegate else None,
    )
    db.session.add(partner)
    db.session.flush()
    return partner


def _partners(demo) -> None:
    db.session.execute(sa.delete(SafeguardingPartner))  # whatever the demo records: ours only
    _partner(demo.org("north"), Area.north, "ceo@north.example", "dcs@north.example")
    _partner(demo.org("west"), Area.west, "ceo@west.example", "dcs@west.example")
    _partner(demo.org("icb"), Area.both, "ceo@icb.example", "chief.nurse@icb.example")
    _partner(demo.org("police"), Area.both, "chief.constable@police.example")


def _told(review) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == "review_partner_told", OutboxMessage.subject.contains(review.reference))
            .order_by(OutboxMessage.id)
        )
    )


def test_the_partners_of_the_childs_area_are_emailed_and_not_the_other_councils(demo):
    _partners(demo)
    review = new_cspr(demo, area=Area.west, initials="QZ", incident="serious_harm", abuse_or_neglect="known")
    messages = _told(review)
    # West Council's delegate, the ICB's delegate, the police's lead (no delegate); never North Council.
    assert sorted(a for m in messages for a in m.to_addrs) == [
        "chief.constable@police.example",
        "chief.nurse@icb.example",
        "dcs@west.example",
    ]
    for m in messages:
        assert m.subject == f"Serious incident notification {review.reference}"
        assert "QZ" not in m.subject and "QZ" not in m.body and review.summary not in m.body
    assert review.partners_told_on == date(2026, 12, 3)
    assert {t["organisation_id"] for t in review.partners_told} == {
        demo.org("west").id,
        demo.org("icb").id,
        demo.org("police").id,
    }
    # Recording the facts again tells no one twice.
    svc.tell_partners(review)
    assert len(_told(review)) == 3


def test_a_partnership_wide_case_tells_every_partner(demo):
    _partners(demo)
    review = new_cspr(demo, area=Area.both)
    assert len(_told(review)) == 4


def test_no_partners_recorded_no_email(demo):
    db.session.execute(sa.delete(SafeguardingPartner))
    review = new_cspr(demo)
    assert _told(review) == [] and review.partners_told_on is None


def test_facts_first_recorded_later_tell_the_partners(api_as, demo):
    db.session.execute(sa.delete(SafeguardingPartner))
    review = new_cspr(demo, area=Area.north)
    _partners(demo)
    r = api_as("office").patch(
        f"/api/v1/reviews/{review.id}",
        json={"version": review.version, "incident": "death", "abuse_or_neglect": "suspected"},
    )
    assert r.status_code == 200
    assert sorted(a for m in _told(review) for a in m.to_addrs) == [
        "chief.constable@police.example",
        "chief.nurse@icb.example",
        "dcs@north.example",
    ]
    assert r.json["partners_told_on"] == "2026-12-03" and len(r.json["partners_told"]) == 3


# --- the Panel's response and a national review ----------------------------------------------------


def _rapid(demo, **kw):
    review = new_cspr(demo)
    fire(review, "start_rapid_review", demo.user("office"))
    return svc.record_rapid_review(
        review,
        demo.user("office"),
        version=review.version,
        criteria=["improvements_needed"],
        reasons="Learning",
        sent_on=date(2026, 11, 20),
        **kw,
    )


def test_the_panels_response_is_an_outcome_with_a_date(demo):
    review = _rapid(demo, panel_outcome="agrees", panel_response_on=date(2026, 11, 27))
    assert review.panel_outcome is PanelOutcome.agrees
    errors = _errors(lambda: _rapid(demo, panel_outcome="disagrees", panel_response_on=date(2026, 11, 27)))
    assert errors == {"panel_response": "Enter the reason the Panel disagrees"}
    errors = _errors(lambda: _rapid(demo, panel_outcome="agrees"))
    assert errors == {"panel_response_on": "Enter the date of the panel's response"}
    errors = _errors(lambda: _rapid(demo, panel_outcome="agrees", panel_response_on=date(2026, 11, 19)))
    assert "on or after the date the rapid review was sent" in errors["panel_response_on"]
    errors = _errors(lambda: _rapid(demo, panel_outcome="national_review", panel_response_on=date(2026, 11, 27)))
    assert "Record a national review" in errors["panel_outcome"]
    review = _rapid(
        demo, panel_outcome="disagrees", panel_response="No new learning", panel_response_on=date(2026, 11, 27)
    )
    assert (review.panel_outcome, review.panel_response) == (PanelOutcome.disagrees, "No new learning")


def test_earlier_free_text_responses_stay_readable(demo):
    review = _rapid(demo, panel_response="The panel agrees", panel_response_on=date(2026, 11, 27))
    assert review.panel_outcome is None and review.panel_response == "The panel agrees"


def test_national_review_is_a_closed_cspr_state():
    assert ReviewState.national_review in CLOSED_STATES and ReviewState.national_review in CSPR_STATES
    assert ReviewState.national_review.label == "National review"


def test_a_national_review_closes_the_local_route(api_as, demo):
    review = advance(new_cspr(demo), demo, ReviewState.awaiting_decision)
    url = f"/api/v1/reviews/{review.id}/transitions"
    body = {
        "trigger": "record_national_review",
        "version": review.version,
        "panel_response_on": "2026-12-01",
        "comment": "The Panel will review this case nationally with two others",
    }
    assert api_as("chair").post(url, json=body).status_code == 403
    r = api_as("office").post(url, json={**body, "panel_response_on": "2026-12-04"})
    assert r.status_code == 422 and r.json["reasons"] == [
        "The date of the Panel's decision must be today or in the past"
    ]
    r = api_as("office").post(url, json=body)
    assert r.status_code == 200 and r.json["state"] == "national_review"
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert review.panel_outcome is PanelOutcome.national_review and review.panel_response_on == date(2026, 12, 1)
    assert not review.is_open and review.closed_on == date(2026, 12, 3)
    page = api_as("office").get(f"/api/v1/reviews/{review.id}").json
    assert page["panel_outcome"] == "national_review" and page["available_triggers"] == []


def test_a_paused_lcspr_can_become_a_national_review_and_its_pause_ends(demo):
    review = advance(new_cspr(demo), demo, ReviewState.in_review)
    fire(
        review,
        "pause",
        demo.user("office"),
        process="inquest",
        pause_reason="Inquest",
        expected_resume_on=date(2027, 3, 1),
    )
    fire(review, "record_national_review", demo.user("office"), comment="Taken nationally")
    assert review.state == ReviewState.national_review and review.paused_since is None


def test_a_national_review_is_refused_for_a_sar(api_as, demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    r = api_as("office").post(
        f"/api/v1/reviews/{review.id}/transitions",
        json={"trigger": "record_national_review", "version": review.version, "comment": "Panel"},
    )
    assert r.status_code == 422
    assert r.json["reasons"] == ["Only a child safeguarding practice review can be taken as a national review"]


# --- the final report to the Panel, and publication ------------------------------------------------


def _signed_off_lcspr(demo, publish: bool = True) -> Review:
    """Signed off, its final report uploaded, and the partners' joint publication decision
    carried (to publish, or not)."""
    review = advance(new_cspr(demo), demo, ReviewState.signed_off)
    svc.attach_report(review, demo.user("office"), _stored(demo), which="final", version=review.version)
    partner_svc.put_publication(
        review, demo.user("office"), publish=publish, reason=None if publish else "The family asked", due_on=None
    )
    partners_agree(review, demo, JointDecisionSubject.publication)
    return review


def _stored(demo):
    return stored(demo.user("office"))


def test_the_report_sent_date_is_for_an_lcspr_with_a_final_report(demo):
    office = demo.user("office")
    review = advance(new_cspr(demo), demo, ReviewState.signed_off)
    with pytest.raises(Conflict, match="Upload the final report first"):
        svc.record_report_sent(review, office, version=review.version, sent_on=date(2026, 12, 1))
    sar = advance(new_sar(demo), demo, ReviewState.signed_off)
    with pytest.raises(Conflict, match="Only a local child safeguarding practice review"):
        svc.record_report_sent(sar, office, version=sar.version, sent_on=date(2026, 12, 1))
    svc.attach_report(review, office, _stored(demo), which="final", version=review.version)
    errors = _errors(lambda: svc.record_report_sent(review, office, version=review.version, sent_on=date(2026, 12, 4)))
    assert errors == {"sent_on": "The date the report was sent must be today or in the past"}
    errors = _errors(lambda: svc.record_report_sent(review, office, version=review.version, sent_on=None))
    assert "Enter the date" in errors["sent_on"]


def test_publication_inside_the_7_working_days_is_refused(api_as, demo):
    review = _signed_off_lcspr(demo)
    office = api_as("office")
    publish = {
        "trigger": "publish",
        "publish": True,
        "published_on": "2026-12-14",
        "publication_url": "https://partnership.example/lcspr.pdf",
        "family_informed": "yes",
    }
    url = f"/api/v1/reviews/{review.id}/transitions"
    r = office.post(url, json={**publish, "version": review.version})
    assert r.status_code == 422 and "Record the date the final report was sent" in r.json["reasons"][0]
    # Sent Tuesday 1 December: the earliest publication is 7 working days later, Thursday 10 December.
    r = api_as("chair").put(
        f"/api/v1/reviews/{review.id}/report-sent-to-panel", json={"version": review.version, "sent_on": "2026-12-01"}
    )
    assert r.status_code == 403
    r = office.put(
        f"/api/v1/reviews/{review.id}/report-sent-to-panel", json={"version": review.version, "sent_on": "2026-12-09"}
    )
    assert r.status_code == 422 and "today or in the past" in r.json["errors"]["sent_on"]
    r = office.put(
        f"/api/v1/reviews/{review.id}/report-sent-to-panel", json={"version": review.version, "sent_on": "2026-12-01"}
    )
    assert r.status_code == 200 and r.json["earliest_publication_on"] == "2026-12-10"
    version = r.json["version"]
    early = {**publish, "published_on": "2026-12-09"}
    r = office.post(url, json={**early, "version": version})
    assert r.status_code == 422
    assert r.json["reasons"] == [
        "The report cannot be published before 10 December 2026: 7 working days after it was sent to the Panel "
        "and the Secretary of State on 1 December 2026"
    ]
    on_time = {**publish, "published_on": "2026-12-10"}
    r = office.post(url, json={**on_time, "version": version})
    assert r.status_code == 200 and r.json["state"] == "published"
    detail = office.get(f"/api/v1/reviews/{review.id}").json
    assert detail["published_until"] == "2027-12-10"


def test_a_decision_not_to_publish_needs_no_report_to_the_panel(demo):
    review = _signed_off_lcspr(demo, publish=False)
    fire(
        review,
        "publish",
        demo.user("office"),
        publish=False,
        not_published_reason="The family asked",
        family_informed="yes",
    )
    assert review.state == ReviewState.published and review.published is False


def test_the_review_page_shows_the_dates_and_refuses_an_early_publication(client_as, demo):
    review = _signed_off_lcspr(demo)
    c = client_as("office")
    r = c.post(
        f"/reviews/{review.id}/report-sent-to-panel", data={"version": review.version, "sent_on": ["4", "12", "2026"]}
    )
    assert r.status_code == 200 and "govuk-error-summary" in r.text and "today or in the past" in r.text
    r = c.post(
        f"/reviews/{review.id}/report-sent-to-panel", data={"version": review.version, "sent_on": ["1", "12", "2026"]}
    )
    assert r.status_code == 302
    page = c.get(f"/reviews/{review.id}").text
    assert "Earliest publication date" in page and "10 December 2026" in page
    r = c.post(
        f"/workflow/review/{review.id}/publish",
        data={
            "confirmed": "1",
            "version": review.version,
            "publish": "yes",
            "published_on": ["9", "12", "2026"],
            "publication_url": "https://partnership.example/lcspr.pdf",
            "family_informed": "yes",
        },
    )
    assert r.status_code == 200 and "govuk-error-summary" in r.text and "cannot be published before" in r.text
    assert db.session.get(Review, review.id).state == ReviewState.signed_off


def test_the_page_shows_a_year_of_publication_and_the_statutory_target(client_as, demo):
    office = demo.user("office")
    review = advance(new_cspr(demo), demo, ReviewState.in_review, decided_on=date(2026, 10, 1))
    fire(
        review,
        "pause",
        office,
        on=date(2026, 10, 5),
        process="inquest",
        pause_reason="Inquest",
        expected_resume_on=date(2027, 1, 4),
    )
    fire(review, "resume", office, on=date(2026, 11, 4))
    page = client_as("office").get(f"/reviews/{review.id}").text
    # Due 1 April 2027 (6 months from the decision), moved 30 days by the pause.
    assert "1 May 2027, moved by pauses; the statutory target is 6 months from the decision: 1 April 2027" in page


def test_a_published_lcspr_shows_until_when(client_as, demo):
    review = advance(new_cspr(demo), demo, ReviewState.published)
    until = svc.published_until(review)
    assert until == date(review.published_on.year + 1, review.published_on.month, review.published_on.day)
    page = client_as("office").get(f"/reviews/{review.id}").text
    assert "Published for at least a year: until" in page


# --- the demo ------------------------------------------------------------------------------------------


def test_the_demo_has_an_lcspr_report_sent_to_the_panel(client_as, demo):
    review = db.session.get(Review, demo.id("reviews", "cspr_report_sent"))
    assert review.state == ReviewState.signed_off and review.report_sent_to_panel_on is not None
    earliest = svc.earliest_publication(review)
    assert earliest > date(2026, 12, 3)  # not yet: the demo's day is inside the 7 working days
    page = client_as("office").get(f"/reviews/{review.id}").text
    assert "Earliest publication date" in page
    assert "moved by pauses; the statutory target is 6 months from the decision" in page
    assert review.looked_after and review.ofsted_notified_on and review.secretary_of_state_notified_on


# --- the partners not told within 5 working days: a deadline like the Panel's -------------------


def _deadline(review, kind: str, on: date):
    return next(d for d in svc.deadlines(review, on) if d.kind.value == kind)


def test_partners_not_told_within_5_working_days_is_a_breach_alerted_once(demo):
    from safeguarding import jobs

    db.session.execute(sa.delete(SafeguardingPartner))  # nobody to email: the service cannot tell them
    review = new_cspr(demo, harm_date=date(2026, 11, 13), la_aware_on=date(2026, 11, 16), notified_on=None)
    assert review.partners_told_on is None
    # Aware Monday 16 November: the partners must be told by Monday 23 November.
    told = _deadline(review, "tell_partners", date(2026, 11, 18))
    assert (told.due_on, told.status, told.label) == (date(2026, 11, 23), "due_soon", "Tell the safeguarding partners")
    assert _deadline(review, "tell_partners", date(2026, 11, 24)).status == "breached"
    jobs.run_job("review_deadlines", date(2026, 11, 24))
    jobs.run_job("review_deadlines", date(2026, 11, 25))
    missed = [
        m
        for m in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "review_deadline_breach"))
        if m.subject == f"Deadline missed for case review {review.reference}: tell the safeguarding partners"
    ]
    assert len(missed) == 1 and "23 November 2026" in missed[0].body
    assert "CD" not in missed[0].subject
    assert [(a.deadline.value, a.kind.value) for a in svc.alerts_of(review) if a.deadline.value == "tell_partners"] == [
        ("tell_partners", "breach")
    ]


def test_partners_told_in_time_is_met_and_told_late_is_met_late(demo):
    _partners(demo)
    review = new_cspr(demo, la_aware_on=date(2026, 11, 30), notified_on=None)  # told today, 3 December
    assert _deadline(review, "tell_partners", date(2026, 12, 3)).status == "met"
    late = new_cspr(demo, la_aware_on=date(2026, 11, 2), notified_on=None)
    d = _deadline(late, "tell_partners", date(2026, 12, 3))
    assert (d.due_on, d.met_on, d.status) == (date(2026, 11, 9), date(2026, 12, 3), "met_late")


def test_a_sar_has_no_partners_to_tell(demo):
    review = new_sar(demo)
    assert all(d.kind.value != "tell_partners" for d in svc.deadlines(review, date(2026, 12, 3)))
