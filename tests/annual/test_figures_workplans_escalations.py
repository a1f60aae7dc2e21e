"""The annual report's work plan and attendance escalation sections, against records made
in 2010/11 (a year of their own) and counted here."""

from __future__ import annotations

from datetime import date

from safeguarding.extensions import db
from safeguarding.models import (
    BusinessPlan,
    Escalation,
    EscalationState,
    EscalationTrigger,
    GroupKind,
    ItemStatus,
    Priority,
    Rag,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from safeguarding.services import annual
from tests.annual.factories import GroupFactory, MeetingFactory, OrganisationFactory

YEAR = 2010


def _f(report, key, figure):
    return annual.figure(annual.section_by_key(report, key), figure)


def test_work_plan_achievements_count_completed_carried_and_rated_items(demo):
    first, second = GroupFactory(kind=GroupKind.subgroup), GroupFactory(kind=GroupKind.subgroup)
    bp = BusinessPlan(financial_year=YEAR)
    db.session.add(bp)
    db.session.flush()
    priority = Priority(business_plan_id=bp.id, number=1, title="Making safeguarding personal")
    db.session.add(priority)
    db.session.flush()
    plans = {g.id: WorkPlan(group_id=g.id, financial_year=YEAR, state=WorkPlanState.closed) for g in (first, second)}
    db.session.add_all(plans.values())
    next_year = WorkPlan(group_id=first.id, financial_year=YEAR + 1)
    third = GroupFactory(kind=GroupKind.subgroup)
    draft = WorkPlan(group_id=third.id, financial_year=YEAR, state=WorkPlanState.draft)  # not the Board's: not counted
    db.session.add_all([next_year, draft])
    db.session.flush()

    def item(group, rag, status=ItemStatus.in_progress, override=None, plan=None):
        row = WorkPlanItem(
            work_plan_id=(plan or plans[group.id]).id,
            priority_id=priority.id,
            title="Item",
            due_date=date(2011, 3, 1),
            status=status,
            rag=rag,
            rag_override=override,
        )
        db.session.add(row)
        db.session.flush()
        return row

    item(first, Rag.complete, ItemStatus.completed)
    item(first, Rag.complete, ItemStatus.completed)
    carried = item(first, Rag.red)
    carried.carried_to_item_id = item(first, Rag.green, plan=next_year).id  # next year's: not counted
    item(first, Rag.green, override=Rag.amber)  # the override is what counts
    item(second, Rag.amber)
    item(second, Rag.complete, ItemStatus.completed)
    item(third, Rag.complete, ItemStatus.completed, plan=draft)
    item(third, Rag.red, plan=draft)
    db.session.flush()

    report = annual.start_report(YEAR, demo.user("office"))
    assert _f(report, "workplans", "plans") == 2
    assert _f(report, "workplans", "items") == 6
    assert _f(report, "workplans", "completed") == 3
    assert _f(report, "workplans", "completed_percent") == 50
    assert _f(report, "workplans", "carried_forward") == 1
    assert _f(report, "workplans", "red") == 1
    assert _f(report, "workplans", "amber") == 2
    assert _f(report, "workplans", "green") == 0
    section = annual.section_by_key(report, "workplans")
    assert "3 completed (50%)" in section.summary


def test_escalation_section_counts_the_years_escalations_by_stage_and_organisation(demo):
    board = GroupFactory(kind=GroupKind.subgroup)
    org_a, org_b = OrganisationFactory(), OrganisationFactory()
    meeting = MeetingFactory(group=board, meeting_date=date(2010, 5, 4))

    e1 = Escalation(
        organisation_id=org_a.id,
        group_id=board.id,
        episode_start_meeting_id=meeting.id,
        detected_on=date(2010, 6, 1),
        trigger_reason=list(EscalationTrigger)[0],
        state=EscalationState.resolved,
        sent_on=date(2010, 6, 10),
    )
    other = MeetingFactory(group=board, meeting_date=date(2010, 9, 7))
    e2 = Escalation(
        organisation_id=org_a.id,
        group_id=board.id,
        episode_start_meeting_id=other.id,
        detected_on=date(2010, 10, 1),
        trigger_reason=list(EscalationTrigger)[0],
        state=EscalationState.escalated_to_board,
        sent_on=date(2010, 10, 5),
    )
    e3 = Escalation(
        organisation_id=org_b.id,
        group_id=board.id,
        episode_start_meeting_id=other.id,
        detected_on=date(2011, 1, 10),
        trigger_reason=list(EscalationTrigger)[0],
        state=EscalationState.letter_drafted,
    )
    e4 = Escalation(
        organisation_id=org_b.id,
        group_id=board.id,
        episode_start_meeting_id=meeting.id,
        detected_on=date(2011, 4, 2),
        trigger_reason=list(EscalationTrigger)[0],
        state=EscalationState.detected,
    )  # the next year: not counted
    db.session.add_all([e1, e2, e3, e4])
    db.session.flush()

    report = annual.start_report(YEAR, demo.user("office"))
    assert _f(report, "escalations", "escalations") == 3
    assert _f(report, "escalations", "letters_sent") == 2
    assert _f(report, "escalations", "resolved") == 1
    assert _f(report, "escalations", "escalated_to_board") == 1
    assert _f(report, "escalations", "withdrawn") == 0
    summary = annual.section_by_key(report, "escalations").summary
    assert "3 escalations involving 2 organisations" in summary
    assert "wrote to 2 chief executives" in summary
