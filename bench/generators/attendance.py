"""Attendance escalations at scale: 300 escalations over the ten years, each starting at a
held meeting an organisation missed (most closed, the last 25 open), with their letters'
text. The attendance rows themselves come from the meetings generator; bench/run.py times
the `attendance_scan` job over them."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Attendance, Escalation, EscalationState, Meeting, Membership
from safeguarding.models.base import utcnow

ORDER = 40

CLOSED = [EscalationState.resolved] * 5 + [EscalationState.escalated_to_board, EscalationState.withdrawn]
OPEN = [
    EscalationState.letter_drafted,
    EscalationState.letter_approved,
    EscalationState.sent,
    EscalationState.response_received,
]


def generate(ctx) -> None:
    rng = ctx.rng
    now = utcnow()
    missed = db.session.execute(
        sa.select(Meeting.group_id, Membership.organisation_id, Meeting.id, Meeting.meeting_date)
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(Meeting.is_held, Attendance.status.in_(["absent", "apologies"]), Membership.organisation_id.is_not(None))
        .distinct()
        .order_by(Meeting.meeting_date, Meeting.id, Membership.organisation_id)
    ).all()
    n = min(ctx.n(300), len(missed))
    chosen = [missed[int(i * len(missed) / n)] for i in range(n)] if n else []
    rows = []
    for i, (group_id, org_id, meeting_id, on) in enumerate(chosen):
        state = rng.choice(OPEN) if i >= n - 25 else rng.choice(CLOSED)
        sent = state not in (EscalationState.letter_drafted, EscalationState.letter_approved)
        rows.append(
            {
                "id": i + 1,
                "organisation_id": org_id,
                "group_id": group_id,
                "episode_start_meeting_id": meeting_id,
                "detected_on": on + timedelta(days=120),
                "trigger_reason": "consecutive",
                "missed_meetings": [{"meeting_id": meeting_id, "date": on.isoformat()}],
                "state": state.value,
                "letter_text": "Generated for the benchmark.\n\nA second paragraph.",
                "drafted_on": on + timedelta(days=120),
                "sent_on": on + timedelta(days=130) if sent else None,
                "response_due_on": on + timedelta(days=158) if sent else None,
                "closed_on": on + timedelta(days=200) if state in CLOSED else None,
                "withdrawal_reason": "Generated" if state == EscalationState.withdrawn else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    ctx.insert(Escalation.__table__, rows, "escalations")
    ctx.ids["escalations"] = [r["id"] for r in rows]
