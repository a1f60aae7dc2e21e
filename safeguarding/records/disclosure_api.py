"""JSON API of "find what we hold" for a subject access request (business office): run
the search, decide on each record found, build and download the disclosure bundle."""

from __future__ import annotations

from flask_login import current_user
from marshmallow import Schema

from safeguarding import access
from safeguarding.api import fields
from safeguarding.models import AccessRequest, DisclosureItem
from safeguarding.services import storage
from safeguarding.services.records import access as requests_svc
from safeguarding.services.records import bundle as bundle_svc
from safeguarding.services.records import disclosure as svc

from .api_blueprint import blp

OFFICE = requests_svc.OFFICE


class DisclosureItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)
    record_type = fields.String(dump_only=True)
    record_id = fields.Integer(dump_only=True)
    title = fields.String(dump_only=True)
    occurred_on = fields.Date(dump_only=True, allow_none=True)
    found_by = fields.String(dump_only=True)
    decision = fields.Function(
        lambda i: i.decision.value, dump_only=True, metadata={"description": "pending, disclose, redact, withhold"}
    )
    reason = fields.String(dump_only=True, allow_none=True)
    redactions = fields.String(dump_only=True, allow_none=True)
    decided_on = fields.Date(dump_only=True, allow_none=True)


class DisclosureDecisionSchema(Schema):
    version = fields.Integer(required=True)
    decision = fields.String(required=True, metadata={"description": "disclose, redact or withhold"})
    reason = fields.String(allow_none=True, load_default=None)
    redactions = fields.String(
        allow_none=True, load_default=None, metadata={"description": "To redact: words to blank out, one per line"}
    )


class DisclosureSearchSchema(Schema):
    added = fields.Integer()
    total = fields.Integer()


class DisclosureBundleSchema(Schema):
    sha256 = fields.String()
    built_on = fields.Date()
    size = fields.Integer()


def items_of(r: AccessRequest) -> list[DisclosureItem]:
    return svc.items(r)


@blp.route("/subject-access-requests/<int:request_id>/find", methods=["POST"])
@access.roles(*OFFICE)
@blp.response(200, DisclosureSearchSchema)
def find_what_we_hold(request_id: int):
    """Search for the request's names and addresses; records found before keep their decisions."""
    r = requests_svc.get_request(request_id, current_user)
    added = svc.find_what_we_hold(r, user=current_user)
    return {"added": added, "total": svc.counts(r)["total"]}


@blp.route("/subject-access-requests/<int:request_id>/items", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, DisclosureItemSchema(many=True))
def list_items(request_id: int):
    return svc.items(requests_svc.get_request(request_id, current_user))


@blp.route("/subject-access-requests/<int:request_id>/items/<int:item_id>", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(DisclosureDecisionSchema)
@blp.response(200, DisclosureItemSchema)
def decide(body, request_id: int, item_id: int):
    """Disclose, redact (a record the service renders: `redactions`; a file: upload the
    redacted copy on the page) or withhold, with the reason."""
    r = requests_svc.get_request(request_id, current_user)
    item = svc.get_item(r, item_id)
    return svc.decide(r, item, user=current_user, **body)


@blp.route("/subject-access-requests/<int:request_id>/bundle", methods=["POST"])
@access.roles(*OFFICE)
@blp.response(201, DisclosureBundleSchema)
def build_bundle(request_id: int):
    """Build the ZIP (index PDF and CSV, the records disclosed); 409 while any record is
    not decided."""
    r = requests_svc.get_request(request_id, current_user)
    stored = bundle_svc.build_bundle(r, user=current_user)
    return {"sha256": stored.sha256, "built_on": r.bundle_built_on, "size": stored.size}


@blp.route("/subject-access-requests/<int:request_id>/bundle", methods=["GET"])
@access.roles(*OFFICE)
@blp.response(200, description="The disclosure bundle (application/zip)")
def download_bundle(request_id: int):
    r = requests_svc.get_request(request_id, current_user)
    return storage.send_stored(bundle_svc.bundle_file(r, user=current_user), f"{r.reference}-disclosure.zip")
