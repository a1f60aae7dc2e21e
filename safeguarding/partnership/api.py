"""JSON API for the directory: organisations (a workflow resource), people, groups,
memberships."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, PatchSchema, page, page_of, patched, workflow_fields
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.errors import ProblemSchema
from safeguarding.models import Area, Arm, GroupKind, MembershipRole, OrganisationKind, Role
from safeguarding.services import partnership as svc
from safeguarding.workflows.partnership import partnership_lifecycle

blp = Blueprint("partnership_api", __name__, url_prefix="/api/v1", description="Organisations, people, groups")

OFFICE = (Role.business_office,)
READERS = (Role.business_office, Role.independent_chair, Role.partner_member, Role.subgroup_chair, Role.admin)


def _enum(enum_cls, **kw):
    return fields.Enum(enum_cls, by_value=True, **kw)


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    short_name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    kind = _enum(OrganisationKind, required=True)
    area = _enum(Area, load_default=Area.both)
    statutory_adults = fields.Boolean(load_default=False)
    statutory_children = fields.Boolean(load_default=False)
    chief_executive_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    chief_executive_title = fields.String(allow_none=True, validate=validate.Length(max=200))
    chief_executive_email = fields.Email(allow_none=True)
    chief_executive_address = fields.String(allow_none=True)
    safeguarding_lead_name = fields.String(allow_none=True)
    safeguarding_lead_email = fields.Email(allow_none=True)
    joined_on = fields.Date(dump_only=True, allow_none=True)
    notice_given_on = fields.Date(dump_only=True, allow_none=True)
    leaving_on = fields.Date(dump_only=True, allow_none=True)
    left_on = fields.Date(dump_only=True, allow_none=True)


OrganisationResource = Schema.from_dict(
    {**OrganisationSchema._declared_fields, **workflow_fields(partnership_lifecycle)}, name="OrganisationResource"
)


class OrganisationUpdateSchema(PatchSchema, OrganisationSchema):
    version = fields.Integer(required=True, strict=True)


class PersonSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    job_title = fields.String(allow_none=True)
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True)
    organisation_id = fields.Integer(allow_none=True)
    active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)


class PersonUpdateSchema(PersonSchema):
    version = fields.Integer(required=True, strict=True)


class PeopleArgs(PageArgs):
    organisation_id = fields.Integer()
    q = fields.String(metadata={"description": "Part of a name"})
    include_inactive = fields.Boolean(load_default=False)


class GroupSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    short_name = fields.String(required=True, validate=validate.Length(min=1, max=60))
    kind = _enum(GroupKind, required=True)
    arm = _enum(Arm, load_default=Arm.both)
    area = _enum(Area, load_default=Area.both)
    terms_of_reference = fields.String(allow_none=True)
    tor_last_reviewed_on = fields.Date(allow_none=True)
    tor_review_due_on = fields.Date(allow_none=True)
    minutes_restricted = fields.Boolean(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "Minutes restricted as a whole (viewers never see them); null: as usual, restricted "
            "only for the groups that discuss cases (the SAR and CSPR sub-groups)"
        },
    )
    each_council_required = fields.Boolean(
        load_default=False,
        metadata={"description": "Quorum: each council with a seat must be present (default: either council)"},
    )
    active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)


class GroupUpdateSchema(GroupSchema):
    version = fields.Integer(required=True, strict=True)


class MembershipSchema(Schema):
    id = fields.Integer(dump_only=True)
    group_id = fields.Integer(dump_only=True)
    person_id = fields.Integer(required=True)
    organisation_id = fields.Integer(dump_only=True, allow_none=True)
    role = _enum(MembershipRole, load_default=MembershipRole.member)
    deputy_person_id = fields.Integer(allow_none=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True)
    notice_given_on = fields.Date(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class MembershipUpdateSchema(PatchSchema):
    version = fields.Integer(required=True, strict=True)
    role = _enum(MembershipRole)
    deputy_person_id = fields.Integer(allow_none=True)
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)


# --- organisations ----------------------------------------------------------------------


@blp.route("/organisations", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, OrganisationResource(many=True))
def list_organisations():
    """Every organisation, with its partnership state."""
    return svc.list_organisations()


@blp.route("/organisations", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(OrganisationSchema)
@blp.response(201, OrganisationResource)
@blp.alt_response(422, schema=ProblemSchema)
def create_organisation(body):
    """Add an organisation (it starts as `proposed`)."""
    return svc.create_organisation(**body)


@blp.route("/organisations/<int:org_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, OrganisationResource)
def get_organisation(org_id: int):
    return svc.get_organisation(org_id)


@blp.route("/organisations/<int:org_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(OrganisationUpdateSchema)
@blp.response(200, OrganisationResource)
@blp.alt_response(409, schema=ProblemSchema, description="Stale version")
def update_organisation(body, org_id: int):
    """Change an organisation's details; send the `version` you read."""
    org = svc.get_organisation(org_id)
    version = body.pop("version")
    return svc.update_organisation(org, version=version, **body)


add_workflow_endpoints(
    blp,
    "/organisations",
    partnership_lifecycle,
    OrganisationResource,
    load=lambda entity_id, user: svc.get_organisation(entity_id),
    readers=access.roles(*READERS),
)


# --- people ------------------------------------------------------------------------------


