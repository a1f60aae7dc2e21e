"""The forward plan (issue 17): the Board's cycle of business for a financial year —
terms of reference at the first meeting of the year (domain.md "Sub-group work plans"),
the annual report, the budget, the strategic plan, the risk register's review and each
sub-group's highlight report and the top risks at each meeting — placed on the Board's
agendas automatically.

Each item names a month; it goes to the Board's first meeting of the financial year on or
after the first of that month. When that meeting is still to happen the item is added to
its agenda (`subject_type="forward_plan"`), or linked to what is already there: a
sub-group's highlight report to the meeting's "Report from <sub-group>" slot, any other
item to an agenda item of the same title (so the budget the office put on the agenda by
hand is not there twice). A held meeting is only linked, never changed. Items whose
meeting is not scheduled yet are placed when it is: the daily job `forward_plan` and every
change to the plan place what is waiting. The office adds, moves (another month: the item
leaves the old agenda, with the reason, and goes to the new meeting) and removes items.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import financial_year_title
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    ForwardKind,
    ForwardPlanItem,
    Group,
    GroupKind,
    Meeting,
    MeetingState,
    Role,
)
from safeguarding.models.meetings import UPCOMING_STATES
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.meetings import TOP_RISKS_TITLE, add_agenda_item, board

SUBJECT = "forward_plan"
FY_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
MONTH_NAMES = {m: date(2000, m, 1).strftime("%B") for m in range(1, 13)}
# The standing item each ordinary Board meeting has (services/meetings): linked, not added twice.
TOP_RISKS = TOP_RISKS_TITLE
# The Board meets bi-monthly (constitution): the top risks and the sub-groups' highlight
# reports at each meeting.
BOARD_MONTHS = (4, 6, 8, 10, 12, 2)


def default_cycle(year: int) -> list[tuple[ForwardKind, int, str]]:
    """The cycle of business for financial year `year` (the start year)."""
    this, last, following = (financial_year_title(y) for y in (year, year - 1, year + 1))
    return [
        (ForwardKind.tor_review, 4, "Terms of reference of the Board and its sub-groups (annual review)"),
        (ForwardKind.risk_register, 6, "Risk register review"),
        (ForwardKind.annual_report, 8, f"Annual report {last}: for approval"),
        (ForwardKind.budget, 10, f"Budget monitoring {this}: the half year"),
        (ForwardKind.strategic_plan, 10, f"Strategic plan {following}: consultation draft"),
        (ForwardKind.risk_register, 12, "Risk register review"),
        (ForwardKind.budget, 12, f"Draft budget and partner contributions {following}"),
        (ForwardKind.strategic_plan, 2, f"Strategic plan {following}: for agreement"),
    ]


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office edits the forward plan")


def month_start(year: int, month: int) -> date:
    return date(year if month >= 4 else year + 1, month, 1)


def order_key(item: ForwardPlanItem) -> tuple[int, int, int]:
    return (FY_MONTHS.index(item.month), 0 if item.kind != ForwardKind.highlight_report else 1, item.id)


# --- reading --------------------------------------------------------------------------------


def plan_of(year: int, *, include_removed: bool = False) -> list[ForwardPlanItem]:
    stmt = sa.select(ForwardPlanItem).where(ForwardPlanItem.financial_year == year)
    if not include_removed:
        stmt = stmt.where(ForwardPlanItem.active.is_(True))
    return sorted(db.session.scalars(stmt), key=order_key)


def get_item(item_id: int) -> ForwardPlanItem:
    item = db.session.get(ForwardPlanItem, item_id)
    if item is None:
        raise NotFound("Forward plan item not found")
    return item


def meetings_of(items: list[ForwardPlanItem]) -> dict[int, Meeting]:
    """The meetings the items are placed on, by id (one query)."""
    ids = {i.meeting_id for i in items if i.meeting_id}
    if not ids:
        return {}
    return {m.id: m for m in db.session.scalars(sa.select(Meeting).where(Meeting.id.in_(ids)))}


def sub_groups_of(items: list[ForwardPlanItem]) -> dict[int, Group]:
    ids = {i.sub_group_id for i in items if i.sub_group_id}
    if not ids:
        return {}
    return {g.id: g for g in db.session.scalars(sa.select(Group).where(Group.id.in_(ids)))}


# --- placing --------------------------------------------------------------------------------


def target_meeting(item: ForwardPlanItem) -> Meeting | None:
    """The group's first meeting (not cancelled) in the financial year on or after the
    first of the item's month."""
    end = date(item.financial_year + 1, 3, 31)
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.group_id == item.group_id,
            Meeting.meeting_date >= month_start(item.financial_year, item.month),
            Meeting.meeting_date <= end,
            Meeting.state != MeetingState.cancelled,
        )
        .order_by(Meeting.meeting_date, Meeting.id)
        .limit(1)
    )


def _existing(item: ForwardPlanItem, meeting: Meeting) -> AgendaItem | None:
    stmt = sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.withdrawn.is_(False))
    if item.kind == ForwardKind.highlight_report and item.sub_group_id:
        stmt = stmt.where(AgendaItem.kind == AgendaItemKind.subgroup_report, AgendaItem.group_id == item.sub_group_id)
        return db.session.scalar(stmt.limit(1))
    for row in db.session.scalars(stmt):
        if (row.subject_type, row.subject_id) == (SUBJECT, item.id) or row.title.casefold() == item.title.casefold():
            return row
    return None


