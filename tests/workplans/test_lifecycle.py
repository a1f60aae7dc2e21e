"""The work plan's lifecycle: submission puts it on the Board agenda; only a standing
Board decision approves it; return needs a comment; closing needs every incomplete item
carried forward or closed; progress updates and status changes only on approved plans."""

from __future__ import annotations

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    ItemStatus,
    Meeting,
    Rag,
    WorkPlanState,
)
from safeguarding.services import meetings
from safeguarding.services import workplans as svc
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.workflows.workplans import work_plan_lifecycle as lifecycle
from tests.reviews.helpers import board_meeting
from tests.workplans.helpers import business_plan, plan


def _reasons(exc) -> list[str]:
    return exc.value.reasons


def test_submitting_needs_items_and_puts_the_plan_on_the_board_agenda(demo):
    empty = plan(demo, items=0)
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(empty, "submit", user=demo.user("office"), version=empty.version)
    assert _reasons(exc) == ["Add at least one item to the work plan first"]
    p = plan(demo, state="submitted")
    assert p.state == WorkPlanState.submitted and p.submitted_on is not None
    item = db.session.scalar(
        db.select(AgendaItem).where(AgendaItem.subject_type == "work_plan", AgendaItem.subject_id == p.id)
    )
    assert item is not None and "work plan" in item.title


def test_approve_is_refused_without_a_board_decision(demo):
    p = plan(demo, state="submitted")
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(p, "approve", user=demo.user("office"), version=p.version)
    assert "The Board has not approved this work plan" in _reasons(exc)[0]
    assert p.state == WorkPlanState.submitted


def test_a_sub_group_chair_cannot_approve(demo):
    p = plan(demo, state="submitted")
    with pytest.raises(Forbidden):
        lifecycle.fire(p, "approve", user=demo.user("sarchair"), version=p.version)


def test_an_inquorate_meetings_decision_does_not_approve(demo):
    p = plan(demo, state="submitted")
    inquorate = db.session.get(Meeting, demo.id("meetings", "board_inquorate"))
    agenda_item = meetings.agenda_of(inquorate)[0]
    db.session.add(
        Decision(
            meeting_id=inquorate.id,
            agenda_item_id=agenda_item.id,
            method=DecisionMethod.consensus,
            outcome=DecisionOutcome.agreed,
            text="Approved",
            subject_type="work_plan",
            subject_id=p.id,
            quorate=False,
        )
    )
    db.session.flush()
    with pytest.raises(ValidationFailed):
        lifecycle.fire(p, "approve", user=demo.user("office"), version=p.version)


def test_the_boards_decision_approves_the_plan(demo):
    p = plan(demo, state="submitted")
    meeting = board_meeting(demo)
    item = meetings.add_agenda_item(meeting, title="Work plan", subject_type="work_plan", subject_id=p.id)
    decision = meetings.record_decision(
        item, user=demo.user("office"), method="consensus", text="The Board approves the work plan."
    )
    assert p.state == WorkPlanState.approved
    assert (p.approved_decision_id, p.approved_on) == (decision.id, meeting.meeting_date)
    assert lifecycle.history(p.id)[-1].trigger == "approve"


def test_a_vote_not_carried_leaves_the_plan_submitted(demo):
    from tests.support.meetings import votes

    p = plan(demo, state="submitted")
    meeting = board_meeting(demo)
    item = meetings.add_agenda_item(meeting, title="Work plan", subject_type="work_plan", subject_id=p.id)
    meetings.record_decision(
        item,
        user=demo.user("office"),
        method="vote",
        text="Not approved",
        votes=votes(demo, north="against", west="against", police="for"),
    )
    assert p.state == WorkPlanState.submitted


