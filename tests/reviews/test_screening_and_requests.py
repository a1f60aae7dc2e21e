"""Referral and notification input, s44 screening derived from the answers, and s45
information requests."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.models import (
    Area,
    RequestStatus,
    ReviewKind,
    ReviewState,
    ScreeningOutcome,
)
from safeguarding.services import reviews as svc
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.workflows.reviews import request_lifecycle
from tests.reviews.helpers import advance, fire, new_cspr, new_sar, screen, stored

# Care Act 2014 s44, written out by hand for every combination of the answers: in the
# Board's area, needs for care and support, died, knows or suspects (the death resulted
# from abuse or neglect / serious abuse or neglect of an adult alive), reasonable cause for
# concern about how agencies worked together. Mandatory needs all of: in area, needs,
# knows or suspects, concern; discretionary (s44(4)) is any other adult in the area with
# needs; anyone else is outside s44.
S44_TABLE = """
in_area needs died  abuse concern  route
yes     yes   yes   yes   yes      mandatory
yes     yes   yes   yes   no       discretionary
yes     yes   yes   no    yes      discretionary
yes     yes   yes   no    no       discretionary
yes     yes   no    yes   yes      mandatory
yes     yes   no    yes   no       discretionary
yes     yes   no    no    yes      discretionary
yes     yes   no    no    no       discretionary
yes     no    yes   yes   yes      criteria_not_met
yes     no    yes   yes   no       criteria_not_met
yes     no    yes   no    yes      criteria_not_met
yes     no    yes   no    no       criteria_not_met
yes     no    no    yes   yes      criteria_not_met
yes     no    no    yes   no       criteria_not_met
yes     no    no    no    yes      criteria_not_met
yes     no    no    no    no       criteria_not_met
no      yes   yes   yes   yes      criteria_not_met
no      yes   yes   yes   no       criteria_not_met
no      yes   yes   no    yes      criteria_not_met
no      yes   yes   no    no       criteria_not_met
no      yes   no    yes   yes      criteria_not_met
no      yes   no    yes   no       criteria_not_met
no      yes   no    no    yes      criteria_not_met
no      yes   no    no    no       criteria_not_met
no      no    yes   yes   yes      criteria_not_met
no      no    yes   yes   no       criteria_not_met
no      no    yes   no    yes      criteria_not_met
no      no    yes   no    no       criteria_not_met
no      no    no    yes   yes      criteria_not_met
no      no    no    yes   no       criteria_not_met
no      no    no    no    yes      criteria_not_met
no      no    no    no    no       criteria_not_met
"""
S44_ROWS = [line.split() for line in S44_TABLE.strip().splitlines()[1:]]


def test_the_s44_table_covers_every_combination():
    assert len({tuple(r[:5]) for r in S44_ROWS}) == 32


@pytest.mark.parametrize(("in_area", "needs", "died", "abuse", "concern", "route"), S44_ROWS)
def test_the_route_is_derived_from_the_s44_answers(demo, in_area, needs, died, abuse, concern, route):
    """Each combination recorded through the service: the route stored is the Act's."""
    review = new_sar(demo)
    fire(review, "start_screening", demo.user("office"))
    answers = {
        k: v == "yes"
        for k, v in zip(
            ("in_area", "needs", "died", "abuse", "concern"), (in_area, needs, died, abuse, concern), strict=True
        )
    }
    screen(review, demo, **answers)
    assert review.screening_outcome == ScreeningOutcome(route)
    assert (review.s44_in_area, review.s44_needs, review.s44_died, review.s44_abuse, review.s44_concern) == tuple(
        answers.values()
    )


def test_recording_the_screening_needs_every_answer_and_reason(demo):
    review = new_sar(demo)
    fire(review, "start_screening", demo.user("office"))
    with pytest.raises(ValidationFailed) as exc:
        svc.record_screening(
            review,
            demo.user("sarchair"),
            version=review.version,
            in_area=None,
            in_area_reason=None,
            needs=None,
            needs_reason="",
            died=None,
            abuse=None,
            abuse_reason=" ",
            concern=None,
            concern_reason=None,
            screened_on=date(2030, 1, 1),
        )
    assert exc.value.errors == {
        "in_area": "Select whether the adult is in the Board's area",
        "needs": "Select whether the adult has needs for care and support",
        "died": "Select whether the adult has died",
        "abuse": "Select whether the Board knows or suspects abuse or neglect",
        "concern": "Select whether there is reasonable cause for concern about how agencies worked together",
        "in_area_reason": "Enter the reason for this answer",
        "needs_reason": "Enter the reason for this answer",
        "abuse_reason": "Enter the reason for this answer",
        "concern_reason": "Enter the reason for this answer",
        "screened_on": "The date of the screening must be today or in the past",
    }
    screen(review, demo, concern=False, on=date(2026, 11, 20))
    assert (review.screening_outcome, review.screened_on) == (ScreeningOutcome.discretionary, date(2026, 11, 20))
    screen(review, demo)  # revised before the decision
    assert review.screening_outcome == ScreeningOutcome.mandatory


