"""Attendance monitoring and escalation letters.

Constitution: "Attendance at meetings is recorded and reported at Partnership meetings. In
the event of one member's persistent non-attendance, the Chair will write to Chief
Executive of the organisation to address the concern and reach a resolution."

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

The lifecycle (draft → approved by the Chair → sent → response → resolved / escalated to
the Board / withdrawn) is in workflows/attendance.py.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from safeguarding.calendar import today
from safeguarding.documents import Letter, Table
from safeguarding.documents.letterhead import letterhead
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    DEFAULT_POLICY,
    Attendance,
    AttendancePolicy,
    AttendanceReminder,
    AttendanceStatus,
    Escalation,
    EscalationState,
    EscalationTrigger,
    Group,
    Meeting,
    Membership,
    Organisation,
    Role,
)
from safeguarding.models.attendance import OPEN_ESCALATION_STATES
from safeguarding.services.errors import NotFound, StaleVersion, ValidationFailed

# Escalations and their letters: the office and the chair see them all (viewers never:
# domain.md, "Who uses it").
SEE_ALL = (Role.business_office, Role.independent_chair)
# The attendance report is public record (the annual report publishes it): viewers read
# every organisation's row, as the office and the chair do.
REPORT_ALL = (*SEE_ALL, Role.viewer)
EDITORS = (Role.business_office,)
SUBJECT_TYPE = "escalation"

CONSTITUTION = (
    "The partnership's constitution says: “Attendance at meetings is recorded and reported at "
    "Partnership meetings. In the event of one member's persistent non-attendance, the Chair will "
    "write to Chief Executive of the organisation to address the concern and reach a resolution.”"
)

# The best status an organisation had at a meeting (it may hold more than one seat).
_RANK = {
    AttendanceStatus.absent: 1,
    AttendanceStatus.apologies: 2,
    AttendanceStatus.deputy_present: 3,
    AttendanceStatus.present: 4,
}
CELL_LABELS = {4: "Present", 3: "Deputy", 2: "Apologies", 1: "Absent"}


# --- policy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    group_id: int
    reminder_after: int
    escalate_after: int
    min_rate_percent: int
    min_held: int
    window_months: int
    response_days: int
    resolve_after: int
    version: int | None = None  # None: the group uses the defaults (no row yet)

    @property
    def is_default(self) -> bool:
        return self.version is None


POLICY_FIELDS = tuple(DEFAULT_POLICY)
POLICY_LABELS = {
    "reminder_after": "Reminder after this many consecutive meetings not represented",
    "escalate_after": "Escalation after this many consecutive meetings not represented",
    "min_rate_percent": "Escalation when represented at fewer than this percentage of meetings",
    "min_held": "Least number of meetings held in the window for the percentage to count",
    "window_months": "Window for the percentage, in months",
    "response_days": "Days the chief executive has to respond",
    "resolve_after": "Resolved after the organisation is represented at this many meetings",
}
POLICY_LIMITS = {
    "reminder_after": (1, 20),
    "escalate_after": (1, 20),
    "min_rate_percent": (1, 100),
    "min_held": (1, 50),
    "window_months": (1, 36),
    "response_days": (1, 365),
    "resolve_after": (1, 20),
}


def _policy(group_id: int, row: AttendancePolicy | None) -> Policy:
    if row is None:
        return Policy(group_id=group_id, **DEFAULT_POLICY)
    return Policy(group_id=group_id, version=row.version, **{k: getattr(row, k) for k in POLICY_FIELDS})


def policies_by_group() -> dict[int, Policy]:
    """Every group's policy row (groups without one use the defaults: `policy_for`)."""
    return {r.group_id: _policy(r.group_id, r) for r in db.session.scalars(sa.select(AttendancePolicy))}


def policy_for(group_id: int) -> Policy:
    row = db.session.scalar(sa.select(AttendancePolicy).where(AttendancePolicy.group_id == group_id))
    return _policy(group_id, row)


def list_policies() -> list[tuple[Group, Policy]]:
    """Each active group with its policy (two queries)."""
    groups = db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.id)).all()
    rows = policies_by_group()
    return [(g, rows.get(g.id) or Policy(group_id=g.id, **DEFAULT_POLICY)) for g in groups]


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound("Group not found")
    return group