def test_return_for_changes_needs_a_comment(demo):
    p = plan(demo, state="submitted")
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(p, "return_for_changes", user=demo.user("chair"), version=p.version)
    assert exc.value.errors == {"comment": "Enter what needs to change"}
    lifecycle.fire(
        p, "return_for_changes", user=demo.user("chair"), version=p.version, comment="Add a measure for priority 2"
    )
    assert p.state == WorkPlanState.draft


def test_only_the_office_and_the_sub_groups_chair_draft_and_submit(demo):
    bp = business_plan(demo)
    with pytest.raises(Forbidden):
        svc.create_work_plan(demo.user("sarchair"), group_id=demo.group("qp").id, financial_year=bp.financial_year)
    p = svc.create_work_plan(demo.user("sarchair"), group_id=demo.group("sar").id, financial_year=bp.financial_year)
    with pytest.raises(ValidationFailed) as exc:
        svc.create_work_plan(demo.user("office"), group_id=demo.group("sar").id, financial_year=bp.financial_year)
    assert "already has a work plan" in exc.value.errors["financial_year"]
    assert not lifecycle.may_fire(p, demo.user("police"), "submit")
    assert lifecycle.may_fire(p, demo.user("sarchair"), "submit")


# --- progress updates and status ------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_only_approved_plans_take_updates(demo, state):
    p = plan(demo, state=state)
    it = svc.items_of(p)[0]
    with pytest.raises(Conflict) as exc:
        svc.post_update(it, p, demo.user("office"), text="Started")
    assert "Only an approved work plan takes progress updates" in exc.value.message
    with pytest.raises(Conflict):
        svc.change_status(it, p, demo.user("office"), version=it.version, status="completed")


def test_leads_the_chair_and_the_office_post_updates_and_the_rag_is_recalculated(demo):
    p = plan(demo, state="approved", due=date(2020, 1, 1))
    it = svc.items_of(p)[0]
    svc.recalculate(it)
    assert it.rag == Rag.red
    for who in ("police", "sarchair", "office"):  # the lead (police lead), the SAR chair, the office
        svc.post_update(it, p, demo.user(who), text=f"Progress from {who}", percent=40)
    assert it.status == ItemStatus.in_progress and it.last_update_at is not None
    with pytest.raises(Forbidden):
        svc.post_update(it, p, demo.user("west"), text="Not mine")
    with pytest.raises(ValidationFailed) as exc:
        svc.post_update(it, p, demo.user("office"), text="", percent=120)
    assert set(exc.value.errors) == {"text", "percent"}
    svc.change_status(it, p, demo.user("police"), version=it.version, status="completed")
    assert (it.rag, it.completed_on is not None) == (Rag.complete, True)
    assert len(svc.updates_of(it)) == 3


def test_an_update_with_evidence(demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    pdf = FileStorage(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), filename="evidence.pdf")
    u = svc.post_update(it, p, demo.user("office"), text="Audit done", milestone="Audit", evidence=pdf)
    assert u.evidence is not None and u.evidence.purpose == "work_plan_evidence"
    bad = FileStorage(io.BytesIO(b"hello"), filename="evidence.pdf")
    with pytest.raises(ValidationFailed) as exc:
        svc.post_update(it, p, demo.user("office"), text="Audit done", evidence=bad)
    assert "evidence" in exc.value.errors


@pytest.mark.parametrize("status", ["deferred", "cancelled"])
def test_deferral_and_cancellation_need_a_reason(demo, status):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    with pytest.raises(ValidationFailed) as exc:
        svc.change_status(it, p, demo.user("office"), version=it.version, status=status, reason=" ")
    assert exc.value.errors == {"reason": f"Enter why the item is {status}"}
    svc.change_status(it, p, demo.user("office"), version=it.version, status=status, reason="Funding moved")
    assert (it.status.value, it.status_reason, it.rag) == (status, "Funding moved", Rag.not_rated)


