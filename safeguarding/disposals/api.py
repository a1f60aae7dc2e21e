"""JSON API of disposal review (business office).

    GET  /api/v1/disposals[?format=csv]              the certificate of destruction: every
                                                      record disposed of (JSON pages, or CSV
                                                      with format=csv or Accept: text/csv)
    GET  /api/v1/disposals/due                        the dry run: due and held by class
    GET  /api/v1/disposal-batches                     batches, newest first
    POST /api/v1/disposal-batches                     propose ({"class_key": null} = all due)
    GET  /api/v1/disposal-batches/<id>                a batch with its records
    POST /api/v1/disposal-batches/<id>/approve        a second office user: disposes now
    POST /api/v1/disposal-batches/<id>/reject         a second office user, with a reason
    POST /api/v1/disposal-batches/<id>/cancel         the proposer, with a reason

Approve, reject and cancel take the batch's `version` (409 when stale or decided)."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, page, page_of
from safeguarding.models import Role
from safeguarding.services.records import disposal as svc

blp = Blueprint("disposals_api", __name__, url_prefix="/api/v1", description="Disposal review and its certificate")

OFFICE = (Role.business_office,)


class DisposalRecordSchema(Schema):
    id = fields.Integer()
    batch = fields.Function(lambda r: f"DISP-{r.batch_id:04d}")
    class_key = fields.String()
    record_type = fields.String()
    record_id = fields.Integer()
    reference = fields.String(metadata={"description": "A reference, never a name"})
    trigger_on = fields.Date(metadata={"description": "The date the period ran from"})
    due_on = fields.Date()
    period_years = fields.Integer()
    trigger = fields.Function(lambda r: r.trigger.value)
    final_action = fields.Function(lambda r: r.final_action.value)
    disposed_on = fields.Date(allow_none=True)
    not_disposed_reason = fields.String(allow_none=True)
    proposed_by_id = fields.Integer(allow_none=True)
    approved_by_id = fields.Integer(allow_none=True)


class DisposalCertificateArgs(PageArgs):
    format = fields.String(load_default=None, validate=validate.OneOf(["json", "csv"]))


@blp.route("/disposals", methods=["GET"])
@access.roles(*OFFICE)
@blp.arguments(DisposalCertificateArgs, location="query")
@blp.response(200, page_of(DisposalRecordSchema))
def certificate(args):
    """The certificate of destruction: each record disposed of, with the rule applied and who
    proposed and approved. JSON pages, or all of it as CSV (`format=csv` or `Accept: text/csv`)."""
    wants_csv = args["format"] == "csv" or (
        args["format"] is None
        and request.accept_mimetypes.best_match(["application/json", "text/csv"], default="application/json")
        == "text/csv"
    )
    if wants_csv:
        rows, _ = svc.certificate(current_user)
        return Response(
            svc.certificate_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="disposals.csv"'},
        )
    rows, total = svc.certificate(current_user, page=args["page"], per_page=args["per_page"])
    return page(rows, total, args)


class DisposalClassDueSchema(Schema):
    key = fields.Function(lambda c: c.entry.key)
    name = fields.Function(lambda c: c.entry.name)
    confirmed = fields.Function(lambda c: c.entry.confirmed)
    final_action = fields.Function(lambda c: c.entry.final_action.value)
    handled = fields.Boolean(metadata={"description": "false: the service cannot dispose of this class yet"})
    offered = fields.Boolean()
    past = fields.Integer(metadata={"description": "Past their date, not yet disposed of or proposed"})
    held = fields.Integer()
    would_dispose = fields.Integer()


class DisposalDryRunSchema(Schema):
    would_dispose = fields.Integer()
    held = fields.Integer()
    not_confirmed = fields.Integer()
    text = fields.String()
    classes = fields.List(fields.Nested(DisposalClassDueSchema))


@blp.route("/disposals/due", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, DisposalDryRunSchema)
def due():
    """The dry run: what a disposal of everything due would dispose of today, by class."""
    return svc.dry_run(current_user)


class DisposalBatchSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    state = fields.Function(
        lambda b: b.state.value, metadata={"description": "proposed, approved, rejected, cancelled"}
    )
    class_key = fields.String(allow_none=True, load_default=None, metadata={"description": "null: every class due"})
    proposed_on = fields.Date(dump_only=True)
    proposed_by_id = fields.Integer(dump_only=True, allow_none=True)
    approved_on = fields.Date(dump_only=True, allow_none=True)
    approved_by_id = fields.Integer(dump_only=True, allow_none=True)
    reason = fields.String(dump_only=True, allow_none=True)


class DisposalBatchDetailSchema(DisposalBatchSchema):
    records = fields.Function(lambda b: DisposalRecordSchema(many=True).dump(svc.items(b)))


class DisposalVersionSchema(Schema):
    version = fields.Integer(required=True)


class DisposalReasonSchema(DisposalVersionSchema):
    reason = fields.String(required=True)


@blp.route("/disposal-batches", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, DisposalBatchSchema(many=True))
def list_batches():
    return svc.list_batches(current_user)


@blp.route("/disposal-batches", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(DisposalBatchSchema)
@blp.response(201, DisposalBatchDetailSchema)
def propose(body):
    """Propose every due record of a class (or of every class) for disposal."""
    return svc.propose(user=current_user, class_key=body.get("class_key"))


@blp.route("/disposal-batches/<int:batch_id>", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, DisposalBatchDetailSchema)
def get_batch(batch_id: int):
    return svc.get_batch(batch_id, current_user)


@blp.route("/disposal-batches/<int:batch_id>/approve", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(DisposalVersionSchema)
@blp.response(200, DisposalBatchDetailSchema)
def approve(body, batch_id: int):
    """Approve (not the proposer: 403): the records are disposed of in this request."""
    return svc.approve(svc.get_batch(batch_id, current_user), user=current_user, version=body["version"])


@blp.route("/disposal-batches/<int:batch_id>/reject", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(DisposalReasonSchema)
@blp.response(200, DisposalBatchDetailSchema)
def reject(body, batch_id: int):
    b = svc.get_batch(batch_id, current_user)
    return svc.reject(b, user=current_user, version=body["version"], reason=body["reason"])


@blp.route("/disposal-batches/<int:batch_id>/cancel", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(DisposalReasonSchema)
@blp.response(200, DisposalBatchDetailSchema)
def cancel(body, batch_id: int):
    b = svc.get_batch(batch_id, current_user)
    return svc.cancel(b, user=current_user, version=body["version"], reason=body["reason"])
