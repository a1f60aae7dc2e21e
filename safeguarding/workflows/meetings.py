"""Lifecycles of meetings, minutes and chair's actions.

Meeting: scheduled → papers_published → in_session → closed; cancelled from the first
two; inquorate when it cannot proceed (from papers_published or in_session).

Minutes: draft → submitted → approved by the group's chair (the independent chair for the
Board and the Executive, a sub-group's own chair for a sub-group; circulated by email to
the group's members) or back to draft (by the same chair, with comments) → ratified (only at a later, quorate meeting of the same group that
is in session).

Chair's action: awaiting_ratification → ratified / not_ratified, moved only by the
Board's decision on its agenda item (no one fires these by hand).

What needs the meetings service (quorum, completing the register, carrying items forward,
circulating and ratifying minutes) is named here and registered by
services/meetings/lifecycle.py, with the loaders; the page links by meetings/routes.
"""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    ChairAction,
    ChairActionStatus,
    Meeting,
    MeetingState,
    Minutes,
    MinutesSection,
    MinutesState,
    Role,
)
from safeguarding.models.meetings import HELD_STATES
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}
GROUP_CHAIRS = {Role.independent_chair, Role.subgroup_chair}

# Registered by services/meetings/lifecycle.py.
QUORATE = "quorate"  # guard: the meeting is quorate, so it can proceed
NOT_QUORATE = "not_quorate"  # guard: the meeting is not quorate
ENDED = "ended"  # effect: complete the register, carry open items forward
CANCELLED = "cancelled"  # effect: carry open items forward
CIRCULATE = "circulate"  # effect: email the approved minutes to the group's members
CIRCULATE_PAPERS = "circulate_papers"  # effect: email the published papers to the group's members
RATIFYING_MEETING = "ratifying_meeting"  # guard: a later, quorate meeting in session ratifies
RECORD_RATIFICATION = "record_ratification"  # effect: the ratifying meeting's decision
GROUPS_CHAIR = "groups_chair"  # permission: the user chairs the minutes' group (see above)


# --- meetings -----------------------------------------------------------------------------


def _published_on_time_or_reason(ctx: TransitionContext) -> str | None:
    meeting: Meeting = ctx.row
    if ctx.as_of > meeting.papers_due_on and not ctx.params.get("late_reason"):
        return f"The papers were due by {long_date(meeting.papers_due_on)}: give the reason they are published late"
    return None


def _set_published(ctx: TransitionContext) -> None:
    meeting: Meeting = ctx.row
    meeting.papers_published_on = ctx.as_of
    meeting.late_publication_reason = ctx.params.get("late_reason") if ctx.as_of > meeting.papers_due_on else None


def _day_reached(ctx: TransitionContext) -> str | None:
    meeting: Meeting = ctx.row
    if ctx.as_of < meeting.meeting_date:
        return f"The meeting is not until {long_date(meeting.meeting_date)}"
    return None


meeting_lifecycle = Lifecycle(
    "meeting",
    Meeting,
    MeetingState,
    [
        Transition(
            "publish_papers",
            "scheduled",
            "papers_published",
            OFFICE,
            "Publish the papers",
            params=[
                Param(
                    "late_reason",
                    "textarea",
                    "Reason the papers are published late",
                    required=False,
                    hint="Needed only when the papers are published after their due date",
                )
            ],
            guards=[_published_on_time_or_reason],
            apply=_set_published,
            after=CIRCULATE_PAPERS,
            comment=None,
        ),
        Transition(
            "open",
            "papers_published",
            "in_session",
            OFFICE_OR_CHAIR,
            "Open the meeting",
            guards=[_day_reached, QUORATE],
            comment=None,
        ),
        Transition(
            "close",
            "in_session",
            "closed",
            OFFICE_OR_CHAIR,
            "Close the meeting",
            after=ENDED,
            comment=None,
            confirm="Members with nothing recorded on the register will be recorded as absent.",
        ),
        Transition(
            "cancel",
            ["scheduled", "papers_published"],
            "cancelled",
            OFFICE,
            "Cancel the meeting",
            comment="required",
            comment_label="Reason for cancelling",
            after=CANCELLED,
            destructive=True,
        ),
        Transition(
            "record_inquorate",
            ["papers_published", "in_session"],
            "inquorate",
            OFFICE_OR_CHAIR,
            "Record the meeting as inquorate",
            guards=[_day_reached, NOT_QUORATE],
            after=ENDED,
            destructive=True,
            comment="optional",
            confirm="The meeting cannot proceed without a quorum. Attendance is kept; members with nothing "
            "recorded will be recorded as absent; items waiting for a decision move to the next "
            "meeting.",
        ),
    ],
    initial="scheduled",
    noun="meeting",
)


