"""A dispute: raised → determined (the 28 days start) → meeting convened → agenda agreed
(every party has agreed) → meeting held → resolved or escalated (to the statutory
partners' chief executives); withdrawn from any open state with a reason.

A complaint about the operation of the partnership: received → investigating (by the
Chair) → responded (outcome recorded and communicated) → closed. A complaint about a
member organisation's service: received → closed by referring it to that organisation's
own complaints process (the organisation is notified)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from safeguarding.formatting import long_date
from safeguarding.models import (
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeState,
    ResponseMethod,
    Role,
)
from safeguarding.models.disputes import OPEN_DISPUTE_STATES
from safeguarding.workflows.base import Guard, Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}

# Rules that need the disputes service (the deadline, the Independent Chair, the parties
# and their agenda, breaches, the statutory partners): registered by
# services/disputes/lifecycle.py.
SET_DETERMINED = "set_determined"
MEETING_VALID = "meeting_valid"
SET_MEETING = "set_meeting"
EVERY_PARTY_AGREED = "every_party_agreed"
OFFICE_CHAIR_OR_PARTY = "office_chair_or_party"
SET_HELD = "set_held"
STATUTORY_PARTNERS_REACHABLE = "statutory_partners_reachable"
# Registered by services/dispute_letters.py: the letter to each statutory partner.
SEND_ESCALATION_LETTERS = "send_escalation_letters"
# Registered by services/complaints.py: the organisation is told of the referral.
NOTIFY_REFERRAL = "notify_referral"


# --- disputes -------------------------------------------------------------------------------
#
# The office often records a dispute after the fact (determined at Tuesday's Board, typed
# in on Friday; last year's disputes brought in): every date is the day it happened —
# never in the future, each on or after the one before it (domain.md, "Disputes").


def _not_before(on: date, what: str, earlier: list[tuple[date | None, str]]) -> str | None:
    """Why `on` (the date of `what`) may not be: it is before one of the earlier dates."""
    for before, name in earlier:
        if before is not None and on < before:
            return f"The {what} must be on or after the date {name} ({long_date(before)})"
    return None


def _in_the_past(name: str, what: str, earlier: Callable[[Any], list[tuple[date | None, str]]]) -> Guard:
    """A guard: the date param `name` (the date of `what`) is not in the future and not
    before the record's earlier dates."""

    def guard(ctx: TransitionContext) -> str | None:
        on = ctx.params.get(name)
        if on is None:
            return None
        if on > ctx.as_of:
            return f"The {what} must be today or in the past"
        return _not_before(on, what, earlier(ctx.row))

    return guard


def _raised(d: Dispute) -> list[tuple[date | None, str]]:
    return [(d.raised_on, "it was raised")]


def _determined(d: Dispute) -> list[tuple[date | None, str]]:
    return [*_raised(d), (d.determined_on, "the dispute was determined")]


def _held(d: Dispute) -> list[tuple[date | None, str]]:
    return [*_determined(d), (d.held_on, "the meeting was held")]


_determined_date_valid = _in_the_past("determined_on", "date the dispute was determined", _raised)
_held_date_valid = _in_the_past("held_on", "date the meeting was held", _determined)
_resolved_date_valid = _in_the_past("resolved_on", "date the dispute was resolved", _held)
_escalated_date_valid = _in_the_past("escalated_on", "date the dispute was escalated", _held)
_withdrawn_date_valid = _in_the_past("withdrawn_on", "date the dispute was withdrawn", _held)


def sends_now(ctx: TransitionContext, flag: str, date_param: str) -> bool:
    """Whether a transition's letter or email goes now. An act recorded with today's date
    is done through the service; one dated in the past happened outside it (the letters
    went at the time), so nothing is sent unless the user asks (`flag`: true)."""
    asked = ctx.params.get(flag)
    if asked is not None:
        return bool(asked)
    on = ctx.params.get(date_param)
    return on is None or on >= ctx.as_of


def _agenda_drafted(ctx: TransitionContext) -> str | None:
    if not ctx.row.agenda_revision:
        return "The business office has not drafted the agenda yet"
    return None