def update_policy(group_id: int, *, version: int | None, values: dict[str, Any]) -> Policy:
    """Set a group's thresholds (the business office). `version` is the policy's version
    as the editor saw it (None when the group still used the defaults)."""
    get_group(group_id)
    row = db.session.scalar(sa.select(AttendancePolicy).where(AttendancePolicy.group_id == group_id))
    if (row.version if row else None) != version:
        raise StaleVersion()
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for name in POLICY_FIELDS:
        value = values.get(name, getattr(row, name) if row else DEFAULT_POLICY[name])
        low, high = POLICY_LIMITS[name]
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            errors[name] = f"Enter a whole number for “{POLICY_LABELS[name].lower()}”"
        elif not low <= value <= high:
            errors[name] = f"{POLICY_LABELS[name]} must be between {low} and {high}"
        else:
            clean[name] = value
    if "reminder_after" in clean and "escalate_after" in clean and clean["reminder_after"] > clean["escalate_after"]:
        errors["reminder_after"] = "The reminder must come no later than the escalation"
    if errors:
        raise ValidationFailed(errors=errors)
    if row is None:
        row = AttendancePolicy(group_id=group_id)
        db.session.add(row)
    for name, value in clean.items():
        setattr(row, name, value)
    db.session.flush()
    return _policy(group_id, row)


# --- the scan ---------------------------------------------------------------------------------


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


def months_before(d: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has no such day)."""
    total = d.year * 12 + d.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, min(d.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _held_history(
    as_of: date, *, group_id: int | None = None, organisation_id: int | None = None
) -> dict[tuple[int, int], list[Held]]:
    """(group, organisation) → its held meetings up to `as_of`, oldest first, and whether it
    was represented: one query, aggregated over the organisation's seats."""
    represented = sa.func.max(sa.case((Attendance.status.in_([s.value for s in _represented()]), 1), else_=0))
    stmt = (
        sa.select(Meeting.group_id, Membership.organisation_id, Meeting.id, Meeting.meeting_date, represented)
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(Meeting.is_held, Meeting.meeting_date <= as_of, Membership.organisation_id.is_not(None))
    )
    if group_id is not None:
        stmt = stmt.where(Meeting.group_id == group_id)
    if organisation_id is not None:
        stmt = stmt.where(Membership.organisation_id == organisation_id)
    stmt = stmt.group_by(Meeting.group_id, Membership.organisation_id, Meeting.id, Meeting.meeting_date).order_by(
        Meeting.group_id, Membership.organisation_id, Meeting.meeting_date, Meeting.id
    )
    out: dict[tuple[int, int], list[Held]] = {}
    for g, o, mid, on, rep in db.session.execute(stmt):
        out.setdefault((g, o), []).append(Held(mid, on, bool(rep)))
    return out


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
    from safeguarding.workflows.attendance import escalation_lifecycle

    result = ScanResult()
    history = _held_history(as_of)
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
    escalations = db.session.scalars(sa.select(Escalation)).all()
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


# --- who sees what --------------------------------------------------------------------------


def sees_all(user: Any) -> bool:
    return user.has_role(*SEE_ALL)


def sees_whole_report(user: Any) -> bool:
    """Every organisation's row of the attendance report (a partner member: their own)."""
    return user.has_role(*REPORT_ALL)


def escalation_visibility(user: Any) -> sa.ColumnElement[bool]:
    """The office and the chair see every escalation; a partner member sees the letters
    addressed to their own organisation once sent; others (viewers too) see none."""
    if sees_all(user):
        return sa.true()
    if user.has_role(Role.partner_member) and user.organisation_id:
        return sa.and_(Escalation.organisation_id == user.organisation_id, Escalation.sent_on.is_not(None))
    return sa.false()


def get_escalation(escalation_id: int, user: Any) -> Escalation:
    e = db.session.scalar(sa.select(Escalation).where(Escalation.id == escalation_id, escalation_visibility(user)))
    if e is None:
        raise NotFound("Escalation not found")
    return e


@dataclass
class EscalationFilters:
    state: str | None = None  # a state, "open", "closed" or None for all
    group_id: int | None = None
    organisation_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_escalations(user: Any, f: EscalationFilters) -> tuple[list[Escalation], int]:
    stmt = sa.select(Escalation).where(escalation_visibility(user))
    if f.state == "open":
        stmt = stmt.where(Escalation.state.in_(OPEN_ESCALATION_STATES))
    elif f.state == "closed":
        stmt = stmt.where(Escalation.state.not_in(OPEN_ESCALATION_STATES))
    elif f.state:
        stmt = stmt.where(Escalation.state == EscalationState(f.state))
    if f.group_id:
        stmt = stmt.where(Escalation.group_id == f.group_id)
    if f.organisation_id:
        stmt = stmt.where(Escalation.organisation_id == f.organisation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Escalation.detected_on.desc(), Escalation.id.desc())
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    ).all()
    return list(rows), total


def open_count() -> int:
    return db.session.scalar(count_select(OPEN_ESCALATION_STATES)) or 0


