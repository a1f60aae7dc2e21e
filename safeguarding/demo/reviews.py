"""Case reviews as the business office would find them on 23 November 2026: a SAR in each
main state (one paused for a criminal trial), CSPRs with statutory deadlines coming, and
information requests returned, outstanding and overdue. Built through the services and
lifecycles users call, with the dates things happened."""

from __future__ import annotations

import io
from datetime import date

from werkzeug.datastructures import FileStorage

from safeguarding.demo import DemoContext, step
from safeguarding.models import Area, ReviewEventKind
from safeguarding.services import reviews as svc
from safeguarding.services import storage
from safeguarding.workflows.reviews import review_lifecycle

# A minimal valid PDF, standing in for reports and chronologies.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _pdf(name: str, user) -> object:
    return storage.save_upload(FileStorage(stream=io.BytesIO(PDF), filename=name), purpose="review_report",
                               uploaded_by_id=user.id)


class _Demo:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.office = ctx.users["office"]
        self.chair = ctx.users["chair"]
        self.subgroup = ctx.users["sarchair"]  # chairs the SAR sub-group
        self.org = ctx.orgs

    def fire(self, review, trigger: str, user, on: date, **params):
        comment = params.pop("comment", None)
        return review_lifecycle.fire(review, trigger, user=user, version=review.version, params=params,
                                     comment=comment, as_of=on)

    def sar(self, initials: str, band: str, area: Area, harm: date, received: date, summary: str, source: str,
            referrer: str | None, agencies: list[str]):
        return svc.refer_sar(self.office, initials=initials, age_band=band, area=area, harm_date=harm,
                             summary=summary, referral_source=source,
                             referrer_organisation_id=self.org[referrer].id if referrer else None,
                             agency_ids=[self.org[a].id for a in agencies], received_on=received,
                             received_by_email=True)

    def screen(self, review, on: date, *, needs=True, harm="died", concern=True):
        self.fire(review, "start_screening", self.subgroup, on)
        svc.record_screening(
            review, self.subgroup, version=review.version, needs=needs,
            needs_reason="Known to adult social care with a care and support plan for personal care",
            harm=harm, harm_reason="The referral describes neglect by a paid carer, confirmed by the police",
            concern=concern, concern_reason="Three agencies held information that was not shared before the death",
            screened_on=on)

    def to_decision(self, review, on: date, recommendation: str = "mandatory"):
        self.fire(review, "request_information", self.subgroup, on)
        self.fire(review, "recommend", self.subgroup, on, recommendation=recommendation,
                  recommendation_reason="The s44 criteria are met: the adult had care and support needs, died, "
                                        "and agencies did not share what they knew")

    def decide(self, review, on: date, outcome: str = "mandatory"):
        self.fire(review, "decide", self.chair, on, outcome=outcome,
                  decision_reason="I agree with the sub-group: the criteria for a mandatory review are met")

    def commission(self, review, on: date, *, value: int = 650_000):
        svc.record_commissioning(
            review, self.office, version=review.version,
            terms_of_reference="How agencies identified and responded to the risk of neglect in the last 18 months",
            methodology="learning_together", reviewer="Independent reviewer (Safeguarding Review Associates)",
            contract_value_pence=value, period_from=date(on.year - 2, 1, 1), period_to=date(on.year, 1, 1))
        self.fire(review, "start_review", self.office, on)


