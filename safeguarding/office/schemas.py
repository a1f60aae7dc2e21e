"""API schemas of the risk register and the forward plan (the endpoints are in `api`)."""

from __future__ import annotations

from marshmallow import Schema, validate

from safeguarding.api import fields
from safeguarding.api.schemas import PatchSchema
from safeguarding.calendar import financial_year_label
from safeguarding.models import ForwardKind
from safeguarding.services import risks as svc

SCORE = {"validate": validate.Range(min=1, max=5)}


class RiskArgs(Schema):
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "closed", "all"]))
    rag = fields.String(validate=validate.OneOf(list(svc.RAGS)))
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv", "xlsx"]),
        metadata={"description": "`csv` or `xlsx` for the register as a file"},
    )


class RiskScoreSchema(Schema):
    assessed_on = fields.Date(dump_only=True)
    inherent_likelihood = fields.Integer(dump_only=True)
    inherent_impact = fields.Integer(dump_only=True)
    inherent_score = fields.Integer(dump_only=True)
    residual_likelihood = fields.Integer(dump_only=True)
    residual_impact = fields.Integer(dump_only=True)
    residual_score = fields.Integer(dump_only=True)
    rag = fields.Function(lambda h: svc.rag_of(h), dump_only=True)
    note = fields.String(dump_only=True, allow_none=True)


class RiskSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    cause = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    effect = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    owner_organisation_id = fields.Integer(required=True)
    owner_person_id = fields.Integer(allow_none=True, load_default=None)
    inherent_likelihood = fields.Integer(required=True, **SCORE)
    inherent_impact = fields.Integer(required=True, **SCORE)
    inherent_score = fields.Integer(dump_only=True)
    controls = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))
    residual_likelihood = fields.Integer(required=True, **SCORE)
    residual_impact = fields.Integer(required=True, **SCORE)
    residual_score = fields.Integer(dump_only=True)
    rag = fields.Function(lambda r: svc.rag_of(r), dump_only=True, metadata={"description": "From the residual score"})
    review_date = fields.Date(required=True)
    status = fields.String(dump_only=True)
    closed_reason = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    note = fields.String(load_only=True, validate=validate.Length(max=2000), metadata={"description": "Why"})


class RiskUpdateSchema(PatchSchema):
    version = fields.Integer(required=True)
    title = fields.String(validate=validate.Length(min=1, max=300))
    cause = fields.String(validate=validate.Length(min=1, max=4000))
    effect = fields.String(validate=validate.Length(min=1, max=4000))
    owner_organisation_id = fields.Integer()
    owner_person_id = fields.Integer(allow_none=True)
    inherent_likelihood = fields.Integer(**SCORE)
    inherent_impact = fields.Integer(**SCORE)
    controls = fields.String(allow_none=True, validate=validate.Length(max=4000))
    residual_likelihood = fields.Integer(**SCORE)
    residual_impact = fields.Integer(**SCORE)
    review_date = fields.Date()
    note = fields.String(validate=validate.Length(max=2000), metadata={"description": "Why the scores changed"})


class CloseSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    version = fields.Integer(required=True)


class MitigationSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    owner_organisation_id = fields.Integer(required=True)
    owner_person_id = fields.Integer(allow_none=True, load_default=None)
    due_date = fields.Date(required=True)
    description = fields.String(allow_none=True, load_default=None)
    status = fields.String(dump_only=True)


class YearArgs(Schema):
    year = fields.String(metadata={"description": "The financial year, `2026-27` (default: this year)"})


class ForwardItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    year = fields.String(load_only=True, metadata={"description": "The financial year, `2026-27`"})
    financial_year = fields.Function(lambda i: financial_year_label(i.financial_year), dump_only=True)
    kind = fields.String(load_default="other", validate=validate.OneOf([k.value for k in ForwardKind]))
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    sub_group_id = fields.Integer(dump_only=True, allow_none=True)
    notes = fields.String(allow_none=True, load_default=None)
    meeting_id = fields.Integer(dump_only=True, allow_none=True)
    meeting_date = fields.Date(dump_only=True, allow_none=True)
    agenda_item_id = fields.Integer(dump_only=True, allow_none=True)
    active = fields.Boolean(dump_only=True)
    version = fields.Integer(dump_only=True)


class ForwardItemUpdateSchema(PatchSchema):
    version = fields.Integer(required=True)
    title = fields.String(validate=validate.Length(min=1, max=300))
    month = fields.Integer(validate=validate.Range(min=1, max=12))
    notes = fields.String(allow_none=True)


class ForwardItemVersionSchema(Schema):
    version = fields.Integer(required=True)
