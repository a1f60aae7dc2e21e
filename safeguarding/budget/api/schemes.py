"""`/api/v1/budgets/{budget_ref}/scheme`: a budget's contribution scheme beside the
contributions it produced (GET: the office and the chair), and changing it (PUT: the
office; recalculates every contribution; refused once an invoice has been raised)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from marshmallow import Schema, validate

from safeguarding import access
from safeguarding.api import fields
from safeguarding.budget.api.blueprint import OFFICE, SEE_ALL, blp
from safeguarding.budget.api.schemas import VARIATION_FIELDS, Money, Percentage, _variation
from safeguarding.models import AgreementKind, ContributionScheme
from safeguarding.services import budget as svc
from safeguarding.services.budget.schemes import FIGURE_MAX


def _share(a: Any) -> str:
    return {
        AgreementKind.equal_share: "share",
        AgreementKind.scheme_fixed: "fixed",
        AgreementKind.fixed: "fixed_outside",
        AgreementKind.percentage: "percentage_of_expenditure",
    }[AgreementKind(a.kind)]


class SchemePartnerIn(Schema):
    organisation_id = fields.Integer(required=True)
    share = fields.String(
        required=True,
        validate=validate.OneOf(["share", "fixed"]),
        metadata={"description": "share (under the scheme) or fixed (a fixed amount out of what the scheme shares)"},
    )
    percentage = Percentage(
        attribute="share_bp", allow_none=True, metadata={"description": 'A percentage scheme: "25"'}
    )
    figure = fields.Integer(
        attribute="share_figure",
        allow_none=True,
        validate=validate.Range(min=1, max=FIGURE_MAX),
        metadata={"description": "A by-figure scheme: the partner's figure (such as population)"},
    )
    fixed_amount = Money(attribute="fixed_pence", what="the fixed amount", allow_zero=False, allow_none=True)


class SchemePartner(Schema):
    organisation_id = fields.Integer(dump_only=True)
    organisation = fields.String(attribute="organisation.name", dump_only=True)
    share = fields.Function(
        _share,
        dump_only=True,
        metadata={
            "description": "share (under the scheme), fixed (a fixed amount out of what the scheme shares), "
            "fixed_outside (a fixed amount in addition to the scheme) or percentage_of_expenditure"
        },
    )
    percentage = Percentage(
        attribute="share_bp", allow_none=True, metadata={"description": 'A percentage scheme: "25"'}
    )
    figure = fields.Integer(
        attribute="share_figure",
        allow_none=True,
        validate=validate.Range(min=1, max=FIGURE_MAX),
        metadata={"description": "A by-figure scheme: the partner's figure (such as population)"},
    )
    fixed_amount = Money(attribute="fixed_pence", what="the fixed amount", allow_zero=False, allow_none=True)
    amount = Money(attribute="amount_pence", dump_only=True)
    amount_pence = fields.Integer(dump_only=True)
    remainder_pence = fields.Integer(dump_only=True)
    calculation = fields.String(dump_only=True, allow_none=True)


class SchemeSchema(Schema):
    budget_label = fields.Function(lambda v: svc.label(v.budget), dump_only=True)
    version = fields.Function(lambda v: v.budget.version, dump_only=True)
    scheme = fields.Function(lambda v: v.scheme.value, dump_only=True)
    description = fields.Function(svc.describe, dump_only=True)
    target = Money(attribute="target_pence", dump_only=True, allow_none=True)
    target_pence = fields.Integer(dump_only=True, allow_none=True)
    fixed = Money(attribute="fixed_pence", dump_only=True)
    shared = Money(attribute="shared_pence", dump_only=True, allow_none=True)
    figure_label = fields.String(dump_only=True, allow_none=True)
    total_percentage = Percentage(attribute="total_percentage_bp", dump_only=True)
    total_figure = fields.Integer(dump_only=True)
    contributions = Money(attribute="contributions_pence", dump_only=True)
    invoiced = fields.Boolean(
        dump_only=True, metadata={"description": "An invoice has been raised: the scheme can no longer change"}
    )
    partners = fields.List(fields.Nested(SchemePartner), attribute="agreements", dump_only=True)


SchemeUpdate = Schema.from_dict(
    {
        "version": fields.Integer(required=True, strict=True),
        "scheme": fields.Enum(ContributionScheme, by_value=True, required=True),
        "target": Money(
            attribute="target_pence",
            what="the amount the partners share",
            allow_none=True,
            required=True,
            metadata={"description": "What the partners contribute through the scheme (fixed amounts come out of it)"},
        ),
        "figure_label": fields.String(
            allow_none=True, validate=validate.Length(max=60), metadata={"description": 'By figure: "Population"'}
        ),
        "partners": fields.List(
            fields.Nested(SchemePartnerIn),
            load_default=list,
            metadata={"description": "The partners whose part changes (or who join); others keep theirs"},
        ),
        **VARIATION_FIELDS,
    },
    name="SchemeUpdate",
)


@blp.route("/budgets/<budget_ref>/scheme", methods=["GET"])
@access.roles(*SEE_ALL)
@blp.response(200, SchemeSchema)
def get_scheme(budget_ref: str):
    """The scheme, what it shares and each partner's part and contribution."""
    return svc.scheme_of(svc.get_budget(budget_ref, current_user))


@blp.route("/budgets/<budget_ref>/scheme", methods=["PUT"])
@access.roles(*OFFICE)
@blp.arguments(SchemeUpdate)
@blp.response(200, SchemeSchema)
def put_scheme(body, budget_ref: str):
    """Change the scheme and the listed partners' parts; every contribution is worked out
    again. Percentages must total exactly 100%. Refused (409) once an invoice has been
    raised against the budget; on an approved budget give `reason`, `approver` and
    `approved_on` (an in-year variation)."""
    b = svc.get_budget(budget_ref, current_user)
    partners = [
        svc.PartnerShare(
            p["organisation_id"],
            p["share"],
            percentage_bp=p.get("share_bp"),
            figure=p.get("share_figure"),
            fixed_pence=p.get("fixed_pence"),
        )
        for p in body.get("partners") or []
    ]
    return svc.set_scheme(
        b,
        version=body["version"],
        scheme=body["scheme"],
        target_pence=body.get("target_pence"),
        figure_label=body.get("figure_label"),
        partners=partners,
        variation=_variation(body),
        user=current_user,
    )