@step(70, "case reviews")
def seed_reviews(ctx: DemoContext) -> None:
    d = _Demo(ctx)
    made = {}
    requests = {}

    # A fresh referral from the police, today.
    made["referred"] = svc.refer_sar(
        ctx.users["police"], initials="MB", age_band="85_plus", area=Area.north, harm_date=date(2026, 11, 2),
        summary="Died in hospital with pressure ulcers after living alone with daily visits from a home care agency.",
        referral_source="County Police – Public Protection Unit", referrer_organisation_id=ctx.orgs["police"].id,
        agency_ids=[ctx.orgs["acute"].id, ctx.orgs["north"].id])

    # Being screened by the sub-group.
    made["screening"] = d.sar("TK", "45_64", Area.west, date(2026, 10, 14), date(2026, 11, 2),
                              "Serious self-neglect; admitted to hospital malnourished after repeated missed visits.",
                              "West Council adult social care", "west", ["west", "icb"])
    d.fire(made["screening"], "start_screening", d.subgroup, date(2026, 11, 5))

    # Gathering information: one return with a chronology, one overdue, one just sent.
    gathering = made["gathering"] = d.sar(
        "RJ", "25_44", Area.north, date(2026, 8, 30), date(2026, 9, 21),
        "Died after an overdose; had a learning disability and was known to several services.",
        "County University Hospitals safeguarding team", "acute", ["police", "acute", "north"])
    d.screen(gathering, date(2026, 9, 28))
    d.fire(gathering, "request_information", d.subgroup, date(2026, 10, 5))
    conditions = [1, 2, 3]
    requests["police_returned"] = svc.send_information_request(
        gathering, d.office, organisation_id=ctx.orgs["police"].id, conditions=conditions,
        request="A chronology of police contact with RJ from January 2025, and any referrals made.",
        sent_on=date(2026, 10, 5))
    chronology = storage.save_upload(FileStorage(stream=io.BytesIO(PDF), filename="police-chronology.pdf"),
                                     purpose="chronology", uploaded_by_id=ctx.users["police"].id)
    svc.return_information(requests["police_returned"], ctx.users["police"],
                           version=requests["police_returned"].version, chronology=chronology,
                           response="Eleven contacts between March 2025 and August 2026; chronology attached.",
                           returned_on=date(2026, 10, 29))
    requests["acute_overdue"] = svc.send_information_request(
        gathering, d.office, organisation_id=ctx.orgs["acute"].id, conditions=conditions,
        request="Emergency department attendances and safeguarding referrals for RJ since January 2025.",
        sent_on=date(2026, 10, 5))
    requests["north_sent"] = svc.send_information_request(
        gathering, d.office, organisation_id=ctx.orgs["north"].id, conditions=conditions,
        request="Adult social care assessments and the care and support plan for RJ.", sent_on=date(2026, 11, 16))

    # Waiting for the chair's decision.
    awaiting = made["awaiting"] = d.sar(
        "DW", "75_84", Area.west, date(2026, 7, 19), date(2026, 8, 3),
        "Died following a fall in a care home; concerns about staffing and pressure care.",
        "Care Quality Commission inspector", None, ["west", "icb", "acute"])
    d.screen(awaiting, date(2026, 8, 10))
    d.to_decision(awaiting, date(2026, 11, 12))

    # Commissioned (discretionary), commissioning details still to record.
    commissioned = made["commissioned"] = d.sar(
        "PL", "65_74", Area.north, date(2026, 6, 2), date(2026, 6, 22),
        "Financial abuse by a family member over two years; the adult is alive and now safe.",
        "North Council adult social care", "north", ["north", "police"])
    d.screen(commissioned, date(2026, 7, 1), harm="serious_abuse", concern=False)
    d.fire(commissioned, "request_information", d.subgroup, date(2026, 7, 8))
    d.fire(commissioned, "recommend", d.subgroup, date(2026, 10, 20), recommendation="discretionary",
           recommendation_reason="No concern about joint working, but the case has learning about financial abuse")
    d.fire(commissioned, "decide", d.chair, date(2026, 11, 10), outcome="discretionary",
           decision_reason="A discretionary review: the learning on financial abuse is needed across the partnership")

    # In review, report due soon.
    in_review = made["in_review"] = d.sar(
        "SH", "45_64", Area.both, date(2026, 3, 8), date(2026, 3, 30),
        "Died homeless in the winter after discharge from a mental health ward; known in both council areas.",
        "County Integrated Care Board", "icb", ["north", "west", "icb", "probation"])
    d.screen(in_review, date(2026, 4, 7))
    d.to_decision(in_review, date(2026, 5, 12))
    d.decide(in_review, date(2026, 5, 26))
    d.commission(in_review, date(2026, 6, 15))
    svc.update_case_details(in_review, d.office, version=in_review.version, family_invited=True,
                            family_notes="His sister met the reviewer in September")
    svc.add_event(in_review, d.office, kind=ReviewEventKind.panel_meeting, held_on=date(2026, 7, 14),
                  notes="Terms of reference agreed; chronologies requested")
    svc.add_event(in_review, d.office, kind=ReviewEventKind.practitioner_event, held_on=date(2026, 9, 22),
                  notes="Twenty-two practitioners from eight agencies")
    svc.add_event(in_review, d.office, kind=ReviewEventKind.family_involvement, held_on=date(2026, 9, 30))

    # Paused for a parallel criminal trial.
    paused = made["paused"] = d.sar(
        "AC", "18_24", Area.west, date(2025, 12, 12), date(2026, 1, 5),
        "Died after a prolonged assault by people who had befriended her; she had care and support needs.",
        "County Police – Major Crime", "police", ["police", "west", "vcs"])
    d.screen(paused, date(2026, 1, 12))
    d.to_decision(paused, date(2026, 1, 26))
    d.decide(paused, date(2026, 2, 10))
    d.commission(paused, date(2026, 3, 2), value=900_000)
    d.fire(paused, "pause", d.office, date(2026, 7, 1), process="criminal_trial",
           pause_reason="The Crown Prosecution Service asked that practitioners are not interviewed before the trial",
           expected_resume_on=date(2027, 3, 1))

    # Draft report in, waiting for the sub-group's quality check.
    draft = made["draft"] = d.sar(
        "GE", "75_84", Area.north, date(2025, 11, 20), date(2026, 1, 19),
        "Died of sepsis at home; her husband, her carer, was unable to cope and did not seek help.",
        "North Council adult social care", "north", ["north", "icb", "acute"])
    d.screen(draft, date(2026, 1, 26))
    d.to_decision(draft, date(2026, 2, 23))
    d.decide(draft, date(2026, 3, 16))
    d.commission(draft, date(2026, 4, 1))
    svc.update_case_details(draft, d.office, version=draft.version, family_invited=True,
                            family_notes="Her son contributed to the review")
    svc.attach_report(draft, d.office, _pdf("draft-report.pdf", d.office), which="draft", version=draft.version)
    d.fire(draft, "submit_draft", d.office, date(2026, 11, 9))

    # Not commissioned: criteria not met, with a learning briefing instead.
    declined = made["not_commissioned"] = d.sar(
        "HN", "65_74", Area.west, date(2026, 7, 3), date(2026, 7, 20),
        "Hoarding and self-neglect; engaged with services after a fire safety visit.",
        "County Fire and Rescue Service", "fire", ["fire", "west"])
    d.fire(declined, "start_screening", d.subgroup, date(2026, 7, 27))
    svc.record_screening(declined, d.subgroup, version=declined.version, needs=False,
                         needs_reason="Assessed in 2025 with no eligible care and support needs",
                         harm="neither", harm_reason="No abuse or neglect by others; risks are from self-neglect",
                         concern=False, concern_reason="Agencies worked together well after the fire safety visit",
                         screened_on=date(2026, 7, 27))
    d.fire(declined, "request_information", d.subgroup, date(2026, 8, 3))
    d.fire(declined, "recommend", d.subgroup, date(2026, 9, 1), recommendation="not_commissioned",
           recommendation_reason="The s44 criteria are not met")
    d.fire(declined, "decide", d.chair, date(2026, 9, 10), outcome="not_commissioned",
           decision_reason="The criteria for a review are not met",
           alternative_learning="A seven-minute briefing on hoarding and fire risk for front-line staff")

    # CSPR: rapid review due in 3 working days.
    rapid = made["cspr_rapid"] = svc.notify_serious_incident(
        d.office, initials="LB", age_band="1_4", area=Area.north, harm_date=date(2026, 10, 28),
        summary="Non-accidental head injury; the family was known to early help.", la_aware_on=date(2026, 10, 30),
        notified_on=date(2026, 11, 5), referral_source="North Council children's services",
        agency_ids=[ctx.orgs["north"].id, ctx.orgs["police"].id, ctx.orgs["icb"].id])
    d.fire(rapid, "start_rapid_review", ctx.users["office"], date(2026, 11, 5))

    # CSPR: the local authority became aware on Thursday; the panel must be told by 26 November.
    made["cspr_notified"] = svc.notify_serious_incident(
        d.office, initials="KO", age_band="11_15", area=Area.west, harm_date=date(2026, 11, 17),
        summary="Serious injury after criminal exploitation; open to the youth justice service.",
        la_aware_on=date(2026, 11, 19), referral_source="West Council children's services",
        agency_ids=[ctx.orgs["west"].id, ctx.orgs["police"].id])

    # CSPR: a local review under way.
    lcspr = made["cspr_review"] = svc.notify_serious_incident(
        d.office, initials="JF", age_band="under_1", area=Area.west, harm_date=date(2026, 6, 20),
        summary="Sudden unexpected death in infancy with concerns about neglect.", la_aware_on=date(2026, 6, 22),
        notified_on=date(2026, 6, 24), referral_source="West Council children's services",
        agency_ids=[ctx.orgs["west"].id, ctx.orgs["icb"].id, ctx.orgs["acute"].id])
    d.fire(lcspr, "start_rapid_review", d.office, date(2026, 6, 24))
    svc.record_rapid_review(lcspr, d.office, version=lcspr.version,
                            criteria=["improvements_needed", "agencies_working_together"],
                            reasons="Health visiting and early help did not share concerns about home conditions",
                            sent_on=date(2026, 7, 14),
                            panel_response="The panel agrees a local review is appropriate",
                            panel_response_on=date(2026, 8, 4))
    d.fire(lcspr, "complete_rapid_review", d.office, date(2026, 7, 14), recommendation="lcspr",
           recommendation_reason="Learning about information sharing between health visiting and early help")
    d.fire(lcspr, "decide", d.chair, date(2026, 8, 12), outcome="lcspr",
           decision_reason="The safeguarding partners agree with the rapid review's recommendation")
    svc.record_commissioning(lcspr, d.office, version=lcspr.version,
                             terms_of_reference="Information sharing about home conditions for infants",
                             methodology="silp", reviewer="Independent reviewer (Child Practice Reviews Ltd)",
                             contract_value_pence=750_000, period_from=date(2025, 9, 1), period_to=date(2026, 6, 22))
    d.fire(lcspr, "start_review", d.office, date(2026, 9, 1))

    ctx.extra["reviews"] = made
    ctx.extra["review_requests"] = requests