def place(item: ForwardPlanItem) -> AgendaItem | None:
    """Put the item on its meeting's agenda (or link it to what is there). Returns the
    agenda item, or None when its meeting is not scheduled yet or was held without it."""
    if not item.active:
        return None
    meeting = target_meeting(item)
    if meeting is None:
        item.meeting_id = item.agenda_item_id = None
        db.session.flush()
        return None
    agenda_item = _existing(item, meeting)
    if agenda_item is None and meeting.state in UPCOMING_STATES:
        agenda_item = add_agenda_item(
            meeting, title=item.title, subject_type=SUBJECT, subject_id=item.id, description=item.kind.label
        )
    item.meeting_id = meeting.id
    item.agenda_item_id = agenda_item.id if agenda_item else None
    db.session.flush()
    return agenda_item


def place_waiting(year: int) -> int:
    """Place the year's items not yet on an agenda (the daily job; after every change)."""
    placed = 0
    for item in plan_of(year):
        if item.agenda_item_id is None and place(item) is not None:
            placed += 1
    return placed


def _take_off(item: ForwardPlanItem, user: Any, reason: str) -> None:
    """Withdraw the item from an agenda still to happen (one it added; a linked item that
    was there before stays)."""
    if item.agenda_item_id is None:
        return
    agenda_item = db.session.get(AgendaItem, item.agenda_item_id)
    meeting = db.session.get(Meeting, item.meeting_id) if item.meeting_id else None
    ours = agenda_item is not None and (agenda_item.subject_type, agenda_item.subject_id) == (SUBJECT, item.id)
    if ours and meeting is not None and meeting.state in UPCOMING_STATES and not agenda_item.withdrawn:
        agenda_item.withdrawn = True
        agenda_item.withdrawn_reason = reason
    item.meeting_id = item.agenda_item_id = None
    db.session.flush()


# --- writing --------------------------------------------------------------------------------


def build_year(year: int, *, user: Any) -> list[ForwardPlanItem]:
    """The year's plan from the default cycle (and, for each of the Board's bi-monthly
    meetings, the top risks and a highlight report from each active sub-group), placed on
    the agendas. Once only:
    a year that has a plan is edited, not built again."""
    _require_office(user)
    group = board()
    if group is None:
        raise Conflict("There is no Partnership Board to plan for")
    if db.session.scalar(sa.select(ForwardPlanItem.id).where(ForwardPlanItem.financial_year == year).limit(1)):
        raise Conflict(f"The forward plan for {financial_year_title(year)} has already been built")
    rows = [
        ForwardPlanItem(financial_year=year, group_id=group.id, kind=kind, month=month, title=title)
        for kind, month, title in default_cycle(year)
    ]
    subgroups = db.session.scalars(
        sa.select(Group).where(Group.kind == GroupKind.subgroup, Group.active.is_(True)).order_by(Group.name)
    ).all()
    for month in BOARD_MONTHS:
        # The top risks go to each Board meeting (services/risks `top_risks`).
        rows.append(
            ForwardPlanItem(
                financial_year=year, group_id=group.id, kind=ForwardKind.risk_register, month=month, title=TOP_RISKS
            )
        )
        for sub in subgroups:
            rows.append(
                ForwardPlanItem(
                    financial_year=year,
                    group_id=group.id,
                    kind=ForwardKind.highlight_report,
                    month=month,
                    title=f"Highlight report: {sub.name}",
                    sub_group_id=sub.id,
                )
            )
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        place(row)
    return plan_of(year)


def _clean(title: str | None, month: Any) -> tuple[str, int]:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "Enter the business"
    elif len(title) > 300:
        errors["title"] = "The title must be 300 characters or fewer"
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        errors["month"] = "Select the month"
    if errors:
        raise ValidationFailed(errors=errors)
    return title, month


def add_item(
    year: int, *, user: Any, title: str, month: int, kind: str = "other", notes: str | None = None
) -> ForwardPlanItem:
    _require_office(user)
    group = board()
    if group is None:
        raise Conflict("There is no Partnership Board to plan for")
    title, month = _clean(title, month)
    if kind not in ForwardKind.__members__ or kind == ForwardKind.highlight_report:
        raise ValidationFailed(errors={"kind": "Select the kind of business"})
    item = ForwardPlanItem(
        financial_year=year,
        group_id=group.id,
        kind=ForwardKind(kind),
        title=title,
        month=month,
        notes=(notes or "").strip() or None,
    )
    db.session.add(item)
    db.session.flush()
    place(item)
    return item


def update_item(
    item: ForwardPlanItem,
    *,
    user: Any,
    title: str,
    month: int,
    notes: str | None = None,
    version: int | None = None,
) -> ForwardPlanItem:
    """Change an item; a new month (or title) moves it to the new meeting's agenda. The
    agenda of a meeting that has happened does not change."""
    _require_office(user)
    if version is not None and version != item.version:
        raise StaleVersion()
    if not item.active:
        raise Conflict("This item has been removed from the forward plan")
    title, month = _clean(title, month)
    held = item.meeting_id is not None and db.session.get(Meeting, item.meeting_id).state not in UPCOMING_STATES
    if held and (month, title) != (item.month, item.title):
        raise Conflict("This item went to a meeting that has taken place: add a new item instead")
    if (month, title) != (item.month, item.title):
        _take_off(item, user, "Moved in the forward plan")
    item.title, item.month, item.notes = title, month, (notes or "").strip() or None
    db.session.flush()
    if item.agenda_item_id is None:
        place(item)
    return item


def remove_item(item: ForwardPlanItem, *, user: Any, version: int | None = None) -> ForwardPlanItem:
    _require_office(user)
    if version is not None and version != item.version:
        raise StaleVersion()
    if not item.active:
        raise Conflict("This item has already been removed")
    _take_off(item, user, "Removed from the forward plan")
    item.active = False
    db.session.flush()
    return item
