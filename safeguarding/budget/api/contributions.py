"""`/api/v1/contribution-agreements`: what each partner contributes, with its balance."""

from __future__ import annotations

from flask_login import current_user

from safeguarding import access
from safeguarding.api.schemas import page, page_of
from safeguarding.budget.api.blueprint import FINANCE, OFFICE, blp
from safeguarding.budget.api.schemas import AgreementArgs, AgreementCreate, AgreementSchema, AgreementUpdate, _variation
from safeguarding.calendar import financial_year_title
from safeguarding.models import ARM_SLUGS, Arm
from safeguarding.services import budget as svc
from safeguarding.services.errors import ValidationFailed


@blp.route("/contribution-agreements", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(AgreementArgs, location="query")
@blp.response(200, page_of(AgreementSchema))
def list_agreements(args):
    """Contribution agreements with each partner's balance (partners: their own organisation's only)."""
    rows, total = svc.list_agreements(
        current_user,
        financial_year=args.get("year"),
        arm=args.get("arm"),
        organisation_id=args.get("organisation_id"),
        page=args["page"],
        per_page=args["per_page"],
    )
    balances = svc.balances_by_agreement(rows)
    for a in rows:
        a._api_balance = balances[a.id]
    return page(rows, total, args)


@blp.route("/contribution-agreements", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(AgreementCreate)
@blp.response(201, AgreementSchema)
def create_agreement(body):
    """A partner's contribution to an arm's budget for a year (`arm`: adults by default):
    `fixed` (with `fixed_amount`, in addition to the scheme), `scheme_fixed` (a fixed amount
    out of what the scheme shares), `equal_share` (a share under an equal-share scheme,
    statutory agencies only; partners of a percentage or by-figure scheme are set with
    `PUT /budgets/{ref}/scheme`) or `percentage` (of the budget's expenditure)."""
    year = body["budget"]["financial_year"]
    arm = body["budget"].get("arm") or Arm.adults
    budget = svc.budget_for_year(year, arm)
    if budget is None:
        whose = "" if arm == Arm.adults else f" ({ARM_SLUGS[arm]})"
        raise ValidationFailed(errors={"financial_year": f"There is no budget for {financial_year_title(year)}{whose}"})
    return svc.add_agreement(
        budget,
        organisation_id=body["organisation_id"],
        kind=body["kind"],
        fixed_pence=body.get("fixed_pence"),
        percentage_bp=body.get("percentage_bp"),
        contact_name=body.get("contact_name"),
        contact_email=body.get("contact_email"),
        notes=body.get("notes"),
        variation=_variation(body),
        user=current_user,
    )


@blp.route("/contribution-agreements/<int:agreement_id>", methods=["GET"])
@access.roles(*FINANCE)
@blp.response(200, AgreementSchema)
def get_agreement(agreement_id: int):
    return svc.get_agreement(agreement_id, current_user)


@blp.route("/contribution-agreements/<int:agreement_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(AgreementUpdate)
@blp.response(200, AgreementSchema)
def update_agreement(body, agreement_id: int):
    a = svc.get_agreement(agreement_id, current_user)
    return svc.update_agreement(
        a,
        version=body["version"],
        kind=body.get("kind", a.kind),
        fixed_pence=body.get("fixed_pence", a.fixed_pence),
        percentage_bp=body.get("percentage_bp", a.percentage_bp),
        contact_name=body.get("contact_name", a.contact_name),
        contact_email=body.get("contact_email", a.contact_email),
        notes=body.get("notes", a.notes),
        variation=_variation(body),
        user=current_user,
    )
