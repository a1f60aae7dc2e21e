"""The monitoring report (budget, forecast outturn and actual by line), its chart and
downloads."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from safeguarding import access
from safeguarding.budget import exports
from safeguarding.budget.routes.blueprint import FINANCE, _budget, _download, bp
from safeguarding.calendar import today
from safeguarding.charts import Series, bar_chart
from safeguarding.formatting import money
from safeguarding.services import budget as svc


@bp.route("/budget/<year>/monitoring")
@access.roles(*FINANCE)
def monitoring(year: str):
    b = _budget(year)
    m = svc.monitoring(b)
    chart = (
        bar_chart(
            f"Budget, forecast outturn and actual spend by line, {svc.title(b)}",
            [r.line.name for r in m.rows],
            [
                Series("Budget", [r.budget_pence for r in m.rows]),
                Series("Forecast outturn", [r.forecast_pence for r in m.rows]),
                Series("Actual", [r.actual_pence for r in m.rows]),
            ],
            value_format=money,
        )
        if m.rows
        else None
    )
    return render_template(
        "budget/monitoring.html",
        b=b,
        m=m,
        chart=chart,
        manages=svc.manages(current_user),
        sees_all=svc.sees_all(current_user),
    )


@bp.route("/budget/<year>/monitoring.<fmt>")
@access.roles(*FINANCE)
def monitoring_download(year: str, fmt: str):
    b = _budget(year)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    table = exports.monitoring_table(svc.monitoring(b))
    name = f"budget-monitoring-{svc.label(b)}.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(table), name, "text/csv")
    return _download(exports.to_xlsx(table, generated_on=today()), name, exports.XLSX_MIMETYPE)
