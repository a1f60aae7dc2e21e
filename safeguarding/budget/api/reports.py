"""`/api/v1/reports/...`: the monitoring report and the contributions, as JSON, CSV or
XLSX."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_login import current_user

from safeguarding import access
from safeguarding.api.schemas import page_of
from safeguarding.budget import exports
from safeguarding.budget.api.blueprint import FINANCE, blp
from safeguarding.budget.api.schemas import AgreementSchema, MonitoringSchema, ReportArgs
from safeguarding.calendar import financial_year_label, today
from safeguarding.services import budget as svc


def _format(args: dict[str, Any]) -> str:
    if args.get("format"):
        return args["format"]
    best = request.accept_mimetypes.best_match(
        ["application/json", "text/csv", exports.XLSX_MIMETYPE], default="application/json"
    )
    return {"text/csv": "csv", exports.XLSX_MIMETYPE: "xlsx"}.get(best, "json")


def _file(table: exports.Table, fmt: str, name: str) -> Response:
    if fmt == "csv":
        data, mimetype = exports.to_csv(table), "text/csv"
    else:
        data, mimetype = exports.to_xlsx(table, generated_on=today()), exports.XLSX_MIMETYPE
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@blp.route("/reports/budget-monitoring", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, MonitoringSchema)
def budget_monitoring(args):
    """Per line: budget, committed, actual, forecast outturn, variance and whether the forecast
    is over budget. JSON by default; `format=csv` or `format=xlsx` (or an Accept header of
    text/csv or the XLSX type) for a file."""
    b = svc.get_budget(financial_year_label(args["year"]), current_user)
    m = svc.monitoring(b)
    fmt = _format(args)
    if fmt == "json":
        return m
    return _file(exports.monitoring_table(m), fmt, f"budget-monitoring-{financial_year_label(b.financial_year)}")


@blp.route("/reports/contributions", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, page_of(AgreementSchema))
def contributions_report(args):
    """Each partner's contribution and balance for a year (partners: their own); JSON, CSV or XLSX."""
    b = svc.get_budget(financial_year_label(args["year"]), current_user)
    own = None if svc.sees_all(current_user) else svc.partner_organisation_id(current_user)
    agreements = svc.agreements_of(b, organisation_id=own)
    balances = svc.balances_by_agreement(agreements)
    fmt = _format(args)
    if fmt == "json":
        for a in agreements:
            a._api_balance = balances[a.id]
        return {"items": agreements, "total": len(agreements), "page": 1, "per_page": len(agreements)}
    return _file(
        exports.contributions_table(svc.title(b), agreements, balances),
        fmt,
        f"contributions-{financial_year_label(b.financial_year)}",
    )
