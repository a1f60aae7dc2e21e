"""Meetings: the register and quorum — who attended (members and deputies), apologies, the
nominated chair."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Attendance,
    AttendanceStatus,
    Group,
    GroupKind,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    Role,
)
from safeguarding.models.enums import STATUTORY_KINDS
from safeguarding.models.meetings import REPRESENTED, UPCOMING_STATES
from safeguarding.services.errors import Conflict, Forbidden, ValidationFailed
from safeguarding.services.meetings.common import KIND_PHRASES, _current, _require_office

# --- the register -------------------------------------------------------------------------


@dataclass
class Seat:
    """A membership of the group on the meeting date and its attendance row, if any."""

    membership: Membership
    row: Attendance | None = None
    # In a register seen at a moment of the meeting (`Register.at`): the attendee had not
    # yet arrived or had already left, so the seat is empty then.
    away: bool = False

    @property
    def status(self) -> AttendanceStatus | None:
        return self.row.status if self.row and not self.away else None

    @property
    def represented(self) -> bool:
        return self.row is not None and self.row.represented and not self.away

    @property
    def attendee_id(self) -> int | None:
        """Who sat in this seat at the meeting: the member, or the deputy for them."""
        if self.status == AttendanceStatus.present:
            return self.membership.person_id
        if self.status == AttendanceStatus.deputy_present:
            return self.row.deputy_person_id
        return None

    @property
    def attendee(self) -> Person | None:
        if self.status == AttendanceStatus.present:
            return self.membership.person
        if self.status == AttendanceStatus.deputy_present:
            return self.row.deputy
        return None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation


@dataclass
class Register:
    meeting: Meeting
    seats: list[Seat] = field(default_factory=list)

    def seat(self, membership_id: Any) -> Seat | None:
        return next((s for s in self.seats if s.membership.id == membership_id), None)

    @property
    def attendee_ids(self) -> set[int]:
        return {pid for s in self.seats if (pid := s.attendee_id) is not None}

    @property
    def people_ids(self) -> set[int]:
        """Members, their named deputies and deputies named for this meeting."""
        out: set[int] = set()
        for s in self.seats:
            out.add(s.membership.person_id)
            if s.membership.deputy_person_id:
                out.add(s.membership.deputy_person_id)
            if s.row is not None and s.row.deputy_person_id:
                out.add(s.row.deputy_person_id)
        return out

    def at(self, moment: time | None) -> Register:
        """The register as it stood at `moment` of the meeting: whoever had not yet arrived
        or had already left is away. `None`: after every recorded movement (whoever left
        early is away)."""
        return Register(self.meeting, [Seat(s.membership, s.row, _away(s.row, moment)) for s in self.seats])

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in AttendanceStatus}
        out["not_recorded"] = 0
        for s in self.seats:
            out[s.status.value if s.status else "not_recorded"] += 1
        return out


def _away(row: Attendance | None, moment: time | None) -> bool:
    if row is None or not row.represented:
        return False
    if moment is None:
        return row.left_at is not None
    return (row.arrived_at is not None and row.arrived_at > moment) or (
        row.left_at is not None and row.left_at <= moment
    )


_ROLE_ORDER = {
    MembershipRole.chair: 0,
    MembershipRole.vice_chair: 1,
    MembershipRole.member: 2,
    MembershipRole.adviser: 3,
}


def load_register(meeting: Meeting) -> Register:
    """The group's memberships on the meeting date with their attendance rows, in one
    query (a row for a seat whose dates have since changed still belongs to it)."""
    rows = db.session.execute(
        sa.select(Membership, Attendance)
        .outerjoin(Attendance, sa.and_(Attendance.membership_id == Membership.id, Attendance.meeting_id == meeting.id))
        .where(
            Membership.group_id == meeting.group_id, sa.or_(_current(meeting.meeting_date), Attendance.id.is_not(None))
        )
        .options(lazyload(Attendance.membership))
    ).all()
    seats = [Seat(m, a) for m, a in rows]
    seats.sort(
        key=lambda s: (
            _ROLE_ORDER.get(s.membership.role, 9),
            s.membership.organisation.name if s.membership.organisation else "",
            s.membership.person.name,
        )
    )
    return Register(meeting, seats)


# --- quorum -------------------------------------------------------------------------------


def _required_kinds(group: Group, register: Register) -> list[OrganisationKind]:
    if group.kind in (GroupKind.board, GroupKind.executive):
        return list(STATUTORY_KINDS)
    seated = {s.organisation.kind for s in register.seats if s.organisation is not None}
    return [k for k in STATUTORY_KINDS if k in seated]


def presiding_chair(meeting: Meeting, register: Register) -> Person | None:
    """Who chairs: the chair if present, else the vice chair, else the nominated chair."""
    for role in (MembershipRole.chair, MembershipRole.vice_chair):
        for s in register.seats:
            if s.membership.role == role and s.status == AttendanceStatus.present:
                return s.membership.person
    if meeting.nominated_chair_person_id and meeting.nominated_chair_person_id in register.attendee_ids:
        return meeting.nominated_chair
    return None


def is_quorate(meeting: Meeting, register: Register | None = None) -> tuple[bool, list[str]]:
    """Whether the meeting is quorate now, and if not, what is missing (readable
    sentences such as "No one from the police is present"). Either council fills the
    local-authority seat unless the group's setting `each_council_required` says each
    council with a seat on the group must be present."""
    register = register or load_register(meeting)
    missing = []
    if presiding_chair(meeting, register) is None:
        missing.append("The chair, the vice chair or a nominated chair is not present")
    for kind in _required_kinds(meeting.group, register):
        if not any(
            s.represented and s.organisation is not None and s.organisation.kind == kind for s in register.seats
        ):
            missing.append(f"No one from {KIND_PHRASES[kind]} is present")
    if meeting.group.each_council_required:
        councils = {
            s.organisation.id: s.organisation
            for s in register.seats
            if s.organisation is not None and s.organisation.kind == OrganisationKind.local_authority
        }
        represented = {s.organisation.id for s in register.seats if s.represented and s.organisation is not None}
        for org_id, org in sorted(councils.items(), key=lambda kv: kv[1].name):
            if org_id not in represented and not _kind_missing(missing, OrganisationKind.local_authority):
                missing.append(f"No one from {org.name} is present (the group needs each council)")
    return not missing, missing


def _kind_missing(missing: list[str], kind: OrganisationKind) -> bool:
    return f"No one from {KIND_PHRASES[kind]} is present" in missing


def missing_phrase(missing: list[str]) -> str:
    """ "no one from the police is present and no one from …"."""
    parts = [m[0].lower() + m[1:] for m in missing]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def quorum_sentence(missing: list[str]) -> str:
    """ "Not quorate: no one from the police is present"."""
    return f"Not quorate: {missing_phrase(missing)}" if missing else "Quorate"


@dataclass
class Movement:
    """An arrival after the start or a departure before the end, and the quorum after it."""

    at: time
    seat: Seat
    arrived: bool
    quorate: bool
    missing: list[str]

    @property
    def sentence(self) -> str:
        """ "Police (deputy) left at 11:05" — organisations, not names, for reasons and logs."""
        org = self.seat.organisation.name if self.seat.organisation else "The independent chair"
        return f"{org} {'arrived' if self.arrived else 'left'} at {self.at.strftime('%H:%M')}"

    @property
    def quorum(self) -> str:
        return quorum_sentence(self.missing)


def movements(meeting: Meeting, register: Register | None = None) -> list[Movement]:
    """The recorded arrivals and departures in time order, each with whether the meeting
    was quorate just after it (what the register page shows and a refusal explains)."""
    register = register or load_register(meeting)
    moves = [
        (t, arrived, seat)
        for seat in register.seats
        if seat.represented and seat.row is not None
        for t, arrived in ((seat.row.arrived_at, True), (seat.row.left_at, False))
        if t is not None
    ]
    out = []
    for t, arrived, seat in sorted(moves, key=lambda m: (m[0], not m[1])):
        quorate, missing = is_quorate(meeting, register.at(t))
        out.append(Movement(t, seat, arrived, quorate, missing))
    return out


# --- recording attendance -----------------------------------------------------------------


def people_by_id(ids: Iterable[int]) -> dict[int, Person]:
    """People by id, in one query."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(ids)))}