def _set_resolved(ctx: TransitionContext) -> None:
    ctx.row.resolution = ctx.params["resolution"]
    ctx.row.closed_on = ctx.params["resolved_on"]


def _set_escalated(ctx: TransitionContext) -> None:
    ctx.row.escalation_reason = ctx.params["escalation_reason"]
    ctx.row.escalated_on = ctx.params["escalated_on"]
    ctx.row.closed_on = ctx.params["escalated_on"]


def _set_withdrawn(ctx: TransitionContext) -> None:
    ctx.row.withdrawal_reason = ctx.comment
    ctx.row.closed_on = ctx.params["withdrawn_on"]


def _convene_branch(ctx: TransitionContext) -> str:
    """A meeting on a past date, or one given its outcome, has already been held: it is
    recorded as convened and held in one step."""
    on = ctx.params.get("meeting_on")
    if ctx.params.get("outcome") or (on is not None and on < ctx.as_of):
        return DisputeState.meeting_held.value
    return DisputeState.meeting_convened.value


def _convene_occurred(ctx: TransitionContext) -> date | None:
    """A meeting recorded as held happened on its date; convening one happens when entered."""
    return ctx.params.get("meeting_on") if ctx.dest == DisputeState.meeting_held.value else None


def _date_param(name: str, label: str, hint: str) -> Param:
    return Param(name, "date", label, required=False, default_today=True, hint=hint)


MEETING_PARAMS = [
    Param("meeting_on", "date", "Date of the meeting", message="Enter the date of the meeting"),
    Param(
        "meeting_time",
        "text",
        "Time of the meeting",
        message="Enter the time of the meeting",
        hint="For example, 14:00 or 2:30pm",
    ),
    Param(
        "location",
        "textarea",
        "Place or online meeting link",
        message="Enter where the meeting will be held or its online link",
    ),
    Param(
        "chair_person_id",
        "int",
        "Who will chair the meeting",
        required=False,
        hint="The Independent Chair unless another person is given (the person's id in the directory)",
    ),
    Param("chair_reason", "textarea", "Reason someone other than the Independent Chair will chair it", required=False),
    Param(
        "late_reason",
        "textarea",
        "Reason the meeting is after the deadline",
        required=False,
        hint="Needed only for a date after the deadline: the meeting is then reported as a breach",
    ),
]

# Convening also records a meeting already held (on a past date): its outcome, then.
CONVENE_PARAMS = [
    *MEETING_PARAMS,
    Param(
        "outcome",
        "textarea",
        "Outcome of the meeting, if it has already been held",
        required=False,
        hint="Only for a meeting that has taken place: it is then recorded as convened and held",
    ),
]

