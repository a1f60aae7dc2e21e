"""Meetings: writing the agenda (items, withdrawals, order), the subjects waiting for the
Board, and attaching papers."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    AgendaRequest,
    Decision,
    Group,
    Meeting,
    MeetingState,
    Paper,
)
from safeguarding.models.files import StoredFile
from safeguarding.models.meetings import UPCOMING_STATES
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, ValidationFailed
from safeguarding.services.meetings.circulation import circulate_paper_addition
from safeguarding.services.meetings.common import CHAIR_ACTION, _require_office
from safeguarding.services.meetings.queries import agenda_of, board, next_meeting

# --- agenda -------------------------------------------------------------------------------


def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    kind: AgendaItemKind = AgendaItemKind.business,
    subject_type: str | None = None,
    subject_id: int | None = None,
    group_id: int | None = None,
    description: str | None = None,
    presenter: str | None = None,
    restricted: bool = False,
) -> AgendaItem:
    """Add an item to a meeting's agenda (at the end). Items about a record of another
    feature carry `subject_type`/`subject_id`: at most one per subject per meeting, so
    adding the same subject again returns the existing item. A "report from
    <sub-group>" slot carries the sub-group's `group_id`. A `restricted` item is confidential
    business (Part B): see `set_restricted`."""
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"Items cannot be added to a meeting that is {meeting.state.label.lower()}")
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter the title of the agenda item"
    elif len(title) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    if (subject_type is None) != (subject_id is None):
        errors["subject_id"] = "Give both the subject's type and its id, or neither"
    if group_id is not None and db.session.get(Group, group_id) is None:
        errors["group_id"] = "Select a group from the list"
    if errors:
        raise ValidationFailed(errors=errors)
    if subject_type is not None:
        existing = db.session.scalar(
            sa.select(AgendaItem).where(
                AgendaItem.meeting_id == meeting.id,
                AgendaItem.subject_type == subject_type,
                AgendaItem.subject_id == subject_id,
            )
        )
        if existing is not None:
            if existing.withdrawn:
                existing.withdrawn = False
                existing.withdrawn_reason = None
                db.session.flush()
            return existing
    position = _next_position(meeting, subject_type)
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        title=title,
        kind=AgendaItemKind(kind),
        subject_type=subject_type,
        subject_id=subject_id,
        group_id=group_id,
        description=(description or "").strip() or None,
        presenter=(presenter or "").strip() or None,
        restricted=bool(restricted),
    )
    db.session.add(item)
    db.session.flush()
    return item


def set_restricted(item: AgendaItem, restricted: bool, *, user: Any) -> AgendaItem:
    """Mark an item as confidential business (Part B) or open it again: the office only.
    A restricted item, its papers, its minutes and its decisions and actions are seen only
    by the group's members (and the deputies attending), the office and the independent
    chair; the minutes others read say "Item N was taken in private"."""
    _require_office(user, "mark items as restricted")
    if item.kind in (AgendaItemKind.apologies, AgendaItemKind.declarations):
        raise Conflict("Apologies and declarations of interest are always taken in public")
    item.restricted = bool(restricted)
    audit.mark_action(item, "restricted" if restricted else "unrestricted")
    db.session.flush()
    return item


def _next_position(meeting: Meeting, subject_type: str | None) -> int:
    """At the end, except that a chair's action for ratification follows the standing item
    "chair's actions for ratification" (and the other chair's actions already there)."""
    last = (
        db.session.scalar(sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0
    )
    if subject_type != CHAIR_ACTION:
        return last + 1
    anchor = db.session.scalar(
        sa.select(sa.func.max(AgendaItem.position)).where(
            AgendaItem.meeting_id == meeting.id,
            sa.or_(AgendaItem.kind == AgendaItemKind.chair_actions, AgendaItem.subject_type == CHAIR_ACTION),
        )
    )
    if anchor is None:
        return last + 1
    for later in db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.position > anchor)
    ):
        later.position += 1
    db.session.flush()
    return anchor + 1


# --- subjects waiting for a group's next meeting ------------------------------------------


def _item_on_upcoming_meeting(group_id: int, subject_type: str, subject_id: int) -> AgendaItem | None:
    return db.session.scalar(
        sa.select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            Meeting.group_id == group_id,
            Meeting.state.in_(UPCOMING_STATES),
            AgendaItem.subject_type == subject_type,
            AgendaItem.subject_id == subject_id,
            AgendaItem.withdrawn.is_(False),
        )
        .order_by(Meeting.meeting_date)
        .limit(1)
    )


def _place(request: AgendaRequest, after: date) -> AgendaItem | None:
    existing = _item_on_upcoming_meeting(request.group_id, request.subject_type, request.subject_id)
    if existing is not None:
        return existing
    meeting = next_meeting(request.group_id, after)
    if meeting is None:
        return None
    return add_agenda_item(
        meeting, title=request.title, subject_type=request.subject_type, subject_id=request.subject_id
    )


