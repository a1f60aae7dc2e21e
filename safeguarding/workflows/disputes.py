"""A dispute: raised → determined (the 28 days start) → meeting convened → agenda agreed
(every party has agreed) → meeting held → resolved or escalated (to the statutory
partners' chief executives); withdrawn from any open state with a reason.

A complaint about the operation of the partnership: received → investigating (by the
Chair) → responded (outcome recorded and communicated) → closed. A complaint about a
member organisation's service: received → closed by referring it to that organisation's
own complaints process (the organisation is notified)."""

from __future__ import annotations

from flask import url_for

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeState,
    Person,
    ResponseMethod,
    Role,
)
from safeguarding.models.disputes import OPEN_DISPUTE_STATES
from safeguarding.services import disputes as svc
from safeguarding.services.complaints import get_complaint, notify_referral
from safeguarding.services.errors import ValidationFailed
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
CHAIR = {Role.independent_chair}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}


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


def _set_determined(ctx: TransitionContext) -> None:
    ctx.row.determined_on = ctx.params["determined_on"]
    ctx.row.deadline = svc.deadline_for(ctx.params["determined_on"])


def _meeting_valid(ctx: TransitionContext) -> str | None:
    """The meeting's fields, checked together; field problems go on their fields.

    The chair is the Independent Chair unless another person is given with a reason; a
    date after the deadline is accepted only with a reason (and is then a breach)."""
    d: Dispute = ctx.row
    p = ctx.params
    errors: dict[str, str] = {}
    meeting_on = p.get("meeting_on")
    if meeting_on is not None:
        if meeting_on < ctx.as_of:
            errors["meeting_on"] = "The date of the meeting must be today or in the future"
        elif d.determined_on and meeting_on < d.determined_on:
            errors["meeting_on"] = "The date of the meeting must be after the dispute was determined"
        elif d.deadline and meeting_on > d.deadline and not p.get("late_reason"):
            errors["late_reason"] = f"Enter the reason the meeting is after the deadline of {long_date(d.deadline)}"
    parsed = svc.parse_time(p.get("meeting_time"))
    if p.get("meeting_time") is not None and parsed is None:
        errors["meeting_time"] = "Enter the time of the meeting, like 14:00 or 2:30pm"
    default_chair = svc.independent_chair_person()
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


def _set_meeting(ctx: TransitionContext) -> None:
    d: Dispute = ctx.row
    p = ctx.params
    default_chair = svc.independent_chair_person()
    d.meeting_on = p["meeting_on"]
    d.meeting_time = svc.parse_time(p["meeting_time"])
    d.meeting_location = p["location"]
    d.chair_person = db.session.get(Person, p["chair_person_id"])
    d.chair_reason = p.get("chair_reason") if not default_chair or p["chair_person_id"] != default_chair.id else None
    late = d.deadline is not None and d.meeting_on > d.deadline
    d.late_reason = p.get("late_reason") if late else None
    if late:
        svc.record_breach(
            d,
            ctx.as_of,
            f"Meeting convened for {long_date(d.meeting_on)}, after the deadline of "
            f"{long_date(d.deadline)}: {d.late_reason}",
        )


def _agenda_drafted(ctx: TransitionContext) -> str | None:
    if not ctx.row.agenda_revision:
        return "The business office has not drafted the agenda yet"
    return None


def _every_party_agreed(ctx: TransitionContext) -> str | None:
    if not ctx.row.agenda_revision:
        return None
    missing = svc.parties_not_agreed(ctx.row)
    if missing:
        names = [o.name for o in missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{listed} {'has' if len(names) == 1 else 'have'} not agreed the agenda yet"
    return None


def _office_chair_or_party(dispute: Dispute, user) -> bool:
    return user.has_role(*OFFICE_OR_CHAIR) or svc.is_party_representative(dispute, user)


def _held_date_valid(ctx: TransitionContext) -> str | None:
    held = ctx.params.get("held_on")
    if held is None:
        return None
    if held > ctx.as_of:
        return "The date the meeting was held must be today or in the past"
    if ctx.row.determined_on and held < ctx.row.determined_on:
        return "The date the meeting was held must be after the dispute was determined"
    return None


def _set_held(ctx: TransitionContext) -> None:
    d: Dispute = ctx.row
    d.held_on = ctx.params["held_on"]
    d.outcome = ctx.params["outcome"]
    # Now it is known whether the meeting took place within the 28 days.
    if d.deadline and d.held_on > d.deadline:
        svc.record_breach(
            d,
            ctx.as_of,
            f"The joint meeting was held on {long_date(d.held_on)}, after the deadline of {long_date(d.deadline)}",
        )
    elif d.breach_recorded_on is not None:
        d.breach_recorded_on = None
        d.breach_note = None


def _set_resolved(ctx: TransitionContext) -> None:
    ctx.row.resolution = ctx.params["resolution"]
    ctx.row.closed_on = ctx.as_of


def _statutory_partners_reachable(ctx: TransitionContext) -> str | None:
    partners = svc.statutory_partners()
    if not partners:
        return "There are no active statutory partners to escalate to"
    missing = [o.name for o in partners if not o.chief_executive_email]
    if missing:
        return f"Record the chief executive's email address of {', '.join(missing)} first"
    return None


def _set_escalated(ctx: TransitionContext) -> None:
    ctx.row.escalation_reason = ctx.params["escalation_reason"]
    ctx.row.escalated_on = ctx.as_of
    ctx.row.closed_on = ctx.as_of


def _escalation_letters(ctx: TransitionContext) -> None:
    from safeguarding.services.dispute_letters import send_escalation_letters

    send_escalation_letters(ctx.row)


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
            apply=_set_determined,
        ),
        Transition(
            "convene",
            "determined",
            "meeting_convened",
            OFFICE_OR_CHAIR,
            "Convene the joint meeting",
            params=MEETING_PARAMS,
            guards=[_meeting_valid],
            apply=_set_meeting,
        ),
        Transition(
            "rearrange",
            "meeting_convened",
            "meeting_convened",
            OFFICE_OR_CHAIR,
            "Change the meeting arrangements",
            params=MEETING_PARAMS,
            guards=[_meeting_valid],
            apply=_set_meeting,
            comment="required",
            comment_label="Why the arrangements changed",
        ),
        Transition(
            "agree_agenda",
            "meeting_convened",
            "agenda_agreed",
            {Role.business_office, Role.independent_chair, Role.partner_member},
            "Record the agenda as agreed",
            guards=[_agenda_drafted, _every_party_agreed],
            allowed=_office_chair_or_party,
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
            apply=_set_held,
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
            guards=[_statutory_partners_reachable],
            apply=_set_escalated,
            after=_escalation_letters,
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
    loader=lambda entity_id, user: svc.get_dispute(entity_id, user),
    url=lambda d: url_for("disputes.dispute", dispute_id=d.id),
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


def _notify_referral(ctx: TransitionContext) -> None:
    notify_referral(ctx.row)


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
            after=_notify_referral,
            confirm="The organisation is emailed that the complaint has been referred to it.",
        ),
    ],
    initial="received",
    noun="complaint",
    loader=lambda entity_id, user: get_complaint(entity_id, user),
    url=lambda c: url_for("disputes.complaint", complaint_id=c.id),
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
