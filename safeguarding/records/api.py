"""JSON API of information governance: subject access requests (business office), the
retention schedule's classes, and holds."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, PatchSchema, patched
from safeguarding.calendar import today
from safeguarding.services.records import access as requests_svc
from safeguarding.services.records import schedule as schedule_svc

from . import disclosure_api
from .api_blueprint import blp

OFFICE = requests_svc.OFFICE


class AccessRequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    state = fields.Function(
        lambda r: r.state.value, dump_only=True, metadata={"description": "open, answered, withdrawn"}
    )
    requester_name = fields.String(required=True)
    requester_email = fields.String(allow_none=True, load_default=None)
    received_on = fields.Date(required=True)
    identity_checked_on = fields.Date(allow_none=True, load_default=None)
    search_names = fields.String(load_default="", metadata={"description": "One name per line"})
    search_emails = fields.String(load_default="", metadata={"description": "One address per line"})
    due_on = fields.Date(dump_only=True, metadata={"description": "One calendar month, by the ICO's rule"})
    extended_to = fields.Date(dump_only=True, allow_none=True)
    extended_on = fields.Date(dump_only=True, allow_none=True)
    extension_reason = fields.String(dump_only=True, allow_none=True)
    person_told_on = fields.Date(dump_only=True, allow_none=True)
    answered_on = fields.Date(dump_only=True, allow_none=True)
    outcome = fields.String(dump_only=True, allow_none=True)
    days_left = fields.Function(lambda r: requests_svc.clock(r, today()).days_left, dump_only=True)
    late = fields.Function(lambda r: requests_svc.clock(r, today()).late, dump_only=True)


class AccessRequestPatchSchema(PatchSchema):
    version = fields.Integer(required=True)
    requester_name = fields.String()
    requester_email = fields.String(allow_none=True)
    received_on = fields.Date()
    identity_checked_on = fields.Date(allow_none=True)
    search_names = fields.String()
    search_emails = fields.String()


class ExtensionSchema(Schema):
    version = fields.Integer(required=True)
    reason = fields.String(required=True)
    person_told_on = fields.Date(required=True)


class AnswerSchema(Schema):
    version = fields.Integer(required=True)
    answered_on = fields.Date(required=True)
    outcome = fields.String(required=True)


class ListArgs(PageArgs):
    state = fields.String(load_default="open", metadata={"description": "open, answered, withdrawn or all"})


@blp.route("/subject-access-requests", methods=["GET"])
@access.roles(*OFFICE)
@blp.arguments(ListArgs, location="query")
@blp.response(200, AccessRequestSchema(many=True))
def list_requests(args):
    """One page of the requests (`page`, `per_page`; the soonest due first)."""
    state = None if args["state"] == "all" else args["state"]
    rows, _total = requests_svc.list_requests(current_user, state=state, page=args["page"], per_page=args["per_page"])
    return rows


@blp.route("/subject-access-requests", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(AccessRequestSchema)
@blp.response(201, AccessRequestSchema)
def log_request(body):
    return requests_svc.log_request(user=current_user, **body)


class AccessRequestDetailSchema(AccessRequestSchema):
    searched_on = fields.Date(dump_only=True, allow_none=True)
    bundle_sha256 = fields.String(dump_only=True, allow_none=True)
    bundle_built_on = fields.Date(dump_only=True, allow_none=True)
    bundle_sent_on = fields.Date(dump_only=True, allow_none=True)
    items = fields.Function(
        lambda r: disclosure_api.DisclosureItemSchema(many=True).dump(disclosure_api.items_of(r)),
        dump_only=True,
        metadata={"description": "What we hold: the records found and the decision on each"},
    )


@blp.route("/subject-access-requests/<int:request_id>", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, AccessRequestDetailSchema)
def get_request(request_id: int):
    return requests_svc.get_request(request_id, current_user)


@blp.route("/subject-access-requests/<int:request_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(AccessRequestPatchSchema)
@blp.response(200, AccessRequestSchema)
def patch_request(body, request_id: int):
    r = requests_svc.get_request(request_id, current_user)
    values = patched(body, r, AccessRequestPatchSchema)
    version = values.pop("version")
    return requests_svc.update_request(r, user=current_user, version=version, **values)


@blp.route("/subject-access-requests/<int:request_id>/extension", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ExtensionSchema)
@blp.response(200, AccessRequestSchema)
def extend_request(body, request_id: int):
    """Extend by two further months: once, within the first month, with the reason and the
    date the person was told (409 when too late or already extended)."""
    r = requests_svc.get_request(request_id, current_user)
    return requests_svc.extend(
        r, user=current_user, version=body["version"], reason=body["reason"], person_told_on=body["person_told_on"]
    )


@blp.route("/subject-access-requests/<int:request_id>/answer", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(AnswerSchema)
@blp.response(200, AccessRequestSchema)
def answer_request(body, request_id: int):
    r = requests_svc.get_request(request_id, current_user)
    return requests_svc.answer(
        r, user=current_user, version=body["version"], answered_on=body["answered_on"], outcome=body["outcome"]
    )


# --- the retention schedule ------------------------------------------------------------------


class RetentionClassSchema(Schema):
    key = fields.String()
    name = fields.String()
    period_years = fields.Integer(allow_none=True, metadata={"description": "null: kept permanently"})
    trigger = fields.Function(lambda e: e.trigger.value)
    final_action = fields.Function(lambda e: e.final_action.value, metadata={"description": "keep, dispose, review"})
    confirmed = fields.Boolean()
    confirmed_on = fields.Function(
        lambda e: e.rule.confirmed_on.isoformat() if e.rule and e.rule.confirmed_on else None
    )
    note = fields.Function(lambda e: e.rule.note if e.rule else None)
    version = fields.Function(
        lambda e: e.rule.version if e.rule else None,
        metadata={"description": "For a PUT; null while the default stands"},
    )


class RetentionRuleSchema(Schema):
    version = fields.Integer(allow_none=True, load_default=None)
    period_years = fields.Integer(allow_none=True, load_default=None)
    trigger = fields.String(required=True)
    final_action = fields.String(required=True)
    confirmed = fields.Boolean(load_default=False)
    note = fields.String(allow_none=True, load_default=None)


@blp.route("/retention/classes", methods=["GET"])
@access.roles(*schedule_svc.SCHEDULE_READERS)
@blp.response(200, RetentionClassSchema(many=True))
def retention_classes():
    return schedule_svc.schedule(current_user)


@blp.route("/retention/classes/<key>", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(RetentionRuleSchema)
@blp.response(200, RetentionClassSchema)
def set_retention_class(body, key: str):
    return schedule_svc.set_rule(key, user=current_user, **body)


# --- holds -----------------------------------------------------------------------------------


class HoldSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)
    scope = fields.String(required=True, metadata={"description": "record, review or class"})
    record_type = fields.String(allow_none=True, load_default=None)
    record_id = fields.Integer(allow_none=True, load_default=None)
    review_id = fields.Integer(allow_none=True, load_default=None)
    class_key = fields.String(allow_none=True, load_default=None)
    reason = fields.String(required=True)
    placed_on = fields.Date(load_default=None)
    lifted_on = fields.Date(dump_only=True, allow_none=True)
    lift_reason = fields.String(dump_only=True, allow_none=True)
    active = fields.Boolean(dump_only=True)


class LiftSchema(Schema):
    version = fields.Integer(required=True)
    reason = fields.String(required=True)


class HoldArgs(Schema):
    show = fields.String(load_default="active", metadata={"description": "active, lifted or all"})


@blp.route("/holds", methods=["GET"])
@access.roles(*OFFICE)
@blp.arguments(HoldArgs, location="query")
@blp.response(200, HoldSchema(many=True))
def list_holds(args):
    return schedule_svc.list_holds(current_user, active={"active": True, "lifted": False}.get(args["show"]))


@blp.route("/holds", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(HoldSchema)
@blp.response(201, HoldSchema)
def place_hold(body):
    return schedule_svc.place_hold(user=current_user, **body)


@blp.route("/holds/<int:hold_id>/lift", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(LiftSchema)
@blp.response(200, HoldSchema)
def lift_hold(body, hold_id: int):
    h = schedule_svc.get_hold(hold_id, current_user)
    return schedule_svc.lift_hold(h, user=current_user, version=body["version"], reason=body["reason"])
