"""JSON API for the children's safeguarding arrangements as published, with the history
of changes; the business office's writes."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PatchSchema
from safeguarding.errors import ProblemSchema
from safeguarding.models import Area, Role
from safeguarding.services import arrangements as svc

blp = Blueprint("arrangements_api", __name__, url_prefix="/api/v1", description="Children's safeguarding arrangements")

OFFICE = (Role.business_office,)
READERS = (
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.viewer,
    Role.safeguarding_partner,
    Role.scrutineer,
)


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    job_title = fields.String(allow_none=True)


class PartnerSchema(Schema):
    id = fields.Integer(dump_only=True)
    organisation_id = fields.Integer(required=True)
    organisation_name = fields.String(attribute="organisation.name", dump_only=True)
    area = fields.Enum(Area, by_value=True, dump_only=True, metadata={"description": "The area it is a partner for"})
    lead_person_id = fields.Integer(required=True)
    lead = fields.Nested(PersonRefSchema, dump_only=True, allow_none=True)
    delegate_person_id = fields.Integer(allow_none=True, load_default=None)
    delegate = fields.Nested(PersonRefSchema, dump_only=True, allow_none=True)
    delegated_on = fields.Date(allow_none=True, load_default=None)
    chairs_partnership = fields.Boolean(load_default=False)
    version = fields.Integer(dump_only=True)


class PartnerUpdateSchema(PatchSchema):
    version = fields.Integer(required=True, strict=True)
    lead_person_id = fields.Integer()
    delegate_person_id = fields.Integer(allow_none=True)
    delegated_on = fields.Date(allow_none=True)
    chairs_partnership = fields.Boolean()


class ChangeSchema(Schema):
    changed_on = fields.Date()
    description = fields.String()


class ArrangementsSchema(Schema):
    arm = fields.String()
    partners = fields.List(fields.Nested(PartnerSchema))
    chair_partner_id = fields.Integer(allow_none=True, metadata={"description": "The partner whose delegate chairs"})
    scrutineer = fields.Nested(PersonRefSchema, allow_none=True)
    relevant_agencies = fields.List(fields.String())
    published_on = fields.Date(allow_none=True)
    publication_url = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    version = fields.Integer(allow_none=True, metadata={"description": "Send it back with PUT"})
    changes = fields.List(fields.Nested(ChangeSchema), metadata={"description": "Newest first"})


class ArrangementsUpdateSchema(Schema):
    scrutineer_person_id = fields.Integer(allow_none=True, load_default=None)
    relevant_agencies = fields.List(
        fields.String(validate=validate.Length(min=1, max=svc.MAX_AGENCY_LENGTH)),
        load_default=list,
        validate=validate.Length(max=svc.MAX_AGENCIES),
    )
    published_on = fields.Date(allow_none=True, load_default=None)
    publication_url = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))
    summary = fields.String(allow_none=True, load_default=None)
    version = fields.Integer(
        required=True, allow_none=True, strict=True, metadata={"description": "null only before the first PUT"}
    )


def _view() -> dict[str, Any]:
    view = svc.published()
    a = view.arrangements
    return {
        "arm": "children",
        "partners": view.partners,
        "chair_partner_id": view.chair.id if view.chair else None,
        "scrutineer": a.scrutineer if a else None,
        "relevant_agencies": list(a.relevant_agencies or []) if a else [],
        "published_on": a.published_on if a else None,
        "publication_url": a.publication_url if a else None,
        "summary": a.summary if a else None,
        "version": a.version if a else None,
        "changes": view.changes,
    }


@blp.route("/arrangements", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, ArrangementsSchema)
def get_arrangements():
    """The children's arrangements as published: the partners and their people, the
    chair, the scrutineer, the relevant agencies, the publication and the changes."""
    return _view()


@blp.route("/arrangements", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(ArrangementsUpdateSchema)
@blp.response(200, ArrangementsSchema)
@blp.alt_response(409, schema=ProblemSchema, description="Stale version")
@blp.alt_response(422, schema=ProblemSchema)
def put_arrangements(body):
    """Set the scrutineer, the relevant agencies, the publication and the summary (all of
    them; send the `version` you read)."""
    svc.update_arrangements(user=current_user, **body)
    return _view()


@blp.route("/arrangements/partners", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(PartnerSchema)
@blp.response(201, PartnerSchema)
@blp.alt_response(422, schema=ProblemSchema)
def create_partner(body):
    """Record a safeguarding partner: a council (for its own area), the ICB or the police."""
    return svc.record_partner(user=current_user, **body)


@blp.route("/arrangements/partners/<int:partner_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(PartnerUpdateSchema)
@blp.response(200, PartnerSchema)
@blp.alt_response(409, schema=ProblemSchema, description="Stale version")
@blp.alt_response(422, schema=ProblemSchema)
def update_partner(body, partner_id: int):
    """Change a partner's lead, delegate, date of delegation, or make its delegate the
    partnership chair; send the `version` you read."""
    partner = svc.get_partner(partner_id)
    version = body.pop("version")
    return svc.update_partner(partner, version=version, user=current_user, **body)
