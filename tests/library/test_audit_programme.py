"""The audit programme (issue 20: "the audit programme for the year as part of the
sub-group's work plan"): multi-agency audits planned as items of a sub-group's work plan,
each completed when the office records the audit that carries it out — on the audit's
date, through the work plan's own status change. Linking is refused for an item that is
not a planned audit, is already carried out, is of a plan not approved, for another group
or outside the plan's year; refusals change nothing; the link, once made, stays."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ItemStatus, MultiAgencyAudit, Rag, WorkPlanItem

AUDIT = {
    "reference": "MAA 2026/02",
    "topic": "Transitions to adult services",
    "arm": "both",
    "area": "both",
    "audited_on": "2026-11-20",
    "cases_audited": 8,
    "grades": {"good": 5, "requires_improvement": 3},
}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MultiAgencyAudit))


def _item(demo, key: str) -> WorkPlanItem:
    return db.session.get(WorkPlanItem, demo.id("work_plan_items", key))


def test_the_demo_programme_shows_a_planned_audit_carried_out_and_one_to_come(client_as, demo):
    done, to_come = _item(demo, "qp_2026_audit_self_neglect"), _item(demo, "qp_2026_audit_transitions")
    audit = db.session.scalar(sa.select(MultiAgencyAudit).where(MultiAgencyAudit.reference == "MAA 2026/01"))
    assert audit.work_plan_item_id == done.id
    assert done.status == ItemStatus.completed and done.completed_on == audit.audited_on
    assert done.rating == Rag.complete and to_come.status == ItemStatus.not_started
    page = client_as("office").get(f"/workplans/{demo.id('work_plans', 'qp_2026')}")
    assert page.status_code == 200
    programme = page.text[page.text.index('id="audits"') :]
    assert "Multi-agency audit of self-neglect cases" in programme and "MAA 2026/01" in programme
    assert "Multi-agency audit of transitions to adult services" in programme
    assert f"/audits/new?item={to_come.id}" in programme  # the office records it from here
    assert "Planned audit" in page.text  # the items table marks both
    # The chair reads the programme but records nothing.
    chair = client_as("chair").get(f"/workplans/{demo.id('work_plans', 'qp_2026')}")
    assert "MAA 2026/01" in chair.text and "/audits/new" not in chair.text
    item_page = client_as("office").get(f"/workplans/items/{done.id}")
    assert "carried out by audit" in item_page.text and "MAA 2026/01" in item_page.text


def test_the_audits_page_lists_what_is_still_planned_and_the_form_starts_from_it(client_as, demo):
    to_come = _item(demo, "qp_2026_audit_transitions")
    page = client_as("office").get("/audits")
    planned = page.text[page.text.index('id="planned"') :]
    assert "Multi-agency audit of transitions to adult services" in planned
    assert "Multi-agency audit of self-neglect cases" not in planned.split("Audits recorded")[0]
    form = client_as("office").get(f"/audits/new?item={to_come.id}")
    assert form.status_code == 200
    assert 'value="Multi-agency audit of transitions to adult services"' in form.text
    assert f'<option value="{to_come.id}" selected' in form.text


def test_recording_the_audit_on_the_page_completes_the_planned_item_on_its_date(client_as, demo):
    to_come = _item(demo, "qp_2026_audit_transitions")
    before = _count()
    ok = client_as("office").post(
        "/audits/new",
        data={
            "reference": "MAA 2026/02",
            "topic": "Transitions to adult services",
            "arm": "both",
            "area": "both",
            "audited_on": ["20", "11", "2026"],
            "cases_audited": "8",
            "work_plan_item_id": str(to_come.id),
        },
    )
    assert ok.status_code == 302 and _count() == before + 1
    row = db.session.scalar(sa.select(MultiAgencyAudit).where(MultiAgencyAudit.reference == "MAA 2026/02"))
    db.session.refresh(to_come)
    assert row.work_plan_item_id == to_come.id and row.group_id == demo.group("qp").id  # the plan's group
    assert to_come.status == ItemStatus.completed and to_come.completed_on == date(2026, 11, 20)
    assert (
        "Multi-agency audit of transitions" not in client_as("office").get("/audits").text.split("Audits recorded")[0]
    )
    # Once linked the link stays: the edit form no longer offers it.
    edit = client_as("office").get(f"/audits/{row.id}/edit")
    assert edit.status_code == 200 and 'name="work_plan_item_id"' not in edit.text


def test_linking_is_refused_where_the_rules_say_and_nothing_changes(api_as, demo):
    c = api_as("office")
    done, to_come = _item(demo, "qp_2026_audit_self_neglect"), _item(demo, "qp_2026_audit_transitions")
    not_audit = demo.id("work_plan_items", "qp_2026_green")
    draft_item = db.session.scalar(
        sa.select(WorkPlanItem.id).where(WorkPlanItem.work_plan_id == demo.id("work_plans", "pp_2026_draft"))
    )
    before = _count()
    cases = [
        ({"work_plan_item_id": not_audit}, "work_plan_item_id", "Select a planned audit from the list"),
        ({"work_plan_item_id": 999_999}, "work_plan_item_id", "Select a planned audit from the list"),
        ({"work_plan_item_id": done.id}, "work_plan_item_id", "MAA 2026/01 already carries out"),
        ({"work_plan_item_id": to_come.id, "audited_on": "2027-04-01"}, "audited_on", "2026/27 work plan"),
        (
            {"work_plan_item_id": to_come.id, "group_id": demo.group("ld").id},
            "group_id",
            "select that group",
        ),
    ]
    for change, field, message in cases:
        r = c.post("/api/v1/audits", json={**AUDIT, **change})
        assert r.status_code == 422, (change, r.json)
        assert message in str(r.json), (change, r.json)
        assert field in str(r.json)
    item = db.session.get(WorkPlanItem, draft_item)
    item.is_audit = True
    db.session.flush()
    r = c.post("/api/v1/audits", json={**AUDIT, "work_plan_item_id": draft_item})
    assert r.status_code == 422 and "once the Board has approved the plan" in str(r.json)
    assert _count() == before
    db.session.refresh(to_come)
    assert to_come.status == ItemStatus.not_started
    # Not the chair's to record.
    assert api_as("chair").post("/api/v1/audits", json={**AUDIT, "work_plan_item_id": to_come.id}).status_code == 403
    ok = c.post("/api/v1/audits", json={**AUDIT, "work_plan_item_id": to_come.id})
    assert ok.status_code == 201 and ok.json["work_plan_item_id"] == to_come.id
    assert ok.json["group_id"] == demo.group("qp").id


def test_a_linked_audit_keeps_its_link_and_a_cancelled_item_cannot_be_linked(app, demo):
    from safeguarding.services import learning

    office = demo.user("office")
    audit = db.session.scalar(sa.select(MultiAgencyAudit).where(MultiAgencyAudit.reference == "MAA 2026/01"))
    other = _item(demo, "qp_2026_audit_transitions")
    values = {
        "reference": audit.reference,
        "topic": audit.topic,
        "arm": audit.arm.value,
        "area": audit.area.value,
        "audited_on": audit.audited_on,
        "cases_audited": audit.cases_audited,
        "grades": audit.grades,
        "group_id": audit.group_id,
        "summary": None,
    }
    import pytest

    from safeguarding.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as moved:
        learning.update_audit(audit, office, version=audit.version, **values, work_plan_item_id=other.id)
    assert "that link stays" in moved.value.errors["work_plan_item_id"]
    with pytest.raises(ValidationFailed):
        learning.update_audit(audit, office, version=audit.version, **values, work_plan_item_id=None)
    # Unchanged when the link is not given (the edit page takes the field away).
    learning.update_audit(audit, office, version=audit.version, **values)
    assert audit.work_plan_item_id == _item(demo, "qp_2026_audit_self_neglect").id
    other.status = ItemStatus.cancelled
    db.session.flush()
    unlinked = learning.record_audit(
        office,
        reference="MAA 2026/03",
        topic="Another",
        arm="adults",
        area="north",
        audited_on=date(2026, 11, 2),
        cases_audited=3,
    )
    with pytest.raises(ValidationFailed) as cancelled:
        learning.link_audit(unlinked, other.id, office)
    assert "cancelled or settled" in cancelled.value.errors["work_plan_item_id"]
    assert unlinked.work_plan_item_id is None


def test_a_planned_audit_past_its_date_is_shown_overdue(client_as, demo):
    to_come = _item(demo, "qp_2026_audit_transitions")
    to_come.due_date = date(2026, 11, 30)
    db.session.flush()
    page = client_as("office").get("/audits")
    planned = page.text[page.text.index('id="planned"') :].split("Audits recorded")[0]
    assert "Overdue" in planned
    plan = client_as("office").get(f"/workplans/{demo.id('work_plans', 'qp_2026')}")
    assert "Overdue" in plan.text[plan.text.index('id="audits"') :]
    # …and counted on the office's home page with the other deadlines (not before).
    assert "Planned audits overdue" in client_as("office").get("/home").text
    to_come.due_date = date(2027, 2, 26)
    db.session.flush()
    assert "Planned audits overdue" not in client_as("office").get("/home").text


def test_a_work_plan_item_is_planned_as_an_audit_through_the_api(api_as, demo):
    plan_id = demo.id("work_plans", "pp_2026_draft")
    c = api_as("office")
    items = c.get(f"/api/v1/work-plans/{plan_id}/items")
    assert items.status_code == 200
    first = db.session.get(WorkPlanItem, items.json[0]["id"])
    body = {
        "priority_id": first.priority_id,
        "title": "Multi-agency audit of hospital discharge",
        "lead_organisation_id": first.lead_organisation_id,
        "due_date": "2027-01-29",
        "success_measure": "Ten cases audited",
        "is_audit": True,
    }
    r = c.post(f"/api/v1/work-plans/{plan_id}/items", json=body)
    assert r.status_code == 201 and r.json["is_audit"] is True
    plain = c.post(f"/api/v1/work-plans/{plan_id}/items", json={**body, "is_audit": False, "title": "Not an audit"})
    assert plain.status_code == 201 and plain.json["is_audit"] is False
