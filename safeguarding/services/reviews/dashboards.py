"""The case reviews dashboard and the home page's counts (the office's deadlines and
overdue requests, an agency's waiting requests and actions, the chair's decisions)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import WorkingDays, today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    Area,
    InformationRequest,
    RequestStatus,
    Review,
    ReviewKind,
    ReviewState,
)
from safeguarding.models.actions import OPEN_STATUSES as ACTION_OPEN
from safeguarding.models.reviews import CLOSED_STATES, OPEN_STATES
from safeguarding.services.reviews.deadlines import Deadline, LazyWorkingDays, deadlines, worst
from safeguarding.services.reviews.information_requests import count_requests, request_visibility
from safeguarding.services.reviews.queries import _per_request, agency_organisation_id, visibility


@dataclass
class DashboardRow:
    review: Review
    deadlines: list[Deadline]
    worst: Deadline | None


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    decisions: list[Review]
    by_state: list[tuple[ReviewState, int, int]]  # state, SARs, CSPRs
    by_area: list[tuple[Area, int, int]]
    by_status: dict[str, int]
    upcoming: list[tuple[Review, Deadline]] = field(default_factory=list)


def open_reviews_with_deadlines(user: Any, on: date, cal: Any = None) -> list[DashboardRow]:
    rows = list(
        db.session.scalars(
            sa.select(Review)
            .where(visibility(user), Review.state.in_(OPEN_STATES))
            .order_by(Review.received_on, Review.id)
        )
    )
    cal = cal or LazyWorkingDays()
    out = []
    for r in rows:
        ds = deadlines(r, on, cal)
        out.append(DashboardRow(r, ds, worst(ds)))
    return out


def dashboard(user: Any, on: date | None = None) -> Dashboard:
    """Every open review the user may see, by state, area and arm, with its deadlines;
    the chair's queue of decisions; the deadlines coming up."""
    on = on or today()
    rows = open_reviews_with_deadlines(user, on)
    by_state = []
    for state in ReviewState:
        if state in CLOSED_STATES:
            continue
        sar = sum(1 for r in rows if r.review.state == state and r.review.kind == ReviewKind.sar)
        cspr = sum(1 for r in rows if r.review.state == state and r.review.kind == ReviewKind.cspr)
        if sar or cspr:
            by_state.append((state, sar, cspr))
    by_area = [
        (
            a,
            sum(1 for r in rows if r.review.area == a and r.review.kind == ReviewKind.sar),
            sum(1 for r in rows if r.review.area == a and r.review.kind == ReviewKind.cspr),
        )
        for a in Area
    ]
    status = Counter(r.worst.status if r.worst else "none" for r in rows)
    decisions = sorted(
        (r.review for r in rows if r.review.state == ReviewState.awaiting_decision),
        key=lambda r: (r.recommended_on or r.received_on, r.id),
    )
    upcoming = sorted(
        ((r.review, d) for r in rows for d in r.deadlines if d.is_open), key=lambda x: (x[1].due_on, x[0].id)
    )
    return Dashboard(rows, decisions, by_state, by_area, dict(status), upcoming)


@dataclass(frozen=True)
class Attention:
    deadlines_this_week: int  # open deadlines due within 5 working days, or passed
    overdue_requests: int


def office_attention(user: Any, on: date | None = None) -> Attention:
    """What the business office's home page counts: open deadlines due within 5 working
    days (or passed) and overdue information requests — the reviews and the count in one
    query (plus the closure days when a deadline is near), cached for the request."""
    on = on or today()
    return _per_request(("review_attention", getattr(user, "id", None), on), lambda: _office_attention(user, on))


DEADLINE_COLUMNS = (
    Review.kind,
    Review.state,
    Review.received_on,
    Review.notified_on,
    Review.partners_told_on,
    Review.rapid_review_sent_on,
    Review.report_due_on,
    Review.paused_since,
    Review.paused_days,
    Review.decision,
    Review.signed_off_on,
)


def _office_attention(user: Any, on: date) -> Attention:
    from safeguarding.models import ClosureDay

    overdue = (
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(
            request_visibility(user), InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < on
        )
        .scalar_subquery()
    )
    # The office's closure days ride along as one string, so the calendar costs no query.
    closures = (
        sa.select(sa.func.aggregate_strings(sa.cast(ClosureDay.day, sa.String), ","))
        .where(ClosureDay.active.is_(True))
        .scalar_subquery()
    )
    # Only the columns `deadlines` reads (not whole reviews with their group).
    rows = db.session.execute(
        sa.select(*DEADLINE_COLUMNS, overdue.label("overdue"), closures.label("closures")).where(
            visibility(user), Review.state.in_(OPEN_STATES)
        )
    ).all()
    if not rows:
        return Attention(0, count_requests(user, overdue=True, on=on))
    requests = rows[0].overdue
    cal = WorkingDays(date.fromisoformat(d[:10]) for d in (rows[0].closures or "").split(",") if d)
    due = 0
    week_end: date | None = None
    for row in rows:
        for d in deadlines(row, on, cal):
            if not d.is_open:
                continue
            if d.due_on < on + timedelta(days=5):  # within 5 working days for sure
                due += 1
                continue
            if d.due_on > on + timedelta(days=31):  # beyond 5 working days whatever the closures
                continue
            week_end = week_end or cal.add(on, 5)
            due += d.due_on <= week_end
    return Attention(due, requests)


@dataclass(frozen=True)
class AgencyWaiting:
    requests: int  # information requests awaiting the organisation's return
    actions: int  # open case review actions the organisation owns


def agency_waiting(user: Any) -> AgencyWaiting:
    """What a partner member's home page counts for their organisation, in one query."""
    return _per_request(("agency_waiting", getattr(user, "id", None)), lambda: _agency_waiting(user))


def agency_waiting_selects(user: Any) -> tuple[sa.Select, sa.Select]:
    """(information requests awaiting the organisation's return, open case review actions
    it owns) as count selects (the user must have an agency organisation)."""
    org_id = agency_organisation_id(user)
    requests = (
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(InformationRequest.organisation_id == org_id, InformationRequest.status == RequestStatus.sent)
    )
    actions = (
        sa.select(sa.func.count())
        .select_from(Action)
        .where(
            Action.owner_organisation_id == org_id,
            Action.source_type == ActionSource.review,
            Action.status.in_(ACTION_OPEN),
        )
    )
    return requests, actions


def _agency_waiting(user: Any) -> AgencyWaiting:
    if not agency_organisation_id(user):
        return AgencyWaiting(0, 0)
    requests, actions = agency_waiting_selects(user)
    row = db.session.execute(sa.select(requests.scalar_subquery(), actions.scalar_subquery())).one()
    return AgencyWaiting(row[0] or 0, row[1] or 0)


def overdue_requests_select(user: Any, on: date | None = None) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(
            request_visibility(user),
            InformationRequest.status == RequestStatus.sent,
            InformationRequest.due_on < (on or today()),
        )
    )


def decisions_waiting_select(user: Any) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Review)
        .where(visibility(user), Review.state == ReviewState.awaiting_decision)
    )


def decisions_waiting(user: Any) -> int:
    return db.session.scalar(decisions_waiting_select(user)) or 0
