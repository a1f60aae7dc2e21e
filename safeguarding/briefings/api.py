"""JSON API for learning briefings.

/api/v1/briefings?state=                     the briefings you may see (published ones;
                                             drafts for the office, the chair and the
                                             source's group)
/api/v1/briefings (POST)                     a draft from a review, learning review or
                                             audit (the office); sections left out are
                                             generated from its public findings
/api/v1/briefings/<id>                       one briefing (+ PATCH a draft, the office)
/api/v1/briefings/<id>/publish (POST)        publish a draft (the office)
/api/v1/briefings/<id>/confirmations         each partner organisation, shared or not
                                             (+ POST: a partner member for their own
                                             organisation, the office for any)
"""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, validate, validates_schema

from safeguarding import access
from safeguarding.api import fields
from safeguarding.api.schemas import PageArgs, PatchSchema, page, page_of
from safeguarding.errors import ProblemSchema
from safeguarding.library.rules import LIBRARY_READERS, OFFICE
from safeguarding.models import BRIEFING_SECTIONS, BriefingState
from safeguarding.services.learning import briefings as svc

from .routes import CONFIRMERS

blp = Blueprint(
    "briefings_api", __name__, url_prefix="/api/v1", description="Learning briefings and their dissemination"
)

SECTION_NAMES = [name for name, _ in BRIEFING_SECTIONS]


class BriefingSchema(Schema):
    id = fields.Integer()
    version = fields.Integer()
    reference = fields.String()
    state = fields.Function(lambda b: b.state.value)
    title = fields.String()
    source_label = fields.String()
    source_reference = fields.String()
    review_id = fields.Integer(allow_none=True)
    learning_review_id = fields.Integer(allow_none=True)
    audit_id = fields.Integer(allow_none=True)
    arm = fields.Function(lambda b: b.arm.value)
    background = fields.String()
    what_happened = fields.String()
    learning = fields.String()
    what_to_do = fields.String()
    resources = fields.String()
    published_on = fields.Date(allow_none=True)


class BriefingListArgs(PageArgs):
    state = fields.String(load_default=None, validate=validate.OneOf([s.value for s in BriefingState]))


class BriefingInSchema(Schema):
    review_id = fields.Integer(load_default=None)
    learning_review_id = fields.Integer(load_default=None)
    audit_id = fields.Integer(load_default=None)
    title = fields.String(load_default=None)
    background = fields.String(load_default=None)
    what_happened = fields.String(load_default=None)
    learning = fields.String(load_default=None)
    what_to_do = fields.String(load_default=None)
    resources = fields.String(load_default=None)

    @validates_schema
    def _one_source(self, data: dict, **_: object) -> None:
        given = [k for k in ("review_id", "learning_review_id", "audit_id") if data.get(k)]
        if len(given) != 1:
            raise ValidationError("Give one of review_id, learning_review_id or audit_id", "review_id")


class BriefingPatchSchema(PatchSchema):
    version = fields.Integer(required=True)
    title = fields.String()
    background = fields.String()
    what_happened = fields.String()
    learning = fields.String()
    what_to_do = fields.String()
    resources = fields.String()


class BriefingPublishSchema(Schema):
    version = fields.Integer(required=True)


class ConfirmationSchema(Schema):
    organisation_id = fields.Integer()
    organisation = fields.String()
    confirmed = fields.Boolean()
    confirmed_on = fields.Date(allow_none=True)
    how_shared = fields.String(allow_none=True)
    by_office = fields.Boolean(allow_none=True)


class ConfirmationInSchema(Schema):
    organisation_id = fields.Integer(
        load_default=None, metadata={"description": "Your own organisation when left out (a partner member)"}
    )
    confirmed_on = fields.Date(required=True)
    how_shared = fields.String(required=True)


@blp.route("/briefings", methods=["GET"])
@access.roles(*LIBRARY_READERS)
@blp.arguments(BriefingListArgs, location="query")
@blp.response(200, page_of(BriefingSchema))
def list_briefings(args):
    """The briefings you may see, newest first."""
    rows, total = svc.list_briefings(current_user, state=args["state"], page=args["page"], per_page=args["per_page"])
    return page([r.briefing for r in rows], total, args)


@blp.route("/briefings", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(BriefingInSchema)
@blp.response(201, BriefingSchema)
@blp.alt_response(404, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def create_briefing(body):
    """A draft briefing (the business office): the sections you leave out are generated
    from the source's public findings and recommendations."""
    kind = next(k for k in svc.SOURCE_TYPES if body.get(f"{k}_id"))
    source = svc.load_source(kind, body[f"{kind}_id"])
    values = svc.generate_draft(source)
    values.update({k: body[k] for k in ("title", *SECTION_NAMES) if body.get(k) is not None})
    return svc.create_briefing(source, current_user, **values)


@blp.route("/briefings/<int:briefing_id>", methods=["GET"])
@access.roles(*LIBRARY_READERS)
@blp.response(200, BriefingSchema)
def get_briefing(briefing_id: int):
    """One briefing."""
    return svc.get_briefing(briefing_id, current_user)


@blp.route("/briefings/<int:briefing_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(BriefingPatchSchema)
@blp.response(200, BriefingSchema)
@blp.alt_response(409, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def patch_briefing(body, briefing_id: int):
    """Edit a draft (the business office); `version` is the one you read."""
    row = svc.get_briefing(briefing_id, current_user)
    version = body.pop("version")
    return svc.update_briefing(row, current_user, version=version, **body)


@blp.route("/briefings/<int:briefing_id>/publish", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(BriefingPublishSchema)
@blp.response(200, BriefingSchema)
@blp.alt_response(409, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def publish_briefing(body, briefing_id: int):
    """Publish a draft, dated today (the business office); once only."""
    row = svc.get_briefing(briefing_id, current_user)
    return svc.publish_briefing(row, current_user, version=body["version"])


def _dissemination(row) -> list[dict]:
    return [
        {
            "organisation_id": org.id,
            "organisation": org.name,
            "confirmed": c is not None,
            "confirmed_on": c.confirmed_on if c else None,
            "how_shared": c.how_shared if c else None,
            "by_office": c.by_office if c else None,
        }
        for org, c in svc.dissemination(row)
    ]


@blp.route("/briefings/<int:briefing_id>/confirmations", methods=["GET"])
@access.roles(*LIBRARY_READERS)
@blp.response(200, ConfirmationSchema(many=True))
def list_confirmations(briefing_id: int):
    """Each partner organisation and whether it confirmed it shared the briefing."""
    return _dissemination(svc.get_briefing(briefing_id, current_user))


@blp.route("/briefings/<int:briefing_id>/confirmations", methods=["POST"])
@access.roles(*CONFIRMERS)
@blp.arguments(ConfirmationInSchema)
@blp.response(201, ConfirmationSchema(many=True))
@blp.alt_response(403, schema=ProblemSchema)
@blp.alt_response(409, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def confirm(body, briefing_id: int):
    """Confirm an organisation shared a published briefing: a partner member for their own
    organisation (`organisation_id` may be left out), the business office for any."""
    row = svc.get_briefing(briefing_id, current_user)
    svc.confirm_sharing(row, current_user, **body)
    return _dissemination(row)
