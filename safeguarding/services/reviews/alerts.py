"""The daily job (deadline warnings and breaches, chasing overdue information requests)
and the emails it and the lifecycle send, with the people to tell."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.calendar import working_days
from safeguarding.extensions import db
from safeguarding.models import (
    AlertKind,
    InformationRequest,
    Organisation,
    RequestStatus,
    Review,
    ReviewDeadlineAlert,
    Role,
    User,
)
from safeguarding.models.reviews import OPEN_STATES
from safeguarding.services.reviews import request_letters
from safeguarding.services.reviews.deadlines import Deadline, deadlines
from safeguarding.services.reviews.rules import setting

# --- the daily job: deadline warnings and breaches, chasing requests -------------------------------


def check_deadlines(as_of: date) -> dict[str, int]:
    """Warn the office and the chair before each open deadline (default 3 working days)
    and record a breach the day after it passes — each once per review, deadline and due
    date, however often this runs."""
    cal = working_days()
    reviews = list(db.session.scalars(sa.select(Review).where(Review.state.in_(OPEN_STATES)).order_by(Review.id)))
    existing = (
        {
            (a.review_id, a.deadline, a.kind, a.due_on)
            for a in db.session.scalars(
                sa.select(ReviewDeadlineAlert).where(ReviewDeadlineAlert.review_id.in_([r.id for r in reviews]))
            )
        }
        if reviews
        else set()
    )
    counts = {"warnings": 0, "breaches": 0}
    for review in reviews:
        for d in deadlines(review, as_of, cal):
            kind = {"due_soon": AlertKind.warning, "breached": AlertKind.breach}.get(d.status)
            if kind is None or (review.id, d.kind, kind, d.due_on) in existing:
                continue
            db.session.add(
                ReviewDeadlineAlert(review_id=review.id, deadline=d.kind, kind=kind, due_on=d.due_on, recorded_on=as_of)
            )
            existing.add((review.id, d.kind, kind, d.due_on))
            counts["warnings" if kind is AlertKind.warning else "breaches"] += 1
            _after_alert(review, d, kind, as_of)
    db.session.flush()
    return counts


def record_breaches(review: Review, as_of: date) -> int:
    """Record at once, without email, each deadline of `review` already missed on `as_of`:
    for a review entered after the fact (an import of the office's tracker), whose missed
    deadlines are breaches from the start but not news to tell (the daily job, finding
    them recorded, sends nothing for them). Returns how many were recorded."""
    if review.state not in OPEN_STATES:
        return 0
    existing = {(a.deadline, a.due_on) for a in alerts_of(review) if a.kind is AlertKind.breach}
    recorded = 0
    for d in deadlines(review, as_of):
        if d.status != "breached" or (d.kind, d.due_on) in existing:
            continue
        db.session.add(
            ReviewDeadlineAlert(
                review_id=review.id, deadline=d.kind, kind=AlertKind.breach, due_on=d.due_on, recorded_on=as_of
            )
        )
        recorded += 1
    db.session.flush()
    return recorded


def _after_alert(review: Review, deadline: Deadline, kind: AlertKind, as_of: date) -> None:
    """Email the business office and the chair (once: the dedupe key)."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email, service_url

    to = office_and_chair_emails()
    if not to:
        return
    breach = kind is AlertKind.breach
    subject = (
        f"Deadline missed for case review {review.reference}: {deadline.label.lower()}"
        if breach
        else f"Deadline coming for case review {review.reference}: {deadline.label.lower()}"
    )
    queue_email(
        to,
        subject,
        "review_deadline",
        {
            "reference": review.reference,
            "deadline": deadline.label.lower(),
            "due": long_date(deadline.due_on),
            "remaining": deadline.remaining_text,
            "breach": breach,
            "link": service_url("reviews.review", review_id=review.id),
        },
        kind=f"review_deadline_{kind.value}",
        dedupe_key=f"review-deadline:{review.id}:{deadline.kind.value}:{kind.value}:{deadline.due_on}",
    )


def alerts_of(review: Review) -> list[ReviewDeadlineAlert]:
    return list(
        db.session.scalars(
            sa.select(ReviewDeadlineAlert)
            .where(ReviewDeadlineAlert.review_id == review.id)
            .order_by(ReviewDeadlineAlert.recorded_on, ReviewDeadlineAlert.id)
        )
    )


def chase_information_requests(as_of: date) -> dict[str, int]:
    """Chase each overdue request on the first day it is overdue, then every 5 working
    days (default) while it stays unanswered."""
    cal = working_days()
    every = setting("REVIEW_CHASE_EVERY_WORKING_DAYS")
    overdue = db.session.scalars(
        sa.select(InformationRequest)
        .where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < as_of)
        .order_by(InformationRequest.id)
    )
    chased = 0
    for req in overdue:
        if req.last_chased_on is not None and (
            req.last_chased_on >= as_of or cal.between(req.last_chased_on, as_of) < every
        ):
            continue
        req.last_chased_on = as_of
        req.chase_count += 1
        chased += 1
        _after_chase(req, as_of)
    db.session.flush()
    return {"chased": chased}


def _after_chase(req: InformationRequest, as_of: date) -> None:
    """Email the agency's partner members (once per chase); a recipient outside the
    directory gets the letter again."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email

    if req.organisation_id is None:
        request_letters.email_letter(req, reminder_on=as_of)
        return
    to = agency_emails(req.organisation_id)
    if not to:
        return
    reference = req.review.reference if req.review is not None else req.reference
    queue_email(
        to,
        f"Overdue information request for case review {reference}"
        if req.review is not None
        else f"Overdue information request {reference}",
        "review_request_chase",
        {
            "reference": reference,
            "organisation": req.organisation.name,
            "due": long_date(req.due_on),
            "link": request_letters.request_link(req),
        },
        kind="review_request_chase",
        dedupe_key=f"review-request-chase:{req.id}:{as_of.isoformat()}",
    )


def tell_chair_decision_waiting(review: Review) -> None:
    """Email the independent chair that a review waits for a decision (once per review)."""
    from safeguarding.models import UserRole
    from safeguarding.notify import queue_email, service_url

    to = sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole)
                .where(User.active.is_(True), UserRole.role == Role.independent_chair)
            )
        )
    )
    if not to:
        return
    queue_email(
        to,
        f"Case review {review.reference} is waiting for your decision",
        "review_decision_waiting",
        {
            "reference": review.reference,
            "group": review.group.name,
            "recommendation": review.recommendation.label if review.recommendation else "no recommendation",
            "link": service_url("reviews.decide", review_id=review.id),
        },
        kind="review_decision_waiting",
        dedupe_key=f"review-decision-waiting:{review.id}",
    )


# --- people to tell --------------------------------------------------------------------------------


def office_and_chair_emails() -> list[str]:
    from safeguarding.models import UserRole

    return sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole)
                .where(User.active.is_(True), UserRole.role.in_([Role.business_office, Role.independent_chair]))
            )
        )
    )


def agency_emails(organisation_id: int) -> list[str]:
    """The agency's partner members, or its safeguarding lead when it has none."""
    from safeguarding.models import UserRole

    emails = sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole)
                .where(
                    User.active.is_(True), User.organisation_id == organisation_id, UserRole.role == Role.partner_member
                )
            )
        )
    )
    if not emails:
        org = db.session.get(Organisation, organisation_id)
        if org is not None and org.safeguarding_lead_email:
            emails = [org.safeguarding_lead_email]
    return emails
