"""Every transition of a review, who may fire it, and each refusal with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.models import (
    ActionStatus,
    JointDecisionSubject,
    ParallelProcess,
    ReviewOutcome,
    ReviewPause,
    ReviewState,
    ScreeningOutcome,
)
from safeguarding.services import joint_decisions
from safeguarding.services import reviews as svc
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.workflows.actions import action_lifecycle
from safeguarding.workflows.reviews import review_lifecycle as lifecycle
from tests.reviews.helpers import advance, fire, new_cspr, new_sar, partners_agree, screen, stored
from tests.support.factories import MembershipFactory, PersonFactory, UserFactory


def _reasons(exc) -> list[str]:
    return exc.value.reasons


def test_a_sar_runs_from_referral_to_closure(demo):
    review = new_sar(demo)
    assert review.reference == f"SAR-2026-{review.sequence:03d}" and review.state == ReviewState.referred
    advance(review, demo, ReviewState.closed)
    triggers = [h.trigger for h in lifecycle.history(review.id)]
    assert triggers == [
        "start_screening",
        "request_information",
        "recommend",
        "decide",
        "start_review",
        "submit_draft",
        "sign_off",
        "publish",
        "start_monitoring",
        "close",
    ]
    assert review.closed_on is not None and review.published and review.signed_off_on is not None


def test_a_cspr_runs_from_notification_to_closure(demo):
    review = new_cspr(demo)
    assert review.reference.startswith("CSPR-2026-")
    advance(review, demo, ReviewState.closed)
    triggers = [h.trigger for h in lifecycle.history(review.id)]
    assert triggers == [
        "start_rapid_review",
        "complete_rapid_review",
        "decide",
        "start_review",
        "submit_draft",
        "sign_off",
        "publish",
        "start_monitoring",
        "close",
    ]


def test_references_are_sequenced_per_kind_and_year(demo):
    first = new_sar(demo, received_on=date(2025, 12, 30), harm_date=date(2025, 12, 1))
    second = new_sar(demo, received_on=date(2025, 12, 31), harm_date=date(2025, 12, 1))
    cspr = new_cspr(demo, harm_date=date(2025, 5, 30), la_aware_on=date(2025, 6, 1), notified_on=date(2025, 6, 3))
    assert first.reference.startswith("SAR-2025-") and second.sequence == first.sequence + 1
    assert cspr.reference == f"CSPR-2025-{cspr.sequence:03d}"


def test_screening_is_by_the_office_or_the_reviews_sub_group(demo):
    review = new_sar(demo)
    with pytest.raises(Forbidden):  # the police lead sits on the Board, not the SAR sub-group
        fire(review, "start_screening", demo.user("police"))
    with pytest.raises(Forbidden):
        fire(review, "start_screening", demo.user("chair"))
    fire(review, "start_screening", demo.user("sarchair"))
    with pytest.raises(Forbidden):
        svc.record_screening(
            review,
            demo.user("police"),
            version=review.version,
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


def test_a_named_deputy_of_a_sub_group_member_counts_as_a_member(demo):
    review = new_sar(demo)
    org = demo.org("probation")
    deputy = PersonFactory(organisation=org)
    MembershipFactory(group=demo.group("sar"), person=PersonFactory(organisation=org), organisation=org, deputy=deputy)
    from safeguarding.models import Role

    user = UserFactory(roles=[Role.partner_member], person_id=deputy.id, organisation_id=org.id)
    fire(review, "start_screening", user)
    assert review.state == ReviewState.screening


def test_wrong_state_and_stale_version_are_refused(demo):
    review = new_sar(demo)
    with pytest.raises(Conflict) as exc:
        fire(review, "request_information", demo.user("office"))
    assert "when the review is referred" in exc.value.message
    with pytest.raises(StaleVersion):
        lifecycle.fire(review, "start_screening", user=demo.user("office"), version=review.version - 1)
    assert review.state == ReviewState.referred


def test_information_gathering_needs_the_screening(demo):
    review = new_sar(demo)
    fire(review, "start_screening", demo.user("office"))
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "request_information", demo.user("office"))
    assert _reasons(exc) == ["Record the screening against the s44 criteria first"]


def test_recommending_waits_for_outstanding_requests(demo):
    review = advance(new_sar(demo), demo, ReviewState.information_gathering)
    req = svc.send_information_request(
        review, demo.user("office"), organisation_id=demo.org("police").id, request="Chronology", conditions=[1, 2, 3]
    )
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "recommend", demo.user("sarchair"), recommendation="mandatory", recommendation_reason="Met")
    assert _reasons(exc) == ["1 information request is still awaited: record its return or withdraw it first"]
    from safeguarding.workflows.reviews import request_lifecycle

    request_lifecycle.fire(req, "withdraw", user=demo.user("office"), version=req.version, comment="Not needed")
    fire(review, "recommend", demo.user("sarchair"), recommendation="mandatory", recommendation_reason="Met")
    assert review.recommendation == ReviewOutcome.mandatory and review.state == ReviewState.awaiting_decision


def test_only_the_independent_chair_decides(demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    for who in ("office", "sarchair", "police"):
        with pytest.raises(Forbidden):
            fire(review, "decide", demo.user(who), outcome="mandatory", decision_reason="Met")
    assert "decide" not in lifecycle.available_triggers(review, demo.user("office"))
    assert lifecycle.available_triggers(review, demo.user("chair")) == ["decide"]
    fire(
        review,
        "decide",
        demo.user("chair"),
        on=date(2026, 8, 31),
        outcome="mandatory",
        decision_reason="The criteria are met",
    )
    assert review.state == ReviewState.commissioned
    assert (review.decision, review.decided_on, review.decided_by_id) == (
        ReviewOutcome.mandatory,
        date(2026, 8, 31),
        demo.user("chair").id,
    )
    # Six calendar months, month-end safe: 31 August + 6 months = 28 February.
    assert review.report_due_on == date(2027, 2, 28)


def test_the_decision_needs_its_reasons(demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "decide", demo.user("chair"), outcome="mandatory")
    assert exc.value.errors == {"decision_reason": "Enter reasons for the decision"}


@pytest.mark.parametrize(
    ("answers", "outcome", "reason"),
    [
        ({"abuse": False}, "mandatory", "does not meet the s44 criteria for a mandatory review"),
        ({}, "discretionary", "the Board must commission it as mandatory"),
        (
            {"needs": False},
            "discretionary",
            "A discretionary review needs an adult in the Board's area with needs for care and support",
        ),
        (
            {"in_area": False},
            "discretionary",
            "A discretionary review needs an adult in the Board's area with needs for care and support",
        ),
        ({}, "not_commissioned", "the Board must arrange one"),
    ],
)
def test_the_route_must_follow_the_screening(demo, answers, outcome, reason):
    review = new_sar(demo)
    fire(review, "start_screening", demo.user("office"))
    screen(review, demo, **answers)
    fire(review, "request_information", demo.user("office"))
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "recommend", demo.user("office"), recommendation=outcome, recommendation_reason="x")
    assert any(reason in r for r in _reasons(exc))
    assert review.state == ReviewState.information_gathering


def test_a_sar_is_not_commissioned_as_an_lcspr(demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "decide", demo.user("chair"), outcome="lcspr", decision_reason="x")
    assert any("A SAR is commissioned as mandatory or discretionary" in r for r in _reasons(exc))


@pytest.mark.parametrize(
    ("answers", "outcome", "state"),
    [
        ({}, "mandatory", ReviewState.commissioned),
        ({"concern": False}, "discretionary", ReviewState.commissioned),
        ({"concern": False}, "not_commissioned", ReviewState.not_commissioned),
        ({"needs": False}, "not_commissioned", ReviewState.not_commissioned),
    ],
)
def test_the_chairs_decision_goes_where_the_outcome_says(demo, answers, outcome, state):
    review = new_sar(demo)
    fire(review, "start_screening", demo.user("office"))
    screen(review, demo, **answers)
    advance(review, demo, ReviewState.awaiting_decision, outcome=outcome)
    fire(
        review,
        "decide",
        demo.user("chair"),
        outcome=outcome,
        decision_reason="Because",
        alternative_learning="A learning briefing" if outcome == "not_commissioned" else None,
    )
    assert review.state == state
    if state == ReviewState.not_commissioned:
        assert review.report_due_on is None and review.alternative_learning == "A learning briefing"
        assert not review.is_open and lifecycle.available_triggers(review, demo.user("office")) == []
    [h] = [h for h in lifecycle.history(review.id) if h.trigger == "decide"]
    assert h.to_state == state.value and h.data["outcome"] == outcome


def test_the_chair_cannot_decide_against_the_screening(demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    assert review.screening_outcome == ScreeningOutcome.mandatory
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "decide", demo.user("chair"), outcome="not_commissioned", decision_reason="No")
    assert any("must arrange one" in r for r in _reasons(exc))
    assert review.state == ReviewState.awaiting_decision and review.decision is None


def test_cspr_decisions_are_the_safeguarding_partners_not_the_chair_s(demo):
    review = advance(new_cspr(demo), demo, ReviewState.awaiting_decision)
    # The chair alone cannot decide an LCSPR (Working Together 2023: the partners jointly).
    with pytest.raises(Forbidden):
        fire(review, "decide", demo.user("chair"), outcome="lcspr", decision_reason="Agreed")
    assert "decide" not in [o.trigger for o in lifecycle.options(review, demo.user("chair"))]
    # Nor the office, before the partners have agreed.
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(review, "decide", user=None, system=True, params={"outcome": "lcspr", "decision_reason": "x"})
    assert _reasons(exc) == ["The safeguarding partners have not yet decided jointly on a local review"]
    decision = next(iter(joint_decisions.decisions_for(review_id=review.id)))
    # The child's area's council, the ICB and the police — not the other council.
    assert decision.area == review.area and review.area.value in ("north", "west")
    put_to = {p.organisation_id for p in joint_decisions.partners_for(decision.area)}
    assert put_to == {demo.org(review.area.value).id, demo.org("icb").id, demo.org("police").id}
    partners_agree(review, demo, JointDecisionSubject.rapid_review, on=date(2026, 8, 31))
    assert review.state == ReviewState.lcspr_commissioned and decision.state.value == "carried"
    assert review.decided_on == date(2026, 8, 31)
    assert review.report_due_on == date(2027, 2, 28)  # 6 calendar months, statutory
    other = advance(new_cspr(demo), demo, ReviewState.awaiting_decision, outcome="not_commissioned")
    partners_agree(other, demo, JointDecisionSubject.rapid_review)
    assert other.state == ReviewState.no_lcspr and not other.is_open


def test_one_partner_s_disagreement_stops_the_decision_and_goes_to_a_dispute(demo):
    review = advance(new_cspr(demo), demo, ReviewState.awaiting_decision)
    decision = next(iter(joint_decisions.decisions_for(review_id=review.id)))
    joint_decisions.answer(
        decision, organisation_id=demo.org("west").id, agree=True, reason=None, user=demo.user("westdcs")
    )
    joint_decisions.answer(
        decision, organisation_id=demo.org("police").id, agree=True, reason=None, user=demo.user("police")
    )
    with pytest.raises(ValidationFailed) as exc:
        joint_decisions.answer(
            decision, organisation_id=demo.org("icb").id, agree=False, reason=None, user=demo.user("icb")
        )
    assert exc.value.errors == {"reason": "Enter why your organisation disagrees"}
    joint_decisions.answer(
        decision,
        organisation_id=demo.org("icb").id,
        agree=False,
        reason="Single-agency learning",
        user=demo.user("icb"),
    )
    assert decision.state.value == "disputed" and decision.dispute_id is not None
    assert review.state == ReviewState.awaiting_decision
    # Nobody answers for another organisation, nor as a partner of another area.
    with pytest.raises(Forbidden):
        joint_decisions.answer(
            decision, organisation_id=demo.org("icb").id, agree=True, reason=None, user=demo.user("police")
        )
    with pytest.raises(ValidationFailed):
        joint_decisions.answer(
            decision, organisation_id=demo.org("north").id, agree=True, reason=None, user=demo.user("northdcs")
        )
    # Once the dispute is resolved the ICB agrees: carried.
    joint_decisions.answer(decision, organisation_id=demo.org("icb").id, agree=True, reason=None, user=demo.user("icb"))
    assert decision.state.value == "carried" and review.state == ReviewState.lcspr_commissioned


def test_the_sar_report_target_is_configurable(app, demo):
    app.config["SAR_REPORT_TARGET_MONTHS"] = 4
    try:
        review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
        fire(review, "decide", demo.user("chair"), on=date(2026, 10, 31), outcome="mandatory", decision_reason="x")
    finally:
        del app.config["SAR_REPORT_TARGET_MONTHS"]
    assert review.report_due_on == date(2027, 2, 28)


def test_a_rapid_review_needs_the_notification_then_its_findings(demo):
    # Completed on 20 November 2026, before the rapid review's deadline (26 November).
    review = new_cspr(demo, notified_on=None)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "start_rapid_review", demo.user("office"))
    assert _reasons(exc) == ["Record the date the notification was sent to the national panel first"]
    svc.update_case_details(review, demo.user("office"), version=review.version, notified_on=date(2026, 11, 5))
    fire(review, "start_rapid_review", demo.user("office"))
    with pytest.raises(ValidationFailed) as exc:
        fire(
            review,
            "complete_rapid_review",
            demo.user("office"),
            on=date(2026, 11, 20),
            recommendation="lcspr",
            recommendation_reason="x",
        )
    assert _reasons(exc) == ["Record the rapid review's findings first"]
    svc.record_rapid_review(
        review, demo.user("office"), version=review.version, criteria=[], reasons="Findings", sent_on=date(2026, 11, 20)
    )
    with pytest.raises(ValidationFailed) as exc:
        fire(
            review,
            "complete_rapid_review",
            demo.user("office"),
            on=date(2026, 11, 20),
            recommendation="lcspr",
            recommendation_reason="x",
        )
    assert _reasons(exc) == ["Record which criteria for a local review the case meets first"]
    fire(
        review,
        "complete_rapid_review",
        demo.user("office"),
        on=date(2026, 11, 20),
        recommendation="not_commissioned",
        recommendation_reason="Single-agency learning",
    )
    assert review.state == ReviewState.awaiting_decision


def test_a_late_rapid_review_needs_an_explanation_of_the_delay(demo):
    # Notified Wednesday 1 April 2026: 15 working days pass Good Friday and Easter Monday,
    # so the rapid review was due on Friday 24 April; it went on Monday 27 April.
    review = new_cspr(demo, harm_date=date(2026, 3, 28), la_aware_on=date(2026, 3, 30), notified_on=date(2026, 4, 1))
    fire(review, "start_rapid_review", demo.user("office"))
    svc.record_rapid_review(
        review,
        demo.user("office"),
        version=review.version,
        criteria=["recurrent_themes"],
        reasons="Findings",
        sent_on=date(2026, 4, 27),
    )
    [d] = [d for d in svc.deadlines(review, date(2026, 4, 27)) if d.kind.value == "rapid_review"]
    assert (d.due_on, d.status) == (date(2026, 4, 24), "met_late")
    with pytest.raises(ValidationFailed) as exc:
        fire(
            review,
            "complete_rapid_review",
            demo.user("office"),
            on=date(2026, 4, 27),
            recommendation="lcspr",
            recommendation_reason="x",
        )
    assert _reasons(exc) == [
        "The deadline (rapid review to the national panel) has passed: record an explanation of the delay first"
    ]
    svc.update_case_details(
        review, demo.user("office"), version=review.version, delay_explanation="Christmas closure of two agencies"
    )
    fire(
        review,
        "complete_rapid_review",
        demo.user("office"),
        on=date(2026, 4, 27),
        recommendation="lcspr",
        recommendation_reason="x",
    )


def test_starting_the_review_needs_the_commissioning_and_the_period(demo):
    review = advance(new_sar(demo), demo, ReviewState.commissioned)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "start_review", demo.user("office"))
    assert _reasons(exc) == [
        "Record the terms of reference, the methodology, the independent reviewer and the contract value first",
        "Record the period the review covers first",
    ]
    with pytest.raises(Forbidden):
        svc.record_commissioning(
            review,
            demo.user("sarchair"),
            version=review.version,
            terms_of_reference="x",
            methodology="thematic",
            reviewer="y",
            contract_value_pence=1,
        )
    with pytest.raises(ValidationFailed) as exc:
        svc.record_commissioning(
            review,
            demo.user("office"),
            version=review.version,
            terms_of_reference="",
            methodology="astrology",
            reviewer=" ",
            contract_value_pence=-1,
        )
    assert exc.value.errors == {
        "terms_of_reference": "Enter the terms of reference",
        "methodology": "Select the methodology",
        "reviewer": "Enter the independent reviewer",
        "contract_value_pence": "The contract value must be £0 or more",
    }
    svc.record_commissioning(
        review,
        demo.user("office"),
        version=review.version,
        terms_of_reference="ToR",
        methodology="thematic",
        reviewer="R",
        contract_value_pence=650_000,
        period_from=date(2025, 1, 1),
        period_to=date(2026, 1, 1),
    )
    fire(review, "start_review", demo.user("office"), on=date(2026, 11, 23))
    assert review.state == ReviewState.in_review and review.review_started_on == date(2026, 11, 23)


def test_pause_and_resume(demo):
    review = advance(new_sar(demo), demo, ReviewState.in_review)
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        fire(
            review,
            "pause",
            office,
            on=date(2026, 11, 23),
            process="criminal_trial",
            pause_reason="Trial",
            expected_resume_on=date(2026, 11, 23),
        )
    assert _reasons(exc) == ["The expected resume date must be in the future"]
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "pause", office, process="criminal_trial", expected_resume_on=date(2027, 3, 1))
    assert exc.value.errors == {"pause_reason": "Enter reason for the pause"}
    fire(
        review,
        "pause",
        office,
        on=date(2026, 11, 23),
        process="inquest",
        pause_reason="The coroner asked",
        expected_resume_on=date(2027, 3, 1),
    )
    assert review.state == ReviewState.paused and ParallelProcess.inquest.value in review.parallel_processes
    with pytest.raises(Conflict):
        fire(review, "submit_draft", office)
    fire(review, "resume", office, on=date(2027, 1, 11))
    [pause] = svc.pauses_of([review.id])[review.id]
    assert isinstance(pause, ReviewPause) and (pause.started_on, pause.ended_on) == (
        date(2026, 11, 23),
        date(2027, 1, 11),
    )
    assert review.state == ReviewState.in_review and (review.paused_days, review.paused_since) == (49, None)


def test_the_draft_needs_the_report_and_the_familys_involvement(demo):
    review = advance(new_sar(demo), demo, ReviewState.in_review)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "submit_draft", demo.user("office"))
    assert _reasons(exc) == [
        "Upload the draft report first",
        "Record whether the family was invited to contribute first",
    ]
    svc.attach_report(review, demo.user("office"), stored(demo.user("office")), which="draft", version=review.version)
    svc.update_case_details(
        review,
        demo.user("office"),
        version=review.version,
        family_invited=False,
        family_notes="No family could be traced",
    )
    fire(review, "submit_draft", demo.user("office"), on=date(2026, 11, 23))
    assert review.draft_received_on == date(2026, 11, 23)


def test_sign_off_needs_a_passed_quality_check_and_an_explanation_when_late(demo):
    review = advance(new_sar(demo), demo, ReviewState.draft_report, decided_on=date(2026, 3, 2))
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "sign_off", demo.user("office"))
    assert "The sub-group has not passed the draft report in its quality check" in _reasons(exc)
    assert any("record an explanation of the delay" in r for r in _reasons(exc))  # due 2 September 2026
    svc.record_quality_check(
        review,
        demo.user("sarchair"),
        version=review.version,
        passed=False,
        notes="The analysis of multi-agency working is thin",
    )
    fire(review, "revise_draft", demo.user("sarchair"), comment="Strengthen the analysis")
    assert review.state == ReviewState.in_review and review.quality_check_passed is None
    with pytest.raises(Forbidden):
        svc.record_quality_check(review, demo.user("police"), version=review.version, passed=True, notes="x")


def test_publication_decision(demo):
    review = advance(new_sar(demo), demo, ReviewState.signed_off)
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "publish", office, publish=True, family_informed="yes")
    assert _reasons(exc) == [
        "Upload the final report first",
        "Enter the publication date and the link to the published report",
    ]
    svc.attach_report(review, office, stored(office), which="final", version=review.version)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "publish", office, publish=False, family_informed="yes")
    assert _reasons(exc) == ["Enter the reasons the report will not be published"]
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "publish", office, publish=False, not_published_reason="x")
    assert exc.value.errors == {
        "family_informed": "Select whether the family has been told of the publication decision"
    }
    fire(
        review,
        "publish",
        office,
        on=date(2026, 11, 23),
        publish=False,
        family_informed="no_family",
        not_published_reason="Publication would identify the adult's children",
    )
    assert (review.published, review.publication_decided_on, review.published_on) == (False, date(2026, 11, 23), None)


def test_monitoring_needs_an_action_plan_and_closing_needs_every_action_closed(demo):
    review = advance(new_sar(demo), demo, ReviewState.published)
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "start_monitoring", office)
    assert _reasons(exc) == ["Add the report's recommendations and their actions first"]
    first = svc.add_recommendation(review, office, text="Discharge planning")
    second = svc.add_recommendation(review, office, text="Escalation")
    a1 = svc.add_action(
        review,
        first,
        office,
        title="Revise the discharge policy",
        owner_organisation_id=demo.org("acute").id,
        due_date=date(2027, 1, 31),
    )
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "start_monitoring", office)
    assert _reasons(exc) == ["Recommendation 2 has no actions: add at least one for each"]
    a2 = svc.add_action(
        review,
        second,
        office,
        title="Train staff in escalation",
        owner_organisation_id=demo.org("police").id,
        due_date=date(2027, 3, 31),
    )
    assert a2.restricted and a2.group_id == review.group_id and a2.source_label == review.reference
    fire(review, "start_monitoring", office)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "close", office)
    assert _reasons(exc) == [
        "2 actions are still open: each must be completed or accepted as not implemented with a reason"
    ]
    action_lifecycle.fire(a1, "claim_complete", user=demo.user("office"), version=a1.version, comment="Done")
    action_lifecycle.fire(a1, "accept_completion", user=office, version=a1.version)
    action_lifecycle.fire(
        a2,
        "close_not_implemented",
        user=demo.user("chair"),
        version=a2.version,
        comment="Superseded by national training",
    )
    fire(review, "close", office, on=date(2026, 11, 23))
    assert review.state == ReviewState.closed and a2.status == ActionStatus.not_implemented


def test_a_closed_review_cannot_be_changed(demo):
    review = advance(new_sar(demo), demo, ReviewState.awaiting_decision)
    svc.update_case_details(review, demo.user("office"), version=review.version, period_from=date(2025, 1, 1))
    review.state = ReviewState.not_commissioned  # as the decision would
    with pytest.raises(Conflict):
        svc.update_case_details(review, demo.user("office"), version=review.version, summary="Changed")


def test_an_unknown_review_is_not_found(demo):
    with pytest.raises(NotFound):
        svc.get_review(999999, demo.user("office"))


def test_a_branching_transition_must_say_how_it_branches():
    import enum

    from safeguarding.models import Review, Role
    from safeguarding.workflows.base import Lifecycle, Transition

    class S(enum.StrEnum):
        a = "a"
        b = "b"
        c = "c"

    with pytest.raises(ValueError, match="no branch"):
        Lifecycle(
            "test_branching",
            Review,
            S,
            [Transition("go", "a", "b", {Role.business_office}, "Go", alternatives=("c",))],
            initial="a",
        )
    with pytest.raises(ValueError):
        Lifecycle(
            "test_branching",
            Review,
            S,
            [Transition("go", "a", "b", {Role.business_office}, "Go", alternatives=("d",), branch=lambda ctx: "b")],
            initial="a",
        )
    Lifecycle.registry.pop("test_branching", None)


# --- the Board's sign-off (a decision at a quorate Board meeting) ------------------------------


def _passed_quality_check(demo):
    review = advance(new_sar(demo), demo, ReviewState.draft_report)
    svc.record_quality_check(
        review, demo.user("sarchair"), version=review.version, passed=True, notes="Meets the quality markers"
    )
    return review


def test_sign_off_needs_a_standing_board_decision(demo):
    from tests.reviews.helpers import board_signs_off

    review = _passed_quality_check(demo)
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "sign_off", demo.user("office"))
    assert _reasons(exc) == ["The Board has not signed off this review: add it to a Board agenda"]
    board_signs_off(review, demo, outcome="not_carried")
    with pytest.raises(ValidationFailed) as exc:
        fire(review, "sign_off", demo.user("office"))
    assert _reasons(exc) == ["The Board has not signed off this review: add it to a Board agenda"]
    decision = board_signs_off(review, demo)
    with pytest.raises(Forbidden):
        fire(review, "sign_off", demo.user("chair"))
    fire(review, "sign_off", demo.user("office"))
    assert review.state == ReviewState.signed_off and review.board_decision_id == decision.id
    from safeguarding.extensions import db
    from safeguarding.models import Meeting

    assert review.signed_off_on == db.session.get(Meeting, decision.meeting_id).meeting_date


def test_an_interim_board_decision_counts_once_validated(demo):
    from safeguarding.services import meetings
    from tests.reviews.helpers import board_meeting
    from tests.support.meetings import close

    review = _passed_quality_check(demo)
    meeting = board_meeting(demo)
    item = meetings.add_agenda_item(meeting, title="Sign-off", subject_type="review", subject_id=review.id)
    decision = meetings.record_decision(
        item, user=demo.user("office"), method="consensus", interim=True, text="Signed off subject to validation"
    )
    close(meeting, demo)
    assert not meetings.decision_stands(decision) and svc.board_sign_off(review) is None
    with pytest.raises(ValidationFailed):
        fire(review, "sign_off", demo.user("office"))


def test_passing_the_quality_check_puts_the_review_on_the_next_board_agenda(client_as, demo):
    import sqlalchemy as sa

    from safeguarding.extensions import db
    from safeguarding.models import AgendaItem, Meeting

    review = _passed_quality_check(demo)
    items = db.session.execute(
        sa.select(AgendaItem, Meeting)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.subject_type == "review", AgendaItem.subject_id == review.id)
    ).all()
    [(item, meeting)] = items
    assert meeting.group_id == demo.group("board").id and meeting.meeting_date > date(2026, 11, 23)
    assert item.title == f"Sign-off of case review {review.reference}"
    office = client_as("office")
    r = office.post(f"/reviews/{review.id}/board-agenda")
    assert "On the agenda of the Board meeting on" in office.get(r.headers["Location"]).text
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AgendaItem)
            .where(AgendaItem.subject_type == "review", AgendaItem.subject_id == review.id)
        )
        == 1
    )  # once per subject
    assert client_as("sarchair").post(f"/reviews/{review.id}/board-agenda").status_code == 403