def test_screening_is_only_for_sars_before_the_decision(demo):
    cspr = new_cspr(demo)
    with pytest.raises(Conflict):
        svc.record_screening(
            cspr,
            demo.user("office"),
            version=cspr.version,
            in_area=True,
            in_area_reason="x",
            needs=True,
            needs_reason="x",
            died=True,
            abuse=True,
            abuse_reason="x",
            concern=True,
            concern_reason="x",
        )
    review = advance(new_sar(demo), demo, ReviewState.commissioned)
    with pytest.raises(Conflict):
        screen(review, demo)


def test_a_referral_keeps_personal_data_minimal(demo):
    with pytest.raises(ValidationFailed) as exc:
        svc.refer_sar(
            demo.user("police"),
            initials="John Smith",
            age_band="11_15",
            area=None,
            harm_date=None,
            summary="",
            referral_source="",
        )
    assert exc.value.errors == {
        "initials": "Initials must be 1 to 4 letters, like JS (never a name)",
        "age_band": "Select an adult's age band: a SAR is about an adult (18 or over)",
        "area": "Select the area",
        "summary": "Enter what happened",
        "referral_source": "Enter who made the referral",
        "harm_date": "Enter the date of death or serious harm",
    }
    review = svc.refer_sar(
        demo.user("police"),
        initials="j.s.",
        age_band="85_plus",
        area="west",
        harm_date=date(2026, 11, 1),
        summary="Neglect",
        referrer_organisation_id=demo.org("police").id,
    )
    assert review.initials == "JS" and review.referral_source == "County Police"
    assert review.group_id == demo.group("sar").id and review.received_by_email is False


def test_only_the_office_enters_a_referral_received_by_email(demo):
    with pytest.raises(Forbidden):
        svc.refer_sar(
            demo.user("police"),
            initials="AB",
            age_band="85_plus",
            area="west",
            harm_date=date(2026, 11, 1),
            summary="x",
            referral_source="y",
            received_on=date(2026, 11, 2),
            received_by_email=True,
        )
    with pytest.raises(ValidationFailed) as exc:
        new_sar(demo, harm_date=date(2026, 10, 1), received_on=date(2026, 9, 1))
    assert exc.value.errors == {
        "harm_date": "The date of death or serious harm must be on or before the date of the referral"
    }


def test_a_notification_is_for_up_to_four_children_and_by_the_office(demo):
    with pytest.raises(Forbidden):
        svc.notify_serious_incident(
            demo.user("sarchair"),
            initials="AB",
            age_band="1_4",
            area="north",
            harm_date=date(2026, 11, 1),
            summary="x",
            la_aware_on=date(2026, 11, 2),
        )
    with pytest.raises(ValidationFailed) as exc:
        new_cspr(demo, age_band="25_44", children_count=5, la_aware_on=date(2026, 11, 6))
    assert exc.value.errors == {
        "age_band": "Select a child's age band: a CSPR is about a child (under 18)",
        "children_count": "One notification covers between 1 and 4 children",
        "notified_on": "The notification must be on or after the date the local authority became aware",
    }
    # A looked-after child's case goes to Ofsted and the Secretary of State with the Panel.
    review = new_cspr(
        demo,
        looked_after=True,
        children_count=2,
        ofsted_notified_on=date(2026, 11, 5),
        secretary_of_state_notified_on=date(2026, 11, 5),
    )
    assert review.kind == ReviewKind.cspr and review.group_id == demo.group("cspr").id
    assert review.received_on == date(2026, 11, 3) and review.looked_after


