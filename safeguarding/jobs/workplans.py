"""The work plans' daily job: rate every item of every open plan (services/workplans.py)."""

from __future__ import annotations

from datetime import date

from safeguarding.jobs import job
from safeguarding.services import workplans


@job(
    "workplan_rag",
    description="Work plans: recalculate the RAG rating of every item of every plan not yet "
    "closed (red when overdue; amber when due within 30 days with no update for 60 "
    "days, or flagged at risk; green otherwise; complete when completed)",
)
def workplan_rag(as_of: date) -> dict[str, int]:
    return {"changed": workplans.recalculate_all(as_of)}
