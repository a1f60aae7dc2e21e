"""The demo's LCSPR whose final report went to the Panel and the Secretary of State: a
looked-after child's death notified in autumn 2025, paused for the inquest, signed off at
the Board meeting with two SARs, its report sent a week before the demo's day, so its
earliest publication date is still to come."""

from __future__ import annotations

from safeguarding.calendar import working_day_before, working_days
from safeguarding.demo import DemoContext, as_of, at, day
from safeguarding.demo.reviews.builder import _Demo, _pdf
from safeguarding.models import Area
from safeguarding.services import reviews as svc
from safeguarding.services.reviews.rules import RAPID_REVIEW_WORKING_DAYS


def _lcspr_to_sign_off(d: _Demo, ctx: DemoContext):
    """An LCSPR from autumn 2025, paused for an inquest (which moved its report's due date
    past the statutory 6 months), its draft passed and going to the Board with the SARs."""
    # Working days, whatever the load day: the council aware on a working day, the Panel
    # told two working days later, the rapid review done inside its 15 working days.
    cal = working_days()
    aware = cal.add(day(2025, 9, 8), 0)
    notified = cal.add(aware, 2)
    rapid_done = cal.add(notified, RAPID_REVIEW_WORKING_DAYS - 1)
    with at(notified):
        review = svc.notify_serious_incident(
            d.office,
            initials="TM",
            age_band="16_17",
            area=Area.north,
            harm_date=day(2025, 9, 6),
            summary="Died by suicide while in foster care; had been reported missing three times that summer.",
            la_aware_on=aware,
            notified_on=notified,
            looked_after=True,
            incident="death",
            abuse_or_neglect="suspected",
            ofsted_notified_on=notified,
            secretary_of_state_notified_on=notified,
            partners_told_on=cal.add(aware, 1),
            referral_source="North Council children's services",
            agency_ids=[ctx.orgs["north"].id, ctx.orgs["police"].id, ctx.orgs["icb"].id],
        )
    d.fire(review, "start_rapid_review", d.office, notified)
    _rapid_review(review, d, rapid_done)
    d.fire(
        review,
        "complete_rapid_review",
        d.office,
        rapid_done,
        recommendation="lcspr",
        recommendation_reason="Recurrent learning about children missing from care",
    )
    # Decided jointly by the partners of North: North Council, the ICB and the police.
    d.partners_answer(review, day(2025, 10, 8))
    _rapid_review(review, d, day(2025, 10, 21), panel=True)
    with at(day(2025, 10, 15)):
        svc.record_commissioning(
            review,
            d.office,
            version=review.version,
            terms_of_reference="How agencies responded to a looked-after child repeatedly missing from care",
            methodology="learning_together",
            reviewer="Independent reviewer (Child Practice Reviews Ltd)",
            contract_value_pence=800_000,
            period_from=day(2024, 9, 1),
            period_to=day(2025, 9, 6),
        )
    d.fire(review, "start_review", d.office, day(2025, 10, 20))
    d.fire(
        review,
        "pause",
        d.office,
        day(2025, 12, 1),
        process="inquest",
        pause_reason="The coroner asked the review to wait for the inquest's findings",
        expected_resume_on=day(2026, 3, 2),
    )
    d.fire(review, "resume", d.office, day(2026, 3, 2))
    with at(day(2026, 9, 14)):
        svc.update_case_details(
            review,
            d.office,
            version=review.version,
            family_invited=True,
            family_notes="The birth mother and the foster carers met the reviewer",
            delay_explanation="The inquest paused the review for three months; the reviewer then waited for "
            "the coroner's findings to be published",
        )
        svc.attach_report(
            review, d.office, _pdf("draft-report.pdf", d.office, review), which="draft", version=review.version
        )
    d.fire(review, "submit_draft", d.office, day(2026, 9, 14))
    return review


def _rapid_review(review, d: _Demo, on, panel: bool = False) -> None:
    """The rapid review sent to the Panel, and (`panel`) the Panel's response on `on`."""
    with at(on):
        svc.record_rapid_review(
            review,
            d.office,
            version=review.version,
            criteria=["improvements_needed", "recurrent_themes"],
            reasons="Return-home interviews after missing episodes were not shared with the foster carers' team",
            sent_on=day(2025, 9, 30),
            panel_outcome="agrees" if panel else None,
            panel_response="The Panel agrees a local review is appropriate" if panel else None,
            panel_response_on=on if panel else None,
        )


def _report_to_the_panel(d: _Demo, review) -> None:
    """The final report goes to the Panel and the Secretary of State a week ago: it may be
    published 7 working days after."""
    with at(day(2026, 11, 20)):
        svc.attach_report(
            review, d.office, _pdf("final-report.pdf", d.office, review, "final"), which="final", version=review.version
        )
    sent = working_day_before(as_of(), 5)
    with at(sent):
        svc.record_report_sent(review, d.office, version=review.version, sent_on=sent)