def _deputy_problem(membership: Membership, deputy: Person | None, meeting: Meeting) -> str | None:
    if deputy is None:
        return "Select a person from the list"
    if deputy.id == membership.person_id:
        return "The deputy must be a different person from the member"
    if membership.organisation_id is not None and deputy.organisation_id != membership.organisation_id:
        name = membership.organisation.name if membership.organisation else "the member's organisation"
        return f"The deputy must work for {name}"
    if meeting.meeting_date >= today() and not deputy.active:
        return "This person is deactivated"
    return None


# A checked register entry: the seat, status, deputy, note and (arrived_at, left_at).
_Change = tuple[Seat, AttendanceStatus, int | None, str | None, tuple[time | None, time | None]]


def record_attendance(
    meeting: Meeting, entries: list[dict[str, Any]], *, user: Any, as_of: date | None = None
) -> Register:
    """The business office records the register: for each membership `present`,
    `deputy_present` (which deputy: the member's named deputy unless another is given),
    `apologies` (optionally the deputy who is to come) or `absent`. Before the day of the
    meeting only apologies can be recorded. Returns the register as it now stands.

    Someone who came in after the start or left before the end has `arrived_at` /
    `left_at` (times of day): quorum is checked for each decision at its time.

    Field errors are keyed `status_<membership_id>`, `deputy_<membership_id>`,
    `arrived_<membership_id>` and `left_<membership_id>`."""
    _require_office(user, "record the register")
    if meeting.state == MeetingState.cancelled:
        raise Conflict("The meeting was cancelled: there is no register to record")
    as_of = as_of or today()
    register = load_register(meeting)
    deputies = people_by_id(e.get("deputy_person_id") for e in entries if isinstance(e.get("deputy_person_id"), int))
    errors: dict[str, str] = {}
    changes: list[_Change] = []
    seen: set[int] = set()
    for e in entries:
        mid = e.get("membership_id")
        seat = register.seat(mid)
        if seat is None:
            errors[f"membership_{mid}"] = "This membership is not a seat on the group on the date of the meeting"
            continue
        if mid in seen:
            errors[f"membership_{mid}"] = "Each membership can appear only once in the register"
            continue
        seen.add(mid)
        change = _check_entry(meeting, seat, e, deputies, as_of, errors)
        if change is not None:
            changes.append(change)
    if errors:
        raise ValidationFailed(errors=errors)
    for seat, status, deputy_id, note, (arrived_at, left_at) in changes:
        _set_row(meeting, seat, status, deputy_id, note, user)
        seat.row.arrived_at, seat.row.left_at = arrived_at, left_at
    db.session.flush()
    return register