def test_s45_requests_need_the_conditions_and_default_to_20_working_days(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    office = demo.user("office")
    for conditions in ([1, 2], [1, 3], [2, 3, 4], []):
        with pytest.raises(ValidationFailed) as exc:
            svc.send_information_request(
                review, office, organisation_id=demo.org("police").id, request="Chronology", conditions=conditions
            )
        assert exc.value.errors == {
            "conditions": "A request under section 45 needs conditions 1 and 2, and condition 3 or 4"
        }
    # Sent Friday 11 December 2026: 20 working days skip Christmas Day and the substitute
    # Boxing Day (Monday 28 December) and New Year's Day, so the request is due 13 January.
    req = svc.send_information_request(
        review,
        office,
        organisation_id=demo.org("probation").id,
        request="Chronology",
        conditions=[1, 2, 4],
        sent_on=date(2026, 11, 20),
    )
    assert req.due_on == date(2026, 12, 18) and req.conditions == [1, 2, 4]
    assert demo.org("probation").id in {a.organisation_id for a in svc.agencies_of(review)}
    from safeguarding.calendar import WorkingDays

    assert WorkingDays().add(date(2026, 12, 11), 20) == date(2027, 1, 13)
    with pytest.raises(ValidationFailed) as exc:
        svc.send_information_request(
            review,
            office,
            organisation_id=None,
            request=" ",
            conditions=[1, 2, 3],
            sent_on=date(2026, 11, 20),
            due_on=date(2026, 11, 19),
        )
    assert exc.value.errors == {
        "organisation_id": "Select the agency the request is for",
        "request": "Enter the information requested",
        "due_on": "The due date must be on or after the date the request was sent",
    }


def test_the_request_period_is_configurable(app, demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    app.config["REVIEW_REQUEST_WORKING_DAYS"] = 10
    try:
        req = svc.send_information_request(
            review,
            demo.user("office"),
            organisation_id=demo.org("police").id,
            request="x",
            conditions=[1, 2, 3],
            sent_on=date(2026, 11, 20),
        )
    finally:
        del app.config["REVIEW_REQUEST_WORKING_DAYS"]
    assert req.due_on == date(2026, 12, 4)


def test_cspr_requests_record_no_s45_conditions(demo):
    review = advance(new_cspr(demo), demo, ReviewState.rapid_review)
    req = svc.send_information_request(
        review,
        demo.user("office"),
        organisation_id=demo.org("police").id,
        request="Police involvement",
        conditions=[1, 2, 3],
    )
    assert req.conditions == []


def test_requests_are_sent_only_while_information_is_gathered(demo):
    review = new_sar(demo)
    with pytest.raises(Conflict):
        svc.send_information_request(
            review, demo.user("office"), organisation_id=demo.org("police").id, request="x", conditions=[1, 2, 3]
        )
    advance(review, demo, ReviewState.information_gathering)
    with pytest.raises(Forbidden):
        svc.send_information_request(
            review, demo.user("police"), organisation_id=demo.org("police").id, request="x", conditions=[1, 2, 3]
        )


def test_the_agency_answers_its_own_request_with_a_chronology(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    req = svc.send_information_request(
        review, demo.user("office"), organisation_id=demo.org("police").id, request="Chronology", conditions=[1, 2, 3]
    )
    with pytest.raises(Forbidden):
        svc.return_information(req, demo.user("icb"), version=req.version, response="Not ours")
    with pytest.raises(ValidationFailed) as exc:
        svc.return_information(req, demo.user("police"), version=req.version, response="")
    assert exc.value.errors == {"response": "Enter the information requested"}
    chronology = stored(demo.user("police"), purpose="chronology")
    svc.return_information(req, demo.user("police"), version=req.version, response="Attached", chronology=chronology)
    assert req.status == RequestStatus.returned and req.chronology_file_id == chronology.id
    assert req.returned_by_id == demo.user("police").id
    request_lifecycle.fire(
        req,
        "ask_again",
        user=demo.user("sarchair"),
        version=req.version,
        params={"due_on": date(2026, 12, 18)},
        comment="Include 2024 too",
    )
    assert req.status == RequestStatus.sent and req.due_on == date(2026, 12, 18)
    with pytest.raises(Forbidden):
        request_lifecycle.fire(req, "withdraw", user=demo.user("police"), version=req.version, comment="No")
    with pytest.raises(ValidationFailed):
        request_lifecycle.fire(req, "withdraw", user=demo.user("office"), version=req.version)
    request_lifecycle.fire(req, "withdraw", user=demo.user("office"), version=req.version, comment="Duplicate")
    assert req.status == RequestStatus.withdrawn and req.withdrawn_reason == "Duplicate"


def test_the_office_enters_a_return_received_by_email(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    req = svc.send_information_request(
        review,
        demo.user("office"),
        organisation_id=demo.org("fire").id,
        request="Visits",
        conditions=[1, 2, 3],
        sent_on=date(2026, 11, 2),
    )
    svc.return_information(
        req, demo.user("office"), version=req.version, response="By email", returned_on=date(2026, 11, 16)
    )
    assert req.returned_on == date(2026, 11, 16)


def test_area_and_details_are_corrected_by_the_office_only(demo):
    review = new_sar(demo)
    with pytest.raises(Forbidden):
        svc.update_case_details(review, demo.user("sarchair"), version=review.version, area="west")
    with pytest.raises(ValidationFailed) as exc:
        svc.update_case_details(
            review,
            demo.user("office"),
            version=review.version,
            period_from=date(2026, 1, 1),
            period_to=date(2025, 1, 1),
            parallel_processes=["seance"],
            age_band="1_4",
            notified_on=date(2026, 1, 1),
        )
    assert exc.value.errors == {
        "period_to": "The end of the period in scope must be the same as or after its start",
        "parallel_processes": "Select parallel processes from the list",
        "age_band": "Select an adult's age band",
        "notified_on": "Only a CSPR has a notification date",
    }
    svc.update_case_details(
        review,
        demo.user("office"),
        version=review.version,
        area=Area.west,
        parallel_processes=["inquest", "criminal_trial"],
        delay_explanation="Inquest date moved",
    )
    assert review.area == Area.west and review.parallel_processes == ["criminal_trial", "inquest"]
