"""JSON API for business plans, their priorities, work plans (a workflow resource), their
items, progress updates and the highlight report."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import financial_year_label, parse_financial_year, today
from safeguarding.models import Area, Arm, ItemStatus, Rag, Role
from safeguarding.services import workplans as svc
from safeguarding.services.errors import ValidationFailed
from safeguarding.workflows.workplans import work_plan_lifecycle as lifecycle

blp = Blueprint(
    "workplans_api",
    __name__,
    url_prefix="/api/v1",
    description="Business plans, sub-group work plans with RAG, and highlight reports",
)

READERS = svc.READERS
EDITORS = (Role.business_office, Role.subgroup_chair)
UPDATERS = (Role.business_office, Role.subgroup_chair, Role.partner_member)
OFFICE = (Role.business_office,)


def _year(value: str | None) -> int:
    try:
        return parse_financial_year(value or "")
    except ValueError as exc:
        raise ValidationFailed(errors={"financial_year": "Enter the financial year, like 2026-27"}) from exc


class BusinessPlanSchema(Schema):
    id = fields.Integer(dump_only=True)
    financial_year = fields.Function(
        lambda p: financial_year_label(p.financial_year), metadata={"description": "Like 2026-27"}
    )
    strategic_plan = fields.String()
    version = fields.Integer()


class BusinessPlanCreateSchema(Schema):
    financial_year = fields.String(required=True, metadata={"description": "Like 2026-27"})
    strategic_plan = fields.String(required=True)


class PrioritySchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    description = fields.String()
    arm = fields.String(metadata={"description": "adults, children or both"})
    area = fields.String(metadata={"description": "north, west or both"})
    outcomes = fields.Function(lambda p: p.outcome_lines, metadata={"description": "Measurable outcomes"})
    version = fields.Integer()


class PriorityCreateSchema(Schema):
    title = fields.String(required=True)
    description = fields.String(load_default=None, allow_none=True)
    arm = fields.String(load_default="both", validate=validate.OneOf([a.value for a in Arm]))
    area = fields.String(load_default="both", validate=validate.OneOf([a.value for a in Area]))
    outcomes = fields.List(fields.String(), required=True, metadata={"description": "Measurable outcomes"})


class WorkPlanSchema(Schema):
    id = fields.Integer(dump_only=True)
    group_id = fields.Integer()
    group = fields.String(attribute="group.name")
    financial_year = fields.Function(lambda p: financial_year_label(p.financial_year))
    submitted_on = fields.Date(allow_none=True)
    approved_on = fields.Date(allow_none=True)
    approved_decision_id = fields.Integer(allow_none=True)
    closed_on = fields.Date(allow_none=True)


class WorkPlanCreateSchema(Schema):
    group_id = fields.Integer(required=True)
    financial_year = fields.String(required=True, metadata={"description": "Like 2026-27"})


WorkPlanResource = Schema.from_dict(
    {**WorkPlanSchema._declared_fields, **workflow_fields(lifecycle)}, name="WorkPlanResource"
)


class WorkPlanArgs(PageArgs):
    year = fields.String(metadata={"description": "A financial year, like 2026-27"})
    group_id = fields.Integer()


class ItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    work_plan_id = fields.Integer(dump_only=True)
    priority_id = fields.Integer(required=True)
    title = fields.String(required=True)
    lead_person_id = fields.Integer(allow_none=True, load_default=None)
    lead_organisation_id = fields.Integer(required=True, allow_none=True)
    due_date = fields.Date(required=True)
    success_measure = fields.String(required=True)
    is_audit = fields.Boolean(
        load_default=False,
        metadata={
            "description": "A planned multi-agency audit (the audit programme): completed by the audit that "
            "carries it out (`work_plan_item_id` of POST /api/v1/audits)"
        },
    )
    status = fields.String(dump_only=True)
    status_reason = fields.String(dump_only=True, allow_none=True)
    at_risk = fields.Boolean(dump_only=True)
    at_risk_reason = fields.String(dump_only=True, allow_none=True)
    rag = fields.String(dump_only=True, metadata={"description": "The derived rating"})
    rag_override = fields.String(dump_only=True, allow_none=True)
    override_justification = fields.String(dump_only=True, allow_none=True)
    override_at = fields.DateTime(dump_only=True, allow_none=True)
    rating = fields.String(dump_only=True, metadata={"description": "What shows: the override, or the derived rating"})
    last_update_at = fields.DateTime(dump_only=True, allow_none=True)
    carried_from_item_id = fields.Integer(dump_only=True, allow_none=True)
    carried_to_item_id = fields.Integer(dump_only=True, allow_none=True)
    closed_reason = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class ItemChangeSchema(Schema):
    version = fields.Integer(required=True, strict=True)
    status = fields.String(validate=validate.OneOf([s.value for s in ItemStatus]))
    reason = fields.String(allow_none=True)
    at_risk = fields.Boolean()
    at_risk_reason = fields.String(allow_none=True)
    rag_override = fields.String(
        allow_none=True,
        validate=validate.OneOf(["", "red", "amber", "green"]),
        metadata={"description": "red, amber or green; empty or null clears it"},
    )
    override_justification = fields.String(allow_none=True)


class UpdateSchema(Schema):
    id = fields.Integer(dump_only=True)
    text = fields.String(required=True)
    percent = fields.Integer(allow_none=True, load_default=None)
    milestone = fields.String(allow_none=True, load_default=None)
    evidence_file_id = fields.Integer(dump_only=True, allow_none=True)
    author = fields.Function(lambda u: u.author.email if u.author else None, dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class HighlightArgs(Schema):
    group = fields.Integer(required=True)
    meeting = fields.Integer(required=True)


def _items(items: list) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "title": i.title,
            "rating": i.rating.value,
            "due_date": i.due_date.isoformat(),
            "status": i.status.value,
        }
        for i in items
    ]


# --- business plans ------------------------------------------------------------------------


@blp.route("/business-plans", methods=["GET"])
@access.roles(*svc.BUSINESS_PLAN_READERS)
@blp.response(200, BusinessPlanSchema(many=True))
def list_business_plans():
    """Every business plan, the newest year first."""
    return svc.list_business_plans()


@blp.route("/business-plans", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(BusinessPlanCreateSchema)
@blp.response(201, BusinessPlanSchema)
def create_business_plan(body):
    """Record a year's business plan (the business office)."""
    return svc.create_business_plan(
        current_user, financial_year=_year(body["financial_year"]), strategic_plan=body["strategic_plan"]
    )


