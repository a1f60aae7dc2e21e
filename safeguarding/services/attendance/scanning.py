"""Attendance monitoring: the scan.

An organisation is *represented* at a held meeting (`Meeting.is_held`) when its member
or a deputy was present (`AttendanceStatus.represented`); apologies without a deputy are
non-attendance. Per group (`AttendancePolicy`, or `DEFAULT_POLICY`): not represented at
2 consecutive held meetings → a reminder to the member and deputy; at 3 consecutive, or
represented at fewer than 50 % of the group's held meetings in the last 12 months (at
least 4 held) → an escalation, whose letter is drafted at once.

`scan(as_of)` (the daily job `attendance_scan`) loads every (group, organisation, held
meeting, represented) in one query and makes one pass over it. An *episode* is the run of
meetings not represented that ends at the latest held meeting, named by its first
meeting; one episode gives at most one reminder and one escalation (unique constraints),
so re-runs, backfills and a second runner change nothing. The same pass moves escalations
on: `sent` with no response by its date → escalated to the Board; `response_received` and
represented at the next 2 held meetings after the letter → resolved, or not represented at
one of them → escalated to the Board.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    DEFAULT_POLICY,
    Attendance,
    AttendanceReminder,
    AttendanceStatus,
    Escalation,
    EscalationState,
    EscalationTrigger,
    Group,
    Meeting,
    Membership,
)
from safeguarding.models.attendance import OPEN_ESCALATION_STATES
from safeguarding.services.attendance.common import months_before
from safeguarding.services.attendance.policy import Policy, policies_by_group
from safeguarding.workflows.attendance import escalation_lifecycle


@dataclass
class Held:
    meeting_id: int
    on: date
    represented: bool


@dataclass
class ScanResult:
    reminders: int = 0
    escalations: int = 0
    resolved: int = 0
    escalated_to_board: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "reminders": self.reminders,
            "escalations": self.escalations,
            "resolved": self.resolved,
            "escalated_to_board": self.escalated_to_board,
        }


def _per_meeting(as_of: date) -> sa.Select:
    """(group, organisation, meeting, date, represented) for the held meetings up to
    `as_of`, aggregated over the organisation's seats."""
    represented = sa.func.max(sa.case((Attendance.status.in_([s.value for s in _represented()]), 1), else_=0))
    return (
        sa.select(
            Meeting.group_id,
            Membership.organisation_id,
            Meeting.id.label("meeting_id"),
            Meeting.meeting_date,
            represented.label("represented"),
        )
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(Meeting.is_held, Meeting.meeting_date <= as_of, Membership.organisation_id.is_not(None))
        .group_by(Meeting.group_id, Membership.organisation_id, Meeting.id, Meeting.meeting_date)
    )


def _held_history(
    as_of: date,
    *,
    group_id: int | None = None,
    organisation_id: int | None = None,
    pairs: set[tuple[int, int]] | None = None,
) -> dict[tuple[int, int], list[Held]]:
    """(group, organisation) → its held meetings up to `as_of`, oldest first, and whether it
    was represented: one query, aggregated over the organisation's seats (only for `pairs`
    when given)."""
    stmt = _per_meeting(as_of)
    if group_id is not None:
        stmt = stmt.where(Meeting.group_id == group_id)
    if organisation_id is not None:
        stmt = stmt.where(Membership.organisation_id == organisation_id)
    if pairs is not None:
        if not pairs:
            return {}
        stmt = stmt.where(sa.tuple_(Meeting.group_id, Membership.organisation_id).in_(sorted(pairs)))
    stmt = stmt.order_by(Meeting.group_id, Membership.organisation_id, Meeting.meeting_date, Meeting.id)
    out: dict[tuple[int, int], list[Held]] = {}
    for g, o, mid, on, rep in db.session.execute(stmt):
        if pairs is None or (g, o) in pairs:
            out.setdefault((g, o), []).append(Held(mid, on, bool(rep)))
    return out


