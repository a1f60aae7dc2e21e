"""The timeliness report: the year's figures by area, and the median days per stage."""

from __future__ import annotations

from flask import abort, render_template, request

from safeguarding import access, charts
from safeguarding.calendar import financial_year_label, financial_year_start, parse_financial_year, today
from safeguarding.models import Area
from safeguarding.reviews.routes.common import OFFICE_OR_CHAIR, bp
from safeguarding.services import reviews as svc

# --- the timeliness report ------------------------------------------------------------------------------


@bp.route("/reviews/timeliness")
@access.roles(*OFFICE_OR_CHAIR)
def timeliness():
    label = request.args.get("year") or financial_year_label(financial_year_start(today()))
    try:
        year = parse_financial_year(label)
    except ValueError:
        abort(400)
    figures = svc.timeliness_by_area(year)
    overall = figures[None]["timeliness"]
    measures = [
        ("referral_to_decision", "Referral to decision"),
        ("decision_to_draft", "Decision to draft report"),
        ("draft_to_publication", "Draft report to publication"),
    ]
    chart = charts.bar_chart(
        "Median days for each stage (paused time left out)",
        [m[1] for m in measures],
        [
            charts.Series("SARs", [overall[m]["sar"]["median_days"] for m, _ in measures]),
            charts.Series("CSPRs", [overall[m]["cspr"]["median_days"] for m, _ in measures]),
        ],
        value_format=lambda v: f"{v:g} days",
    )
    this_year = financial_year_start(today())
    years = [financial_year_label(y) for y in range(this_year, this_year - 10, -1)]
    return render_template(
        "reviews/timeliness.html",
        figures=figures,
        year=year,
        label=financial_year_label(year),
        measures=measures,
        chart=chart,
        areas=Area,
        years=years,
    )
