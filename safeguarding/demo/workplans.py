"""Business plans (2020/21 and 2026/27) with five priorities, and the work plans of the SAR
sub-group, Quality and Performance, and Learning and Development for both years, with
items in every RAG state; the Policy and Procedures sub-group's 2026/27 plan is a draft.

The source papers name the Strategic Business Plan and the sub-groups' duty to derive
their work plans from it, but not its priorities: the five below are typical of a
Safeguarding Adults Board's plan.

The plans were approved at the Board's first meeting of each year, which the meetings
demo has already held and closed: their approval decisions are recorded here as part of
that meeting's history (an agenda item and a consensus decision), and the `approve`
transition then fires from the standing decision, as it does when a decision is recorded
in session. Progress updates that happened weeks ago are back-dated (the demo's history).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from safeguarding.calendar import financial_year_bounds, today
from safeguarding.demo import DemoContext, at, step
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    Meeting,
    WorkPlan,
)
from safeguarding.services import learning
from safeguarding.services import workplans as svc
from safeguarding.workflows.workplans import work_plan_lifecycle as lifecycle

PRIORITIES = [
    # title, arm, area, description, outcomes
    (
        "Prevention and early intervention",
        "both",
        "both",
        "Stop abuse and neglect before it happens, and act early when it does.",
        "More safeguarding concerns come from the community and voluntary sector\n"
        "Fewer repeat section 42 enquiries within 12 months",
    ),
    (
        "Making Safeguarding Personal",
        "adults",
        "both",
        "People are asked what outcomes they want and are involved in their enquiries.",
        "85% of people asked about their desired outcomes\n75% say their outcomes were fully or partly met",
    ),
    (
        "Learning from reviews",
        "both",
        "both",
        "Safeguarding Adults Reviews and practice reviews change practice across the partnership.",
        "Every published review has a seven-minute briefing within a month\n"
        "Every review action plan is monitored to completion",
    ),
    (
        "Quality assurance and performance",
        "both",
        "both",
        "The Board knows how well partners keep people safe, in the North and in the West.",
        "A quarterly multi-agency dashboard with figures for each area\nTwo multi-agency audits a year",
    ),
    (
        "Workforce development",
        "both",
        "both",
        "Staff and volunteers across the partnership have the skills to recognise and respond to abuse.",
        "A multi-agency training programme each year\nE-learning completed by 500 staff of providers and the VCS",
    ),
]

STRATEGIC = {
    2020: "Our first strategic plan as a partnership for the two unitary councils (2020 to 2023): people are "
    "safe in the North and in the West, and the partnership learns from every review.",
    2026: "The strategic plan 2026 to 2029: prevention first, people at the centre of every enquiry, and "
    "learning that changes practice.",
}

DAY = timedelta(days=1)


def _backdate(item, days_ago: int, on: date) -> None:
    """Make the item's last progress update `days_ago` days before `on` (demo history)."""
    when = datetime.combine(on - days_ago * DAY, datetime.min.time(), tzinfo=UTC).replace(hour=11)
    for u in svc.updates_of(item):
        u.created_at = when
    item.last_update_at = when
    item.created_at = min(item.created_at, when)


def _approve_at(plan: WorkPlan, meeting: Meeting, office) -> None:
    """The Board's consensus decision approving the plan at `meeting` (held), then the
    `approve` transition fired by it."""
    position = (
        db.session.scalar(sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0
    ) + 1
    title = f"Approval of the {plan.group.name} work plan {plan.financial_year}/{str(plan.financial_year + 1)[-2:]}"
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        title=title,
        kind=AgendaItemKind.business,
        subject_type=svc.WORK_PLAN,
        subject_id=plan.id,
        presenter=plan.group.short_name,
    )
    db.session.add(item)
    db.session.flush()
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        method=DecisionMethod.consensus,
        outcome=DecisionOutcome.agreed,
        text=f"The Board approves the {plan.group.name} work plan.",
        subject_type=svc.WORK_PLAN,
        subject_id=plan.id,
        quorate=True,
        recorded_by_id=office.id,
        recorded_at=datetime.combine(meeting.meeting_date, datetime.min.time(), tzinfo=UTC).replace(hour=12),
    )
    db.session.add(decision)
    db.session.flush()
    svc.board_decided(decision, meeting)


def _first_board_meeting(ctx: DemoContext, year: int) -> Meeting:
    return db.session.scalar(
        sa.select(Meeting)
        .where(Meeting.group_id == ctx.groups["board"].id, Meeting.meeting_date >= date(year, 4, 1), Meeting.is_held)
        .order_by(Meeting.meeting_date)
        .limit(1)
    )


