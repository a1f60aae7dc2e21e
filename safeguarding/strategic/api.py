"""JSON API of the strategic plan: plans (list, get, create, change), their consultations
and the PDF."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, validate

from safeguarding import access, documents
from safeguarding.api import fields
from safeguarding.api.schemas import PatchSchema
from safeguarding.calendar import financial_year_label, parse_financial_year
from safeguarding.models import ConsultationKind, StrategicPlan, StrategicPlanState
from safeguarding.services import strategic as svc
from safeguarding.services.errors import ValidationFailed

blp = Blueprint(
    "strategic_api",
    __name__,
    url_prefix="/api/v1",
    description="The adults' Board's strategic plan (Care Act 2014 Schedule 2 para 3)",
)


class StrategicConsultationSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ConsultationKind]))
    consulted_on = fields.Date(required=True)
    consulted = fields.String(required=True, validate=validate.Length(min=1, max=300))
    response = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
    changes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10_000))


class StrategicCommitmentSchema(Schema):
    organisation_id = fields.Integer()
    organisation = fields.String()
    text = fields.String()


class StrategicObjectiveSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    title = fields.String()
    description = fields.String()
    priority_ids = fields.List(fields.Integer(), metadata={"description": "The business plan priorities linked"})
    commitments = fields.List(
        fields.Nested(StrategicCommitmentSchema), metadata={"description": "What each member will do"}
    )


class StrategicPlanSummarySchema(Schema):
    id = fields.Integer(dump_only=True)
    financial_year = fields.String(required=True, metadata={"description": "The financial year, `2026-27`"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    vision = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10_000))
    state = fields.String(dump_only=True)
    agreed_on = fields.Date(dump_only=True, allow_none=True)
    board_decision_id = fields.Integer(dump_only=True, allow_none=True)
    published_on = fields.Date(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)


class StrategicPlanSchema(StrategicPlanSummarySchema):
    objectives = fields.List(fields.Nested(StrategicObjectiveSchema), dump_only=True)
    consultations = fields.List(fields.Nested(StrategicConsultationSchema), dump_only=True)


class StrategicPlanUpdateSchema(PatchSchema):
    version = fields.Integer(required=True)
    title = fields.String(validate=validate.Length(min=1, max=300))
    vision = fields.String(allow_none=True, validate=validate.Length(max=10_000))


def _out(plan: StrategicPlan, *, full: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": plan.id,
        "financial_year": financial_year_label(plan.financial_year),
        "title": plan.title,
        "vision": plan.vision,
        "state": plan.state.value,
        "agreed_on": plan.agreed_on,
        "board_decision_id": plan.board_decision_id,
        "published_on": plan.published_on,
        "version": plan.version,
    }
    if full:
        linked = svc.priorities_by_objective(plan)
        commitments = svc.commitments_of(plan)
        out["objectives"] = [
            {
                "id": o.id,
                "number": o.number,
                "title": o.title,
                "description": o.description,
                "priority_ids": [p.id for p in linked.get(o.id, [])],
                "commitments": [
                    {"organisation_id": c.organisation_id, "organisation": c.organisation.name, "text": c.text}
                    for c in commitments.get(o.id, [])
                ],
            }
            for o in svc.objectives_of(plan)
        ]
        out["consultations"] = svc.consultations_of(plan)
    return out


@blp.route("/strategic-plans", methods=["GET"])
@access.roles(*svc.READERS)
@blp.response(200, StrategicPlanSummarySchema(many=True))
def list_plans():
    """The plans, latest year first: drafts only for the office and the chair."""
    return [_out(p, full=False) for p in svc.list_plans(current_user)]


@blp.route("/strategic-plans", methods=["POST"])
@access.roles(*svc.OFFICE)
@blp.arguments(StrategicPlanSchema)
@blp.response(201, StrategicPlanSchema)
def create_plan(body):
    try:
        year = parse_financial_year(body["financial_year"])
    except ValueError as exc:
        raise ValidationFailed(errors={"financial_year": "Enter the financial year, like 2026-27"}) from exc
    return _out(svc.create_plan(current_user, financial_year=year, title=body["title"], vision=body.get("vision")))


@blp.route("/strategic-plans/<int:plan_id>", methods=["GET"])
@access.roles(*svc.READERS)
@blp.response(200, StrategicPlanSchema)
def get_plan(plan_id: int):
    return _out(svc.get_plan(plan_id, current_user))


@blp.route("/strategic-plans/<int:plan_id>", methods=["PATCH"])
@access.roles(*svc.OFFICE)
@blp.arguments(StrategicPlanUpdateSchema)
@blp.response(200, StrategicPlanSchema)
def update_plan(body, plan_id: int):
    """Change the title or vision of a draft plan (give the `version` you read)."""
    plan = svc.get_plan(plan_id, current_user)
    values = {"title": plan.title, "vision": plan.vision, **body}
    return _out(svc.update_plan(plan, current_user, **values))


@blp.route("/strategic-plans/<int:plan_id>/consultations", methods=["GET"])
@access.roles(*svc.READERS)
@blp.response(200, StrategicConsultationSchema(many=True))
def list_consultations(plan_id: int):
    return svc.consultations_of(svc.get_plan(plan_id, current_user))


@blp.route("/strategic-plans/<int:plan_id>/consultations", methods=["POST"])
@access.roles(*svc.OFFICE)
@blp.arguments(StrategicConsultationSchema)
@blp.response(201, StrategicConsultationSchema)
def add_consultation(body, plan_id: int):
    """Record a consultation of Local Healthwatch or the community: when, whom, what they
    said and what changed as a result."""
    return svc.add_consultation(svc.get_plan(plan_id, current_user), current_user, **body)


@blp.route("/strategic-plans/<int:plan_id>/pdf", methods=["GET"])
@access.roles(*svc.READERS)
@blp.response(200, description="The plan (PDF): as published, or a draft rendered now")
def get_pdf(plan_id: int):
    plan = svc.get_plan(plan_id, current_user)
    data = plan.published_pdf if plan.state == StrategicPlanState.published else svc.plan_pdf(plan)
    return documents.send_file(data, svc.file_name(plan))
