"""The retention schedule's daily job: count what is due for disposal review (it disposes of
nothing: disposal is two business-office users' decision, services/records/disposal.py)."""

from __future__ import annotations

from datetime import date

from safeguarding.jobs import job
from safeguarding.services.records import disposal


@job(
    "retention_review",
    description="Retention: count the records past their date that the schedule offers for disposal "
    "(class confirmed, no hold) and those held; disposes of nothing",
)
def retention_review(as_of: date) -> dict[str, int]:
    run = disposal.dry_run(on=as_of, check=False)
    return {"due": run.would_dispose, "held": run.held, "not_confirmed": run.not_confirmed}