class _Builder:
    def __init__(self, ctx: DemoContext, year: int) -> None:
        self.ctx, self.year = ctx, year
        self.office = ctx.users["office"]
        self.bp = svc.create_business_plan(self.office, financial_year=year, strategic_plan=STRATEGIC[year])
        self.priorities = [
            svc.add_priority(self.bp, self.office, title=t, arm=arm, area=area, description=d, outcomes=o)
            for t, arm, area, d, o in PRIORITIES
        ]

    def plan(self, group: str, items: list[tuple]) -> tuple[WorkPlan, dict]:
        plan = svc.create_work_plan(self.office, group_id=self.ctx.groups[group].id, financial_year=self.year)
        rows = {}
        for key, priority, title, org, person, due, measure in items:
            rows[key] = svc.add_item(
                plan,
                self.office,
                priority_id=self.priorities[priority - 1].id,
                title=title,
                lead_organisation_id=self.ctx.orgs[org].id,
                lead_person_id=self.ctx.people[person].id if person else None,
                due_date=due,
                success_measure=measure,
            )
        return plan, rows

    def submit_and_approve(self, plan: WorkPlan) -> None:
        meeting = _first_board_meeting(self.ctx, self.year)
        lifecycle.fire(plan, "submit", user=self.office, version=plan.version, as_of=meeting.meeting_date - 14 * DAY)
        # The submission put the plan on the next Board agenda (still to come); the
        # decision was in fact taken at the first meeting of the year.
        from safeguarding.models import AgendaRequest

        for request in db.session.scalars(
            sa.select(AgendaRequest).where(
                AgendaRequest.subject_type == svc.WORK_PLAN, AgendaRequest.subject_id == plan.id
            )
        ):
            request.closed_at = datetime.now(UTC)
        for stray in db.session.scalars(
            sa.select(AgendaItem).where(AgendaItem.subject_type == svc.WORK_PLAN, AgendaItem.subject_id == plan.id)
        ):
            db.session.delete(stray)
        db.session.flush()
        _approve_at(plan, meeting, self.office)