def _check_entry(
    meeting: Meeting,
    seat: Seat,
    e: dict[str, Any],
    deputies: dict[int, Person],
    as_of: date,
    errors: dict[str, str],
) -> _Change | None:
    """One register entry checked: what to record, or None with its messages in `errors`."""
    mid = seat.membership.id
    who = seat.membership.person.name
    try:
        status = AttendanceStatus(e.get("status")) if e.get("status") else None
    except ValueError:
        status = None
    if status is None:
        errors[f"status_{mid}"] = f"Select whether {who} attended"
        return None
    if status != AttendanceStatus.apologies and as_of < meeting.meeting_date:
        errors[f"status_{mid}"] = (
            f"The register can be recorded on or after {long_date(meeting.meeting_date)}: "
            f"until then record only apologies ({who})"
        )
        return None
    deputy_id = e.get("deputy_person_id")
    if status == AttendanceStatus.deputy_present and not deputy_id:
        deputy_id = (seat.row.deputy_person_id if seat.row else None) or seat.membership.deputy_person_id
        if deputy_id:
            deputies.update(people_by_id([deputy_id]))
        else:
            errors[f"deputy_{mid}"] = f"Select the deputy who attended for {who}"
            return None
    if status in (AttendanceStatus.present, AttendanceStatus.absent) and deputy_id:
        errors[f"deputy_{mid}"] = f"Name a deputy for {who} only when a deputy attended or is to attend"
        return None
    if deputy_id:
        problem = _deputy_problem(seat.membership, deputies.get(deputy_id), meeting)
        if problem:
            errors[f"deputy_{mid}"] = f"{problem} ({who}'s deputy)"
            return None
    times = _times(meeting, seat, status, e, errors)
    if times is None:
        return None
    note = (e.get("note") or "").strip() or None
    return seat, status, deputy_id or None, note, times


def _times(
    meeting: Meeting, seat: Seat, status: AttendanceStatus, entry: dict[str, Any], errors: dict[str, str]
) -> tuple[time | None, time | None] | None:
    """An entry's arrival and departure times, checked (None, with the message in `errors`,
    when they are wrong): only for someone who attended, not before the meeting started,
    and leaving after arriving."""
    mid, who = seat.membership.id, seat.membership.person.name
    arrived_at, left_at = entry.get("arrived_at"), entry.get("left_at")
    start = meeting.starts_at.strftime("%H:%M")
    for key, value in (("arrived", arrived_at), ("left", left_at)):
        if value is not None and not isinstance(value, time):
            errors[f"{key}_{mid}"] = f"Enter the time {who} {key} as a time of day, like 11:05"
            return None
    problem = None
    if (arrived_at is not None or left_at is not None) and status not in REPRESENTED:
        key, problem = (
            ("arrived" if arrived_at else "left"),
            (f"Record when someone arrived or left only if they attended ({who})"),
        )
    elif arrived_at is not None and arrived_at <= meeting.starts_at:
        key, problem = (
            "arrived",
            (
                f"The time {who} arrived must be after the meeting started at {start}: leave it blank if they "
                "were there from the start"
            ),
        )
    elif left_at is not None and left_at <= meeting.starts_at:
        key, problem = "left", f"The time {who} left must be after the meeting started at {start}"
    elif arrived_at is not None and left_at is not None and left_at <= arrived_at:
        key, problem = "left", f"The time {who} left must be after the time they arrived"
    if problem:
        errors[f"{key}_{mid}"] = problem
        return None
    return arrived_at, left_at


