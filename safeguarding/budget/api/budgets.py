"""`/api/v1/budgets`: the years (with their transitions and history), their lines and
income."""

from __future__ import annotations

from flask_login import current_user

from safeguarding import access
from safeguarding.api.schemas import PageArgs, page, page_of
from safeguarding.api.workflow import add_workflow_endpoints
from safeguarding.budget.api.blueprint import FINANCE, OFFICE, READERS, blp
from safeguarding.budget.api.schemas import (
    BudgetCreate,
    BudgetDetail,
    BudgetResource,
    BudgetUpdate,
    IncomeCreate,
    IncomeSchema,
    IncomeUpdate,
    LineCreate,
    LineSchema,
    LineUpdate,
    _variation,
)
from safeguarding.calendar import financial_year_title
from safeguarding.models import ARM_SLUGS, Arm
from safeguarding.services import budget as svc
from safeguarding.services.errors import ValidationFailed
from safeguarding.workflows.budget import budget_lifecycle


@blp.route("/budgets", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(BudgetResource))
def list_budgets(args):
    """The budgets you may see, newest first (viewers: approved and closed; partners: not drafts)."""
    rows = svc.list_budgets(current_user)
    totals = svc.totals_for([b.id for b in rows])
    for b in rows:
        b._api_totals = totals[b.id]
    start = (args["page"] - 1) * args["per_page"]
    return page(rows[start : start + args["per_page"]], len(rows), args)


@blp.route("/budgets", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(BudgetCreate)
@blp.response(201, BudgetResource)
def create_budget(body):
    """Start an arm's year in draft (`arm`: adults by default, children, or joint with
    `adults_share` and `children_share` totalling 100): blank, or a copy of another budget
    (`copy_from`, of `copy_from_arm`, by default the same arm) with an uplift."""
    copy_from = None
    arm = body.get("arm") or Arm.adults
    if body.get("copy_from") is not None:
        copy_arm = body.get("copy_from_arm") or arm
        copy_from = svc.budget_for_year(body["copy_from"], copy_arm)
        if copy_from is None:
            whose = "" if copy_arm == Arm.adults else f" ({ARM_SLUGS[copy_arm]})"
            raise ValidationFailed(
                errors={"copy_from": f"There is no budget for {financial_year_title(body['copy_from'])}{whose}"}
            )
    return svc.start_year(
        financial_year=body["financial_year"],
        arm=arm,
        adults_share_bp=body.get("adults_share_bp"),
        children_share_bp=body.get("children_share_bp"),
        copy_from=copy_from,
        uplift_bp=body.get("uplift_percent") or 0,
        user=current_user,
    )


@blp.route("/budgets/<budget_ref>", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, BudgetDetail)
def get_budget(budget_ref: str):
    """One budget by id (`7`) or label (`2020-21`: the adults'; `2026-27-children`,
    `2026-27-joint`), with its lines, income, what
    each partner contributes and (for the office and chair) its variations."""
    b = svc.get_budget(budget_ref, current_user)
    s = svc.summary(b)
    b._api_totals = s.totals
    b.lines, b.income = s.lines, s.income
    b.contributions = s.agreements
    b.variations = svc.variations_of(b) if svc.sees_all(current_user) else []
    return b


@blp.route("/budgets/<budget_ref>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(BudgetUpdate)
@blp.response(200, BudgetResource)
def update_budget(body, budget_ref: str):
    """The equal-share target, the opening reserves (first year) and notes. On an approved
    budget give `reason`, `approver` and `approved_on`: the change is an in-year variation."""
    b = svc.get_budget(budget_ref, current_user)
    return svc.update_settings(
        b,
        version=body["version"],
        equal_share_target_pence=body.get("equal_share_target_pence", b.equal_share_target_pence),
        reserves_brought_forward_pence=body.get("reserves_brought_forward_pence"),
        notes=body.get("notes", b.notes),
        variation=_variation(body),
        user=current_user,
        adults_share_bp=body.get("adults_share_bp"),
        children_share_bp=body.get("children_share_bp"),
    )


add_workflow_endpoints(blp, "/budgets", budget_lifecycle, BudgetResource, readers=access.roles(*FINANCE))


@blp.route("/budgets/<budget_ref>/lines", methods=["GET"])
@access.roles(*READERS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(LineSchema))
def list_lines(args, budget_ref: str):
    """The budget's expenditure lines, in order."""
    rows = svc.lines_of(svc.get_budget(budget_ref, current_user))
    start = (args["page"] - 1) * args["per_page"]
    return page(rows[start : start + args["per_page"]], len(rows), args)


@blp.route("/budgets/<budget_ref>/lines", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(LineCreate)
@blp.response(201, LineSchema)
def create_line(body, budget_ref: str):
    """Add a line (to an approved budget: an in-year variation, with reason and approver)."""
    b = svc.get_budget(budget_ref, current_user)
    return svc.add_line(
        b,
        name=body["name"],
        category=body["category"],
        amount_pence=body["amount_pence"],
        variation=_variation(body),
        user=current_user,
    )


@blp.route("/budgets/<budget_ref>/lines/<int:line_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(LineUpdate)
@blp.response(200, LineSchema)
def update_line(body, budget_ref: str, line_id: int):
    """Change a line (an in-year variation once approved) and/or its forecast outturn."""
    b = svc.get_budget(budget_ref, current_user)
    line = svc.get_line(b, line_id)
    version = body["version"]
    if {"name", "category", "amount_pence"} & set(body):
        svc.update_line(
            line,
            version=version,
            name=body.get("name", line.name),
            category=body.get("category", line.category),
            amount_pence=body.get("amount_pence", line.amount_pence),
            variation=_variation(body),
            user=current_user,
        )
        version = line.version
    if "forecast_pence" in body:
        svc.set_forecast(line, version=version, forecast_pence=body["forecast_pence"])
    return line


@blp.route("/budgets/<budget_ref>/income", methods=["GET"])
@access.roles(*READERS)
@blp.response(200, IncomeSchema(many=True))
def list_income(budget_ref: str):
    """Other income and reserves applied (partner contributions are agreements)."""
    return svc.income_of(svc.get_budget(budget_ref, current_user))


@blp.route("/budgets/<budget_ref>/income", methods=["POST"])
@access.roles(*OFFICE)
@blp.arguments(IncomeCreate)
@blp.response(201, IncomeSchema)
def create_income(body, budget_ref: str):
    b = svc.get_budget(budget_ref, current_user)
    return svc.add_income(
        b,
        name=body["name"],
        kind=body["kind"],
        amount_pence=body["amount_pence"],
        variation=_variation(body),
        user=current_user,
    )


@blp.route("/budgets/<budget_ref>/income/<int:income_id>", methods=["PATCH"])
@access.roles(*OFFICE)
@blp.arguments(IncomeUpdate)
@blp.response(200, IncomeSchema)
def update_income(body, budget_ref: str, income_id: int):
    b = svc.get_budget(budget_ref, current_user)
    row = svc.get_income(b, income_id)
    return svc.update_income(
        row,
        version=body["version"],
        name=body.get("name", row.name),
        kind=body.get("kind", row.kind),
        amount_pence=body.get("amount_pence", row.amount_pence),
        variation=_variation(body),
        user=current_user,
    )