@step(80, "work plans")
def seed_workplans(ctx: DemoContext) -> None:
    office, chair = ctx.users["office"], ctx.users["sarchair"]
    on = today()
    plans: dict[str, WorkPlan] = {}
    items: dict[str, object] = {}

    # --- 2020/21: the year is over; completed, overdue, deferred, cancelled, overridden ----
    y20 = _Builder(ctx, 2020)
    sar, rows = y20.plan(
        "sar",
        [
            (
                "sar_2020_protocol",
                3,
                "Publish the SAR protocol for the two unitary councils",
                "north",
                "sar_chair",
                date(2020, 9, 30),
                "Protocol agreed by the Board and published",
            ),
            (
                "sar_2020_training",
                5,
                "SAR training for sub-group members",
                "icb",
                "sar_chair",
                date(2020, 12, 31),
                "Every member trained (budget line: SAR training £2,000)",
            ),
            (
                "sar_2020_briefings",
                3,
                "Seven-minute briefings for every published SAR",
                "north",
                "north_deputy",
                date(2021, 3, 31),
                "A briefing within a month of each publication",
            ),
            (
                "sar_2020_referral_form",
                1,
                "Review the SAR referral form with the voluntary sector",
                "vcs",
                "vcs_lead",
                date(2021, 1, 31),
                "Form revised and in use",
            ),
        ],
    )
    qp, rows_qp = y20.plan(
        "qp",
        [
            (
                "qp_2020_dashboard",
                4,
                "Agree the multi-agency performance dashboard",
                "west",
                "west_deputy",
                date(2020, 10, 31),
                "Dashboard presented to the Board each quarter",
            ),
            (
                "qp_2020_audit",
                4,
                "Multi-agency audit of self-neglect cases",
                "north",
                "north_deputy",
                date(2021, 2, 28),
                "Audit report with actions",
            ),
            (
                "qp_2020_s42",
                2,
                "Section 42 enquiry outcomes by area",
                "west",
                "west_deputy",
                date(2021, 3, 31),
                "Outcomes reported for North and West separately",
            ),
        ],
    )
    ld, rows_ld = y20.plan(
        "ld",
        [
            (
                "ld_2020_elearning",
                5,
                "E-learning for VCS and providers, and SAR learning",
                "acute",
                "acute_deputy",
                date(2021, 3, 31),
                "500 completions (budget line: £6,000)",
            ),
            (
                "ld_2020_conference",
                3,
                "Annual safeguarding conference",
                "acute",
                "acute_deputy",
                date(2021, 3, 1),
                "Conference held with 200 delegates (budget line: £4,000)",
            ),
            (
                "ld_2020_tna",
                5,
                "Multi-agency training needs analysis",
                "fire",
                "fire_lead",
                date(2021, 1, 31),
                "Analysis reported to the Board",
            ),
        ],
    )
    rows.update(rows_qp)
    rows.update(rows_ld)
    for p in (sar, qp, ld):
        y20.submit_and_approve(p)
    done = {
        "sar_2020_protocol": date(2020, 9, 15),
        "sar_2020_training": date(2020, 11, 20),
        "qp_2020_dashboard": date(2020, 10, 20),
        "ld_2020_elearning": date(2021, 3, 15),
    }
    for key, it in rows.items():
        p = {"sar": sar, "qp": qp, "ld": ld}[key.split("_")[0]]
        if key in done:
            svc.post_update(it, p, office, text="Completed and reported to the sub-group", percent=100)
            svc.change_status(it, p, office, version=it.version, status="completed", as_of=done[key])
        elif key == "qp_2020_audit":
            svc.change_status(
                it,
                p,
                office,
                version=it.version,
                status="deferred",
                reason="Case files could not be shared until the data sharing agreement was signed",
            )
        elif key in ("sar_2020_referral_form", "ld_2020_conference"):
            svc.change_status(
                it,
                p,
                office,
                version=it.version,
                status="cancelled",
                reason="COVID-19 restrictions"
                if key == "ld_2020_conference"
                else "Replaced by the national SAR referral form",
            )
        else:
            svc.post_update(it, p, office, text="Work under way; delayed by the pandemic", percent=60)
            _backdate(it, (on - date(2021, 2, 1)).days, on)
            svc.recalculate(it, on)
    qp_s42 = rows["qp_2020_s42"]
    svc.set_override(
        qp_s42,
        qp,
        office,
        version=qp_s42.version,
        rag="amber",
        justification="The data sharing agreement is signed; the first report by area is due next quarter",
    )
    plans.update({"sar_2020": sar, "qp_2020": qp, "ld_2020": ld})
    items.update(rows)

    # --- 2026/27: this year's plans, every RAG state live --------------------------------
    y26 = _Builder(ctx, 2026)
    sar26, rows26 = y26.plan(
        "sar",
        [
            (
                "sar_2026_green",
                3,
                "Thematic review of self-neglect SARs",
                "icb",
                "sar_chair",
                date(2027, 3, 31),
                "Themes reported to the Board with recommendations",
            ),
            (
                "sar_2026_amber",
                3,
                "Publish the SAR annual summary",
                "icb",
                "sar_chair",
                on + 17 * DAY,
                "Summary published on the partnership's website",
            ),
            (
                "sar_2026_red",
                3,
                "Refresh the SAR referral guidance",
                "north",
                "north_deputy",
                date(2026, 10, 30),
                "Guidance published and briefed to partners",
            ),
            (
                "sar_2026_complete",
                5,
                "Induction for new SAR panel members",
                "icb",
                "sar_chair",
                date(2026, 9, 30),
                "Every new member inducted",
            ),
            (
                "sar_2026_at_risk",
                3,
                "Learning event on transitions to adult services",
                "west",
                "west_deputy",
                date(2027, 2, 26),
                "Event held with children's and adults' practitioners",
            ),
        ],
    )
    qp26, rows_qp26 = y26.plan(
        "qp",
        [
            (
                "qp_2026_green",
                4,
                "Quarterly performance dashboard by area",
                "west",
                "west_deputy",
                date(2027, 3, 31),
                "Four dashboards presented",
            ),
            (
                "qp_2026_complete",
                4,
                "Audit of hospital discharge",
                "acute",
                "acute_lead",
                date(2026, 10, 31),
                "Audit summary circulated",
            ),
            (
                "qp_2026_red",
                2,
                "Domestic abuse referral data by area",
                "police",
                "police_deputy",
                date(2026, 11, 15),
                "North and West figures reported separately",
            ),
        ],
    )
    ld26, rows_ld26 = y26.plan(
        "ld",
        [
            (
                "ld_2026_green",
                5,
                "Multi-agency training programme 2026/27",
                "acute",
                "acute_deputy",
                date(2027, 3, 31),
                "Programme delivered; evaluations above 80% good",
            ),
            (
                "ld_2026_at_risk",
                3,
                "Evaluate the SAR learning briefings",
                "vcs",
                "vcs_lead",
                date(2027, 1, 29),
                "Evaluation reported to the SAR sub-group",
            ),
            (
                "ld_2026_amber",
                1,
                "Professional curiosity campaign",
                "fire",
                "fire_lead",
                on + 12 * DAY,
                "Campaign materials used by every partner",
            ),
        ],
    )
    rows26.update(rows_qp26)
    rows26.update(rows_ld26)
    # The audit programme: two multi-agency audits planned in Quality and Performance's
    # plan, one carried out in September by MAA 2026/01, one still to come.
    audits26 = {
        key: svc.add_item(
            qp26,
            office,
            priority_id=y26.priorities[priority - 1].id,
            title=title,
            lead_organisation_id=ctx.orgs[org].id,
            lead_person_id=ctx.people[person].id,
            due_date=due,
            success_measure=measure,
            is_audit=True,
        )
        for key, priority, title, org, person, due, measure in (
            (
                "qp_2026_audit_self_neglect",
                4,
                "Multi-agency audit of self-neglect cases",
                "north",
                "north_deputy",
                date(2026, 9, 30),
                "Ten cases audited; findings and actions to the Board",
            ),
            (
                "qp_2026_audit_transitions",
                3,
                "Multi-agency audit of transitions to adult services",
                "west",
                "west_deputy",
                date(2027, 2, 26),
                "Cases audited with children's and adults' services; findings to the Board",
            ),
        )
    }
    for p in (sar26, qp26, ld26):
        y26.submit_and_approve(p)
    audit = ctx.extra.get("learning_sources", {}).get("MAA 2026/01")
    # The audit's date follows the day the demo is loaded, the plans' years do not: linked
    # while it falls in the plan's year (it does for a load within a year of the story's).
    start, end = financial_year_bounds(2026)
    if audit is not None and start <= audit.audited_on <= end:
        with at(audit.audited_on):
            learning.link_audit(audit, audits26["qp_2026_audit_self_neglect"].id, office)
    items.update(audits26)
    owner = {"sar": sar26, "qp": qp26, "ld": ld26}
    for key, it in rows26.items():
        p = owner[key.split("_")[0]]
        if key.endswith("_complete"):
            svc.post_update(it, p, office, text="Done", percent=100)
            svc.change_status(it, p, office, version=it.version, status="completed", as_of=it.due_date - 5 * DAY)
        elif key.endswith("_at_risk"):
            svc.post_update(it, p, office, text="Planning started", percent=20)
            svc.flag_at_risk(
                it,
                p,
                office,
                version=it.version,
                at_risk=True,
                reason="The venue and the co-facilitator from children's services are not confirmed",
            )
        elif key.endswith("_amber"):
            svc.post_update(it, p, office, text="Draft started", percent=30, milestone="Outline agreed")
            _backdate(it, 75, on)
        elif key.endswith("_red"):
            svc.post_update(it, p, office, text="Waiting for partners' comments", percent=50)
            _backdate(it, 40, on)
        else:
            svc.post_update(it, p, chair if key.startswith("sar") else office, text="On track", percent=35)
            _backdate(it, 20, on)
        svc.recalculate(it, on)
    pp26, _ = y26.plan(
        "pp",
        [
            (
                "pp_2026_procedures",
                1,
                "Refresh the multi-agency safeguarding adults procedures",
                "police",
                "police_deputy",
                date(2027, 3, 31),
                "Procedures published",
            ),
        ],
    )
    plans.update({"sar_2026": sar26, "qp_2026": qp26, "ld_2026": ld26, "pp_2026_draft": pp26})
    items.update(rows26)

    # Terms of reference: Quality and Performance and Learning and Development have
    # recorded this year's review; the SAR sub-group, which has met, has not (flagged).
    for group, reviewed in (("qp", date(2026, 5, 12)), ("ld", date(2026, 5, 19))):
        svc.record_tor_review(
            office,
            group_id=ctx.groups[group].id,
            reviewed_on=reviewed,
            notes="Reviewed at the first meeting of the year; no changes",
        )
    db.session.flush()
    ctx.extra["business_plans"] = {"2020": y20.bp, "2026": y26.bp}
    ctx.extra["work_plans"] = plans
    ctx.extra["work_plan_items"] = items