# A pair whose latest held meeting is older than this was assessed by the scans of the
# days after that meeting (the job runs every day), and its history has not changed since.
RECENT_DAYS = 400


def _not_represented_last(as_of: date) -> set[tuple[int, int]]:
    """The (group, organisation) pairs with a meeting held in the last `RECENT_DAYS` and not
    represented at some meeting on the date of their latest: only they can be in a new or
    continuing episode of non-attendance (a superset: `assess` decides from their whole
    history). Aggregates in the database instead of ten years of registers in Python."""
    per = _per_meeting(as_of).where(Meeting.meeting_date > as_of - timedelta(days=RECENT_DAYS)).subquery()
    last = (
        sa.select(per.c.group_id, per.c.organisation_id, sa.func.max(per.c.meeting_date).label("last_on"))
        .group_by(per.c.group_id, per.c.organisation_id)
        .subquery()
    )
    stmt = (
        sa.select(per.c.group_id, per.c.organisation_id)
        .join(
            last,
            sa.and_(
                last.c.group_id == per.c.group_id,
                last.c.organisation_id == per.c.organisation_id,
                last.c.last_on == per.c.meeting_date,
            ),
        )
        .group_by(per.c.group_id, per.c.organisation_id)
        .having(sa.func.min(per.c.represented) == 0)
    )
    return {(g, o) for g, o in db.session.execute(stmt)}


def _represented() -> tuple[AttendanceStatus, ...]:
    from safeguarding.models.meetings import REPRESENTED

    return REPRESENTED


@dataclass
class Finding:
    """What the scan found for one (group, organisation) at `as_of`."""

    group_id: int
    organisation_id: int
    run: list[Held]
    reminder: bool = False
    trigger: EscalationTrigger | None = None
    missed: list[Held] = field(default_factory=list)
    percent: int | None = None
    held_in_window: int | None = None


def assess(group_id: int, organisation_id: int, history: list[Held], policy: Policy, as_of: date) -> Finding | None:
    """The current episode (the run of meetings not represented ending at the latest held
    meeting) and what it calls for, or None when the organisation was represented last."""
    run: list[Held] = []
    for h in reversed(history):
        if h.represented:
            break
        run.append(h)
    if not run:
        return None
    run.reverse()
    f = Finding(group_id, organisation_id, run, reminder=len(run) >= policy.reminder_after)
    if len(run) >= policy.escalate_after:
        f.trigger, f.missed = EscalationTrigger.consecutive, run
        return f
    start = months_before(as_of, policy.window_months)
    window = [h for h in history if start < h.on <= as_of]
    if len(window) >= policy.min_held:
        represented = sum(1 for h in window if h.represented)
        if represented * 100 < policy.min_rate_percent * len(window):
            f.trigger = EscalationTrigger.low_rate
            f.missed = [h for h in window if not h.represented]
            f.percent = represented * 100 // len(window)
            f.held_in_window = len(window)
    return f


