"""The budget pages' blueprint, who may use them, the template filters and what the
pages share."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from safeguarding import nav
from safeguarding.calendar import financial_year_label, financial_year_title
from safeguarding.forms import error_summary
from safeguarding.models import Arm, Role
from safeguarding.services import budget as svc
from safeguarding.workflows.budget import budget_lifecycle

bp = Blueprint("budget", __name__)
budget_lifecycle.serve(url=lambda b: url_for("budget.budget", year=svc.label(b)))

OFFICE = (Role.business_office,)
SEE_ALL = (Role.business_office, Role.independent_chair)
FINANCE = (Role.business_office, Role.independent_chair, Role.partner_member)
READERS = (*FINANCE, Role.viewer)

nav.add("Budget", "budget.index", order=72, group="Reports and budget")


@bp.app_template_filter("fy_title")
def _fy_title(start_year: int) -> str:
    """2020 → 2020/21"""
    return financial_year_title(start_year)


@bp.app_template_filter("fy_label")
def _fy_label(start_year: int) -> str:
    """2020 → 2020-21 (URLs)"""
    return financial_year_label(start_year)


@bp.app_template_filter("budget_label")
def _budget_label(budget) -> str:
    """The budget's label in URLs: 2020-21 (the adults'), 2026-27-children, 2026-27-joint."""
    return svc.label(budget)


@bp.app_template_filter("budget_title")
def _budget_title(budget) -> str:
    """2020/21 (the adults'), 2026/27 (children), 2026/27 (joint)."""
    return svc.title(budget)


@bp.app_template_filter("percent")
def _percent(basis_points: int | None) -> str:
    """1250 → 12.5%"""
    return svc.format_percentage(basis_points)


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _budget(year: str):
    return svc.get_budget(year, current_user)


def _year_url(budget, endpoint: str = "budget.budget", **kw) -> str:
    return url_for(endpoint, year=svc.label(budget), **kw)


def _year_arg() -> tuple[int | None, Arm | None]:
    """?year=2020-21 (the adults' budget, as always) or ?year=2026-27-children (that arm's):
    (year, arm), or (None, None) when not given."""
    raw = request.args.get("year")
    if not raw:
        return None, None
    try:
        year, arm = svc.parse_budget_ref(raw)
    except ValueError:
        abort(400)
    return year, arm


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
