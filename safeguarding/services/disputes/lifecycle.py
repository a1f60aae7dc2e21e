"""Disputes: what the lifecycle (workflows/disputes.py) needs from this service — the
28-day deadline, the meeting's checks (its time, its chair), whether every party has
agreed the agenda, breaches, the statutory partners to escalate to — registered on it by
name, and how the generic pages and API load a dispute. The escalation letters are
registered by services/dispute_letters.py."""

from __future__ import annotations

from typing import Any

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import Dispute, DisputeState, Person
from safeguarding.services.disputes.agenda import parties_not_agreed
from safeguarding.services.disputes.common import parse_time
from safeguarding.services.disputes.deadlines import deadline_for, late_entry_breach_note, record_breach
from safeguarding.services.disputes.queries import (
    get_dispute,
    independent_chair_person,
    is_party_representative,
    statutory_partners,
)
from safeguarding.services.errors import ValidationFailed
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.disputes import (
    EVERY_PARTY_AGREED,
    MEETING_VALID,
    OFFICE_CHAIR_OR_PARTY,
    OFFICE_OR_CHAIR,
    SET_DETERMINED,
    SET_HELD,
    SET_MEETING,
    STATUTORY_PARTNERS_REACHABLE,
    dispute_lifecycle,
    sends_now,
)

dispute_lifecycle.serve(loader=get_dispute)


@dispute_lifecycle.effect(SET_DETERMINED)
def _set_determined(ctx: TransitionContext) -> None:
    d: Dispute = ctx.row
    d.determined_on = ctx.params["determined_on"]
    d.deadline = deadline_for(d.determined_on)
    # Entered after its deadline passed with no meeting recorded: a breach at once (the
    # daily job then has nothing to add). Recording a meeting held in time clears it.
    if d.deadline < ctx.as_of:
        record_breach(d, ctx.as_of, late_entry_breach_note(d, ctx.as_of))


def _meeting_date_errors(ctx: TransitionContext) -> dict[str, str]:
    """The meeting's date: a meeting to come is today or later; one already held (convening
    records it as held) is today or earlier, with its outcome; either is on or after the
    determination, and after the deadline only with a reason."""
    d: Dispute = ctx.row
    p = ctx.params
    meeting_on = p.get("meeting_on")
    held = ctx.dest == DisputeState.meeting_held.value
    errors: dict[str, str] = {}
    if held and not p.get("outcome"):
        errors["outcome"] = "Enter the outcome of the meeting: a meeting on a past date has already taken place"
    if meeting_on is None:
        return errors
    if held and meeting_on > ctx.as_of:
        errors["meeting_on"] = "The date of a meeting that has already been held must be today or in the past"
    elif not held and meeting_on < ctx.as_of:
        errors["meeting_on"] = "The date of the meeting must be today or in the future"
    elif d.determined_on and meeting_on < d.determined_on:
        errors["meeting_on"] = (
            f"The date of the meeting must be on or after the date the dispute was determined "
            f"({long_date(d.determined_on)})"
        )
    elif d.deadline and meeting_on > d.deadline and not p.get("late_reason"):
        errors["late_reason"] = f"Enter the reason the meeting is after the deadline of {long_date(d.deadline)}"
    return errors


@dispute_lifecycle.guard(MEETING_VALID)
def _meeting_valid(ctx: TransitionContext) -> str | None:
    """The meeting's fields, checked together; field problems go on their fields.

    The chair is the Independent Chair unless another person is given with a reason; a
    date after the deadline is accepted only with a reason (and is then a breach)."""
    p = ctx.params
    errors = _meeting_date_errors(ctx)
    parsed = parse_time(p.get("meeting_time"))
    if p.get("meeting_time") is not None and parsed is None:
        errors["meeting_time"] = "Enter the time of the meeting, like 14:00 or 2:30pm"
    default_chair = independent_chair_person()
    chair_id = p.get("chair_person_id")
    if chair_id is None:
        if default_chair is None:
            errors["chair_person_id"] = "Select who will chair the meeting"
    else:
        person = db.session.get(Person, chair_id)
        if person is None or not person.active:
            errors["chair_person_id"] = "Select who will chair the meeting from the list"
        elif (default_chair is None or person.id != default_chair.id) and not p.get("chair_reason"):
            errors["chair_reason"] = "Enter the reason someone other than the Independent Chair will chair the meeting"
    if errors:
        raise ValidationFailed(errors=errors)
    p["meeting_time"] = parsed.strftime("%H:%M")
    if chair_id is None and default_chair is not None:
        p["chair_person_id"] = default_chair.id
    return None


@dispute_lifecycle.effect(SET_MEETING)
def _set_meeting(ctx: TransitionContext) -> None:
    d: Dispute = ctx.row
    p = ctx.params
    default_chair = independent_chair_person()
    d.meeting_on = p["meeting_on"]
    d.meeting_time = parse_time(p["meeting_time"])
    d.meeting_location = p["location"]
    d.chair_person = db.session.get(Person, p["chair_person_id"])
    d.chair_reason = p.get("chair_reason") if not default_chair or p["chair_person_id"] != default_chair.id else None
    late = d.deadline is not None and d.meeting_on > d.deadline
    d.late_reason = p.get("late_reason") if late else None
    if ctx.dest == DisputeState.meeting_held.value:
        # Convened and held in one step: a meeting already held, entered after the fact.
        _record_held(d, d.meeting_on, p["outcome"], ctx.as_of)
    elif late:
        record_breach(
            d,
            ctx.as_of,
            f"Meeting convened for {long_date(d.meeting_on)}, after the deadline of "
            f"{long_date(d.deadline)}: {d.late_reason}",
        )


def _record_held(d: Dispute, held_on: Any, outcome: str, as_of: Any) -> None:
    d.held_on = held_on
    d.outcome = outcome
    # Now it is known whether the meeting took place within the 28 days.
    if d.deadline and d.held_on > d.deadline:
        note = f"The joint meeting was held on {long_date(d.held_on)}, after the deadline of {long_date(d.deadline)}"
        if not record_breach(d, as_of, note):
            d.breach_note = note  # what is now known replaces "no meeting recorded"
    elif d.breach_recorded_on is not None:
        d.breach_recorded_on = None
        d.breach_note = None


@dispute_lifecycle.guard(EVERY_PARTY_AGREED)
def _every_party_agreed(ctx: TransitionContext) -> str | None:
    if not ctx.row.agenda_revision:
        return None
    missing = parties_not_agreed(ctx.row)
    if missing:
        names = [o.name for o in missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{listed} {'has' if len(names) == 1 else 'have'} not agreed the agenda yet"
    return None


@dispute_lifecycle.permission(OFFICE_CHAIR_OR_PARTY)
def _office_chair_or_party(dispute: Dispute, user: Any) -> bool:
    return user.has_role(*OFFICE_OR_CHAIR) or is_party_representative(dispute, user)


@dispute_lifecycle.effect(SET_HELD)
def _set_held(ctx: TransitionContext) -> None:
    _record_held(ctx.row, ctx.params["held_on"], ctx.params["outcome"], ctx.as_of)


@dispute_lifecycle.guard(STATUTORY_PARTNERS_REACHABLE)
def _statutory_partners_reachable(ctx: TransitionContext) -> str | None:
    if not sends_now(ctx, "send_letters", "escalated_on"):
        return None  # an escalation made earlier: its letters already went
    partners = statutory_partners()
    if not partners:
        return "There are no active statutory partners to escalate to"
    missing = [o.name for o in partners if not o.chief_executive_email]
    if missing:
        return f"Record the chief executive's email address of {', '.join(missing)} first"
    return None
