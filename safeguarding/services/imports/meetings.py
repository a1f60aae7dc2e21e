"""Meetings with their attendance registers: one row per seat at a meeting (a meeting
with no register yet is one row with no member). Meetings match by group and date,
register lines by the member's email. A meeting whose date has passed and whose register
is in the file is brought to where its register puts it through the meeting's lifecycle
(papers published, opened and closed when quorate; recorded as inquorate when not), each
event on its real date; nothing is emailed about meetings of the past."""

from __future__ import annotations

from datetime import time
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import AttendanceStatus, Group, Meeting, MeetingState
from safeguarding.notify.outbox import quiet
from safeguarding.services import meetings
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.imports import values
from safeguarding.services.imports.directory import DATE, _people
from safeguarding.services.imports.engine import CREATED, UNCHANGED, UPDATED, Column, Context, Kind, Row, register
from safeguarding.workflows.meetings import meeting_lifecycle

TIME = "A time of day: 10:00, 14:30 or a time cell"


def a_time(value: Any) -> time | None:
    if values.blank(value):
        return None
    if isinstance(value, time):
        return value
    raw = str(value).strip().lower().replace(".", ":")
    try:
        hours, _, minutes = raw.partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise values.CellProblem("must be a time of day, like 10:00 or 14:30") from None


COLUMNS = (
    Column(
        "group",
        "Group",
        "The group that met, by its name (already recorded)",
        "Safeguarding Partnership Board",
        required=True,
    ),
    Column(
        "meeting_date",
        "Meeting date",
        "The day of the meeting",
        "12/05/2021",
        values.a_date,
        required=True,
        allowed=DATE,
    ),
    Column("starts_at", "Starts at", "When it starts; blank is 10:00", "10:00", a_time, allowed=TIME),
    Column("ends_at", "Ends at", "When it ends; blank is 12:00", "12:00", a_time, allowed=TIME),
    Column("location", "Location", "Where it is held", "Council Chamber"),
    Column(
        "email",
        "Member email",
        "A member of the group on that day, by email; blank for a meeting row only",
        "alex.morgan@police.example",
        values.email,
        allowed="An email address",
    ),
    Column(
        "status",
        "Attendance",
        "What the register records for them (only apologies before the meeting)",
        "present",
        values.choice(AttendanceStatus),
        allowed=values.allowed_values(AttendanceStatus),
    ),
    Column(
        "deputy_email",
        "Deputy email",
        "Who attended for them (deputy_present) or is to attend (apologies); blank is their named deputy",
        "",
        values.email,
        allowed="An email address",
    ),
)


def _group(ctx: Context, name: str) -> Group:
    if "groups" not in ctx.cache:
        ctx.cache["groups"] = {validation.name_key(g.name): g for g in db.session.scalars(sa.select(Group))}
    group = ctx.cache["groups"].get(validation.name_key(name))
    if group is None:
        raise ValidationFailed(errors={"group_id": f"There is no group called ‘{name}’: add it first"})
    return group


def _meeting(ctx: Context, row: Row) -> Meeting | None:
    group = _group(ctx, row.values["group"])
    return db.session.scalar(
        sa.select(Meeting).where(
            Meeting.group_id == group.id,
            Meeting.meeting_date == row.values["meeting_date"],
            Meeting.state != MeetingState.cancelled,
        )
    )


def _meeting_step(row: Row, ctx: Context) -> str:
    v = row.values
    if _meeting(ctx, row) is not None:
        return UNCHANGED
    group = _group(ctx, v["group"])
    meetings.schedule_meeting(
        group_id=group.id,
        meeting_date=v["meeting_date"],
        starts_at=v.get("starts_at") or time(10, 0),
        ends_at=v.get("ends_at") or time(12, 0),
        location=v.get("location"),
        created_by_id=getattr(ctx.user, "id", None),
    )
    return CREATED


def _register_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v.get("email") is None:
        if v.get("status") is not None or v.get("deputy_email") is not None:
            raise ValidationFailed(errors={"email": "Enter the email address of the member"})
        return UNCHANGED
    if v.get("status") is None:
        raise ValidationFailed(errors={"status": "Enter what the register records for this member"})
    meeting = _meeting(ctx, row)
    assert meeting is not None  # the first step made it
    people = _people(ctx)
    person = people.get(validation.name_key(v["email"]))
    seat = next(
        (
            s
            for s in meetings.load_register(meeting).seats
            if person is not None and s.membership.person_id == person.id
        ),
        None,
    )
    if seat is None:
        raise ValidationFailed(errors={"email": "This person is not a member of the group on the date of the meeting"})
    deputy_id = None
    if v.get("deputy_email"):
        deputy = people.get(validation.name_key(v["deputy_email"]))
        if deputy is None:
            raise ValidationFailed(errors={"deputy_email": "There is no person with this deputy's email address"})
        deputy_id = deputy.id
    if (
        seat.row is not None
        and seat.row.status == v["status"]
        and (deputy_id is None or seat.row.deputy_person_id == deputy_id)
    ):
        return UNCHANGED
    if meeting.is_held:
        raise ValidationFailed(
            errors={"status": "The meeting has been held: change its register on the meeting's page"}
        )
    entry = {"membership_id": seat.membership.id, "status": v["status"].value, "deputy_person_id": deputy_id}
    try:
        meetings.record_attendance(meeting, [entry], user=ctx.user, as_of=today())
    except ValidationFailed as exc:
        raise ValidationFailed(errors={_column_of(k): m for k, m in exc.errors.items()}, reasons=exc.reasons) from None
    ctx.cache.setdefault("registers", set()).add(meeting.id)
    return UPDATED if seat.row is not None else CREATED


def _column_of(service_field: str) -> str:
    return {"status": "status", "deputy": "deputy_email"}.get(service_field.split("_")[0], "email")


def _held_step(row: Row, ctx: Context) -> str:
    """Bring a past meeting whose register this file recorded to held, once."""
    meeting = _meeting(ctx, row) if row.values.get("email") else None
    pending = ctx.cache.get("registers", set())
    if meeting is None or meeting.id not in pending or meeting.meeting_date >= today():
        return UNCHANGED
    pending.discard(meeting.id)
    held = meeting.meeting_date
    fire = meeting_lifecycle.fire
    system = ctx.user is None
    with quiet():
        if meeting.state == MeetingState.scheduled:
            fire(
                meeting,
                "publish_papers",
                user=ctx.user,
                version=meeting.version,
                as_of=meeting.papers_due_on,
                system=system,
            )
        if meetings.is_quorate(meeting)[0]:
            fire(meeting, "open", user=ctx.user, version=meeting.version, as_of=held, system=system)
            fire(meeting, "close", user=ctx.user, version=meeting.version, as_of=held, system=system)
        else:
            fire(meeting, "record_inquorate", user=ctx.user, version=meeting.version, as_of=held, system=system)
    return UPDATED


MEETINGS = register(
    Kind(
        "meetings",
        "Meetings and attendance",
        "Meetings of the groups and their attendance registers (one row per member at a meeting)",
        COLUMNS,
        (_meeting_step, _register_step, _held_step),
        error_columns={
            "group_id": "group",
            "meeting_date": "meeting_date",
            "starts_at": "starts_at",
            "ends_at": "ends_at",
        },
    )
)
