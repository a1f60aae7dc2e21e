"""JSON API for the shared action log."""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, PatchSchema, page, page_of, patched, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.calendar import today
from safeguarding.models import ActionSource, ActionStatus, Role
from safeguarding.services import actions as svc
from safeguarding.workflows.actions import action_lifecycle

blp = Blueprint("actions_api", __name__, url_prefix="/api/v1", description="The shared action log")

READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair)


class ActionSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True)
    source_type = fields.Enum(ActionSource, by_value=True, dump_only=True)
    source_id = fields.Integer(dump_only=True, allow_none=True)
    source_label = fields.String(allow_none=True)
    group_id = fields.Integer(dump_only=True, allow_none=True)
    owner_organisation_id = fields.Integer(required=True)
    owner_person_id = fields.Integer(allow_none=True)
    due_date = fields.Date(required=True)
    area = fields.String(dump_only=True, attribute="area.value")
    completed_on = fields.Date(dump_only=True, allow_none=True)
    closure_reason = fields.String(dump_only=True, allow_none=True)
    overdue = fields.Function(lambda a: a.is_overdue(today()), dump_only=True)


ActionResource = Schema.from_dict(
    {**ActionSchema._declared_fields, **workflow_fields(action_lifecycle)}, name="ActionResource"
)


class ActionUpdateSchema(PatchSchema):
    version = fields.Integer(required=True, strict=True)
    title = fields.String(validate=validate.Length(min=1, max=300))
    description = fields.String(allow_none=True)
    owner_organisation_id = fields.Integer()
    owner_person_id = fields.Integer(allow_none=True)
    due_date = fields.Date()


class ActionArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(["open", "closed", *[s.value for s in ActionStatus]]))
    organisation_id = fields.Integer()
    source_type = fields.String(validate=validate.OneOf([s.value for s in ActionSource]))
    group_id = fields.Integer()
    overdue = fields.Boolean(load_default=False)


class ProgressSchema(Schema):
    id = fields.Integer(dump_only=True)
    at = fields.DateTime(dump_only=True)
    by = fields.String(dump_only=True, attribute="by.email")
    text = fields.String(required=True, validate=validate.Length(min=1))
    progress = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100))
    has_evidence = fields.Function(lambda u: u.evidence_file_id is not None, dump_only=True)


@blp.route("/actions", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(ActionArgs, location="query")
@blp.response(200, page_of(ActionResource))
def list_actions(args):
    """The actions you may see (the office and chair: all; partners: their organisation's
    and their groups'), filtered."""
    rows, total = svc.list_actions(
        current_user,
        svc.ActionFilters(
            status=args.get("status"),
            organisation_id=args.get("organisation_id"),
            source_type=args.get("source_type"),
            group_id=args.get("group_id"),
            overdue=args["overdue"],
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/actions", methods=["POST"])
@access.roles(Role.business_office)
@blp.arguments(ActionSchema)
@blp.response(201, ActionResource)
def create_action(body):
    """Add an action that did not come from a meeting, review, work plan or dispute (an
    audit, for example); those add theirs themselves."""
    return svc.create_action(source_type=ActionSource.other, created_by_id=current_user.id, **body)


@blp.route("/actions/<int:action_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ActionResource)
def get_action(action_id: int):
    return svc.get_action(action_id, current_user)


@blp.route("/actions/<int:action_id>", methods=["PATCH"])
@access.roles(Role.business_office)
@blp.arguments(ActionUpdateSchema)
@blp.response(200, ActionResource)
def update_action(body, action_id: int):
    action = svc.get_action(action_id, current_user)
    return svc.update_action(action, **patched(body, action, ActionUpdateSchema))


@blp.route("/actions/<int:action_id>/updates", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ProgressSchema(many=True))
def list_updates(action_id: int):
    return svc.updates_of(svc.get_action(action_id, current_user))


@blp.route("/actions/<int:action_id>/updates", methods=["POST"])
@access.roles(Role.business_office, Role.partner_member)
@blp.arguments(ProgressSchema)
@blp.response(201, ProgressSchema)
def post_update(body, action_id: int):
    """Post progress on your organisation's action (evidence files go through the page)."""
    return svc.add_update(
        svc.get_action(action_id, current_user), current_user, text=body["text"], progress=body.get("progress")
    )


add_workflow_endpoints(blp, "/actions", action_lifecycle, ActionResource, readers=access.roles(*READERS))