def _insert_once(row: Any) -> bool:
    """Add `row` in a savepoint; False when its unique episode is already recorded (by an
    earlier run or another runner)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return False
    return True


def scan(as_of: date) -> ScanResult:
    """Find non-attendance up to `as_of`; queue reminders and escalations; move sent
    letters on (see the module docstring). Idempotent."""
    result = ScanResult()
    escalations = db.session.scalars(sa.select(Escalation)).all()
    waiting = {(e.group_id, e.organisation_id) for e in escalations if e.state == EscalationState.response_received}
    history = _held_history(as_of, pairs=_not_represented_last(as_of) | waiting)
    policies = policies_by_group()
    reminded = {
        tuple(r)
        for r in db.session.execute(
            sa.select(
                AttendanceReminder.group_id,
                AttendanceReminder.organisation_id,
                AttendanceReminder.episode_start_meeting_id,
            )
        )
    }
    episodes = {(e.group_id, e.organisation_id, e.episode_start_meeting_id) for e in escalations}
    open_for = {(e.group_id, e.organisation_id) for e in escalations if e.state in OPEN_ESCALATION_STATES}

    for (group_id, org_id), held in history.items():
        policy = policies.get(group_id) or Policy(group_id=group_id, **DEFAULT_POLICY)
        f = assess(group_id, org_id, held, policy, as_of)
        if f is None:
            continue
        key = (group_id, org_id, f.run[0].meeting_id)
        if f.reminder and key not in reminded:
            reminder = AttendanceReminder(
                group_id=group_id,
                organisation_id=org_id,
                episode_start_meeting_id=key[2],
                sent_on=as_of,
                missed_count=len(f.run),
            )
            if _insert_once(reminder):
                _send_reminder(reminder, f.run, as_of)
                result.reminders += 1
        if f.trigger and key not in episodes and (group_id, org_id) not in open_for:
            e = Escalation(
                group_id=group_id,
                organisation_id=org_id,
                episode_start_meeting_id=key[2],
                detected_on=as_of,
                trigger_reason=f.trigger,
                missed_meetings=[{"meeting_id": h.meeting_id, "date": h.on.isoformat()} for h in f.missed],
                represented_percent=f.percent,
                held_in_window=f.held_in_window,
            )
            if _insert_once(e):
                escalation_lifecycle.fire(e, "draft_letter", user=None, system=True, as_of=as_of)
                result.escalations += 1

    for e in escalations:
        if e.state == EscalationState.sent and e.response_due_on and e.response_due_on < as_of:
            escalation_lifecycle.fire(
                e,
                "escalate_to_board",
                user=None,
                system=True,
                as_of=as_of,
                params={"escalation_reason": f"No response was received by {long_date(e.response_due_on)}."},
            )
            result.escalated_to_board += 1
        elif e.state == EscalationState.response_received:
            policy = policies.get(e.group_id) or Policy(group_id=e.group_id, **DEFAULT_POLICY)
            after = [h for h in history.get((e.group_id, e.organisation_id), []) if h.on > e.sent_on]
            following = after[: policy.resolve_after]
            missed = next((h for h in following if not h.represented), None)
            if missed is not None:
                escalation_lifecycle.fire(
                    e,
                    "escalate_to_board",
                    user=None,
                    system=True,
                    as_of=as_of,
                    params={
                        "escalation_reason": f"Attendance did not improve: not represented on {long_date(missed.on)}."
                    },
                )
                result.escalated_to_board += 1
            elif len(following) >= policy.resolve_after:
                escalation_lifecycle.fire(
                    e,
                    "resolve",
                    user=None,
                    system=True,
                    as_of=as_of,
                    comment=(f"Represented at the {policy.resolve_after} meetings after the letter."),
                )
                result.resolved += 1
    return result


def _send_reminder(reminder: AttendanceReminder, run: list[Held], as_of: date) -> None:
    from safeguarding.notify import queue_email, service_url

    group = db.session.get(Group, reminder.group_id)
    seats = db.session.scalars(
        sa.select(Membership).where(
            Membership.group_id == reminder.group_id,
            Membership.organisation_id == reminder.organisation_id,
            Membership.start_date <= as_of,
            sa.or_(Membership.end_date.is_(None), Membership.end_date >= as_of),
        )
    ).all()
    to = sorted({s.person.email for s in seats if s.person.email})
    cc = sorted({s.deputy.email for s in seats if s.deputy and s.deputy.email} - set(to))
    if not to and not cc:
        return
    queue_email(
        to or cc,
        f"Attendance at {group.short_name} meetings",
        "attendance_reminder",
        {
            "group": group.name,
            "organisation": reminder.organisation.name,
            "count": len(run),
            "dates": [long_date(h.on) for h in run],
            "link": service_url("attendance.report", group=group.id),
        },
        kind="attendance_reminder",
        cc=cc if to else [],
        dedupe_key=f"attendance-reminder:{reminder.group_id}:{reminder.organisation_id}:"
        f"{reminder.episode_start_meeting_id}",
    )
