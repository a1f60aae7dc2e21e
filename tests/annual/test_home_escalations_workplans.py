"""Home page items of the attendance and work plans features: letters for the chair to
approve, escalations waiting for the office, letters a partner's organisation received, and
the red and amber items in the plans a sub-group chair leads — each counted here from the
records."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from safeguarding.calendar import financial_year_start, today
from safeguarding.extensions import db
from safeguarding.models import (
    Escalation,
    EscalationState,
    Membership,
    MembershipRole,
    Rag,
    Role,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from tests.support.factories import UserFactory


def _queue(api_as, who) -> dict[str, dict]:
    r = api_as(who).get("/api/v1/me/queue")
    assert r.status_code == 200
    return {item["key"]: item for item in r.json["items"]}


def _escalations(*states) -> int:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Escalation).where(Escalation.state.in_(states))) or 0
    )


def test_the_chair_sees_letters_to_approve_and_the_office_what_waits(api_as, demo):
    drafted = _escalations(EscalationState.letter_drafted)
    assert drafted  # the demo's Healthwatch letter
    chair = _queue(api_as, "chair")
    assert chair["attendance.letters_to_sign"]["count"] == drafted
    assert chair["attendance.letters_to_sign"]["kind"] == "approval"
    assert "attendance.escalations" not in chair

    e = db.session.get(Escalation, demo.id("escalations", "drafted"))
    e.state = EscalationState.letter_approved
    db.session.flush()
    assert _queue(api_as, "chair").get("attendance.letters_to_sign", {}).get("count", 0) == drafted - 1
    office = _queue(api_as, "office")
    waiting = _escalations(EscalationState.detected, EscalationState.letter_approved, EscalationState.response_received)
    assert office["attendance.escalations"]["count"] == waiting >= 1

    # a letter sent whose reply date has passed waits for the office too
    e.state, e.sent_on, e.response_due_on = (
        EscalationState.sent,
        today() - timedelta(days=40),
        today() - timedelta(days=1),
    )
    db.session.flush()
    assert _queue(api_as, "office")["attendance.escalations"]["count"] == waiting


def test_a_partner_sees_letters_sent_to_their_own_organisation_only(api_as, demo):
    e = db.session.get(Escalation, demo.id("escalations", "drafted"))
    own = UserFactory(roles=[Role.partner_member], organisation_id=e.organisation_id)
    other = UserFactory(roles=[Role.partner_member], organisation_id=demo.org("police").id)
    assert e.organisation_id != demo.org("police").id
    assert "attendance.letters_received" not in _queue(api_as, own)  # a draft is not theirs to see yet

    e.state, e.sent_on, e.response_due_on = EscalationState.sent, today(), today() + timedelta(days=28)
    db.session.flush()
    assert _queue(api_as, own)["attendance.letters_received"]["count"] == 1
    assert "attendance.letters_received" not in _queue(api_as, other)


def test_a_subgroup_chair_sees_red_and_amber_items_of_the_plans_they_lead(api_as, demo):
    person = demo.user("sarchair").person_id
    on, year = today(), financial_year_start(today())
    chaired = sa.select(Membership.group_id).where(
        Membership.person_id == person,
        Membership.role.in_((MembershipRole.chair, MembershipRole.vice_chair)),
        Membership.start_date <= on,
        sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
    )
    rating = sa.func.coalesce(WorkPlanItem.rag_override, WorkPlanItem.rag)
    expected = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(WorkPlanItem)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(
            WorkPlan.group_id.in_(chaired),
            WorkPlan.financial_year == year,
            WorkPlan.state == WorkPlanState.approved,
            rating.in_((Rag.red.value, Rag.amber.value)),
        )
    )
    assert expected  # the demo's SAR sub-group plan has red and amber items
    assert _queue(api_as, "sarchair")["workplans.chaired_rag"]["count"] == expected

    # completing an amber item takes it off the count
    item = db.session.get(WorkPlanItem, demo.id("work_plan_items", "sar_2026_amber"))
    item.rag, item.rag_override = Rag.complete, None
    db.session.flush()
    assert _queue(api_as, "sarchair").get("workplans.chaired_rag", {}).get("count", 0) == expected - 1

    red = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(WorkPlanItem)
        .join(WorkPlan, WorkPlan.id == WorkPlanItem.work_plan_id)
        .where(WorkPlan.financial_year == year, WorkPlan.state == WorkPlanState.approved, rating == Rag.red.value)
    )
    assert _queue(api_as, "chair").get("workplans.red", {}).get("count", 0) == red
