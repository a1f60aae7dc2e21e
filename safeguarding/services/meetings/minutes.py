"""Meetings: minutes — who reads them, drafting, amendments, circulation and ratification."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    Group,
    GroupKind,
    Meeting,
    MeetingState,
    Membership,
    MembershipRole,
    Minutes,
    MinutesAmendment,
    MinutesSection,
    MinutesState,
    Role,
)
from safeguarding.models.base import utcnow
from safeguarding.models.meetings import HELD_STATES
from safeguarding.notify import queue_email, service_url
from safeguarding.services.errors import Conflict, NotFound, ValidationFailed
from safeguarding.services.meetings.agenda import add_agenda_item
from safeguarding.services.meetings.circulation import members_and_deputies
from safeguarding.services.meetings.common import (
    MEMBER_ROLES,
    MINUTES,
    SEE_ALL,
    _check_version,
    _current,
    _require_office,
)
from safeguarding.services.meetings.queries import agenda_of, meeting_visibility
from safeguarding.services.meetings.register import is_quorate, missing_phrase

# --- who reads minutes --------------------------------------------------------------------


# Groups that discuss cases, by the feature that knows them: each registers
# `fn() -> group ids` with `case_groups` (the case review sub-groups: services/reviews),
# so that this package imports none of them.
_case_group_sources: list[Callable[[], Iterable[int]]] = []


def case_groups(fn: Callable[[], Iterable[int]]) -> Callable[[], Iterable[int]]:
    """Register `fn() -> group ids`: groups whose minutes are restricted as a whole."""
    _case_group_sources.append(fn)
    return fn


def case_group_ids() -> list[int]:
    """The groups that discuss cases, whose minutes are restricted as a whole (domain.md,
    "Confidential business": the SAR and CSPR sub-groups; viewers never see them): the
    sub-groups case reviews go to, and any group a review has been given to (registered
    by services/reviews with `case_groups`). Fails closed: with no source registered
    (services.reviews not imported) it refuses rather than restrict nothing."""
    if not _case_group_sources:
        raise RuntimeError("no feature has registered the groups that discuss cases (import services.reviews)")
    ids: set[int] = set()
    for source in _case_group_sources:
        ids.update(source())
    return sorted(ids)


def restricted_minutes_group_ids() -> list[int]:
    """The groups whose minutes are restricted as a whole: each group's own setting
    (`Group.minutes_restricted`), and by default (no setting) the groups that discuss cases
    (`case_group_ids`)."""
    settings = {g: setting for g, setting in db.session.execute(sa.select(Group.id, Group.minutes_restricted))}
    default = set(case_group_ids())
    return sorted(g for g, setting in settings.items() if (setting if setting is not None else g in default))


def sees_restricted(meeting: Meeting, user: Any) -> bool:
    """Whether `user` sees the meeting's confidential business (restricted items, their
    papers, minutes, decisions and actions): the office, the independent chair and the
    group's members and the deputies who attend (those who see the meeting)."""
    if user is None:
        return False
    if user.has_role(*SEE_ALL):
        return True
    if not (user.has_role(*MEMBER_ROLES) and user.person_id):
        return False
    return bool(db.session.scalar(sa.select(Meeting.id).where(Meeting.id == meeting.id, meeting_visibility(user))))


def private_item_ids(meeting: Meeting, user: Any) -> set[int]:
    """The meeting's restricted items `user` may not see (empty for those who may)."""
    if sees_restricted(meeting, user):
        return set()
    return set(
        db.session.scalars(
            sa.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id, AgendaItem.restricted.is_(True))
        )
    )


def _chaired_group_ids(person_id: int, on: date) -> sa.Select:
    """The groups `person_id` chairs on `on` (membership role chair), as a subquery."""
    return sa.select(Membership.group_id).where(
        Membership.person_id == person_id,
        Membership.role == MembershipRole.chair,
        _current(on),
    )


def approves_minutes(minutes: Minutes, user: Any) -> bool:
    """Who approves (or returns) submitted minutes — the constitution: the group's Chair,
    which is the independent chair for the Board and the Executive and a sub-group's own
    chair (its chair membership now) for a sub-group."""
    if user is None:
        return False
    meeting = db.session.get(Meeting, minutes.meeting_id)
    group = db.session.get(Group, meeting.group_id)
    if group.kind in (GroupKind.board, GroupKind.executive):
        return bool(user.has_role(Role.independent_chair))
    if not (user.has_role(Role.subgroup_chair) and user.person_id):
        return False
    return group.id in set(db.session.scalars(_chaired_group_ids(user.person_id, today())))