def add_to_next_board_agenda(title: str, *, subject_type: str, subject_id: int, after: date) -> AgendaItem | None:
    """Put a subject before the Board at its next meeting after `after`, and keep it
    there until the Board decides it: idempotent per subject (calling twice adds one
    item). Returns the agenda item, or None when no Board meeting is scheduled yet — the
    subject is then placed on the next Board meeting when it is scheduled. When a meeting
    is cancelled, or ends without a final decision on the subject, the item is carried to
    the following meeting. Used by chair's action, attendance escalations, review
    sign-off, work plan and budget approval."""
    group = board()
    if group is None:
        return None
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(errors={"title": "Enter the title of the agenda item"})
    request = db.session.scalar(
        sa.select(AgendaRequest).where(
            AgendaRequest.group_id == group.id,
            AgendaRequest.subject_type == subject_type,
            AgendaRequest.subject_id == subject_id,
        )
    )
    if request is None:
        request = AgendaRequest(group_id=group.id, subject_type=subject_type, subject_id=subject_id, title=title)
        db.session.add(request)
        db.session.flush()
    elif request.closed_at is not None:
        existing = _item_on_upcoming_meeting(group.id, subject_type, subject_id)
        if existing is not None:
            return existing
        request.closed_at = None
        request.title = title
    return _place(request, after)


def _place_waiting_requests(meeting: Meeting) -> None:
    """A newly scheduled meeting takes the group's open requests that are on no upcoming
    agenda."""
    for request in db.session.scalars(
        sa.select(AgendaRequest)
        .where(AgendaRequest.group_id == meeting.group_id, AgendaRequest.closed_at.is_(None))
        .order_by(AgendaRequest.id)
    ):
        if _item_on_upcoming_meeting(meeting.group_id, request.subject_type, request.subject_id) is None:
            add_agenda_item(
                meeting, title=request.title, subject_type=request.subject_type, subject_id=request.subject_id
            )


def carry_forward(meeting: Meeting) -> None:
    """After a meeting is cancelled or ends: open requests it carried move to the group's
    next meeting (or wait for one to be scheduled)."""
    subjects = {
        (i.subject_type, i.subject_id)
        for i in db.session.scalars(
            sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.subject_type.is_not(None))
        )
    }
    if not subjects:
        return
    for request in db.session.scalars(
        sa.select(AgendaRequest)
        .where(AgendaRequest.group_id == meeting.group_id, AgendaRequest.closed_at.is_(None))
        .order_by(AgendaRequest.id)
    ):
        if (request.subject_type, request.subject_id) in subjects:
            _place(request, meeting.meeting_date)


# --- changing the agenda ------------------------------------------------------------------


def move_agenda_item(item: AgendaItem, direction: str, *, user: Any) -> None:
    _require_office(user, "change the agenda")
    meeting = db.session.get(Meeting, item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict("The agenda of a meeting that has ended cannot be changed")
    items = agenda_of(meeting)
    index = next((i for i, x in enumerate(items) if x.id == item.id), None)
    if index is None:
        raise Conflict("A withdrawn item cannot be moved")
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        return
    a, b = items[index], items[other]
    a.position, b.position = b.position, a.position
    db.session.flush()


UNWITHDRAWABLE = (AgendaItemKind.apologies, AgendaItemKind.declarations)


def withdraw_agenda_item(item: AgendaItem, *, user: Any, reason: str) -> AgendaItem:
    """Take an item off the agenda (kept, marked withdrawn, with the reason)."""
    _require_office(user, "change the agenda")
    meeting = db.session.get(Meeting, item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict("The agenda of a meeting that has ended cannot be changed")
    if item.withdrawn:
        raise Conflict("This item has already been withdrawn")
    if item.kind in UNWITHDRAWABLE:
        raise ValidationFailed(reasons=[f"“{item.title}” is a standing item on every agenda: it cannot be withdrawn"])
    if db.session.scalar(sa.select(Decision.id).where(Decision.agenda_item_id == item.id).limit(1)):
        raise ValidationFailed(reasons=["A decision has been recorded on this item: it cannot be withdrawn"])
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(errors={"reason": "Enter why the item is withdrawn"})
    item.withdrawn = True
    item.withdrawn_reason = reason
    db.session.flush()
    return item


# --- papers -------------------------------------------------------------------------------


def attach_paper(
    agenda_item: AgendaItem, stored_file: StoredFile, *, title: str, added_by_id: int | None = None
) -> Paper:
    """Attach a stored file (checked by `storage.save_upload`, or generated by another
    feature — a sub-group's highlight report goes on the Board's "report from
    <sub-group>" slot, the item whose `group_id` is the sub-group) to an agenda item. Once
    the papers are published, the group's members and deputies are emailed the addition."""
    meeting = db.session.get(Meeting, agenda_item.meeting_id)
    if meeting.state not in UPCOMING_STATES:
        raise Conflict(f"Papers cannot be added to a meeting that is {meeting.state.label.lower()}")
    if agenda_item.withdrawn:
        raise Conflict("This item has been withdrawn from the agenda")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(errors={"title": "Enter the title of the paper"})
    if len(title) > 300:
        raise ValidationFailed(errors={"title": "The title must be 300 characters or fewer"})
    paper = Paper(
        meeting_id=meeting.id,
        agenda_item_id=agenda_item.id,
        stored_file_id=stored_file.id,
        title=title,
        added_by_id=added_by_id,
    )
    db.session.add(paper)
    db.session.flush()
    if meeting.state in (MeetingState.papers_published, MeetingState.in_session):
        circulate_paper_addition(paper, meeting)
    return paper
