"""The steps a demo review goes through, taken as the business office, the sub-group and the
chair would take them, with the dates they happened."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from safeguarding.calendar import working_day_before, working_days
from safeguarding.demo import DemoContext, at, demo_pdf
from safeguarding.extensions import db
from safeguarding.models import Area, Meeting, ReviewKind
from safeguarding.services import joint_decisions, meetings, storage
from safeguarding.services import reviews as svc
from safeguarding.services.reviews import partners as partner_reviews
from safeguarding.workflows.actions import action_lifecycle
from safeguarding.workflows.meetings import meeting_lifecycle
from safeguarding.workflows.reviews import review_lifecycle


def report_pdf(review, which: str) -> bytes:
    """The reviewer's report: a short, readable PDF (made as at the story's date)."""
    final = which == "final"
    return demo_pdf(
        f"{review.kind.label} {review.reference}",
        "Overview report" if final else "Draft overview report, for the SAR sub-group's quality check",
        [
            (
                "About this report",
                [
                    "This is demonstration material: the report of a fictional review in the demo partnership.",
                    "The review looked at how agencies worked together before the events that led to the referral.",
                ],
            ),
            ("Findings", ["Information held by several agencies was not shared in time to change what happened."]),
            ("Recommendations", ["The partnership agrees a shared approach to escalating concerns between agencies."]),
        ],
    )


def _pdf(name: str, user, review=None, which: str = "draft") -> object:
    data = report_pdf(review, which)
    return storage.save_upload(
        FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf"),
        purpose="review_report",
        uploaded_by_id=user.id,
    )


class _Demo:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.office = ctx.users["office"]
        self.chair = ctx.users["chair"]
        self.subgroup = ctx.users["sarchair"]  # chairs the SAR sub-group
        self.org = ctx.orgs

    def fire(self, review, trigger: str, user, on: date, **params):
        comment = params.pop("comment", None)
        with at(on):
            return review_lifecycle.fire(
                review, trigger, user=user, version=review.version, params=params, comment=comment, as_of=on
            )

    def sar(
        self,
        initials: str,
        band: str,
        area: Area,
        harm: date,
        received: date,
        summary: str,
        source: str,
        referrer: str | None,
        agencies: list[str],
    ):
        with at(received):
            return self._refer(initials, band, area, harm, received, summary, source, referrer, agencies)

    def _refer(self, initials, band, area, harm, received, summary, source, referrer, agencies):
        return svc.refer_sar(
            self.office,
            initials=initials,
            age_band=band,
            area=area,
            harm_date=harm,
            summary=summary,
            referral_source=source,
            referrer_organisation_id=self.org[referrer].id if referrer else None,
            agency_ids=[self.org[a].id for a in agencies],
            received_on=received,
            received_by_email=True,
        )

    def screen(self, review, on: date, *, needs=True, died=True, abuse=True, concern=True):
        self.fire(review, "start_screening", self.subgroup, on)
        with at(on):
            self._record_screening(review, on, needs, died, abuse, concern)

    def _record_screening(self, review, on: date, needs, died, abuse, concern) -> None:
        svc.record_screening(
            review,
            self.subgroup,
            version=review.version,
            in_area=True,
            in_area_reason="Ordinarily resident in the area and living at home",
            needs=needs,
            needs_reason="Known to adult social care with a care and support plan for personal care",
            died=died,
            abuse=abuse,
            abuse_reason="The referral describes neglect by a paid carer, confirmed by the police",
            concern=concern,
            concern_reason="Three agencies held information that was not shared before the death",
            screened_on=on,
        )

    def to_decision(self, review, on: date, recommendation: str = "mandatory"):
        self.fire(review, "request_information", self.subgroup, on)
        self.fire(
            review,
            "recommend",
            self.subgroup,
            on,
            recommendation=recommendation,
            recommendation_reason="The s44 criteria are met: the adult had care and support needs, died, "
            "and agencies did not share what they knew",
        )

    def decide(self, review, on: date, outcome: str = "mandatory"):
        self.fire(
            review,
            "decide",
            self.chair,
            on,
            outcome=outcome,
            decision_reason="I agree with the sub-group: the criteria for a mandatory review are met",
        )

    def commission(self, review, on: date, *, value: int = 650_000):
        with at(on):
            self._commissioning(review, on, value)
        self.fire(review, "start_review", self.office, on)

    def _commissioning(self, review, on: date, value: int) -> None:
        svc.record_commissioning(
            review,
            self.office,
            version=review.version,
            terms_of_reference="How agencies identified and responded to the risk of neglect in the last 18 months",
            methodology="learning_together",
            reviewer="Independent reviewer (Safeguarding Review Associates)",
            contract_value_pence=value,
            period_from=date(on.year - 2, 1, 1),
            period_to=date(on.year, 1, 1),
        )

    def to_draft(self, review, on: date):
        with at(on):
            self._draft(review)
        self.fire(review, "submit_draft", self.office, on)

    def _draft(self, review) -> None:
        svc.update_case_details(
            review,
            self.office,
            version=review.version,
            family_invited=True,
            family_notes="The family met the reviewer and commented on the draft",
        )
        svc.attach_report(
            review, self.office, _pdf("draft-report.pdf", self.office, review), which="draft", version=review.version
        )

    def board_signs_off(self, reviews: list, checked_on: date, meeting_on: date) -> date:
        """The sub-group passes the drafts (the office, for a CSPR: the demo's sub-group
        chair sits on the SAR sub-group), which puts them on the agenda of an extraordinary
        Board meeting convened for them; the Board signs them off there."""
        board = self.ctx.groups["board"]
        held = working_day_before(meeting_on, 0)
        while db.session.scalar(
            sa.select(Meeting.id).where(Meeting.group_id == board.id, Meeting.meeting_date == held)
        ) or not working_days().is_working_day(held):
            held += timedelta(days=1)
        with at(checked_on):
            meeting = meetings.schedule_meeting(
                group_id=board.id,
                meeting_date=held,
                kind="extraordinary",
                created_by_id=self.office.id,
                purpose="Sign-off of Safeguarding Adults Review reports",
                location="Online (Microsoft Teams)",
            )
            for review in reviews:
                svc.record_quality_check(
                    review,
                    self.office if review.kind == ReviewKind.cspr else self.subgroup,
                    version=review.version,
                    passed=True,
                    checked_on=checked_on,
                    notes="The report meets the SCIE quality markers; the analysis of multi-agency working is clear",
                )
        with at(meeting.papers_due_on):
            meeting_lifecycle.fire(
                meeting, "publish_papers", user=self.office, version=meeting.version, as_of=meeting.papers_due_on
            )
        with at(held):
            self._hold(meeting, held)
        # Minuted like every Board meeting (the meetings demo's own helper), up to approval.
        from safeguarding.demo.meetings import Demo as MeetingsDemo

        MeetingsDemo(self.ctx).minute(meeting, None, "approved")
        for review in reviews:
            if review.kind == ReviewKind.cspr:
                # An LCSPR's report is signed off by the safeguarding partners jointly; the
                # Board discussed it.
                with at(held + timedelta(days=1)):
                    partner_reviews.put_report_sign_off(review, self.office, due_on=None)
                self.partners_answer(review, held + timedelta(days=1))
            else:
                self.fire(review, "sign_off", self.office, held + timedelta(days=1))
        return held

    # The delegated safeguarding partners' accounts, by organisation.
    PARTNER_ACCOUNTS = {"north": "northdcs", "west": "westdcs", "icb": "icb", "police": "police"}

    def partners_answer(self, review, on: date, only: list[str] | None = None) -> None:
        """The partners of the review's area (or `only` those organisations) agree its open
        joint decision on `on`."""
        decision = next(d for d in joint_decisions.decisions_for(review_id=review.id) if d.state.value == "open")
        put_to = {p.organisation_id for p in joint_decisions.partners_for(decision.area)}
        for org_key, account in self.PARTNER_ACCOUNTS.items():
            if only is not None and org_key not in only:
                continue
            if self.ctx.orgs[org_key].id not in put_to:
                continue
            user = self.ctx.users[account]
            with at(on):
                joint_decisions.answer(
                    decision, organisation_id=user.organisation_id, agree=True, reason=None, user=user
                )

    def _hold(self, meeting, held: date) -> None:
        register = meetings.load_register(meeting)
        meetings.record_attendance(
            meeting,
            [
                {"membership_id": seat.membership.id, "status": "present", "deputy_person_id": None}
                for seat in register.seats
            ],
            user=self.office,
            as_of=held,
        )
        meeting_lifecycle.fire(meeting, "open", user=self.chair, version=meeting.version, as_of=held)
        for item in meetings.agenda_of(meeting):
            if item.subject_type == svc.BOARD_SUBJECT:
                meetings.record_decision(
                    item,
                    user=self.office,
                    method="consensus",
                    text="The Board signs off the report and its recommendations.",
                )
        meeting_lifecycle.fire(meeting, "close", user=self.chair, version=meeting.version, as_of=held)

    def publish(self, review, on: date):
        with at(on):
            svc.attach_report(
                review,
                self.office,
                _pdf("final-report.pdf", self.office, review, "final"),
                which="final",
                version=review.version,
            )
        self.fire(
            review,
            "publish",
            self.office,
            on,
            publish=True,
            published_on=on,
            publication_url=f"https://safeguarding-partnership.example/reviews/{review.reference.lower()}",
            family_informed="yes",
        )

    def plan(self, review, items: list[tuple[str, list[tuple[str, str, date]]]]) -> list:
        """The action plan, written the day the report is published."""
        with at(review.published_on):
            return self._plan(review, items)

    def _plan(self, review, items: list[tuple[str, list[tuple[str, str, date]]]]) -> list:
        made = []
        for text, actions in items:
            rec = svc.add_recommendation(review, self.office, text=text)
            for title, org, due in actions:
                made.append(
                    svc.add_action(
                        review, rec, self.office, title=title, owner_organisation_id=self.org[org].id, due_date=due
                    )
                )
        return made

    def complete(self, action, on: date, what: str):
        with at(on):
            action_lifecycle.fire(
                action, "claim_complete", user=self.office, version=action.version, comment=what, as_of=on
            )
            action_lifecycle.fire(action, "accept_completion", user=self.office, version=action.version, as_of=on)