def minutes_to_approve_select(user: Any) -> sa.Select:
    """A count of the submitted minutes waiting for `user`'s approval (see
    `approves_minutes`): the Board's and the Executive's for the independent chair, the
    groups they chair for a sub-group's chair."""
    groups: list[sa.ColumnElement[bool]] = []
    if user.has_role(Role.independent_chair):
        groups.append(
            Meeting.group_id.in_(sa.select(Group.id).where(Group.kind.in_((GroupKind.board, GroupKind.executive))))
        )
    if user.has_role(Role.subgroup_chair) and user.person_id:
        groups.append(Meeting.group_id.in_(_chaired_group_ids(user.person_id, today())))
    return (
        sa.select(sa.func.count())
        .select_from(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.state == MinutesState.submitted, sa.or_(*groups) if groups else sa.false())
    )


def minutes_visibility(user: Any) -> sa.ColumnElement[bool]:
    """The office and the chair see every draft; a sub-group's chair sees the minutes
    submitted for their approval; members see their groups' approved (circulated) and
    ratified minutes; viewers see ratified minutes only, and never those of groups whose
    minutes are restricted as a whole (`restricted_minutes_group_ids`)."""
    if user.has_role(*SEE_ALL):
        return sa.true()
    clauses = []
    if user.has_role(Role.subgroup_chair) and user.person_id:
        clauses.append(
            sa.and_(
                Minutes.state == MinutesState.submitted,
                Minutes.meeting_id.in_(
                    sa.select(Meeting.id).where(Meeting.group_id.in_(_chaired_group_ids(user.person_id, today())))
                ),
            )
        )
    if user.has_role(Role.viewer):
        restricted = restricted_minutes_group_ids()
        public_record = Minutes.state == MinutesState.ratified
        if restricted:
            public_record = sa.and_(
                public_record, Minutes.meeting_id.in_(sa.select(Meeting.id).where(Meeting.group_id.not_in(restricted)))
            )
        clauses.append(public_record)
    if user.has_role(*MEMBER_ROLES) and user.person_id:
        clauses.append(
            sa.and_(
                Minutes.state.in_((MinutesState.approved, MinutesState.ratified)),
                Minutes.meeting_id.in_(sa.select(Meeting.id).where(meeting_visibility(user))),
            )
        )
    return sa.or_(*clauses) if clauses else sa.false()


def get_minutes(minutes_id: int, user: Any) -> Minutes:
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.id == minutes_id, minutes_visibility(user)))
    if minutes is None:
        raise NotFound("Minutes not found")
    return minutes


def minutes_of(meeting: Meeting) -> Minutes | None:
    return db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == meeting.id))


@dataclass
class MinutesFilters:
    state: str | None = None
    group_id: int | None = None
    page: int = 1
    per_page: int = 50


def list_minutes(user: Any, f: MinutesFilters) -> tuple[list[Minutes], int]:
    stmt = sa.select(Minutes).join(Meeting, Meeting.id == Minutes.meeting_id).where(minutes_visibility(user))
    if f.state:
        stmt = stmt.where(Minutes.state == MinutesState(f.state))
    if f.group_id:
        stmt = stmt.where(Meeting.group_id == f.group_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Meeting.meeting_date.desc(), Minutes.id.desc())
        .limit(f.per_page)
        .offset((f.page - 1) * f.per_page)
    )
    return list(rows), total


# --- drafting and amending ----------------------------------------------------------------


def start_minutes(meeting: Meeting, *, user: Any) -> Minutes:
    """Start the minutes of a meeting: one section per agenda item."""
    _require_office(user, "draft minutes")
    if meeting.state not in (MeetingState.in_session, *HELD_STATES):
        raise Conflict("Minutes are written once the meeting is in session")
    if minutes_of(meeting) is not None:
        raise Conflict("This meeting already has minutes")
    minutes = Minutes(meeting_id=meeting.id, meeting=meeting, state=MinutesState.draft, drafted_by_id=user.id)
    db.session.add(minutes)
    db.session.flush()
    for item in agenda_of(meeting):
        db.session.add(MinutesSection(minutes_id=minutes.id, agenda_item_id=item.id, text=""))
    db.session.flush()
    return minutes


def sections_of(minutes: Minutes) -> dict[int, MinutesSection]:
    return {
        s.agenda_item_id: s
        for s in db.session.scalars(sa.select(MinutesSection).where(MinutesSection.minutes_id == minutes.id))
    }


def update_minutes(minutes: Minutes, *, version: int | None, sections: dict[int, str], user: Any) -> Minutes:
    """Write the minutes (a text per agenda item) while they are a draft."""
    _require_office(user, "write minutes")
    _check_version(minutes, version)
    if minutes.state == MinutesState.ratified:
        raise Conflict("Ratified minutes are the permanent record: record an amendment instead")
    if minutes.state != MinutesState.draft:
        raise Conflict(
            f"Minutes that are {minutes.state.label.lower()} cannot be changed"
            + (": record an amendment instead" if minutes.state == MinutesState.approved else "")
        )
    existing = sections_of(minutes)
    items = {i.id: i for i in agenda_of(minutes.meeting, include_withdrawn=True)}
    errors = {}
    for item_id in sections:
        if item_id not in items:
            errors[f"section_{item_id}"] = "This is not an item on the meeting's agenda"
    if errors:
        raise ValidationFailed(errors=errors)
    for item_id, text in sections.items():
        section = existing.get(item_id)
        if section is None:
            section = MinutesSection(minutes_id=minutes.id, agenda_item_id=item_id)
            db.session.add(section)
        section.text = (text or "").strip()
    minutes.updated_at = utcnow()  # the minutes' version moves with any section
    db.session.flush()
    return minutes