@blp.route("/people", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(PeopleArgs, location="query")
@blp.response(200, page_of(PersonSchema))
def list_people(args):
    rows, total = svc.list_people(
        organisation_id=args.get("organisation_id"),
        search=args.get("q"),
        include_inactive=args["include_inactive"],
        page=args["page"],
        per_page=args["per_page"],
    )
    return page(rows, total, args)


@blp.route("/people", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(PersonSchema)
@blp.response(201, PersonSchema)
def create_person(body):
    return svc.create_person(**body)


@blp.route("/people/<int:person_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, PersonSchema)
def get_person(person_id: int):
    return svc.get_person(person_id)


@blp.route("/people/<int:person_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(PersonUpdateSchema(partial=True))
@blp.response(200, PersonSchema)
def update_person(body, person_id: int):
    person = svc.get_person(person_id)
    version = body.pop("version", None)
    return svc.update_person(person, version=version, **body)


# --- groups and memberships ---------------------------------------------------------------


@blp.route("/groups", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, GroupSchema(many=True))
def list_groups():
    return svc.list_groups(include_inactive=True)


@blp.route("/groups", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(GroupSchema)
@blp.response(201, GroupSchema)
def create_group(body):
    return svc.create_group(**body)


@blp.route("/groups/<int:group_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, GroupSchema)
def get_group(group_id: int):
    return svc.get_group(group_id)


@blp.route("/groups/<int:group_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(GroupUpdateSchema(partial=True))
@blp.response(200, GroupSchema)
def update_group(body, group_id: int):
    group = svc.get_group(group_id)
    version = body.pop("version", None)
    return svc.update_group(group, version=version, **body)


@blp.route("/groups/<int:group_id>/memberships", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, MembershipSchema(many=True))
def list_memberships(group_id: int):
    return svc.memberships_of_group(svc.get_group(group_id).id)


@blp.route("/groups/<int:group_id>/memberships", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(MembershipSchema)
@blp.response(201, MembershipSchema)
def create_membership(body, group_id: int):
    group = svc.get_group(group_id)
    person = _person_field(body["person_id"], "person_id")
    deputy = _person_field(body.get("deputy_person_id"), "deputy_person_id")
    return svc.add_membership(
        group=group,
        person=person,
        role=body["role"],
        deputy=deputy,
        start_date=body["start_date"],
        end_date=body.get("end_date"),
    )


@blp.route("/memberships/<int:membership_id>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, MembershipSchema)
def get_membership(membership_id: int):
    return svc.get_membership(membership_id)


@blp.route("/memberships/<int:membership_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(MembershipUpdateSchema)
@blp.response(200, MembershipSchema)
def update_membership(body, membership_id: int):
    m = svc.get_membership(membership_id)
    body = patched(body, m, MembershipUpdateSchema)
    deputy = _person_field(body.get("deputy_person_id"), "deputy_person_id")
    return svc.update_membership(
        m,
        version=body["version"],
        role=body["role"],
        deputy=deputy,
        start_date=body["start_date"],
        end_date=body.get("end_date"),
    )


def _person_field(person_id, field: str):
    from safeguarding.services.errors import NotFound, ValidationFailed

    if person_id is None:
        return None
    try:
        return svc.get_person(person_id)
    except NotFound:
        raise ValidationFailed(errors={field: "No person with this id"}) from None


# --- the memorandum of understanding ------------------------------------------------------------


class MouVersionSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=40))
    in_force_from = fields.Date(required=True)
    summary = fields.String(allow_none=True, load_default=None)
    in_force = fields.Boolean(dump_only=True, metadata={"description": "The version in force today"})
    signatures = fields.Integer(dump_only=True)


class MouSignatureSchema(Schema):
    person_id = fields.Integer(required=True)
    document_version = fields.String(
        load_default=None, metadata={"description": "The version signed (default: the one in force)"}
    )
    signed_on = fields.Date(required=True)


def _version_out(v: Any, in_force: Any, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": v.id,
        "name": v.name,
        "in_force_from": v.in_force_from,
        "summary": v.summary,
        "in_force": in_force is not None and v.id == in_force.id,
        "signatures": counts.get(v.name, 0),
    }


@blp.route("/mou-versions", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, MouVersionSchema(many=True))
def list_mou_versions():
    """The versions of the memorandum of understanding, the newest first; voting needs a
    signature of the version in force."""
    in_force, counts = svc.mou_in_force(), svc.mou_signature_counts()
    return [_version_out(v, in_force, counts) for v in svc.mou_versions()]


@blp.route("/mou-versions", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(MouVersionSchema)
@blp.response(201, MouVersionSchema)
def post_mou_version(body):
    """Record a new version of the memorandum and the date it comes into force."""
    v = svc.record_mou_version(recorded_by_id=current_user.id, **body)
    return _version_out(v, svc.mou_in_force(), svc.mou_signature_counts())


@blp.route("/mou-signatures", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(MouSignatureSchema)
@blp.response(201, MouSignatureSchema)
def post_mou_signature(body):
    """Record that a person signed a version of the memorandum."""
    sig = svc.record_mou_signature(
        svc.get_person(body["person_id"]),
        body["signed_on"],
        recorded_by_id=current_user.id,
        document_version=body["document_version"],
    )
    return {"person_id": sig.person_id, "document_version": sig.document_version, "signed_on": sig.signed_on}
