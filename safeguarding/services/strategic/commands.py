"""The strategic plan's commands: the office records the plan, its objectives, what each
member organisation will do and the consultations; puts it before the Board; the Board's
standing decision agrees it; the office publishes it (the PDF is kept)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_title, today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    BusinessPlan,
    ConsultationKind,
    Decision,
    Meeting,
    Organisation,
    Priority,
    StrategicCommitment,
    StrategicConsultation,
    StrategicObjective,
    StrategicPlan,
    StrategicPlanState,
    strategic_objective_priorities,
)
from safeguarding.services import audit, meetings
from safeguarding.services.errors import Conflict, ValidationFailed
from safeguarding.services.strategic.common import (
    SUBJECT,
    check_version,
    consultations_of,
    get_objective,
    objectives_of,
    require_draft,
    require_office,
    title_of,
)
from safeguarding.services.strategic.document import plan_pdf

TITLE_MAX = 300
TEXT_MAX = 10_000


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_text(errors: dict[str, str], field: str, value: str, missing: str, *, limit: int = TEXT_MAX) -> None:
    if not value:
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = f"Must be {limit:,} characters or fewer"


# --- the plan -------------------------------------------------------------------------------


def create_plan(user: Any, *, financial_year: Any, title: Any = None, vision: Any = None) -> StrategicPlan:
    require_office(user, "record a strategic plan")
    errors: dict[str, str] = {}
    if not isinstance(financial_year, int) or isinstance(financial_year, bool) or not 2000 <= financial_year <= 2100:
        errors["financial_year"] = "Enter the financial year, like 2026-27"
    elif db.session.scalar(sa.select(StrategicPlan.id).where(StrategicPlan.financial_year == financial_year)):
        errors["financial_year"] = f"There is already a strategic plan for {financial_year_title(financial_year)}"
    title_text = _text(title)
    _check_text(errors, "title", title_text, "Enter the title of the plan", limit=TITLE_MAX)
    vision_text = _text(vision)
    if len(vision_text) > TEXT_MAX:
        errors["vision"] = f"Must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    plan = StrategicPlan(financial_year=financial_year, title=title_text, vision=vision_text)
    db.session.add(plan)
    db.session.flush()
    return plan


def update_plan(
    plan: StrategicPlan, user: Any, *, version: int | None, title: Any = None, vision: Any = None
) -> StrategicPlan:
    require_office(user, "change a strategic plan")
    check_version(plan, version)
    require_draft(plan)
    errors: dict[str, str] = {}
    title_text = _text(title)
    _check_text(errors, "title", title_text, "Enter the title of the plan", limit=TITLE_MAX)
    vision_text = _text(vision)
    if len(vision_text) > TEXT_MAX:
        errors["vision"] = f"Must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    plan.title, plan.vision = title_text, vision_text
    db.session.flush()
    return plan


# --- objectives, their priorities and the members' commitments ----------------------------------


def _priorities(plan: StrategicPlan, priority_ids: Any) -> list[Priority]:
    """The priorities named, each of the business plan of the plan's own year."""
    ids = list(priority_ids or [])
    if not ids:
        return []
    message = f"Select priorities of the {financial_year_title(plan.financial_year)} business plan"
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationFailed(errors={"priority_ids": message})
    rows = list(
        db.session.scalars(
            sa.select(Priority)
            .join(BusinessPlan, BusinessPlan.id == Priority.business_plan_id)
            .where(Priority.id.in_(ids), BusinessPlan.financial_year == plan.financial_year)
        )
    )
    if len(rows) != len(set(ids)):
        raise ValidationFailed(errors={"priority_ids": message})
    return rows


