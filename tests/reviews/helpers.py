"""Drive a review to any state through the services and lifecycle, as users would."""

from __future__ import annotations

import io
from datetime import date

from werkzeug.datastructures import FileStorage

from safeguarding.calendar import today, working_day_before
from safeguarding.demo import at
from safeguarding.models import ActionStatus, Area, JointDecisionSubject, Review, ReviewKind, ReviewState
from safeguarding.services import joint_decisions, storage
from safeguarding.services import reviews as svc
from safeguarding.services.reviews import partners as partner_svc
from safeguarding.workflows.actions import action_lifecycle
from safeguarding.workflows.reviews import review_lifecycle as lifecycle

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ON = date(2026, 11, 23)


def pdf(name: str = "report.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(PDF), filename=name)


def stored(user, purpose: str = "review_report"):
    return storage.save_upload(pdf(), purpose=purpose, uploaded_by_id=user.id)


def fire(review, trigger: str, user, on: date | None = None, comment: str | None = None, **params):
    return lifecycle.fire(review, trigger, user=user, version=review.version, params=params, comment=comment, as_of=on)


def new_sar(demo, **kw) -> Review:
    values = dict(
        initials="AB",
        age_band="75_84",
        area=Area.north,
        harm_date=date(2026, 9, 1),
        summary="Died at home with untreated pressure ulcers",
        referral_source="North Council adult social care",
        referrer_organisation_id=demo.org("north").id,
        agency_ids=[demo.org("acute").id],
        received_on=date(2026, 9, 14),
        received_by_email=True,
    )
    values.update(kw)
    return svc.refer_sar(demo.user("office"), **values)


def new_cspr(demo, **kw) -> Review:
    values = dict(
        initials="CD",
        age_band="1_4",
        area=Area.west,
        harm_date=date(2026, 11, 2),
        summary="Non-accidental injury",
        la_aware_on=date(2026, 11, 3),
        notified_on=date(2026, 11, 5),
        agency_ids=[demo.org("west").id],
    )
    values.update(kw)
    return svc.notify_serious_incident(demo.user("office"), **values)


def screen(review, demo, *, in_area=True, needs=True, died=True, abuse=True, concern=True, on=None):
    return svc.record_screening(
        review,
        demo.user("sarchair"),
        version=review.version,
        in_area=in_area,
        in_area_reason="Lives in North Council's area",
        needs=needs,
        needs_reason="Care and support plan",
        died=died,
        abuse=abuse,
        abuse_reason="Neglect suspected",
        concern=concern,
        concern_reason="Information not shared",
        screened_on=on,
    )


SAR_PATH = [
    ReviewState.referred,
    ReviewState.screening,
    ReviewState.information_gathering,
    ReviewState.awaiting_decision,
    ReviewState.commissioned,
    ReviewState.in_review,
    ReviewState.draft_report,
    ReviewState.signed_off,
    ReviewState.published,
    ReviewState.action_monitoring,
    ReviewState.closed,
]
CSPR_PATH = [
    ReviewState.notified,
    ReviewState.rapid_review,
    ReviewState.awaiting_decision,
    ReviewState.lcspr_commissioned,
    ReviewState.in_review,
    ReviewState.draft_report,
    ReviewState.signed_off,
    ReviewState.published,
    ReviewState.action_monitoring,
    ReviewState.closed,
]


# The demo's delegated safeguarding partners' accounts, by organisation.
PARTNER_ACCOUNTS = {"north": "northdcs", "west": "westdcs", "icb": "icb", "police": "police"}


def partners_agree(review: Review, demo, subject, *, on: date | None = None) -> None:
    """Every safeguarding partner of the review's area agrees its open joint decision."""
    decision = next(
        d
        for d in joint_decisions.decisions_for(review_id=review.id)
        if d.subject == subject and d.state.value == "open"
    )
    for org_key, account in PARTNER_ACCOUNTS.items():
        if decision.state.value != "open":
            break
        if demo.org(org_key).id not in {p.organisation_id for p in joint_decisions.partners_for(decision.area)}:
            continue

        def answer(org_key=org_key, account=account):
            joint_decisions.answer(
                decision, organisation_id=demo.org(org_key).id, agree=True, reason=None, user=demo.user(account)
            )

        if on is None:
            answer()
        else:
            with at(on):
                answer()


def advance(
    review: Review, demo, to: ReviewState, *, outcome: str | None = None, decided_on: date | None = None
) -> Review:
    """Move `review` along the main path until it reaches `to`."""
    office, sub, chair = demo.user("office"), demo.user("sarchair"), demo.user("chair")
    path = SAR_PATH if review.kind == ReviewKind.sar else CSPR_PATH
    cspr_office = review.kind == ReviewKind.cspr
    while review.state != to:
        state = review.state
        if state == ReviewState.referred:
            fire(review, "start_screening", sub)
        elif state == ReviewState.screening:
            if review.screening_outcome is None:
                screen(review, demo)
            fire(review, "request_information", sub)
        elif state == ReviewState.information_gathering:
            fire(
                review,
                "recommend",
                sub,
                recommendation=outcome or review.screening_outcome.value,
                recommendation_reason="Criteria met",
            )
        elif state == ReviewState.notified:
            fire(review, "start_rapid_review", office)
        elif state == ReviewState.rapid_review:
            svc.record_rapid_review(
                review,
                office,
                version=review.version,
                criteria=["improvements_needed"],
                reasons="Learning about information sharing",
                sent_on=review.notified_on,
            )
            fire(
                review,
                "complete_rapid_review",
                office,
                recommendation=outcome or "lcspr",
                recommendation_reason="Learning",
            )
        elif state == ReviewState.awaiting_decision and cspr_office:
            partners_agree(review, demo, JointDecisionSubject.rapid_review, on=decided_on)
        elif state == ReviewState.awaiting_decision:
            default = review.screening_outcome.value
            fire(review, "decide", chair, on=decided_on, outcome=outcome or default, decision_reason="Agreed")
        elif state in (ReviewState.commissioned, ReviewState.lcspr_commissioned):
            svc.record_commissioning(
                review,
                office,
                version=review.version,
                terms_of_reference="ToR",
                methodology="learning_together",
                reviewer="A Reviewer",
                contract_value_pence=500_000,
                period_from=date(2025, 1, 1),
                period_to=date(2026, 1, 1),
            )
            fire(review, "start_review", office, on=review.decided_on)
        elif state == ReviewState.in_review:
            svc.update_case_details(review, office, version=review.version, family_invited=True)
            svc.attach_report(review, office, stored(office), which="draft", version=review.version)
            fire(review, "submit_draft", office, on=review.decided_on)
        elif state == ReviewState.draft_report:
            svc.record_quality_check(
                review,
                sub if not cspr_office else office,
                version=review.version,
                passed=True,
                notes="Meets the quality markers",
            )
            if review.delay_explanation is None:
                svc.update_case_details(
                    review,
                    office,
                    version=review.version,
                    delay_explanation="Delayed by the availability of practitioners",
                )
            if cspr_office:
                partner_svc.put_report_sign_off(review, office, due_on=None)
                partners_agree(review, demo, JointDecisionSubject.lcspr_report)
                if review.state == ReviewState.draft_report:
                    fire(review, "sign_off", office, on=review.decided_on)
            else:
                board_signs_off(review, demo)
                fire(review, "sign_off", office, on=review.decided_on)
        elif state == ReviewState.signed_off:
            if cspr_office:
                partner_svc.put_publication(review, office, publish=True, reason=None, due_on=None)
                partners_agree(review, demo, JointDecisionSubject.publication)
            svc.attach_report(review, office, stored(office), which="final", version=review.version)
            published_on = review.decided_on
            if cspr_office:
                # The report goes to the Panel and the Secretary of State 7 working days before.
                sent_on = min(working_day_before(published_on, 7), today())
                svc.record_report_sent(review, office, version=review.version, sent_on=sent_on)
                published_on = max(published_on, svc.earliest_publication(review))
            fire(
                review,
                "publish",
                office,
                on=review.decided_on,
                publish=True,
                published_on=published_on,
                publication_url="https://partnership.example/reviews/report.pdf",
                family_informed="yes",
            )
        elif state == ReviewState.published:
            rec = svc.add_recommendation(review, office, text="Share information at discharge")
            svc.add_action(
                review,
                rec,
                office,
                title="Update the discharge policy",
                owner_organisation_id=demo.org("acute").id,
                due_date=date(2027, 3, 31),
            )
            fire(review, "start_monitoring", office)
        elif state == ReviewState.action_monitoring:
            for actions in svc.actions_of(review).values():
                for a in actions:
                    if a.status != ActionStatus.completed:
                        action_lifecycle.fire(a, "claim_complete", user=office, version=a.version, comment="Done")
                        action_lifecycle.fire(a, "accept_completion", user=office, version=a.version)
            fire(review, "close", office)
        else:  # pragma: no cover
            raise AssertionError(f"no step from {state}")
        assert review.state != state, f"stuck at {state}"
        assert review.state in path or review.state == to
    return review


_board_days = iter(range(1, 2000))


def board_meeting(demo):
    """An extraordinary Board meeting in session (everyone present: quorate), on a day of
    its own after the demo's meetings."""
    from datetime import timedelta

    from safeguarding.services import meetings
    from tests.support.meetings import FUTURE, open_meeting

    meeting = meetings.schedule_meeting(
        group_id=demo.group("board").id,
        kind="extraordinary",
        meeting_date=FUTURE + timedelta(days=next(_board_days)),
        purpose="Sign-off of case review reports",
        created_by_id=demo.user("office").id,
    )
    return open_meeting(meeting, demo)


def board_signs_off(review: Review, demo, *, outcome: str = "agreed"):
    """The Board decides on the review's sign-off at a quorate meeting: agreed by consensus
    (`outcome="agreed"`) or a vote that is not carried (`"not_carried"`)."""
    from safeguarding.services import meetings
    from tests.support.meetings import close, votes

    meeting = board_meeting(demo)
    item = meetings.add_agenda_item(
        meeting, title=f"Sign-off of case review {review.reference}", subject_type="review", subject_id=review.id
    )
    if outcome == "agreed":
        decision = meetings.record_decision(
            item, user=demo.user("office"), method="consensus", text="The Board signs off the report."
        )
    else:
        decision = meetings.record_decision(
            item,
            user=demo.user("office"),
            method="vote",
            text="The Board does not sign off the report.",
            votes=votes(demo, north="against", west="against", police="against"),
        )
    close(meeting, demo)
    return decision
