"""The strategic plan (Care Act 2014 Schedule 2 para 3; issue 17): recorded by the office
with objectives, what each member organisation will do and the consultations of Local
Healthwatch and the community; agreed by a standing Board decision; published as a PDF
(kept as published); linked to the business plan priorities and through them to the work
plans; the annual report's sections (b) and (c) report against it."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    BusinessPlan,
    Decision,
    DecisionOutcome,
    ItemStatus,
    Meeting,
    Priority,
    StrategicPlan,
    StrategicPlanState,
    WorkPlanItem,
)
from safeguarding.services import annual, strategic
from safeguarding.services import meetings as meetings_svc
from safeguarding.services import workplans as workplans_svc
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from tests.support.annual import board_meeting
from tests.support.meetings import close

YEAR = 2030  # a year of its own: no demo plan


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def plan(demo) -> StrategicPlan:
    office = demo.user("office")
    p = strategic.create_plan(office, financial_year=YEAR, title="Safe at home", vision="Everyone safe at home.")
    o = strategic.add_objective(p, office, title="Prevention first", description="Stop it before it starts.")
    strategic.save_commitment(
        p, office, objective_id=o.id, organisation_id=demo.org("police").id, text="Train every team."
    )
    return p


def _consult(p, demo, kinds=("healthwatch", "community")):
    for kind in kinds:
        strategic.add_consultation(
            p,
            demo.user("office"),
            kind=kind,
            consulted_on=today() - timedelta(days=10),
            consulted=f"The {kind}",
            response=f"What the {kind} said",
            changes=f"What changed after the {kind}",
        )


def _agree(p, demo, outcome_agreed=True, on=None):
    """The Board decides on the plan at a quorate meeting of its own."""
    meeting = board_meeting(demo, on)
    item = meetings_svc.add_agenda_item(
        meeting, title="Strategic plan: for agreement", subject_type=strategic.SUBJECT, subject_id=p.id
    )
    office = demo.user("office")
    if outcome_agreed:
        decision = meetings_svc.record_decision(item, user=office, method="consensus", text="Agreed.")
    else:
        voters = meetings_svc.voting_eligibility(meeting, item).voters
        decision = meetings_svc.record_decision(
            item,
            user=office,
            method="vote",
            text="Agreed.",
            votes=[{"organisation_id": org, "vote": "against"} for org in voters],
        )
    close(meeting, demo)
    return decision


# --- recording ---------------------------------------------------------------------------------


def test_the_office_records_a_plan_and_bad_input_is_refused(demo):
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        strategic.create_plan(office, financial_year=None, title="  ")
    assert set(exc.value.errors) == {"financial_year", "title"}
    strategic.create_plan(office, financial_year=YEAR, title="A plan")
    with pytest.raises(ValidationFailed) as exc:
        strategic.create_plan(office, financial_year=YEAR, title="Another")
    assert exc.value.errors["financial_year"] == "There is already a strategic plan for 2030/31"
    with pytest.raises(Forbidden):
        strategic.create_plan(demo.user("chair"), financial_year=YEAR + 1, title="A plan")


def test_a_stale_version_is_refused(plan, demo):
    with pytest.raises(StaleVersion):
        strategic.update_plan(plan, demo.user("office"), version=plan.version - 1, title="New")
    strategic.update_plan(plan, demo.user("office"), version=plan.version, title="New")
    assert plan.title == "New"


def test_commitments_are_per_objective_per_organisation(plan, demo):
    office = demo.user("office")
    (o,) = strategic.objectives_of(plan)
    strategic.save_commitment(plan, office, objective_id=o.id, organisation_id=demo.org("police").id, text="Again.")
    strategic.save_commitment(plan, office, objective_id=o.id, organisation_id=demo.org("icb").id, text="Audit.")
    rows = strategic.commitments_of(plan)[o.id]
    assert sorted((c.organisation_id, c.text) for c in rows) == sorted(
        [(demo.org("police").id, "Again."), (demo.org("icb").id, "Audit.")]
    )
    with pytest.raises(ValidationFailed) as exc:
        strategic.save_commitment(plan, office, objective_id=999999, organisation_id=None, text="")
    assert set(exc.value.errors) == {"objective_id", "organisation_id", "text"}


def test_a_consultation_needs_its_facts_and_a_date_not_in_the_future(plan, demo):
    with pytest.raises(ValidationFailed) as exc:
        strategic.add_consultation(
            plan,
            demo.user("office"),
            kind="council",
            consulted_on=today() + timedelta(days=1),
            consulted="",
            response="",
        )
    assert set(exc.value.errors) == {"kind", "consulted_on", "consulted", "response"}
    assert "today or in the past" in exc.value.errors["consulted_on"]


def test_priorities_link_only_from_the_same_years_business_plan(plan, demo):
    office = demo.user("office")
    other_year = db.session.scalar(sa.select(Priority.id).limit(1))
    with pytest.raises(ValidationFailed) as exc:
        strategic.add_objective(plan, office, title="Two", priority_ids=[other_year])
    assert "2030/31 business plan" in exc.value.errors["priority_ids"]
    bp = workplans_svc.create_business_plan(office, financial_year=YEAR, strategic_plan="See the strategic plan")
    pr = workplans_svc.add_priority(bp, office, title="Prevention", arm="both", area="both", outcomes="Fewer repeats")
    o = strategic.add_objective(plan, office, title="Two", priority_ids=[pr.id])
    assert strategic.priorities_by_objective(plan)[o.id] == [pr]


# --- agreement and publication -------------------------------------------------------------------


def test_it_goes_before_the_board_only_with_objectives_and_both_consultations(plan, demo):
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as exc:
        strategic.put_before_board(plan, office)
    assert exc.value.reasons == [
        "Record the consultation of Local Healthwatch",
        "Record how the community was involved",
    ]
    _consult(plan, demo)
    meeting = strategic.put_before_board(plan, office)
    assert meeting is not None and meeting.group_id == demo.group("board").id
    items = db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.subject_type == "strategic_plan", AgendaItem.subject_id == plan.id)
    ).all()
    assert [i.meeting_id for i in items] == [meeting.id]
    strategic.put_before_board(plan, office)  # once only
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                AgendaItem.subject_type == "strategic_plan", AgendaItem.subject_id == plan.id
            )
        )
        == 1
    )


def test_publication_waits_for_the_boards_decision(plan, demo):
    office = demo.user("office")
    _consult(plan, demo)
    with pytest.raises(Conflict) as exc:
        strategic.publish(plan, office, version=plan.version)
    assert "The Board has not agreed the plan yet" in exc.value.message
    _agree(plan, demo, outcome_agreed=False, on=today() - timedelta(days=1))  # a vote not carried agrees nothing
    assert plan.state == StrategicPlanState.draft and plan.board_decision_id is None
    decision = _agree(plan, demo)
    meeting = db.session.get(Meeting, decision.meeting_id)
    assert (plan.state, plan.board_decision_id, plan.agreed_on) == (
        StrategicPlanState.agreed,
        decision.id,
        meeting.meeting_date,
    )
    with pytest.raises(Conflict):  # the agreed plan no longer changes
        strategic.update_plan(plan, office, version=plan.version, title="Changed")
    with pytest.raises(Forbidden):
        strategic.publish(plan, demo.user("chair"), version=plan.version)
    with pytest.raises(StaleVersion):
        strategic.publish(plan, office, version=plan.version - 1)
    strategic.publish(plan, office, version=plan.version)
    assert plan.state == StrategicPlanState.published and plan.published_on == today()
    text = _pdf_text(plan.published_pdf)
    assert "Prevention first" in text and "Train every team." in text and "What the healthwatch said" in text
    assert "The Board agreed this plan at its meeting on" in text
    with pytest.raises(Conflict):
        strategic.publish(plan, office, version=plan.version)
    with pytest.raises(Conflict):  # consultations of a published plan are closed
        _consult(plan, demo, ("other",))


def test_a_decision_at_another_groups_meeting_does_not_agree_it(plan, demo):
    sar_meeting = db.session.get(Meeting, demo.id("meetings", "sar_upcoming"))
    decision = Decision(
        subject_type=strategic.SUBJECT, subject_id=plan.id, outcome=DecisionOutcome.agreed, quorate=True
    )
    strategic.board_decided(decision, sar_meeting)
    assert plan.state == StrategicPlanState.draft and plan.board_decision_id is None


# --- who reads what --------------------------------------------------------------------------------


def test_drafts_are_for_the_office_and_the_chair_published_plans_for_everyone(plan, demo):
    published = db.session.get(StrategicPlan, demo.id("strategic_plans", "2026"))
    for who in ("police", "viewer", "sarchair"):
        user = demo.user(who)
        assert [p.id for p in strategic.list_plans(user)] == [published.id]
        with pytest.raises(NotFound):
            strategic.get_plan(plan.id, user)
    assert plan.id in [p.id for p in strategic.list_plans(demo.user("chair"))]


# --- the annual report reports against it ---------------------------------------------------------


def test_the_annual_report_section_reports_each_objective_and_member_from_the_work_plans(demo):
    data = annual.data_sections()
    spec = next(s for s in data if s.key == "strategy")
    section = spec.fn(2026, arm=None, area=None)
    figures = {f.key: f.value for f in section.figures}
    plan = db.session.get(StrategicPlan, demo.id("strategic_plans", "2026"))
    progress, organisations = strategic.progress_of(plan)
    assert figures["objectives"] == 3
    assert figures["items"] == sum(o.tally.items for o in progress) > 0
    assert figures["completed"] == sum(o.tally.completed for o in progress)
    by_objective, by_member = section.tables
    assert [r[0] for r in by_objective.rows] == [
        "1. Prevention first",
        "2. People at the centre of every enquiry",
        "3. Learning that changes practice",
    ]
    assert by_objective.rows[0][1].startswith("1. Prevention and early intervention")
    assert "Healthwatch County" in [r[0] for r in by_member.rows]
    # A year without an agreed plan says so.
    assert "no agreed strategic plan" in spec.fn(2031, arm=None, area=None).summary


def test_completing_a_work_plan_item_moves_the_objective(demo):
    plan = db.session.get(StrategicPlan, demo.id("strategic_plans", "2026"))
    before = {o.objective.number: o.tally.completed for o in strategic.progress_of(plan)[0]}
    bp = db.session.scalar(sa.select(BusinessPlan).where(BusinessPlan.financial_year == 2026))
    (learning,) = [p for p in workplans_svc.priorities_of(bp.id) if p.number == 3]
    item = db.session.scalar(
        sa.select(WorkPlanItem)
        .where(WorkPlanItem.priority_id == learning.id, WorkPlanItem.status != ItemStatus.completed)
        .where(WorkPlanItem.status != ItemStatus.cancelled)
        .limit(1)
    )
    item.status = ItemStatus.completed
    item.completed_on = date(2026, 11, 30)
    db.session.flush()
    after = {o.objective.number: o.tally.completed for o in strategic.progress_of(plan)[0]}
    assert after[3] == before[3] + 1 and after[1] == before[1]
