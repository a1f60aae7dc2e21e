"""Disputes: the 28-day rule. The deadline, the breach, and what the daily job does (the
7-day alert and the day-29 breach)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context

from safeguarding.extensions import db
from safeguarding.formatting import days_left, long_date
from safeguarding.models import Dispute, DisputeState, User, UserRole
from safeguarding.models.disputes import AWAITING_MEETING_STATES
from safeguarding.notify import queue_email, service_url
from safeguarding.services import audit
from safeguarding.services.disputes.common import DEADLINE_DAYS, DEFAULT_ALERT_DAYS, SEE_ALL
from safeguarding.services.disputes.queries import _party_names


def deadline_for(determined_on: date) -> date:
    """The last day for the joint meeting: 28 calendar days after the determination
    (31 January 2026 → 28 February 2026; 1 February 2028 → 29 February 2028)."""
    return determined_on + timedelta(days=DEADLINE_DAYS)


def alert_days() -> int:
    """Days before the deadline at which the chair and office are alerted (*default* 7,
    `DISPUTE_ALERT_DAYS`)."""
    if has_app_context():
        return int(current_app.config.get("DISPUTE_ALERT_DAYS", DEFAULT_ALERT_DAYS))
    return DEFAULT_ALERT_DAYS


def record_breach(dispute: Dispute, on: date, note: str) -> bool:
    """Record that the 28-day rule was broken (once). True if it was recorded now."""
    if dispute.breach_recorded_on is not None:
        return False
    dispute.breach_recorded_on = on
    dispute.breach_note = note
    audit.mark_action(dispute, "record_breach")
    return True


# --- the daily job ---------------------------------------------------------------------------


def breach_note_for(dispute: Dispute) -> str:
    return f"No joint meeting was held by the deadline of {long_date(dispute.deadline)}"


def late_entry_breach_note(dispute: Dispute, entered_on: date) -> str:
    """A determination entered after its deadline had passed, with no meeting recorded."""
    return (
        f"No joint meeting is recorded as held by the deadline of {long_date(dispute.deadline)} (the "
        f"determination was entered on {long_date(entered_on)}; recording a meeting held by the deadline "
        f"clears this)"
    )


def record_breaches(as_of: date) -> int:
    """Day 29 (or later) without a held meeting: record the breach, once per dispute."""
    due = db.session.scalars(
        sa.select(Dispute)
        .where(
            Dispute.state.in_(AWAITING_MEETING_STATES), Dispute.deadline < as_of, Dispute.breach_recorded_on.is_(None)
        )
        .order_by(Dispute.id)
    )
    count = 0
    for dispute in due:
        count += record_breach(dispute, as_of, breach_note_for(dispute))
    db.session.flush()
    return count


def disputes_due_an_alert(as_of: date) -> list[Dispute]:
    """Determined, no meeting convened, and `alert_days()` or fewer days left (the deadline
    not yet passed), not yet alerted, and no breach recorded.

    A dispute entered after the fact is alerted only when the alert still helps: its
    deadline is still to come (an office that types in a dispute with 3 days left needs
    the chair told), never for a deadline already passed — that is a breach, recorded
    when the determination is entered, and nobody is emailed about history. A run for an
    earlier day (a backfill) skips a dispute whose breach is already recorded."""
    return list(
        db.session.scalars(
            sa.select(Dispute)
            .where(
                Dispute.state == DisputeState.determined,
                Dispute.deadline >= as_of,
                Dispute.deadline <= as_of + timedelta(days=alert_days()),
                Dispute.deadline_alert_sent_on.is_(None),
                Dispute.breach_recorded_on.is_(None),
            )
            .order_by(Dispute.deadline, Dispute.id)
        )
    )


def send_deadline_alert(dispute: Dispute, as_of: date) -> bool:
    """Tell the Independent Chair and the business office that the deadline is near and
    no meeting is convened (once per dispute). True if an alert was queued."""
    recipients = alert_recipients()
    if not recipients:
        return False
    left = days_left(dispute.deadline, as_of)
    queue_email(
        recipients,
        f"Dispute {dispute.reference}: joint meeting not yet convened, {left}",
        "dispute_deadline_alert",
        {
            "reference": dispute.reference,
            "deadline": long_date(dispute.deadline),
            "determined_on": long_date(dispute.determined_on),
            "days_left": left,
            "parties": _party_names(dispute),
            "link": service_url("disputes.dispute", dispute_id=dispute.id),
        },
        kind="dispute_deadline_alert",
        dedupe_key=f"dispute-deadline-alert:{dispute.id}",
    )
    return True


def send_deadline_alerts(as_of: date) -> int:
    """Email the Independent Chair and the business office about each determined dispute
    with `alert_days()` or fewer days left and no meeting convened — once per dispute
    (the email's dedupe key and `deadline_alert_sent_on` both say so)."""
    count = 0
    for dispute in disputes_due_an_alert(as_of):
        if send_deadline_alert(dispute, as_of):
            dispute.deadline_alert_sent_on = as_of
            audit.mark_action(dispute, "deadline_alert")
            count += 1
    db.session.flush()
    return count


def alert_recipients() -> list[str]:
    """The Independent Chair and the business office (active accounts)."""
    return list(
        db.session.scalars(
            sa.select(User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role.in_(SEE_ALL), User.active.is_(True))
            .distinct()
            .order_by(User.email)
        )
    )
