"""What the meeting, minutes and chair's action lifecycles (workflows/meetings.py) need
from this service, registered under the names they declare: quorum, completing the
register and carrying items forward, circulating and ratifying minutes; how their pages
and API load a record; and what a final Board decision on a chair's action does."""

from __future__ import annotations

from safeguarding.extensions import db
from safeguarding.models import ChairAction, ChairActionStatus, Decision, Meeting, Minutes
from safeguarding.services.meetings.agenda import carry_forward
from safeguarding.services.meetings.chair_actions import get_chair_action
from safeguarding.services.meetings.circulation import circulate_papers
from safeguarding.services.meetings.common import CHAIR_ACTION
from safeguarding.services.meetings.decisions import decision_stands, on_final_decision
from safeguarding.services.meetings.minutes import (
    approves_minutes,
    circulate_minutes,
    get_minutes,
    ratification_problem,
    ratifying_candidates,
    record_ratification,
)
from safeguarding.services.meetings.queries import get_meeting
from safeguarding.services.meetings.register import complete_register, is_quorate, missing_phrase
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.meetings import (
    CANCELLED,
    CIRCULATE,
    CIRCULATE_PAPERS,
    ENDED,
    GROUPS_CHAIR,
    NOT_QUORATE,
    QUORATE,
    RATIFYING_MEETING,
    RECORD_RATIFICATION,
    chair_action_lifecycle,
    meeting_lifecycle,
    minutes_lifecycle,
)

# --- meetings -----------------------------------------------------------------------------


@meeting_lifecycle.guard(QUORATE)
def _quorate(ctx: TransitionContext) -> str | None:
    quorate, missing = is_quorate(ctx.row)
    if not quorate:
        return f"The meeting is not quorate, so it cannot proceed: {missing_phrase(missing)}"
    return None


@meeting_lifecycle.guard(NOT_QUORATE)
def _not_quorate(ctx: TransitionContext) -> str | None:
    quorate, _ = is_quorate(ctx.row)
    if quorate:
        return "The meeting is quorate: it can proceed"
    return None


@meeting_lifecycle.effect(ENDED)
def _ended(ctx: TransitionContext) -> None:
    complete_register(ctx.row, ctx.user)
    carry_forward(ctx.row)


@meeting_lifecycle.effect(CIRCULATE_PAPERS)
def _circulate_papers(ctx: TransitionContext) -> None:
    circulate_papers(ctx.row, ctx.as_of)


@meeting_lifecycle.effect(CANCELLED)
def _cancelled(ctx: TransitionContext) -> None:
    carry_forward(ctx.row)


meeting_lifecycle.serve(loader=get_meeting)


# --- minutes ------------------------------------------------------------------------------


minutes_lifecycle.permission(GROUPS_CHAIR)(approves_minutes)


@minutes_lifecycle.effect(CIRCULATE)
def _circulate(ctx: TransitionContext) -> None:
    circulate_minutes(ctx.row, ctx.as_of)


@minutes_lifecycle.guard(RATIFYING_MEETING)
def _ratifying_meeting(ctx: TransitionContext) -> str | None:
    minutes: Minutes = ctx.row
    meeting_id = ctx.params.get("meeting_id")
    if meeting_id:
        meeting = db.session.get(Meeting, meeting_id)
    else:
        candidates = ratifying_candidates(minutes)
        meeting = candidates[0] if candidates else None
    problem = ratification_problem(minutes, meeting)
    if problem is None:
        ctx.params["meeting_id"] = meeting.id
    return problem


@minutes_lifecycle.effect(RECORD_RATIFICATION)
def _ratified(ctx: TransitionContext) -> None:
    record_ratification(ctx.row, db.session.get(Meeting, ctx.params["meeting_id"]), ctx.user)


minutes_lifecycle.serve(loader=get_minutes)


# --- chair's actions ----------------------------------------------------------------------


@on_final_decision(CHAIR_ACTION)
def _chair_action_decided(decision: Decision, meeting: Meeting) -> None:
    """The Board's final decision on a chair's action ratifies it (a standing decision)
    or not."""
    action = db.session.get(ChairAction, decision.subject_id)
    if action is not None and action.status == ChairActionStatus.awaiting_ratification:
        trigger = "ratify" if decision_stands(decision) else "reject"
        chair_action_lifecycle.fire(
            action,
            trigger,
            user=None,
            system=True,
            as_of=meeting.meeting_date,
            comment=f"Decision {decision.id} at meeting {meeting.id}",
        )


chair_action_lifecycle.serve(loader=get_chair_action)
