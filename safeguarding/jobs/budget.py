"""The budget's daily job: chase overdue contribution invoices."""

from __future__ import annotations

from datetime import date

from safeguarding.jobs import job
from safeguarding.services import budget


@job(
    "chase_overdue_invoices",
    description="Email each overdue contribution invoice's contact a reminder with the invoice "
    "(every 14 days while it is overdue: INVOICE_CHASE_INTERVAL_DAYS)",
)
def chase_overdue_invoices(as_of: date) -> dict[str, int]:
    result = budget.chase_overdue(as_of)
    return {
        "reminders": len(result.chased),
        "without_an_address": len(result.no_address),
        "overdue": len(budget.overdue_invoices(as_of)),
    }