def count_select(
    states, *, organisation_id: int | None = None, or_response_overdue_on: date | None = None
) -> sa.Select:
    """A COUNT of escalations in `states` (for the home page: no query of its own);
    with `organisation_id`, only that organisation's; with `or_response_overdue_on`, also
    those sent whose response date has passed by then."""
    where = Escalation.state.in_(tuple(states))
    if or_response_overdue_on is not None:
        where = sa.or_(
            where,
            sa.and_(Escalation.state == EscalationState.sent, Escalation.response_due_on < or_response_overdue_on),
        )
    stmt = sa.select(sa.func.count()).select_from(Escalation).where(where)
    if organisation_id is not None:
        stmt = stmt.where(Escalation.organisation_id == organisation_id)
    return stmt


# --- the attendance report ----------------------------------------------------------------------


@dataclass
class OrgRow:
    organisation: Organisation
    cells: dict[int, str]  # meeting id → "Present" / "Deputy" / "Apologies" / "Absent"
    held: int = 0
    represented: int = 0

    @property
    def percent(self) -> int | None:
        return self.represented * 100 // self.held if self.held else None


@dataclass
class AttendanceReport:
    group: Group
    start: date
    end: date
    meetings: list[tuple[int, date]]
    rows: list[OrgRow]


def report_period(start: date | None, end: date | None) -> tuple[date, date]:
    end = end or today()
    return (start or months_before(end, 12) + timedelta(days=1)), end


def attendance_report(user: Any, group_id: int, start: date | None = None, end: date | None = None) -> AttendanceReport:
    """Each organisation's attendance at the group's held meetings from `start` to `end`
    (default: the last 12 months). A partner member sees only their own organisation.
    Two queries whatever the size."""
    group = get_group(group_id)
    start, end = report_period(start, end)
    if start > end:
        raise ValidationFailed(errors={"from": "The start date must be on or before the end date"})
    rank = sa.func.max(sa.case(*[(Attendance.status == s.value, r) for s, r in _RANK.items()], else_=0))
    stmt = (
        sa.select(Meeting.id, Meeting.meeting_date, Membership.organisation_id, rank)
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(
            Meeting.group_id == group_id,
            Meeting.is_held,
            Meeting.meeting_date >= start,
            Meeting.meeting_date <= end,
            Membership.organisation_id.is_not(None),
        )
        .group_by(Meeting.id, Meeting.meeting_date, Membership.organisation_id)
        .order_by(Meeting.meeting_date, Meeting.id)
    )
    if not sees_whole_report(user):
        if not (user.has_role(Role.partner_member) and user.organisation_id):
            stmt = stmt.where(sa.false())
        else:
            stmt = stmt.where(Membership.organisation_id == user.organisation_id)
    meetings: dict[int, date] = {}
    by_org: dict[int, dict[int, int]] = {}
    for mid, on, org_id, r in db.session.execute(stmt):
        meetings[mid] = on
        by_org.setdefault(org_id, {})[mid] = r
    orgs = (
        {o.id: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(by_org)))}
        if by_org
        else {}
    )
    rows = []
    for org_id, cells in by_org.items():
        row = OrgRow(orgs[org_id], {mid: CELL_LABELS.get(r, "Absent") for mid, r in cells.items()})
        row.held = len(cells)
        row.represented = sum(1 for r in cells.values() if r >= 3)
        rows.append(row)
    rows.sort(key=lambda r: r.organisation.name)
    return AttendanceReport(group, start, end, list(meetings.items()), rows)


def report_csv(report: AttendanceReport) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "Organisation",
            *[d.isoformat() for _, d in report.meetings],
            "Meetings held",
            "Represented",
            "Percentage represented",
        ]
    )
    for row in report.rows:
        w.writerow(
            [
                row.organisation.name,
                *[row.cells.get(mid, "Not a member") for mid, _ in report.meetings],
                row.held,
                row.represented,
                "" if row.percent is None else row.percent,
            ]
        )
    return out.getvalue()


# --- the letter -------------------------------------------------------------------------------


def default_letter_text(e: Escalation) -> str:
    org, group = e.organisation, e.group
    dates = [long_date(d) for d in e.missed_dates]
    listed = dates[0] if len(dates) == 1 else ", ".join(dates[:-1]) + " and " + dates[-1]
    first = (
        f"I am writing to you as the Independent Chair of the {letterhead().name} about {org.name}'s "
        f"attendance at meetings of the {group.name}."
    )
    if e.trigger_reason == EscalationTrigger.consecutive:
        second = (
            f"{org.name} was not represented at the last {len(dates)} meetings, held on {listed}. Members are "
            "expected to attend or to send their named deputy; apologies without a deputy are recorded as "
            "non-attendance."
        )
    else:
        second = (
            f"In the last 12 months {org.name} was represented at {e.represented_percent}% of the "
            f"{e.held_in_window} meetings held. It was not represented on {listed}."
        )
    third = (
        f"Your organisation's contribution to the partnership matters, and I would be grateful for your help in "
        f"making sure that {org.name} is represented at future meetings."
    )
    return "\n\n".join([first, second, third])


