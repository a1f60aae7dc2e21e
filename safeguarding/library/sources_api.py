"""The sources the office enters besides case reviews, on the library's API blueprint
(api.py imports this module): learning reviews and multi-agency audits.

    /api/v1/learning-reviews   list (the office, the chair); record one (the office)
    /api/v1/audits             list (the office, the chair); record one (the office)

Their findings are recorded with `POST /api/v1/findings` (`learning_review_id` or
`audit_id`)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.errors import ProblemSchema
from safeguarding.extensions import db
from safeguarding.models import Area, Arm, LearningReview, LearningReviewKind, MultiAgencyAudit, Role
from safeguarding.services import learning

from .api_blueprint import blp

OFFICE_OR_CHAIR = (Role.business_office, Role.independent_chair)
ARMS = [a.value for a in Arm]
AREAS = [a.value for a in Area]


class LearningReviewSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in LearningReviewKind]))
    title = fields.String(required=True, metadata={"description": "No names"})
    arm = fields.String(required=True, validate=validate.OneOf(ARMS))
    area = fields.String(required=True, validate=validate.OneOf(AREAS))
    group_id = fields.Integer(load_default=None, allow_none=True)
    concluded_on = fields.Date(required=True)
    summary = fields.String(load_default=None, allow_none=True)


class AuditSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(required=True)
    topic = fields.String(required=True)
    arm = fields.String(required=True, validate=validate.OneOf(ARMS))
    area = fields.String(required=True, validate=validate.OneOf(AREAS))
    group_id = fields.Integer(load_default=None, allow_none=True)
    audited_on = fields.Date(required=True)
    cases_audited = fields.Integer(required=True, validate=validate.Range(min=0, max=100_000))
    grades = fields.Dict(
        keys=fields.String(validate=validate.OneOf(list(learning.AUDIT_GRADES))),
        values=fields.Integer(validate=validate.Range(min=0, max=100_000)),
        load_default=dict,
    )
    summary = fields.String(load_default=None, allow_none=True)
    work_plan_item_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The planned audit of a sub-group's approved work plan it carries out (the audit "
            "programme): that item is completed on `audited_on`"
        },
    )


def _dump(row) -> dict:
    out = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    for key in ("kind", "arm", "area"):
        if key in out and out[key] is not None:
            out[key] = out[key].value
    return out


@blp.route("/learning-reviews", methods=["GET"])
@access.roles(*OFFICE_OR_CHAIR)
@blp.response(200, LearningReviewSchema(many=True))
def list_learning_reviews():
    """Learning reviews entered by the office, newest first (at most 500)."""
    rows = db.session.scalars(sa.select(LearningReview).order_by(LearningReview.concluded_on.desc()).limit(500))
    return [_dump(r) for r in rows]


@blp.route("/learning-reviews", methods=["POST"])
@access.roles(Role.business_office)
@blp.arguments(LearningReviewSchema)
@blp.response(201, LearningReviewSchema)
@blp.alt_response(422, schema=ProblemSchema)
def create_learning_review(body):
    """Record a learning review (a learning-together review, a DARDR, another)."""
    return _dump(learning.record_learning_review(current_user, **body))


@blp.route("/audits", methods=["GET"])
@access.roles(*OFFICE_OR_CHAIR)
@blp.response(200, AuditSchema(many=True))
def list_audits():
    """Multi-agency audits, newest first (at most 500)."""
    rows = db.session.scalars(sa.select(MultiAgencyAudit).order_by(MultiAgencyAudit.audited_on.desc()).limit(500))
    return [_dump(r) for r in rows]


@blp.route("/audits", methods=["POST"])
@access.roles(Role.business_office)
@blp.arguments(AuditSchema)
@blp.response(201, AuditSchema)
@blp.alt_response(422, schema=ProblemSchema)
def create_audit(body):
    """Record a multi-agency audit: topic, cases audited, grades (outstanding, good,
    requires_improvement, inadequate → a number of cases)."""
    return _dump(learning.record_audit(current_user, **body))