def _set_row(
    meeting: Meeting, seat: Seat, status: AttendanceStatus, deputy_id: int | None, note: str | None, user: Any
) -> None:
    if seat.row is None:
        seat.row = Attendance(meeting_id=meeting.id, membership_id=seat.membership.id, membership=seat.membership)
        db.session.add(seat.row)
    seat.row.status = status
    if status not in REPRESENTED:
        seat.row.arrived_at = seat.row.left_at = None
    seat.row.deputy_person_id = deputy_id
    seat.row.deputy = db.session.get(Person, deputy_id) if deputy_id else None
    if note is not None:
        seat.row.note = note
    seat.row.recorded_by_id = user.id if user is not None else None


def own_seats(register: Register, user: Any) -> list[Seat]:
    """The seats `user` holds as the member (not as someone's deputy)."""
    if not user.person_id:
        return []
    return [s for s in register.seats if s.membership.person_id == user.person_id]


def send_apologies(
    meeting: Meeting,
    membership_id: int,
    *,
    user: Any,
    deputy_person_id: int | None = None,
    note: str | None = None,
    as_of: date | None = None,
) -> Attendance:
    """A member sends apologies for an upcoming meeting and may name who will come in
    their place (their named deputy, or another person from their organisation for this
    meeting). The business office may record apologies received for any member."""
    as_of = as_of or today()
    if meeting.state not in (MeetingState.scheduled, MeetingState.papers_published) or meeting.meeting_date < as_of:
        raise Conflict("Apologies can be sent only before the meeting")
    register = load_register(meeting)
    seat = register.seat(membership_id)
    if seat is None:
        raise ValidationFailed(errors={"membership_id": "Select your seat on this group"})
    if not user.has_role(Role.business_office) and seat.membership.person_id != user.person_id:
        raise Forbidden("You can send apologies only for your own seat")
    if deputy_person_id:
        problem = _deputy_problem(seat.membership, db.session.get(Person, deputy_person_id), meeting)
        if problem:
            raise ValidationFailed(errors={"deputy_person_id": problem})
    note = (note or "").strip() or None
    if note and len(note) > 500:
        raise ValidationFailed(errors={"note": "The note must be 500 characters or fewer"})
    _set_row(meeting, seat, AttendanceStatus.apologies, deputy_person_id or None, note, user)
    db.session.flush()
    return seat.row


def name_deputy(
    meeting: Meeting, membership_id: int, deputy_person_id: int, *, user: Any, as_of: date | None = None
) -> Attendance:
    """Name who will attend a meeting in the member's place (this sends apologies)."""
    if not deputy_person_id:
        raise ValidationFailed(errors={"deputy_person_id": "Select who will attend in your place"})
    return send_apologies(meeting, membership_id, user=user, deputy_person_id=deputy_person_id, as_of=as_of)


def nominate_chair(meeting: Meeting, person_id: int | None, *, user: Any) -> Meeting:
    """Record who chairs the meeting when neither the chair nor the vice chair is there
    (the Board agrees a nominated lead officer: constitution)."""
    _require_office(user, "record the nominated chair")
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"The chair of a meeting that is {meeting.state.label.lower()} cannot be changed")
    if person_id and person_id not in load_register(meeting).people_ids:
        raise ValidationFailed(
            errors={"nominated_chair_person_id": "The nominated chair must be a member of the group or a deputy"}
        )
    meeting.nominated_chair_person_id = person_id or None
    meeting.nominated_chair = db.session.get(Person, person_id) if person_id else None
    db.session.flush()
    return meeting


def complete_register(meeting: Meeting, user: Any | None = None) -> None:
    """When the meeting ends every seat with no row is recorded absent (no apologies)."""
    register = load_register(meeting)
    for seat in register.seats:
        if seat.row is None:
            _set_row(meeting, seat, AttendanceStatus.absent, None, None, user)
    db.session.flush()
