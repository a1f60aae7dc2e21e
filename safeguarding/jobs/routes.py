"""The scheduled jobs page for the business office: recent runs, their outcomes, counts
and errors, and the jobs the scheduler knows; on the office's home page, failed runs and
machinery that has stopped ("Daily jobs have not run since 3 December")."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for

from safeguarding import access, home
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.jobs import health
from safeguarding.models import JobOutcome, JobRun, Role
from safeguarding.web import int_arg

bp = Blueprint("jobs", __name__)

PER_PAGE = 50


def failed_recently(days: int = 7) -> int:
    """Runs of the last `days` days whose latest attempt failed."""
    since = today() - timedelta(days=days)
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(JobRun)
            .where(JobRun.outcome == JobOutcome.failed, JobRun.as_of >= since)
        )
        or 0
    )


def _failed_jobs(user) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(JobRun)
        .where(JobRun.outcome == JobOutcome.failed, JobRun.as_of >= today() - timedelta(days=7))
    )


home.count(
    {Role.business_office},
    21,
    "Scheduled jobs that failed",
    lambda u: url_for("jobs.runs", outcome="failed"),
    "in the last 7 days: see the error, then run them again",
    _failed_jobs,
    key="jobs.failed",
    kind=home.DUE,
)


def _machinery_late(user) -> home.Panel | None:
    """One panel per part of the machinery that has not run for longer than expected (the
    daily jobs; the outbox while mail waits). A sentence with a date, not a count, so an
    odd panel (one bounded statement, see health.late)."""
    found = health.late()
    if not found:
        return None
    heading = "; ".join(item.message for item in found)
    detail = "Check that the scheduler is running (flask scheduler), then see its log and /readyz."
    return home.Panel(heading, None, url_for("jobs.runs"), detail, home.DUE, "jobs.machinery_late")


home.add({Role.business_office}, 19, _machinery_late)


@bp.route("/jobs")
@access.roles(Role.business_office)
def runs():
    from safeguarding.jobs import registered

    raw = request.args.get("outcome") or None
    try:
        outcome = JobOutcome(raw) if raw else None
    except ValueError:
        abort(404)
    page = int_arg("page", 1)
    stmt = sa.select(JobRun)
    count = sa.select(sa.func.count()).select_from(JobRun)
    if outcome is not None:
        stmt = stmt.where(JobRun.outcome == outcome)
        count = count.where(JobRun.outcome == outcome)
    rows = db.session.scalars(
        stmt.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    total = db.session.scalar(count) or 0
    return render_template(
        "jobs/runs.html",
        runs=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        outcome=outcome,
        outcomes=list(JobOutcome),
        jobs=registered(),
    )