def add_objective(
    plan: StrategicPlan, user: Any, *, title: Any, description: Any = None, priority_ids: Any = None
) -> StrategicObjective:
    require_office(user, "add an objective")
    require_draft(plan)
    errors: dict[str, str] = {}
    title_text = _text(title)
    _check_text(errors, "title", title_text, "Enter the objective", limit=TITLE_MAX)
    description_text = _text(description)
    if len(description_text) > TEXT_MAX:
        errors["description"] = f"Must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    priorities = _priorities(plan, priority_ids)
    number = (
        db.session.scalar(
            sa.select(sa.func.max(StrategicObjective.number)).where(StrategicObjective.plan_id == plan.id)
        )
        or 0
    ) + 1
    objective = StrategicObjective(plan_id=plan.id, number=number, title=title_text, description=description_text)
    db.session.add(objective)
    db.session.flush()
    if priorities:
        _link(objective, priorities)
        audit.record(
            "priorities_linked", "strategic_objective", objective.id, {"priority_ids": [p.id for p in priorities]}
        )
    return objective


def _link(objective: StrategicObjective, priorities: list[Priority]) -> None:
    db.session.execute(
        sa.delete(strategic_objective_priorities).where(strategic_objective_priorities.c.objective_id == objective.id)
    )
    if priorities:
        db.session.execute(
            sa.insert(strategic_objective_priorities),
            [{"objective_id": objective.id, "priority_id": p.id} for p in priorities],
        )
    db.session.flush()


def link_priorities(plan: StrategicPlan, user: Any, *, objective_id: Any, priority_ids: Any) -> StrategicObjective:
    """Which of the year's business plan priorities derive from the objective. The business
    plan follows the strategic plan, so this may be done after the Board agreed it."""
    require_office(user, "link priorities to an objective")
    objective = get_objective(plan, objective_id)
    if objective is None:
        raise ValidationFailed(errors={"objective_id": "Select an objective of this plan"})
    priorities = _priorities(plan, priority_ids)
    _link(objective, priorities)
    audit.record("priorities_linked", "strategic_objective", objective.id, {"priority_ids": [p.id for p in priorities]})
    return objective


def save_commitment(
    plan: StrategicPlan, user: Any, *, objective_id: Any, organisation_id: Any, text: Any
) -> StrategicCommitment:
    """What one member organisation will do for one objective (a second entry for the same
    organisation and objective replaces the first)."""
    require_office(user, "record what a member organisation will do")
    require_draft(plan)
    errors: dict[str, str] = {}
    objective = get_objective(plan, objective_id)
    if objective is None:
        errors["objective_id"] = "Select an objective of this plan"
    organisation = (
        db.session.get(Organisation, organisation_id)
        if isinstance(organisation_id, int) and not isinstance(organisation_id, bool)
        else None
    )
    if organisation is None:
        errors["organisation_id"] = "Select a member organisation"
    body = _text(text)
    _check_text(errors, "text", body, "Enter what the organisation will do")
    if errors:
        raise ValidationFailed(errors=errors)
    assert objective is not None and organisation is not None
    row = db.session.scalar(
        sa.select(StrategicCommitment).where(
            StrategicCommitment.objective_id == objective.id,
            StrategicCommitment.organisation_id == organisation.id,
        )
    )
    if row is None:
        row = StrategicCommitment(objective_id=objective.id, organisation_id=organisation.id, text=body)
        db.session.add(row)
    else:
        row.text = body
    db.session.flush()
    return row


# --- consultations ----------------------------------------------------------------------------