def test_at_risk_flag_needs_a_reason_and_makes_the_item_amber(demo):
    p = plan(demo, state="approved")
    it = svc.items_of(p)[0]
    with pytest.raises(ValidationFailed):
        svc.flag_at_risk(it, p, demo.user("police"), version=it.version, at_risk=True, reason="")
    svc.flag_at_risk(it, p, demo.user("police"), version=it.version, at_risk=True, reason="Trainer left")
    assert it.rag == Rag.amber
    assert svc.rag_reason(it, date(2027, 1, 1)) == "Flagged at risk by the lead: Trainer left"


# --- year end -------------------------------------------------------------------------------


def test_close_is_refused_until_every_incomplete_item_is_carried_or_closed(demo):
    p = plan(demo, state="approved", items=3)
    business_plan(demo, p.financial_year + 1)
    a, b, c = svc.items_of(p)
    office = demo.user("office")
    svc.change_status(a, p, office, version=a.version, status="completed")
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.fire(p, "close", user=office, version=p.version)
    assert _reasons(exc) == [
        "2 incomplete items must be carried forward into next year's plan or closed with a reason first"
    ]
    with pytest.raises(ValidationFailed):
        svc.close_item(b, p, office, version=b.version, reason="")
    svc.close_item(b, p, office, version=b.version, reason="No longer needed after the restructure")
    with pytest.raises(ValidationFailed):
        lifecycle.fire(p, "close", user=office, version=p.version)
    copy = svc.carry_forward(c, p, office, version=c.version)
    nxt = svc.plan_for(p.group_id, p.financial_year + 1)
    assert nxt is not None and nxt.state == WorkPlanState.draft and copy.work_plan_id == nxt.id
    assert (c.carried_to_item_id, copy.carried_from_item_id) == (copy.id, c.id)
    with pytest.raises(Conflict):
        svc.carry_forward(c, p, office, version=c.version)
    lifecycle.fire(p, "close", user=office, version=p.version)
    assert p.state == WorkPlanState.closed
    with pytest.raises(Conflict):
        svc.post_update(copy, nxt, office, text="Draft plan")


def test_carrying_forward_needs_next_years_business_plan(demo):
    p = plan(demo, state="approved", year=2090)
    it = svc.items_of(p)[0]
    with pytest.raises(ValidationFailed) as exc:
        svc.carry_forward(it, p, demo.user("office"), version=it.version)
    assert "Record the 2091/92 business plan first" in exc.value.reasons[0]


def test_the_office_records_the_approval_when_a_standing_decision_exists(demo):
    """The guard passes with a standing decision (here recorded before the plan was
    resubmitted, so the decision's hook found it a draft)."""
    p = plan(demo, state="submitted")
    lifecycle.fire(p, "return_for_changes", user=demo.user("office"), version=p.version, comment="Typo")
    meeting = board_meeting(demo)
    item = meetings.add_agenda_item(meeting, title="Work plan", subject_type="work_plan", subject_id=p.id)
    decision = meetings.record_decision(item, user=demo.user("office"), method="consensus", text="Approved")
    assert p.state == WorkPlanState.draft
    lifecycle.fire(p, "submit", user=demo.user("office"), version=p.version)
    lifecycle.fire(p, "approve", user=demo.user("office"), version=p.version)
    assert p.state == WorkPlanState.approved and p.approved_decision_id == decision.id


def test_the_highlight_report_of_the_boards_first_meeting_lists_every_sub_groups_review(demo):
    april = db.session.scalar(
        db.select(Meeting)
        .where(Meeting.group_id == demo.group("board").id, Meeting.meeting_date >= date(2026, 4, 1))
        .order_by(Meeting.meeting_date)
        .limit(1)
    )
    h = svc.highlight(demo.group("qp"), april)
    assert h.first_of_year
    headings = [s.heading for s in svc.highlight_report(h).sections]
    assert "Terms of reference reviews of every sub-group" in headings
    later = db.session.get(Meeting, demo.id("meetings", "board_2026_10"))
    assert not svc.highlight(demo.group("qp"), later).first_of_year
