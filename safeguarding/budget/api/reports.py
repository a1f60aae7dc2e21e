"""`/api/v1/reports/...`: the monitoring report and the contributions, as JSON, CSV or
XLSX."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request
from flask_login import current_user

from safeguarding import access
from safeguarding.api.schemas import page_of
from safeguarding.budget import exports
from safeguarding.budget.api.blueprint import FINANCE, blp
from safeguarding.budget.api.schemas import AgreementSchema, InvoiceSchema, MonitoringSchema, ReportArgs
from safeguarding.calendar import financial_year_label, today
from safeguarding.formatting import pounds
from safeguarding.services import budget as svc
from safeguarding.services.errors import NotFound, ValidationFailed


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
    """Per line of an arm's budget (`arm`: adults by default, children, joint): budget,
    committed, actual, forecast outturn, variance and whether the forecast is over budget;
    `arm=all`: every arm's budget of the year, their total and each arm with its share of
    the joint budget. JSON by default; `format=csv` or `format=xlsx` (or an Accept header of
    text/csv or the XLSX type) for a file."""
    if args.get("arm") == "all":
        c = svc.combined_monitoring(args["year"], current_user)
        if not c.rows:
            raise NotFound("Budget not found")
        fmt = _format(args)
        if fmt == "json":
            return _combined_json(c)
        return _file(exports.combined_table(c), fmt, f"budget-monitoring-{financial_year_label(args['year'])}-all-arms")
    b = _report_budget(args)
    m = svc.monitoring(b)
    fmt = _format(args)
    if fmt == "json":
        return m
    return _file(exports.monitoring_table(m), fmt, f"budget-monitoring-{svc.label(b)}")


def _report_budget(args: dict[str, Any]):
    arm = args.get("arm") or "adults"
    if arm == "all":
        raise ValidationFailed(errors={"arm": "Choose one arm: adults, children or joint"})
    label = financial_year_label(args["year"]) + ("" if arm == "adults" else f"-{arm}")
    return svc.get_budget(label, current_user)


def _combined_json(c: svc.Combined) -> Response:
    def row(r: svc.CombinedRow) -> dict[str, Any]:
        out: dict[str, Any] = {"label": r.label, "note": r.note}
        if r.budget is not None:
            out |= {"budget_label": svc.label(r.budget), "arm": r.budget.arm_slug, "state": r.budget.state.value}
        for name in ("budget", "committed", "actual", "forecast", "variance"):
            pence = getattr(r, f"{name}_pence")
            out[name], out[f"{name}_pence"] = pounds(pence), pence
        return out

    body = {
        "financial_year": financial_year_label(c.financial_year),
        "budgets": [row(r) for r in c.rows],
        "total": row(c.total) if c.total else None,
        "arms_with_joint_share": [row(r) for r in c.with_joint],
    }
    return jsonify(body)


@blp.route("/reports/contributions", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, page_of(AgreementSchema))
def contributions_report(args):
    """Each partner's contribution and balance for a year (partners: their own); JSON, CSV or XLSX."""
    b = _report_budget(args)
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
        f"contributions-{svc.label(b)}",
    )


@blp.route("/reports/invoices", methods=["GET"])
@access.roles(*FINANCE)
@blp.arguments(ReportArgs, location="query")
@blp.response(200, page_of(InvoiceSchema))
def invoices_report(args):
    """An arm's budget's invoices for a year with the host council's finance reference
    (purchase order, ledger invoice number); partners: their own. JSON, CSV or XLSX."""
    b = _report_budget(args)
    rows = svc.invoices_of(b, current_user)
    fmt = _format(args)
    if fmt == "json":
        return {"items": rows, "total": len(rows), "page": 1, "per_page": len(rows)}
    return _file(exports.invoices_table(svc.title(b), rows, today()), fmt, f"invoices-{svc.label(b)}")
