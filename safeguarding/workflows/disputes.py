"""A dispute: raised → determined (the 28 days start) → meeting convened → agenda agreed
(every party has agreed) → meeting held → resolved or escalated (to the statutory
partners' chief executives); withdrawn from any open state with a reason.

A complaint about the operation of the partnership: received → investigating (by the
Chair) → responded (outcome recorded and communicated) → closed. A complaint about a
member organisation's service: received → closed by referring it to that organisation's
own complaints process (the organisation is notified)."""

from __future__ import annotations

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
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

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


def _determined_date_valid(ctx: TransitionContext) -> str | None:
    on = ctx.params.get("determined_on")
    if on is None:
        return None
    if on > ctx.as_of:
        return "The date the dispute was determined must be today or in the past"
    if on < ctx.row.raised_on:
        return (
            f"The date the dispute was determined must be on or after the date it was raised "
            f"({long_date(ctx.row.raised_on)})"
        )
    return None


def _agenda_drafted(ctx: TransitionContext) -> str | None:
    if not ctx.row.agenda_revision:
        return "The business office has not drafted the agenda yet"
    return None


def _held_date_valid(ctx: TransitionContext) -> str | None:
    held = ctx.params.get("held_on")
    if held is None:
        return None
    if held > ctx.as_of:
        return "The date the meeting was held must be today or in the past"
    if ctx.row.determined_on and held < ctx.row.determined_on:
        return "The date the meeting was held must be after the dispute was determined"
    return None


def _set_resolved(ctx: TransitionContext) -> None:
    ctx.row.resolution = ctx.params["resolution"]
    ctx.row.closed_on = ctx.as_of


def _set_escalated(ctx: TransitionContext) -> None:
    ctx.row.escalation_reason = ctx.params["escalation_reason"]
    ctx.row.escalated_on = ctx.as_of
    ctx.row.closed_on = ctx.as_of


def _set_withdrawn(ctx: TransitionContext) -> None:
    ctx.row.withdrawal_reason = ctx.comment
    ctx.row.closed_on = ctx.as_of


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
                    hint="The joint meeting must take place within 28 days of this date",
                )
            ],
            guards=[_determined_date_valid],
            apply=SET_DETERMINED,
        ),
        Transition(
            "convene",
            "determined",
            "meeting_convened",
            OFFICE_OR_CHAIR,
            "Convene the joint meeting",
            params=MEETING_PARAMS,
            guards=[MEETING_VALID],
            apply=SET_MEETING,
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
                )
            ],
            apply=_set_resolved,
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
                )
            ],
            guards=[STATUTORY_PARTNERS_REACHABLE],
            apply=_set_escalated,
            after=SEND_ESCALATION_LETTERS,
            confirm="A letter goes to the chief executive of each statutory partner.",
        ),
        Transition(
            "withdraw",
            [s.value for s in OPEN_DISPUTE_STATES],
            "withdrawn",
            OFFICE_OR_CHAIR,
            "Withdraw the dispute",
            comment="required",
            comment_label="Reason for withdrawing",
            apply=_set_withdrawn,
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
    if org is not None and not (org.safeguarding_lead_email or org.chief_executive_email):
        return (
            f"Record an email address for {org.name}'s safeguarding lead or chief executive first: "
            "the organisation is told of the referral"
        )
    return None


def _date_between_received_and_today(name: str, what: str):
    def guard(ctx: TransitionContext) -> str | None:
        on = ctx.params.get(name)
        if on is None:
            return None
        if on > ctx.as_of:
            return f"The {what} must be today or in the past"
        if on < ctx.row.received_on:
            return f"The {what} must be on or after the date the complaint was received"
        return None

    return guard


def _set_investigating(ctx: TransitionContext) -> None:
    ctx.row.investigation_started_on = ctx.as_of


def _set_responded(ctx: TransitionContext) -> None:
    ctx.row.outcome = ctx.params["outcome"]
    ctx.row.responded_on = ctx.params["responded_on"]
    ctx.row.response_method = ResponseMethod(ctx.params["response_method"])


def _set_closed(ctx: TransitionContext) -> None:
    ctx.row.closed_on = ctx.as_of


def _set_referred(ctx: TransitionContext) -> None:
    ctx.row.referred_on = ctx.params["referred_on"]
    ctx.row.closed_on = ctx.as_of


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
            guards=[_about_partnership],
            apply=_set_investigating,
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
        ),
        Transition(
            "close",
            "responded",
            "closed",
            OFFICE_OR_CHAIR,
            "Close the complaint",
            apply=_set_closed,
            confirm="The complaint will be closed. Its record is kept.",
        ),
        Transition(
            "refer",
            "received",
            "closed",
            OFFICE_OR_CHAIR,
            "Refer to the organisation's complaints process",
            params=[Param("referred_on", "date", "Date referred", message="Enter the date the complaint was referred")],
            guards=[_about_member, _date_between_received_and_today("referred_on", "date referred")],
            apply=_set_referred,
            after=NOTIFY_REFERRAL,
            confirm="The organisation is emailed that the complaint has been referred to it.",
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