def attendance_record(e: Escalation, end: date) -> list[list[str]]:
    """The organisation's attendance at the group's held meetings in the 12 months to `end`."""
    start = months_before(end, 12) + timedelta(days=1)
    rank = sa.func.max(sa.case(*[(Attendance.status == s.value, r) for s, r in _RANK.items()], else_=0))
    rows = db.session.execute(
        sa.select(Meeting.meeting_date, rank)
        .select_from(Attendance)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Membership, Membership.id == Attendance.membership_id)
        .where(
            Meeting.group_id == e.group_id,
            Meeting.is_held,
            Meeting.meeting_date >= start,
            Meeting.meeting_date <= end,
            Membership.organisation_id == e.organisation_id,
        )
        .group_by(Meeting.id, Meeting.meeting_date)
        .order_by(Meeting.meeting_date, Meeting.id)
    )
    return [[long_date(on), CELL_LABELS.get(r, "Absent")] for on, r in rows]


def response_due(e: Escalation, on: date) -> date:
    return e.response_due_on or on + timedelta(days=policy_for(e.group_id).response_days)


def build_letter(e: Escalation, on: date | None = None) -> Letter:
    """The Chair's letter to the organisation's chief executive, as drafted, approved or sent."""
    on = e.sent_on or on or today()
    org, group = e.organisation, e.group
    due = response_due(e, on)
    paragraphs: list[Any] = [p.strip() for p in (e.letter_text or default_letter_text(e)).split("\n\n") if p.strip()]
    paragraphs.append(
        Table("Meetings not attended", ["Date", "Meeting"], [[long_date(d), f"{group.name}"] for d in e.missed_dates])
    )
    paragraphs.append(CONSTITUTION)
    record = attendance_record(e, on)
    paragraphs.append(
        Table(
            f"{org.name}'s attendance at the {group.short_name} in the last 12 months",
            ["Meeting date", "Attendance"],
            record or [["No meetings held", ""]],
        )
    )
    paragraphs.append(
        f"Please reply to the business office by {long_date(due)}, telling me how {org.name} will make "
        f"sure it is represented at future meetings of the {group.name}."
    )
    return Letter(
        reference=e.reference,
        date=on,
        recipient_name=org.chief_executive_name or "The Chief Executive",
        recipient_title=org.chief_executive_title or "",
        recipient_organisation=org.name,
        address_lines=[line for line in (org.chief_executive_address or "").splitlines() if line.strip()],
        subject=f"Attendance at {group.name} meetings",
        salutation=f"Dear {org.chief_executive_name}" if org.chief_executive_name else "Dear Chief Executive",
        paragraphs=paragraphs,
    )


def letter_pdf(e: Escalation) -> bytes:
    from safeguarding.documents import render_pdf

    return e.sent_pdf if e.sent_pdf else render_pdf(build_letter(e))


def letter_docx(e: Escalation) -> bytes:
    from safeguarding.documents import render_docx

    return e.sent_docx if e.sent_docx else render_docx(build_letter(e))


def send_letter(e: Escalation) -> None:
    """Render the approved letter, keep the PDF and DOCX, and email the PDF to the chief
    executive (once: the dedupe key)."""
    from safeguarding.documents import render_docx, render_pdf
    from safeguarding.notify import Attachment, queue_email, service_url

    letter = build_letter(e)
    e.sent_pdf = render_pdf(letter)
    e.sent_docx = render_docx(letter)
    org = e.organisation
    queue_email(
        [org.chief_executive_email],
        f"Attendance at {e.group.short_name} meetings ({e.reference})",
        "attendance_escalation",
        {
            "recipient": org.chief_executive_name or "Chief Executive",
            "reference": e.reference,
            "organisation": org.name,
            "group": e.group.name,
            "due": long_date(e.response_due_on),
            "link": service_url("attendance.escalation", escalation_id=e.id),
        },
        kind="attendance_escalation",
        dedupe_key=f"escalation-sent:{e.id}",
        attachments=[Attachment(f"{e.reference}-letter.pdf", "application/pdf", e.sent_pdf)],
    )


def put_before_board(e: Escalation, as_of: date) -> None:
    from safeguarding.services import meetings

    meetings.add_to_next_board_agenda(
        f"Escalation {e.reference}: {e.organisation.name} attendance at the {e.group.short_name}",
        subject_type=SUBJECT_TYPE,
        subject_id=e.id,
        after=as_of,
    )


def counts_by_organisation(start: date, end: date) -> dict[int, int]:
    """Escalations detected from `start` to `end`, per organisation id (for annual reports)."""
    rows = db.session.execute(
        sa.select(Escalation.organisation_id, sa.func.count())
        .where(Escalation.detected_on >= start, Escalation.detected_on <= end)
        .group_by(Escalation.organisation_id)
    )
    return {org_id: n for org_id, n in rows}