def add_amendment(
    minutes: Minutes, *, user: Any, text: str, reason: str, agenda_item_id: int | None = None
) -> MinutesAmendment:
    """Correct approved or ratified minutes: the original stays; the amendment is recorded."""
    _require_office(user, "amend minutes")
    if minutes.state not in (MinutesState.approved, MinutesState.ratified):
        raise Conflict("Draft and submitted minutes are changed directly, not amended")
    errors = {}
    text, reason = (text or "").strip(), (reason or "").strip()
    if not text:
        errors["text"] = "Enter the correction"
    if not reason:
        errors["reason"] = "Enter why the minutes are corrected"
    if agenda_item_id is not None:
        item = db.session.get(AgendaItem, agenda_item_id)
        if item is None or item.meeting_id != minutes.meeting_id:
            errors["agenda_item_id"] = "Select an item of the meeting"
    if errors:
        raise ValidationFailed(errors=errors)
    amendment = MinutesAmendment(
        minutes_id=minutes.id, agenda_item_id=agenda_item_id, text=text, reason=reason, recorded_by_id=user.id
    )
    db.session.add(amendment)
    db.session.flush()
    return amendment


def amendments_of(minutes: Minutes) -> list[MinutesAmendment]:
    return list(
        db.session.scalars(
            sa.select(MinutesAmendment).where(MinutesAmendment.minutes_id == minutes.id).order_by(MinutesAmendment.id)
        )
    )


# --- approval and ratification ------------------------------------------------------------


def ratifying_candidates(minutes: Minutes) -> list[Meeting]:
    """Later meetings of the same group now in session (where minutes may be ratified)."""
    m = minutes.meeting
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.group_id == m.group_id,
                Meeting.meeting_date > m.meeting_date,
                Meeting.state == MeetingState.in_session,
            )
            .order_by(Meeting.meeting_date)
        )
    )


def ratification_problem(minutes: Minutes, meeting: Meeting | None) -> str | None:
    """Why `meeting` cannot ratify `minutes` (None if it can)."""
    if meeting is None:
        return "Choose the meeting of the group, now in session, that ratifies the minutes"
    if meeting.group_id != minutes.meeting.group_id:
        return f"Minutes are ratified by a meeting of the same group ({minutes.meeting.group.name})"
    if meeting.meeting_date <= minutes.meeting.meeting_date:
        return "Minutes are ratified only at a later meeting of the group"
    if meeting.state != MeetingState.in_session:
        return "The meeting that ratifies the minutes must be in session"
    quorate, missing = is_quorate(meeting)
    if not quorate:
        return f"The meeting that ratifies the minutes is not quorate: {missing_phrase(missing)}"
    return None


def circulate_minutes(minutes: Minutes, on: date | None = None) -> int:
    """Email each member of the group on `on` (the day of approval), and each named
    deputy, that the minutes are approved, with a link to them (one message each, so
    addresses are not shared; the outbox's dedupe key makes a second call send nothing
    new). Returns the number of messages."""
    meeting = minutes.meeting
    people = members_and_deputies(meeting.group_id, on)
    link = service_url("meetings.minutes", minutes_id=minutes.id)
    queued = 0
    for person in people:
        queue_email(
            [person.email],
            f"Approved minutes: {meeting.name}",
            "minutes_approved",
            {"name": person.name, "meeting": meeting.name, "group": meeting.group.name, "link": link},
            kind="minutes_circulated",
            dedupe_key=f"minutes-circulated:{minutes.id}:{person.id}",
        )
        queued += 1
    if queued:
        minutes.circulated_at = utcnow()
        db.session.flush()
    return queued


def record_ratification(minutes: Minutes, meeting: Meeting, user: Any) -> Decision:
    """The ratifying meeting's "minutes of the previous meeting" item records the
    decision (by consensus) that the minutes are a true record."""
    item = db.session.scalar(
        sa.select(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.kind == AgendaItemKind.previous_minutes,
            AgendaItem.withdrawn.is_(False),
        )
        .order_by(AgendaItem.position)
        .limit(1)
    )
    if item is None:
        item = add_agenda_item(meeting, title="Minutes of the previous meeting", kind=AgendaItemKind.previous_minutes)
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        method=DecisionMethod.consensus,
        outcome=DecisionOutcome.agreed,
        quorate=True,
        subject_type=MINUTES,
        subject_id=minutes.id,
        text=f"The minutes of the {minutes.meeting.name} were agreed as a true record.",
        recorded_by_id=user.id if user is not None else None,
    )
    db.session.add(decision)
    db.session.flush()
    return decision
