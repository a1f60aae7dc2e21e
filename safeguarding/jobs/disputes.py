"""The disputes' daily job: the 7-day alert and the day-29 breach (services/disputes.py)."""

from __future__ import annotations

from datetime import date

from safeguarding.jobs import job
from safeguarding.services import disputes


@job(
    "dispute_deadlines",
    description="Disputes: email the Independent Chair and the business office when "
    "DISPUTE_ALERT_DAYS (7) or fewer days remain and no joint meeting is convened; "
    "record the breach on day 29 without a held meeting",
)
def dispute_deadlines(as_of: date) -> dict[str, int]:
    return {"alerts": disputes.send_deadline_alerts(as_of), "breaches": disputes.record_breaches(as_of)}
