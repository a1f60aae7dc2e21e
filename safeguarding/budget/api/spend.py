"""`/api/v1/spend`: commitments and actual spend."""

from __future__ import annotations

from flask_login import current_user

from safeguarding import access
from safeguarding.api.schemas import page, page_of
from safeguarding.budget.api.blueprint import OFFICE, SEE_ALL, blp
from safeguarding.budget.api.schemas import ReasonSchema, SpendArgs, SpendSchema
from safeguarding.models import Arm, SpendKind
from safeguarding.services import budget as svc
from safeguarding.services.errors import ValidationFailed


@blp.route("/spend", methods=["GET"])
@access.roles(*SEE_ALL)
@blp.arguments(SpendArgs, location="query")
@blp.response(200, page_of(SpendSchema))
def list_spend(args):
    """Commitments and actual spend, newest first."""
    kind = args.get("kind")
    rows, total = svc.list_spend(
        current_user,
        svc.SpendFilters(
            financial_year=args.get("year"),
            arm=args.get("arm"),
            line_id=args.get("line_id"),
            kind=kind.value if kind else None,
            source_type=args.get("source_type"),
            source_id=args.get("source_id"),
            page=args["page"],
            per_page=args["per_page"],
        ),
    )
    return page(rows, total, args)


@blp.route("/spend", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(SpendSchema)
@blp.response(201, SpendSchema)
def create_spend(body):
    """Record a commitment or an actual against a line of an arm's budget for a year (by the
    line's name; `arm`: adults by default)."""
    common = dict(
        financial_year=body["line"]["budget"]["financial_year"],
        arm=body["line"]["budget"].get("arm") or Arm.adults,
        line_name=body["line"]["name"],
        amount_pence=body["amount_pence"],
        supplier=body["supplier"],
        reference=body["reference"],
        description=body.get("description"),
        recorded_by_id=current_user.id,
    )
    if body["kind"] == SpendKind.commitment:
        if body.get("commitment_id") is not None:
            raise ValidationFailed(errors={"commitment_id": "Only actual spend is recorded against a commitment"})
        return svc.record_commitment(committed_on=body["dated_on"], **common)
    return svc.record_spend(spent_on=body["dated_on"], commitment_id=body.get("commitment_id"), **common)


@blp.route("/spend/<int:entry_id>", methods=["GET"])
@access.roles(*SEE_ALL)
@blp.response(200, SpendSchema)
def get_spend(entry_id: int):
    return svc.get_spend(entry_id, current_user)


@blp.route("/spend/<int:entry_id>/end", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(ReasonSchema)
@blp.response(200, SpendSchema)
def end_spend(body, entry_id: int):
    """Release a commitment or reverse an actual recorded in error (kept, marked)."""
    entry = svc.get_spend(entry_id, current_user)
    return svc.end_spend(entry, version=body.get("version"), reason=body["reason"])