dispute_lifecycle = Lifecycle(
    "dispute",
    Dispute,
    DisputeState,
    [
        Transition(
            "determine",
            "raised",
            "determined",
            OFFICE_OR_CHAIR,
            "Record that the dispute exists",
            params=[
                Param(
                    "determined_on",
                    "date",
                    "Date the dispute was determined",
                    message="Enter the date the dispute was determined",
                    hint="The day it was determined, today or earlier: the joint meeting must take place "
                    "within 28 days of it",
                )
            ],
            guards=[_determined_date_valid],
            apply=SET_DETERMINED,
            occurred="determined_on",
        ),
        Transition(
            "convene",
            "determined",
            "meeting_convened",
            OFFICE_OR_CHAIR,
            "Convene the joint meeting",
            params=CONVENE_PARAMS,
            guards=[MEETING_VALID],
            apply=SET_MEETING,
            alternatives=["meeting_held"],
            branch=_convene_branch,
            occurred=_convene_occurred,
        ),
        Transition(
            "rearrange",
            "meeting_convened",
            "meeting_convened",
            OFFICE_OR_CHAIR,
            "Change the meeting arrangements",
            params=MEETING_PARAMS,
            guards=[MEETING_VALID],
            apply=SET_MEETING,
            comment="required",
            comment_label="Why the arrangements changed",
        ),
        Transition(
            "agree_agenda",
            "meeting_convened",
            "agenda_agreed",
            {Role.business_office, Role.independent_chair, Role.partner_member},
            "Record the agenda as agreed",
            guards=[_agenda_drafted, EVERY_PARTY_AGREED],
            allowed=OFFICE_CHAIR_OR_PARTY,
        ),
        Transition(
            "record_meeting",
            "agenda_agreed",
            "meeting_held",
            OFFICE_OR_CHAIR,
            "Record the meeting",
            params=[
                Param("held_on", "date", "Date the meeting was held", message="Enter the date the meeting was held"),
                Param("outcome", "textarea", "Outcome of the meeting", message="Enter the outcome of the meeting"),
            ],
            guards=[_held_date_valid],
            apply=SET_HELD,
            occurred="held_on",
        ),
        Transition(
            "resolve",
            "meeting_held",
            "resolved",
            OFFICE_OR_CHAIR,
            "Record the dispute as resolved",
            params=[
                Param(
                    "resolution",
                    "textarea",
                    "How the dispute was resolved",
                    message="Enter how the dispute was resolved",
                ),
                _date_param("resolved_on", "Date the dispute was resolved", "Today, unless it was resolved earlier"),
            ],
            guards=[_resolved_date_valid],
            apply=_set_resolved,
            occurred="resolved_on",
        ),
        Transition(
            "escalate",
            "meeting_held",
            "escalated",
            CHAIR,
            "Escalate to the statutory partners' chief executives",
            params=[
                Param(
                    "escalation_reason",
                    "textarea",
                    "Why the dispute is escalated",
                    message="Enter why the dispute is escalated",
                    hint="This goes into the letter to each statutory partner's chief executive",
                ),
                _date_param("escalated_on", "Date the dispute was escalated", "Today, unless it was escalated earlier"),
                Param(
                    "send_letters",
                    "bool",
                    "Send the letters to the chief executives now?",
                    required=False,
                    hint="Left unanswered: yes for an escalation dated today; no for an earlier date "
                    "(the letters went at the time)",
                ),
            ],
            guards=[_escalated_date_valid, STATUTORY_PARTNERS_REACHABLE],
            apply=_set_escalated,
            after=SEND_ESCALATION_LETTERS,
            occurred="escalated_on",
            confirm="A letter goes to the chief executive of each statutory partner, unless the escalation "
            "was made earlier and its letters already went.",
        ),
        Transition(
            "withdraw",
            [s.value for s in OPEN_DISPUTE_STATES],
            "withdrawn",
            OFFICE_OR_CHAIR,
            "Withdraw the dispute",
            params=[
                _date_param("withdrawn_on", "Date the dispute was withdrawn", "Today, unless it was withdrawn earlier")
            ],
            guards=[_withdrawn_date_valid],
            comment="required",
            comment_label="Reason for withdrawing",
            apply=_set_withdrawn,
            occurred="withdrawn_on",
            destructive=True,
            confirm="The dispute will be closed as withdrawn. Its record is kept.",
        ),
    ],
    initial="raised",
    noun="dispute",
)


# --- complaints -----------------------------------------------------------------------------


def _about_partnership(ctx: TransitionContext) -> str | None:
    if ctx.row.kind != ComplaintKind.partnership:
        return "A complaint about a member organisation's service is referred to that organisation, not investigated"
    return None


def _about_member(ctx: TransitionContext) -> str | None:
    if ctx.row.kind != ComplaintKind.member_service:
        return "Only a complaint about a member organisation's service is referred to its complaints process"
    org = ctx.row.organisation
    notify = sends_now(ctx, "send_notice", "referred_on")
    if notify and org is not None and not (org.safeguarding_lead_email or org.chief_executive_email):
        return (
            f"Record an email address for {org.name}'s safeguarding lead or chief executive first: "
            "the organisation is told of the referral"
        )
    return None


