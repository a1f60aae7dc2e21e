"""Work plans: drafting business plans, their priorities, work plans and their items; the
Board's approval; terms-of-reference reviews; attaching a highlight report to the Board's
agenda."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from safeguarding.calendar import financial_year_start, financial_year_title, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    AgendaItem,
    Area,
    Arm,
    BusinessPlan,
    Group,
    GroupKind,
    ItemStatus,
    Meeting,
    Organisation,
    Paper,
    Person,
    Priority,
    TorReview,
    WorkPlan,
    WorkPlanItem,
    WorkPlanState,
)
from safeguarding.models.base import utcnow
from safeguarding.services import meetings, storage
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.services.workplans.common import (
    WORK_PLAN,
    _check_version,
    _require_edit,
    _require_office,
    _text,
    may_edit_plan,
)
from safeguarding.services.workplans.highlights import highlight, highlight_report, subgroup_slot
from safeguarding.services.workplans.queries import business_plan_for_year, plan_for
from safeguarding.services.workplans.rag import derive_rag
from safeguarding.workflows.workplans import work_plan_lifecycle

# --- business plans ------------------------------------------------------------------------


def create_business_plan(user: Any, *, financial_year: int | None, strategic_plan: str | None) -> BusinessPlan:
    _require_office(user)
    errors = {}
    if financial_year is None:
        errors["financial_year"] = "Enter the financial year, like 2026-27"
    elif not 2000 <= financial_year <= 2100:
        errors["financial_year"] = "Enter a financial year between 2000-01 and 2100-01"
    elif business_plan_for_year(financial_year) is not None:
        errors["financial_year"] = f"There is already a business plan for {financial_year_title(financial_year)}"
    if not _text(strategic_plan):
        errors["strategic_plan"] = "Enter the strategic plan"
    if errors:
        raise ValidationFailed(errors=errors)
    plan = BusinessPlan(financial_year=financial_year, strategic_plan=_text(strategic_plan))
    db.session.add(plan)
    db.session.flush()
    return plan


def update_business_plan(
    plan: BusinessPlan, user: Any, *, version: int | None, strategic_plan: str | None
) -> BusinessPlan:
    _require_office(user)
    _check_version(plan, version)
    if not _text(strategic_plan):
        raise ValidationFailed(errors={"strategic_plan": "Enter the strategic plan"})
    plan.strategic_plan = _text(strategic_plan)
    db.session.flush()
    return plan


def _priority_fields(title: str | None, arm: Any, area: Any) -> tuple[dict[str, str], Arm | None, Area | None]:
    errors = {}
    if not _text(title):
        errors["title"] = "Enter the title of the priority"
    elif len(_text(title)) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    try:
        arm_v = Arm(arm)
    except ValueError:
        errors["arm"] = "Select whether the priority is for adults, children or both"
        arm_v = None
    try:
        area_v = Area(area)
    except ValueError:
        errors["area"] = "Select the area the priority covers"
        area_v = None
    return errors, arm_v, area_v


def add_priority(
    plan: BusinessPlan,
    user: Any,
    *,
    title: str | None,
    description: str | None = None,
    arm: Any = "both",
    area: Any = "both",
    outcomes: str | None = None,
) -> Priority:
    _require_office(user)
    errors, arm_v, area_v = _priority_fields(title, arm, area)
    if not _text(outcomes):
        errors["outcomes"] = "Enter at least one measurable outcome"
    if errors:
        raise ValidationFailed(errors=errors)
    number = (
        db.session.scalar(sa.select(sa.func.max(Priority.number)).where(Priority.business_plan_id == plan.id)) or 0
    ) + 1
    priority = Priority(
        business_plan_id=plan.id,
        number=number,
        title=_text(title),
        description=_text(description),
        arm=arm_v,
        area=area_v,
        outcomes=_text(outcomes),
    )
    db.session.add(priority)
    db.session.flush()
    return priority


def update_priority(
    priority: Priority,
    user: Any,
    *,
    version: int | None,
    title: str | None,
    description: str | None,
    arm: Any,
    area: Any,
    outcomes: str | None,
) -> Priority:
    _require_office(user)
    _check_version(priority, version)
    errors, arm_v, area_v = _priority_fields(title, arm, area)
    if not _text(outcomes):
        errors["outcomes"] = "Enter at least one measurable outcome"
    if errors:
        raise ValidationFailed(errors=errors)
    priority.title, priority.description, priority.arm, priority.area, priority.outcomes = (
        _text(title),
        _text(description),
        arm_v,
        area_v,
        _text(outcomes),
    )
    db.session.flush()
    return priority


# --- work plans ----------------------------------------------------------------------------


def create_work_plan(user: Any, *, group_id: int | None, financial_year: int | None) -> WorkPlan:
    errors = {}
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.kind != GroupKind.subgroup:
        errors["group_id"] = "Select the sub-group"
    if financial_year is None:
        errors["financial_year"] = "Enter the financial year, like 2026-27"
    if errors:
        raise ValidationFailed(errors=errors)
    if not may_edit_plan(group.id, user):
        raise Forbidden("Only the business office and the sub-group's chair can draft its work plan")
    if business_plan_for_year(financial_year) is None:
        raise ValidationFailed(
            errors={
                "financial_year": f"There is no business plan for "
                f"{financial_year_title(financial_year)} yet: the office "
                "records it first"
            }
        )
    if plan_for(group.id, financial_year) is not None:
        raise ValidationFailed(
            errors={
                "financial_year": f"The {group.short_name} already has a work plan for "
                f"{financial_year_title(financial_year)}"
            }
        )
    plan = WorkPlan(group_id=group.id, financial_year=financial_year, state=WorkPlanState.draft)
    db.session.add(plan)
    db.session.flush()
    return plan


def _item_fields(
    plan: WorkPlan,
    *,
    priority_id: Any,
    title: str | None,
    lead_person_id: Any,
    lead_organisation_id: Any,
    due_date: date | None,
    success_measure: str | None,
    is_audit: Any = False,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    priority = db.session.get(Priority, priority_id) if priority_id else None
    business_plan = business_plan_for_year(plan.financial_year)
    if priority is None or business_plan is None or priority.business_plan_id != business_plan.id:
        errors["priority_id"] = f"Select a priority of the {financial_year_title(plan.financial_year)} business plan"
    if not _text(title):
        errors["title"] = "Enter what will be done"
    elif len(_text(title)) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    person = db.session.get(Person, lead_person_id) if lead_person_id else None
    if lead_person_id and (person is None or not person.active):
        errors["lead_person_id"] = "Select the lead person from the list"
    org = db.session.get(Organisation, lead_organisation_id) if lead_organisation_id else None
    if org is None:
        errors["lead_organisation_id"] = "Select the lead organisation"
    if due_date is None:
        errors["due_date"] = "Enter the due date"
    if not _text(success_measure):
        errors["success_measure"] = "Enter how success will be measured"
    if errors:
        raise ValidationFailed(errors=errors)
    return {
        "priority_id": priority.id,
        "title": _text(title),
        "lead_person_id": person.id if person else None,
        "lead_organisation_id": org.id,
        "due_date": due_date,
        "success_measure": _text(success_measure),
        # A planned multi-agency audit (the audit programme).
        "is_audit": bool(is_audit),
    }


def add_item(plan: WorkPlan, user: Any, **values: Any) -> WorkPlanItem:
    """Items are added while the plan is a draft (a returned plan is a draft again)."""
    _require_edit(plan, user)
    if plan.state != WorkPlanState.draft:
        raise Conflict(f"Items are added while the work plan is a draft: it is {plan.state.label.lower()}")
    item = WorkPlanItem(work_plan_id=plan.id, status=ItemStatus.not_started, **_item_fields(plan, **values))
    item.created_at = utcnow()
    item.rag = derive_rag(item, today())
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: WorkPlanItem, plan: WorkPlan, user: Any, *, version: int | None, **values: Any) -> WorkPlanItem:
    _require_edit(plan, user)
    _check_version(item, version)
    if plan.state != WorkPlanState.draft:
        raise Conflict(f"Items are changed while the work plan is a draft: it is {plan.state.label.lower()}")
    for k, v in _item_fields(plan, **values).items():
        setattr(item, k, v)
    item.rag = derive_rag(item, today())
    db.session.flush()
    return item


# --- the Board's approval ------------------------------------------------------------------


def put_on_board_agenda(plan: WorkPlan, *, after: date | None = None) -> AgendaItem | None:
    return meetings.add_to_next_board_agenda(
        f"Approval of the {plan.group.name} work plan {financial_year_title(plan.financial_year)}",
        subject_type=WORK_PLAN,
        subject_id=plan.id,
        after=after or today(),
    )


@meetings.on_final_decision(WORK_PLAN)
def board_decided(decision: Any, meeting: Meeting) -> None:
    """Registered with the meetings service: what a final Board decision on a work plan
    does (a standing decision approves a submitted plan)."""
    plan = db.session.get(WorkPlan, decision.subject_id)
    if plan is None or plan.state != WorkPlanState.submitted or not meetings.decision_stands(decision):
        return
    work_plan_lifecycle.fire(
        plan,
        "approve",
        user=None,
        system=True,
        as_of=meeting.meeting_date,
        comment=f"Decision {decision.id} at the Board meeting of {long_date(meeting.meeting_date)}",
    )


# --- terms of reference reviews ------------------------------------------------------------


def record_tor_review(
    user: Any,
    *,
    group_id: int | None,
    reviewed_on: date | None,
    meeting_id: int | None = None,
    notes: str | None = None,
) -> TorReview:
    errors = {}
    group = db.session.get(Group, group_id) if group_id else None
    if group is None or group.kind != GroupKind.subgroup:
        errors["group_id"] = "Select the sub-group"
    if reviewed_on is None:
        errors["reviewed_on"] = "Enter the date the terms of reference were reviewed"
    elif reviewed_on > today():
        errors["reviewed_on"] = "The date of the review must be today or in the past"
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if meeting_id and (meeting is None or group is None or meeting.group_id != group.id):
        errors["meeting_id"] = "Select a meeting of the sub-group"
    if errors:
        raise ValidationFailed(errors=errors)
    if not may_edit_plan(group.id, user):
        raise Forbidden("Only the business office and the sub-group's chair record its terms of reference review")
    year = financial_year_start(reviewed_on)
    existing = db.session.scalar(
        sa.select(TorReview).where(TorReview.group_id == group.id, TorReview.financial_year == year)
    )
    if existing is not None:
        raise ValidationFailed(
            errors={
                "reviewed_on": f"The {group.short_name}'s review for {financial_year_title(year)} is already recorded"
            }
        )
    review = TorReview(
        group_id=group.id,
        financial_year=year,
        reviewed_on=reviewed_on,
        meeting_id=meeting.id if meeting else None,
        notes=_text(notes) or None,
        recorded_by_id=user.id,
    )
    db.session.add(review)
    group.tor_last_reviewed_on = max(filter(None, [group.tor_last_reviewed_on, reviewed_on]))
    db.session.flush()
    return review


# --- highlight reports ---------------------------------------------------------------------


def attach_highlight(group: Group, meeting: Meeting, user: Any) -> list[Paper]:
    """Render the highlight report as a PDF and a DOCX and attach both to the Board
    meeting's "Report from the <sub-group>" slot (office or the sub-group's chair)."""
    from safeguarding.documents import render_docx, render_pdf

    if not may_edit_plan(group.id, user):
        raise Forbidden("Only the business office and the sub-group's chair attach its highlight report")
    slot = subgroup_slot(group, meeting)
    if slot is None:
        raise Conflict(f"The Board meeting of {long_date(meeting.meeting_date)} has no slot for the {group.name}")
    h = highlight(group, meeting)
    report = highlight_report(h)
    papers = []
    for ext, data in (("pdf", render_pdf(report)), ("docx", render_docx(report))):
        stored = storage.save_upload(
            FileStorage(io.BytesIO(data), filename=f"{h.reference}.{ext}"),
            purpose="highlight_report",
            kinds=(ext,),
            uploaded_by_id=user.id,
            max_bytes=max(len(data), 1),
        )
        kind = "PDF" if ext == "pdf" else "Word"
        papers.append(
            meetings.attach_paper(
                slot, stored, title=f"Highlight report ({kind}), {long_date(meeting.meeting_date)}", added_by_id=user.id
            )
        )
    return papers