@blp.route("/business-plans/<int:plan_id>/priorities", methods=["GET"])
@access.roles(*svc.BUSINESS_PLAN_READERS)
@blp.response(200, PrioritySchema(many=True))
def list_priorities(plan_id: int):
    return svc.priorities_of(svc.get_business_plan(plan_id).id)


@blp.route("/business-plans/<int:plan_id>/priorities", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(PriorityCreateSchema)
@blp.response(201, PrioritySchema)
def add_priority(body, plan_id: int):
    body["outcomes"] = "\n".join(body["outcomes"])
    return svc.add_priority(svc.get_business_plan(plan_id), current_user, **body)


# --- work plans ----------------------------------------------------------------------------


@blp.route("/work-plans", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(WorkPlanArgs, location="query")
@blp.response(200, page_of(WorkPlanResource))
def list_work_plans(args):
    rows = [
        p
        for p, _ in svc.list_work_plans(
            year=_year(args["year"]) if args.get("year") else None, group_id=args.get("group_id")
        )
    ]
    start = (args["page"] - 1) * args["per_page"]
    return page(rows[start : start + args["per_page"]], len(rows), args)


@blp.route("/work-plans", methods=["POST"])
@access.roles(*EDITORS)
@blp.arguments(WorkPlanCreateSchema)
@blp.response(201, WorkPlanResource)
def create_work_plan(body):
    return svc.create_work_plan(current_user, group_id=body["group_id"], financial_year=_year(body["financial_year"]))


@blp.route("/work-plans/<int:plan_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, WorkPlanResource)
def get_work_plan(plan_id: int):
    return svc.get_work_plan(plan_id)


add_workflow_endpoints(blp, "/work-plans", lifecycle, WorkPlanResource, readers=access.roles(*READERS))


@blp.route("/work-plans/<int:plan_id>/items", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ItemSchema(many=True))
def list_items(plan_id: int):
    return svc.items_of(svc.get_work_plan(plan_id))


@blp.route("/work-plans/<int:plan_id>/items", methods=["POST"])
@access.roles(*EDITORS)
@blp.arguments(ItemSchema)
@blp.response(201, ItemSchema)
def add_item(body, plan_id: int):
    return svc.add_item(svc.get_work_plan(plan_id), current_user, **body)


@blp.route("/work-plan-items/<int:item_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ItemSchema)
def get_item(item_id: int):
    return svc.get_item(item_id)[0]


@blp.route("/work-plan-items/<int:item_id>", methods=["PATCH"])
@access.roles(*UPDATERS)
@blp.arguments(ItemChangeSchema)
@blp.response(200, ItemSchema)
def change_item(body, item_id: int):
    """Change the status (deferral and cancellation need `reason`), the at-risk flag
    (with `at_risk_reason`) or the rating override (with `override_justification`)."""
    item, plan = svc.get_item(item_id)
    version = body["version"]
    if "status" in body:
        svc.change_status(item, plan, current_user, version=version, status=body["status"], reason=body.get("reason"))
        version = item.version
    if "at_risk" in body:
        svc.flag_at_risk(
            item, plan, current_user, version=version, at_risk=body["at_risk"], reason=body.get("at_risk_reason")
        )
        version = item.version
    if "rag_override" in body:
        svc.set_override(
            item,
            plan,
            current_user,
            version=version,
            rag=body["rag_override"],
            justification=body.get("override_justification"),
        )
    return item


@blp.route("/work-plan-items/<int:item_id>/updates", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, UpdateSchema(many=True))
def list_updates(item_id: int):
    return svc.updates_of(svc.get_item(item_id)[0])


@blp.route("/work-plan-items/<int:item_id>/updates", methods=["POST"])
@access.roles(*UPDATERS)
@blp.arguments(UpdateSchema)
@blp.response(201, UpdateSchema)
def post_update(body, item_id: int):
    """Post a progress update (only on an approved plan; the lead, the sub-group's chair
    or the office); the item's RAG is recalculated."""
    item, plan = svc.get_item(item_id)
    return svc.post_update(
        item, plan, current_user, text=body["text"], percent=body.get("percent"), milestone=body.get("milestone")
    )


# --- the highlight report ------------------------------------------------------------------


@blp.route("/reports/highlight", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(HighlightArgs, location="query")
def highlight(args):
    """A sub-group's highlight report for a Board meeting, as data."""
    h = svc.highlight(svc.get_subgroup(args["group"]), svc.get_board_meeting(args["meeting"]))
    return {
        "group_id": h.group.id,
        "group": h.group.name,
        "meeting_id": h.meeting.id,
        "meeting_date": h.meeting.meeting_date.isoformat(),
        "work_plan_id": h.plan.id if h.plan else None,
        "previous_meeting_date": h.previous_on.isoformat() if h.previous_on else None,
        "next_meeting_date": h.next_on.isoformat() if h.next_on else None,
        "completed": _items(h.completed),
        "red_and_amber": [
            {**row, "reason": svc.rag_reason(i, h.as_of)}
            for row, i in zip(_items(h.red_amber), h.red_amber, strict=True)
        ],
        "due_before_next_meeting": _items(h.due_next),
        "terms_of_reference": {
            "reviewed_on": h.tor.review.reviewed_on.isoformat() if h.tor.review else None,
            "missing": h.tor.missing,
            "status": h.tor.sentence,
        },
        "rag_values": [r.value for r in Rag],
        "as_of": today().isoformat(),
    }