# --- minutes ------------------------------------------------------------------------------


def _meeting_ended(ctx: TransitionContext) -> str | None:
    minutes: Minutes = ctx.row
    if minutes.meeting.state not in HELD_STATES:
        return "Close the meeting before its minutes are submitted"
    return None


def _has_text(ctx: TransitionContext) -> str | None:
    written = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MinutesSection)
        .where(MinutesSection.minutes_id == ctx.row.id, MinutesSection.text != "")
    )
    if not written:
        return "Write the minutes of at least one item first"
    return None


def _set_submitted(ctx: TransitionContext) -> None:
    ctx.row.submitted_on = ctx.as_of


def _set_approved(ctx: TransitionContext) -> None:
    ctx.row.approved_on = ctx.as_of
    ctx.row.approved_by_id = ctx.user.id if ctx.user is not None else None


def _set_ratified(ctx: TransitionContext) -> None:
    meeting = db.session.get(Meeting, ctx.params["meeting_id"])
    ctx.row.ratified_on = meeting.meeting_date
    ctx.row.ratified_at_meeting_id = meeting.id


minutes_lifecycle = Lifecycle(
    "minutes",
    Minutes,
    MinutesState,
    [
        Transition(
            "submit",
            "draft",
            "submitted",
            OFFICE,
            "Submit to the chair",
            guards=[_meeting_ended, _has_text],
            apply=_set_submitted,
            comment="optional",
        ),
        Transition(
            "approve",
            "submitted",
            "approved",
            GROUP_CHAIRS,
            "Approve the minutes",
            allowed=GROUPS_CHAIR,
            apply=_set_approved,
            after=CIRCULATE,
            comment=None,
            confirm="Approved minutes are circulated to the group's members and can no longer "
            "be changed: corrections are recorded as amendments.",
        ),
        Transition(
            "return_for_changes",
            "submitted",
            "draft",
            GROUP_CHAIRS,
            "Return for changes",
            allowed=GROUPS_CHAIR,
            comment="required",
            comment_label="What needs to change",
        ),
        Transition(
            "ratify",
            "approved",
            "ratified",
            OFFICE_OR_CHAIR,
            "Record that the minutes were ratified",
            params=[
                Param(
                    "meeting_id",
                    "int",
                    "Meeting that ratified the minutes",
                    required=False,
                    hint="The id of a later meeting of the group now in session; leave blank for the "
                    "one in session now",
                )
            ],
            guards=[RATIFYING_MEETING],
            apply=_set_ratified,
            after=RECORD_RATIFICATION,
            comment=None,
        ),
    ],
    initial="draft",
    noun="minutes",
)


# --- chair's action -----------------------------------------------------------------------


def _set_ratified_on(ctx: TransitionContext) -> None:
    ctx.row.ratified_on = ctx.as_of


chair_action_lifecycle = Lifecycle(
    "chair_action",
    ChairAction,
    ChairActionStatus,
    [
        # Fired only by the Board's decision on the ratification item (system).
        Transition("ratify", "awaiting_ratification", "ratified", frozenset(), "Ratify", apply=_set_ratified_on),
        Transition("reject", "awaiting_ratification", "not_ratified", frozenset(), "Do not ratify"),
    ],
    initial="awaiting_ratification",
    state_attr="status",
    noun="chair's action",
)
