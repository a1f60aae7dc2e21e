"""The budget pages' blueprint, who may use them, the template filters and what the
pages share."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from safeguarding import nav
from safeguarding.calendar import financial_year_label, financial_year_title, parse_financial_year
from safeguarding.forms import error_summary
from safeguarding.models import Role
from safeguarding.services import budget as svc
from safeguarding.workflows.budget import budget_lifecycle

bp = Blueprint("budget", __name__)
budget_lifecycle.serve(url=lambda b: url_for("budget.budget", year=financial_year_label(b.financial_year)))

OFFICE = (Role.business_office,)
SEE_ALL = (Role.business_office, Role.independent_chair)
FINANCE = (Role.business_office, Role.independent_chair, Role.partner_member)
READERS = (*FINANCE, Role.viewer)

nav.add("Budget", "budget.index", order=70)


@bp.app_template_filter("fy_title")
def _fy_title(start_year: int) -> str:
    """2020 → 2020/21"""
    return financial_year_title(start_year)


@bp.app_template_filter("fy_label")
def _fy_label(start_year: int) -> str:
    """2020 → 2020-21 (URLs)"""
    return financial_year_label(start_year)


@bp.app_template_filter("percent")
def _percent(basis_points: int | None) -> str:
    """1250 → 12.5%"""
    return svc.format_percentage(basis_points)


def _summary(form, extra=None):
    return error_summary(form, extra) if (form.errors or extra) else None


def _budget(year: str):
    return svc.get_budget(year, current_user)


def _year_url(budget, endpoint: str = "budget.budget", **kw) -> str:
    return url_for(endpoint, year=financial_year_label(budget.financial_year), **kw)


def _year_arg() -> int | None:
    raw = request.args.get("year")
    if not raw:
        return None
    try:
        return parse_financial_year(raw)
    except ValueError:
        abort(400)


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