def add_consultation(
    plan: StrategicPlan,
    user: Any,
    *,
    kind: Any,
    consulted_on: date | None,
    consulted: Any,
    response: Any,
    changes: Any = None,
) -> StrategicConsultation:
    """Record a consultation of Local Healthwatch or the community (or another): when, whom,
    what they said, and what changed in the plan as a result. Until the plan is published."""
    require_office(user, "record a consultation")
    if plan.state == StrategicPlanState.published:
        raise Conflict("The plan has been published: its consultations can no longer be changed")
    errors: dict[str, str] = {}
    if kind not in ConsultationKind.__members__:
        errors["kind"] = "Select who was consulted"
    if not isinstance(consulted_on, date):
        errors["consulted_on"] = "Enter the date of the consultation"
    elif consulted_on > today():
        errors["consulted_on"] = "The date of the consultation must be today or in the past"
    who = _text(consulted)
    _check_text(errors, "consulted", who, "Enter who was consulted", limit=TITLE_MAX)
    said = _text(response)
    _check_text(errors, "response", said, "Enter what they said")
    changed = _text(changes)
    if len(changed) > TEXT_MAX:
        errors["changes"] = f"Must be {TEXT_MAX:,} characters or fewer"
    if errors:
        raise ValidationFailed(errors=errors)
    row = StrategicConsultation(
        plan_id=plan.id,
        kind=ConsultationKind(kind),
        consulted_on=consulted_on,
        consulted=who,
        response=said,
        changes=changed,
    )
    db.session.add(row)
    db.session.flush()
    return row


# --- the Board's agreement and publication ------------------------------------------------------


def missing_for_board(plan: StrategicPlan) -> list[str]:
    """What the plan needs before the Board can agree it (Care Act Schedule 2 para 3: the
    Board consults Local Healthwatch and involves the community in preparing it)."""
    reasons = []
    if not objectives_of(plan):
        reasons.append("Add the plan's objectives")
    kinds = {c.kind for c in consultations_of(plan)}
    if ConsultationKind.healthwatch not in kinds:
        reasons.append("Record the consultation of Local Healthwatch")
    if ConsultationKind.community not in kinds:
        reasons.append("Record how the community was involved")
    return reasons


def put_before_board(plan: StrategicPlan, user: Any, *, after: date | None = None) -> Meeting | None:
    """Put the draft plan on the next Board meeting's agenda for its agreement (once; it
    stays there until the Board decides). Returns the meeting, or None when no Board
    meeting is scheduled yet (it is placed on the next one scheduled)."""
    require_office(user, "put the plan before the Board")
    require_draft(plan)
    reasons = missing_for_board(plan)
    if reasons:
        raise ValidationFailed(reasons=reasons)
    item = meetings.add_to_next_board_agenda(
        f"{title_of(plan)}: for agreement", subject_type=SUBJECT, subject_id=plan.id, after=after or today()
    )
    audit.mark_action(plan, "board_agenda")
    return db.session.get(Meeting, item.meeting_id) if item is not None else None


@meetings.on_final_decision(SUBJECT)
def board_decided(decision: Decision, meeting: Meeting) -> None:
    """A standing decision of the Board on a draft plan agrees it; anything else (another
    group's meeting, a motion not carried) records nothing."""
    plan = db.session.get(StrategicPlan, decision.subject_id)
    board = meetings.board()
    if (
        plan is None
        or plan.state != StrategicPlanState.draft
        or board is None
        or meeting.group_id != board.id
        or not meetings.decision_stands(decision)
    ):
        return
    plan.state = StrategicPlanState.agreed
    plan.board_decision_id = decision.id
    plan.agreed_on = meeting.meeting_date
    audit.mark_action(plan, "board_agreed")
    db.session.flush()


def publish(plan: StrategicPlan, user: Any, *, version: int | None) -> StrategicPlan:
    """Publish the agreed plan: its PDF is made once and kept."""
    require_office(user, "publish the plan")
    check_version(plan, version)
    if plan.state == StrategicPlanState.published:
        raise Conflict(f"The plan was published on {long_date(plan.published_on)}")
    if plan.state != StrategicPlanState.agreed:
        raise Conflict("The Board has not agreed the plan yet: it is published once a Board decision agrees it")
    plan.published_on = today()
    plan.state = StrategicPlanState.published
    db.session.flush()
    plan.published_pdf = plan_pdf(plan)
    audit.mark_action(plan, "published")
    db.session.flush()
    return plan