def _complaint_dates(c: Complaint) -> list[tuple[date | None, str]]:
    return [
        (c.received_on, "the complaint was received"),
        (c.investigation_started_on, "the investigation started"),
        (c.responded_on, "the outcome was communicated"),
        (c.referred_on, "the complaint was referred"),
    ]


def _date_between_received_and_today(name: str, what: str) -> Guard:
    return _in_the_past(name, what, _complaint_dates)


def _set_investigating(ctx: TransitionContext) -> None:
    ctx.row.investigation_started_on = ctx.params["started_on"]


def _set_responded(ctx: TransitionContext) -> None:
    ctx.row.outcome = ctx.params["outcome"]
    ctx.row.responded_on = ctx.params["responded_on"]
    ctx.row.response_method = ResponseMethod(ctx.params["response_method"])


def _set_closed(ctx: TransitionContext) -> None:
    ctx.row.closed_on = ctx.params["closed_on"]


def _set_referred(ctx: TransitionContext) -> None:
    ctx.row.referred_on = ctx.params["referred_on"]
    ctx.row.closed_on = ctx.params["referred_on"]


complaint_lifecycle = Lifecycle(
    "complaint",
    Complaint,
    ComplaintState,
    [
        Transition(
            "investigate",
            "received",
            "investigating",
            CHAIR,
            "Start the investigation",
            params=[_date_param("started_on", "Date the investigation started", "Today, unless it started earlier")],
            guards=[
                _about_partnership,
                _date_between_received_and_today("started_on", "date the investigation started"),
            ],
            apply=_set_investigating,
            occurred="started_on",
        ),
        Transition(
            "respond",
            "investigating",
            "responded",
            CHAIR,
            "Record the outcome",
            params=[
                Param(
                    "outcome",
                    "textarea",
                    "Outcome of the investigation",
                    message="Enter the outcome of the investigation",
                ),
                Param(
                    "responded_on",
                    "date",
                    "Date the outcome was communicated",
                    message="Enter the date the outcome was communicated to the complainant",
                ),
                Param(
                    "response_method",
                    "choice",
                    "How the outcome was communicated",
                    message="Select how the outcome was communicated",
                    choices=tuple((m.value, m.label) for m in ResponseMethod),
                ),
            ],
            guards=[_date_between_received_and_today("responded_on", "date the outcome was communicated")],
            apply=_set_responded,
            occurred="responded_on",
        ),
        Transition(
            "close",
            "responded",
            "closed",
            OFFICE_OR_CHAIR,
            "Close the complaint",
            params=[_date_param("closed_on", "Date the complaint was closed", "Today, unless it was closed earlier")],
            guards=[_date_between_received_and_today("closed_on", "date the complaint was closed")],
            apply=_set_closed,
            occurred="closed_on",
            confirm="The complaint will be closed. Its record is kept.",
        ),
        Transition(
            "refer",
            "received",
            "closed",
            OFFICE_OR_CHAIR,
            "Refer to the organisation's complaints process",
            params=[
                Param("referred_on", "date", "Date referred", message="Enter the date the complaint was referred"),
                Param(
                    "send_notice",
                    "bool",
                    "Email the organisation about the referral now?",
                    required=False,
                    hint="Left unanswered: yes for a referral dated today; no for an earlier date (it was "
                    "referred at the time)",
                ),
            ],
            guards=[_about_member, _date_between_received_and_today("referred_on", "date referred")],
            apply=_set_referred,
            after=NOTIFY_REFERRAL,
            occurred="referred_on",
            confirm="The organisation is emailed that the complaint has been referred to it, unless it was "
            "referred earlier and you say it need not be.",
        ),
    ],
    initial="received",
    noun="complaint",
)


def complaint_options(complaint: Complaint, user):
    """The triggers that fit this kind of complaint (investigating is for complaints about
    the partnership; referral for complaints about a member's service)."""
    kind_only = {"investigate": ComplaintKind.partnership, "refer": ComplaintKind.member_service}
    return [
        o
        for o in complaint_lifecycle.options(complaint, user)
        if kind_only.get(o.trigger, complaint.kind) == complaint.kind
    ]
