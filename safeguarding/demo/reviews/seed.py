"""The demo step "case reviews": each review, taken through its steps to where it stands
on 23 November 2026."""

from __future__ import annotations

import io
from datetime import timedelta

from werkzeug.datastructures import FileStorage

from safeguarding.calendar import working_day_before, working_days
from safeguarding.demo import DemoContext, as_of, at, day, demo_pdf, step
from safeguarding.demo.reviews.builder import _Demo, _pdf
from safeguarding.demo.reviews.lcspr import _lcspr_to_sign_off, _report_to_the_panel
from safeguarding.demo.reviews.requests import _send_request, s45_beyond_the_directory
from safeguarding.models import Area, ReviewEventKind
from safeguarding.services import actions as actions_svc
from safeguarding.services import reviews as svc
from safeguarding.services import storage
from safeguarding.services.reviews.rules import NOTIFY_PANEL_WORKING_DAYS, RAPID_REVIEW_WORKING_DAYS
from safeguarding.workflows.actions import action_lifecycle


def _return_information(request, user, **kw):
    with at(kw["returned_on"]):
        return svc.return_information(request, user, **kw)


@step(75, "case reviews")
def seed_reviews(ctx: DemoContext) -> None:
    d = _Demo(ctx)
    made = {}
    requests = {}

    # A fresh referral from the police, today.
    made["referred"] = svc.refer_sar(  # as at the load (no date: today)
        ctx.users["police"],
        initials="MB",
        age_band="85_plus",
        area=Area.north,
        harm_date=day(2026, 11, 2),
        summary="Died in hospital with pressure ulcers after living alone with daily visits from a home care agency.",
        referral_source="County Police – Public Protection Unit",
        referrer_organisation_id=ctx.orgs["police"].id,
        agency_ids=[ctx.orgs["acute"].id, ctx.orgs["north"].id],
    )

    # Being screened by the sub-group.
    made["screening"] = d.sar(
        "TK",
        "45_64",
        Area.west,
        day(2026, 10, 14),
        day(2026, 11, 2),
        "Serious self-neglect; admitted to hospital malnourished after repeated missed visits.",
        "West Council adult social care",
        "west",
        ["west", "icb"],
    )
    d.fire(made["screening"], "start_screening", d.subgroup, day(2026, 11, 5))

    # Gathering information: one return with a chronology, one overdue, one just sent.
    gathering = made["gathering"] = d.sar(
        "RJ",
        "25_44",
        Area.north,
        day(2026, 8, 30),
        day(2026, 9, 21),
        "Died after an overdose; had a learning disability and was known to several services.",
        "County University Hospitals safeguarding team",
        "acute",
        ["police", "acute", "north"],
    )
    d.screen(gathering, day(2026, 9, 28))
    d.fire(gathering, "request_information", d.subgroup, day(2026, 10, 5))
    conditions = [1, 2, 3]
    requests["police_returned"] = _send_request(
        gathering,
        d.office,
        organisation_id=ctx.orgs["police"].id,
        conditions=conditions,
        request="A chronology of police contact with RJ from January 2025, and any referrals made.",
        sent_on=day(2026, 10, 5),
    )
    chronology = storage.save_upload(
        FileStorage(
            stream=io.BytesIO(
                demo_pdf(
                    f"Chronology for {gathering.reference}",
                    "County Police: contact with the adult since January 2025",
                    [("About this chronology", ["Demonstration material: a fictional agency chronology."])],
                )
            ),
            filename="police-chronology.pdf",
            content_type="application/pdf",
        ),
        purpose="chronology",
        uploaded_by_id=ctx.users["police"].id,
    )
    _return_information(
        requests["police_returned"],
        ctx.users["police"],
        version=requests["police_returned"].version,
        chronology=chronology,
        response="Eleven contacts between March 2025 and August 2026; chronology attached.",
        returned_on=day(2026, 10, 29),
    )
    requests["acute_overdue"] = _send_request(
        gathering,
        d.office,
        organisation_id=ctx.orgs["acute"].id,
        conditions=conditions,
        request="Emergency department attendances and safeguarding referrals for RJ since January 2025.",
        sent_on=day(2026, 10, 5),
    )
    requests["north_sent"] = _send_request(
        gathering,
        d.office,
        organisation_id=ctx.orgs["north"].id,
        conditions=conditions,
        request="Adult social care assessments and the care and support plan for RJ.",
        sent_on=day(2026, 11, 16),
    )
    requests.update(s45_beyond_the_directory(d, gathering, conditions))

    # Waiting for the chair's decision.
    awaiting = made["awaiting"] = d.sar(
        "DW",
        "75_84",
        Area.west,
        day(2026, 7, 19),
        day(2026, 8, 3),
        "Died following a fall in a care home; concerns about staffing and pressure care.",
        "Care Quality Commission inspector",
        None,
        ["west", "icb", "acute"],
    )
    d.screen(awaiting, day(2026, 8, 10))
    d.to_decision(awaiting, day(2026, 11, 12))

    # Commissioned (discretionary), commissioning details still to record.
    commissioned = made["commissioned"] = d.sar(
        "PL",
        "65_74",
        Area.north,
        day(2026, 6, 2),
        day(2026, 6, 22),
        "Financial abuse by a family member over two years; the adult is alive and now safe.",
        "North Council adult social care",
        "north",
        ["north", "police"],
    )
    d.screen(commissioned, day(2026, 7, 1), died=False, concern=False)
    d.fire(commissioned, "request_information", d.subgroup, day(2026, 7, 8))
    d.fire(
        commissioned,
        "recommend",
        d.subgroup,
        day(2026, 10, 20),
        recommendation="discretionary",
        recommendation_reason="No concern about joint working, but the case has learning about financial abuse",
    )
    d.fire(
        commissioned,
        "decide",
        d.chair,
        day(2026, 11, 10),
        outcome="discretionary",
        decision_reason="A discretionary review: the learning on financial abuse is needed across the partnership",
    )

    # In review, report due soon.
    in_review = made["in_review"] = d.sar(
        "SH",
        "45_64",
        Area.both,
        day(2026, 3, 8),
        day(2026, 3, 30),
        "Died homeless in the winter after discharge from a mental health ward; known in both council areas.",
        "County Integrated Care Board",
        "icb",
        ["north", "west", "icb", "probation"],
    )
    d.screen(in_review, day(2026, 4, 7))
    d.to_decision(in_review, day(2026, 5, 12))
    d.decide(in_review, day(2026, 5, 26))
    d.commission(in_review, day(2026, 6, 15))
    svc.update_case_details(
        in_review,
        d.office,
        version=in_review.version,
        family_invited=True,
        family_notes="His sister met the reviewer in September",
    )
    svc.add_event(
        in_review,
        d.office,
        kind=ReviewEventKind.panel_meeting,
        held_on=day(2026, 7, 14),
        notes="Terms of reference agreed; chronologies requested",
    )
    svc.add_event(
        in_review,
        d.office,
        kind=ReviewEventKind.practitioner_event,
        held_on=day(2026, 9, 22),
        notes="Twenty-two practitioners from eight agencies",
    )
    svc.add_event(in_review, d.office, kind=ReviewEventKind.family_involvement, held_on=day(2026, 9, 30))

    # Paused for a parallel criminal trial.
    paused = made["paused"] = d.sar(
        "AC",
        "18_24",
        Area.west,
        day(2025, 12, 12),
        day(2026, 1, 5),
        "Died after a prolonged assault by people who had befriended her; she had care and support needs.",
        "County Police – Major Crime",
        "police",
        ["police", "west", "vcs"],
    )
    d.screen(paused, day(2026, 1, 12))
    d.to_decision(paused, day(2026, 1, 26))
    d.decide(paused, day(2026, 2, 10))
    d.commission(paused, day(2026, 3, 2), value=900_000)
    d.fire(
        paused,
        "pause",
        d.office,
        day(2026, 7, 1),
        process="criminal_trial",
        pause_reason="The Crown Prosecution Service asked that practitioners are not interviewed before the trial",
        expected_resume_on=day(2027, 3, 1),
    )

    # Draft report in, waiting for the sub-group's quality check.
    draft = made["draft"] = d.sar(
        "GE",
        "75_84",
        Area.north,
        day(2025, 11, 20),
        day(2026, 1, 19),
        "Died of sepsis at home; her husband, her carer, was unable to cope and did not seek help.",
        "North Council adult social care",
        "north",
        ["north", "icb", "acute"],
    )
    d.screen(draft, day(2026, 1, 26))
    d.to_decision(draft, day(2026, 2, 23))
    d.decide(draft, day(2026, 3, 16))
    d.commission(draft, day(2026, 4, 1))
    svc.update_case_details(
        draft, d.office, version=draft.version, family_invited=True, family_notes="Her son contributed to the review"
    )
    svc.attach_report(draft, d.office, _pdf("draft-report.pdf", d.office, draft), which="draft", version=draft.version)
    d.fire(draft, "submit_draft", d.office, day(2026, 11, 9))

    # Not commissioned: criteria not met, with a learning briefing instead.
    declined = made["not_commissioned"] = d.sar(
        "HN",
        "65_74",
        Area.west,
        day(2026, 7, 3),
        day(2026, 7, 20),
        "Hoarding and self-neglect; engaged with services after a fire safety visit.",
        "County Fire and Rescue Service",
        "fire",
        ["fire", "west"],
    )
    d.fire(declined, "start_screening", d.subgroup, day(2026, 7, 27))
    svc.record_screening(
        declined,
        d.subgroup,
        version=declined.version,
        in_area=True,
        in_area_reason="Lives in West Borough",
        needs=False,
        needs_reason="Assessed in 2025 with no eligible care and support needs",
        died=False,
        abuse=False,
        abuse_reason="Hoarding with risks from self-neglect; no serious harm known or suspected",
        concern=False,
        concern_reason="Agencies worked together well after the fire safety visit",
        screened_on=day(2026, 7, 27),
    )
    d.fire(declined, "request_information", d.subgroup, day(2026, 8, 3))
    d.fire(
        declined,
        "recommend",
        d.subgroup,
        day(2026, 9, 1),
        recommendation="not_commissioned",
        recommendation_reason="The s44 criteria are not met",
    )
    d.fire(
        declined,
        "decide",
        d.chair,
        day(2026, 9, 10),
        outcome="not_commissioned",
        decision_reason="The criteria for a review are not met",
        alternative_learning="A seven-minute briefing on hoarding and fire risk for front-line staff",
    )

    # CSPR: rapid review due in 3 working days (15 working days after the notification).
    cal = working_days()
    notified = working_day_before(cal.add(as_of(), 3), RAPID_REVIEW_WORKING_DAYS)
    aware = working_day_before(notified, 3)
    with at(notified):
        rapid = made["cspr_rapid"] = svc.notify_serious_incident(
            d.office,
            initials="LB",
            age_band="1_4",
            area=Area.north,
            harm_date=aware - timedelta(days=2),
            summary="Non-accidental head injury; the family was known to early help.",
            la_aware_on=aware,
            notified_on=notified,
            referral_source="North Council children's services",
            agency_ids=[ctx.orgs["north"].id, ctx.orgs["police"].id, ctx.orgs["icb"].id],
            incident="serious_harm",
            abuse_or_neglect="suspected",
            siblings_harmed=1,
            siblings_note="An older sibling (aged 6) had bruising found at the child protection medical",
        )
    d.fire(rapid, "start_rapid_review", ctx.users["office"], notified)
    # The rapid review is done and with the safeguarding partners of North (North Council,
    # the ICB, the police) for their joint decision; North and the police have agreed, the
    # ICB's answer is awaited. It goes to the Panel with that decision.
    completed = working_day_before(cal.add(as_of(), 3), 4)
    with at(completed):
        svc.record_rapid_review(
            rapid,
            d.office,
            version=rapid.version,
            criteria=["improvements_needed", "agencies_working_together"],
            reasons="Early help and the health visiting service held different pictures of the home",
            sent_on=None,
        )
    d.fire(
        rapid,
        "complete_rapid_review",
        d.office,
        completed,
        recommendation="lcspr",
        recommendation_reason="Recurrent learning about early help and health visiting working together",
    )
    d.partners_answer(rapid, working_days().add(completed, 1), only=["north", "police"])

    # CSPR: the local authority became aware this week; the national panel must be told
    # within 5 working days: in 2 working days' time.
    aware = working_day_before(cal.add(as_of(), 2), NOTIFY_PANEL_WORKING_DAYS)
    with at(aware):
        made["cspr_notified"] = svc.notify_serious_incident(
            d.office,
            initials="KO",
            age_band="11_15",
            area=Area.west,
            harm_date=aware - timedelta(days=2),
            summary="Serious injury after criminal exploitation; open to the youth justice service.",
            la_aware_on=aware,
            referral_source="West Council children's services",
            agency_ids=[ctx.orgs["west"].id, ctx.orgs["police"].id],
            incident="serious_harm",
            abuse_or_neglect="known",
        )

    # CSPR: a local review under way.
    # Working days, whatever the load day: the council aware on a working day, the Panel
    # told two working days later, the rapid review sent inside its 15 working days.
    cal = working_days()
    la_aware = cal.add(day(2026, 6, 22), 0)
    notified = cal.add(la_aware, 2)
    rapid_sent = cal.add(notified, RAPID_REVIEW_WORKING_DAYS - 1)
    lcspr = made["cspr_review"] = svc.notify_serious_incident(
        d.office,
        initials="JF",
        age_band="under_1",
        area=Area.west,
        harm_date=day(2026, 6, 20),
        summary="Sudden unexpected death in infancy with concerns about neglect.",
        la_aware_on=la_aware,
        notified_on=notified,
        referral_source="West Council children's services",
        agency_ids=[ctx.orgs["west"].id, ctx.orgs["icb"].id, ctx.orgs["acute"].id],
        incident="death",
        abuse_or_neglect="suspected",
        partners_told_on=notified,
    )
    d.fire(lcspr, "start_rapid_review", d.office, notified)
    svc.record_rapid_review(
        lcspr,
        d.office,
        version=lcspr.version,
        criteria=["improvements_needed", "agencies_working_together"],
        reasons="Health visiting and early help did not share concerns about home conditions",
        sent_on=rapid_sent,
        panel_outcome="agrees",
        panel_response="The panel agrees a local review is appropriate",
        panel_response_on=day(2026, 8, 4),
    )
    d.fire(
        lcspr,
        "complete_rapid_review",
        d.office,
        rapid_sent,
        recommendation="lcspr",
        recommendation_reason="Learning about information sharing between health visiting and early help",
    )
    # Decided jointly by the partners of West: West Council, the ICB and the police.
    d.partners_answer(lcspr, day(2026, 8, 12))
    svc.record_commissioning(
        lcspr,
        d.office,
        version=lcspr.version,
        terms_of_reference="Information sharing about home conditions for infants",
        methodology="silp",
        reviewer="Independent reviewer (Child Practice Reviews Ltd)",
        contract_value_pence=750_000,
        period_from=day(2025, 9, 1),
        period_to=day(2026, 6, 22),
    )
    d.fire(lcspr, "start_review", d.office, day(2026, 9, 1))

    # Closed: published in February 2026, every action completed by October 2026.
    closed = made["closed"] = d.sar(
        "EP",
        "85_plus",
        Area.west,
        day(2025, 1, 12),
        day(2025, 2, 3),
        "Died of dehydration in a care home during a cold snap; staffing records were incomplete.",
        "West Council adult social care",
        "west",
        ["west", "icb", "acute"],
    )
    d.screen(closed, day(2025, 2, 10))
    d.to_decision(closed, day(2025, 2, 24))
    d.decide(closed, day(2025, 3, 10))
    d.commission(closed, day(2025, 3, 31), value=700_000)
    d.to_draft(closed, day(2025, 11, 24))
    svc.update_case_details(
        closed,
        d.office,
        version=closed.version,
        delay_explanation="Two agencies' chronologies arrived late; the draft slipped by ten weeks",
    )

    # Published, its action plan part-implemented.
    plan = made["published"] = d.sar(
        "CF",
        "45_64",
        Area.north,
        day(2025, 3, 30),
        day(2025, 4, 14),
        "Died by suicide after discharge from hospital; known to mental health services and the police.",
        "County Integrated Care Board",
        "icb",
        ["north", "police", "icb", "acute"],
    )
    d.screen(plan, day(2025, 4, 22))
    d.to_decision(plan, day(2025, 5, 12))
    d.decide(plan, day(2025, 5, 27))
    d.commission(plan, day(2025, 6, 16), value=800_000)
    d.to_draft(plan, day(2025, 12, 8))
    svc.update_case_details(
        plan, d.office, version=plan.version, delay_explanation="The family asked for more time to comment on the draft"
    )
    d.board_signs_off([closed, plan], day(2026, 1, 12), day(2026, 1, 29))
    d.publish(closed, day(2026, 2, 16))
    done = d.plan(
        closed,
        [
            (
                "Care homes have a hydration plan",
                [
                    ("Issue hydration guidance to all care homes", "west", day(2026, 4, 30)),
                    ("Check hydration plans in contract monitoring visits", "icb", day(2026, 7, 31)),
                ],
            ),
            (
                "Staffing records are complete and reviewed",
                [("Audit staffing records in the home's quality review", "west", day(2026, 9, 30))],
            ),
        ],
    )
    d.fire(closed, "start_monitoring", d.office, day(2026, 2, 23))
    for action, on in zip(done, (day(2026, 4, 27), day(2026, 7, 20), day(2026, 9, 28)), strict=True):
        d.complete(action, on, "Done, with evidence sent to the business office")
    d.fire(closed, "close", d.office, day(2026, 11, 2))
    d.publish(plan, day(2026, 3, 18))
    actions = d.plan(
        plan,
        [
            (
                "Discharge planning includes a safety plan agreed with the person",
                [
                    ("Add a safety plan to the mental health discharge checklist", "icb", day(2026, 6, 30)),
                    ("Share safety plans with the GP within 24 hours of discharge", "acute", day(2026, 9, 30)),
                ],
            ),
            (
                "Police and health share concerns about risk of suicide",
                [
                    ("Agree an information-sharing protocol for concerns about suicide", "police", day(2026, 10, 31)),
                    (
                        "Train call handlers to refer concerns to the mental health crisis line",
                        "police",
                        day(2027, 3, 31),
                    ),
                ],
            ),
            (
                "The Board seeks assurance on the learning",
                [("Audit ten discharges against the new checklist", "north", day(2026, 12, 31))],
            ),
        ],
    )
    d.fire(plan, "start_monitoring", d.office, day(2026, 3, 25))
    d.complete(actions[0], day(2026, 6, 22), "Checklist revised and in use on all wards")
    d.complete(actions[1], day(2026, 10, 5), "Safety plans now go with the discharge letter")
    action_lifecycle.fire(
        actions[2],
        "close_not_implemented",
        user=d.chair,
        version=actions[2].version,
        comment="Superseded: the national police and NHS protocol (2026) now applies locally",
    )
    actions_svc.add_update(
        actions[3], ctx.users["police"], text="Training designed; first sessions in January", progress=30
    )

    # Signed off by the Board this month, the publication decision still to make.
    signed = made["signed_off"] = d.sar(
        "NR",
        "65_74",
        Area.both,
        day(2025, 9, 14),
        day(2025, 10, 6),
        "Serious financial and physical abuse by a lodger over eighteen months; the adult is now safe.",
        "North Council adult social care",
        "north",
        ["north", "west", "police"],
    )
    d.screen(signed, day(2025, 10, 13), died=False)
    d.to_decision(signed, day(2025, 11, 3))
    d.decide(signed, day(2025, 11, 17))
    d.commission(signed, day(2025, 12, 1))
    d.to_draft(signed, day(2026, 5, 11))
    svc.update_case_details(
        signed,
        d.office,
        version=signed.version,
        delay_explanation="The reviewer's illness delayed the report by three months",
    )
    # Published last week; its recommendations are being turned into actions.
    fresh = made["published_recently"] = d.sar(
        "OB",
        "75_84",
        Area.west,
        day(2025, 10, 2),
        day(2025, 10, 20),
        "Died after a house fire; smoking and oxygen therapy had been raised as a risk by three agencies.",
        "County Fire and Rescue Service",
        "fire",
        ["fire", "west", "icb"],
    )
    d.screen(fresh, day(2025, 10, 27))
    d.to_decision(fresh, day(2025, 11, 17))
    d.decide(fresh, day(2025, 12, 1))
    d.commission(fresh, day(2025, 12, 15), value=600_000)
    d.to_draft(fresh, day(2026, 6, 1))
    svc.update_case_details(
        fresh,
        d.office,
        version=fresh.version,
        delay_explanation="The inquest was adjourned twice; the Board waited for its findings",
    )
    report_sent = made["cspr_report_sent"] = _lcspr_to_sign_off(d, ctx)
    d.board_signs_off([signed, fresh, report_sent], day(2026, 10, 26), day(2026, 11, 12))
    _report_to_the_panel(d, report_sent)
    d.publish(fresh, day(2026, 11, 19))
    d.plan(
        fresh,
        [
            (
                "Fire risk is assessed for everyone using home oxygen",
                [("Refer every new home oxygen patient for a fire safety visit", "icb", day(2027, 3, 31))],
            )
        ],
    )

    ctx.extra["reviews"] = made
    ctx.extra["review_requests"] = requests
