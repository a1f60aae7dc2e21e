"""The forward plan's daily job: place the items waiting for a Board meeting that has since
been scheduled (services/forward_plan `place_waiting`)."""

from __future__ import annotations

from datetime import date

from safeguarding.calendar import financial_year_start
from safeguarding.jobs import job
from safeguarding.services import forward_plan


@job("forward_plan", description="Forward plan: put the year's business on the Board meetings scheduled since")
def forward_plan_placement(as_of: date) -> dict[str, int]:
    year = financial_year_start(as_of)
    return {"placed": forward_plan.place_waiting(year) + forward_plan.place_waiting(year + 1)}
