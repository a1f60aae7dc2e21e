"""Disputes and complaints (as the story stands on its day, 3 December 2026): a dispute inside
its 28 days with the meeting convened, one resolved, one whose meeting was after the deadline
(with the reason: a breach), one awaiting a meeting with 7 days left, one just raised; a
complaint about the partnership being investigated, one about a member's service
referred to it, and one waiting to be referred."""

from __future__ import annotations

from datetime import date

from safeguarding.calendar import working_day_before
from safeguarding.demo import DemoContext, at, day, meeting_day, step
from safeguarding.models import AgendaResponseKind, ComplaintKind
from safeguarding.services import complaints as complaints_svc
from safeguarding.services import disputes as svc
from safeguarding.workflows.actions import action_lifecycle
from safeguarding.workflows.disputes import complaint_lifecycle, dispute_lifecycle

AGENDA = (
    "Introductions and the purpose of the meeting\n"
    "What each organisation understands the disagreement to be\n"
    "The relevant procedures and the evidence\n"
    "Options for resolution\n"
    "Agreed actions and how the Board will be told"
)


def _fire(d, trigger, user, on: date, **kw):
    with at(on):
        dispute_lifecycle.fire(d, trigger, user=user, version=d.version, as_of=on, **kw)


def _raise(user, **kw):
    with at(kw["raised_on"]):
        return svc.raise_dispute(user, **kw)


def _log(user, **kw):
    with at(kw["received_on"]):
        return complaints_svc.log_complaint(user, **kw)


def _agenda(ctx: DemoContext, d, on: date, agreed: tuple[str, ...]) -> None:
    """The office drafts the agenda after convening; the parties named agree it."""
    with at(on):
        svc.draft_agenda(d, ctx.users["office"], version=d.version, text=AGENDA)
        for who in agreed:
            svc.record_agenda_response(
                d, ctx.users[who], agenda_revision=d.agenda_revision, response=AgendaResponseKind.agreed
            )


def _in_time(meeting_on: date, dispute) -> date:
    """A meeting on a working day, no later than the dispute's deadline."""
    return meeting_on if meeting_on <= dispute.deadline else working_day_before(dispute.deadline, 0)


@step(70, "disputes and complaints")
def seed_disputes(ctx: DemoContext) -> None:
    office, chair = ctx.users["office"], ctx.users["chair"]
    orgs = ctx.orgs
    made = {}

    # Resolved within the 28 days (DSP-2026-001).
    d = _raise(
        office,
        subject="Funding of continuing healthcare assessments for hospital discharges",
        summary="North Council and the ICB disagree about who funds assessments for people "
        "discharged from hospital while their eligibility for continuing healthcare is "
        "decided. Discussions between commissioners since March have not settled it.",
        party_organisation_ids=[orgs["north"].id, orgs["icb"].id],
        raised_on=day(2026, 5, 18),
    )
    _fire(d, "determine", chair, day(2026, 5, 20), params={"determined_on": day(2026, 5, 20)})
    _fire(
        d,
        "convene",
        chair,
        day(2026, 5, 27),
        params={
            "meeting_on": meeting_day(date(2026, 6, 10)),
            "meeting_time": "10:00",
            "location": "Meeting Room 1, Partnership Business Office, County Hall",
        },
    )
    _agenda(ctx, d, day(2026, 5, 28), ("north", "icb"))
    _fire(
        d,
        "record_meeting",
        office,
        day(2026, 6, 11),
        params={
            "held_on": meeting_day(date(2026, 6, 10)),
            "outcome": "The parties agreed an interim split of assessment costs while the national framework "
            "guidance is applied, and a joint protocol to be written by the end of September.",
        },
    )
    # Both agreed actions were completed on time.
    for title, owner, due, done in (
        (
            "Write the joint protocol for funding discharge assessments",
            "icb",
            day(2026, 9, 30),
            "Protocol agreed by both commissioners on 22 September",
        ),
        (
            "Brief hospital social work teams on the interim arrangement",
            "north",
            day(2026, 7, 15),
            "Teams briefed on 8 July",
        ),
    ):
        with at(day(2026, 6, 11)):
            action = svc.add_agreed_action(d, office, title=title, owner_organisation_id=orgs[owner].id, due_date=due)
        with at(due):
            action_lifecycle.fire(action, "claim_complete", user=ctx.users[owner], version=action.version, comment=done)
            action_lifecycle.fire(action, "accept_completion", user=office, version=action.version, as_of=due)
    _fire(
        d,
        "resolve",
        chair,
        day(2026, 6, 24),
        params={
            "resolution": "Both parties accepted the interim arrangement in writing; the protocol is tracked in the "
            "action log."
        },
    )
    made["resolved"] = d

    # Met after the deadline, with the reason recorded: a breach (DSP-2026-002).
    d = _raise(
        office,
        subject="Health attendance at adult safeguarding strategy meetings",
        summary="West Council reports that health practitioners attend fewer than half of its "
        "section 42 strategy meetings; the ICB disputes the figures and the expectation.",
        party_organisation_ids=[orgs["west"].id, orgs["icb"].id],
        raised_on=day(2026, 8, 28),
    )
    _fire(d, "determine", chair, day(2026, 9, 1), params={"determined_on": day(2026, 9, 1)})
    _fire(
        d,
        "convene",
        office,
        day(2026, 9, 10),
        params={
            "meeting_on": meeting_day(date(2026, 10, 6)),
            "meeting_time": "14:00",
            "location": "Online: https://meet.partnership.example/dsp-2026-002",
            "chair_person_id": ctx.people["north_dass"].id,
            "chair_reason": "The Independent Chair declared an interest: she reviewed West's front door in 2025. "
            "The Board's vice chair chairs instead.",
            "late_reason": "Both directors were at the national safeguarding adults conference in the last week of "
            "September; 6 October is the first date both parties could attend.",
        },
    )
    _agenda(ctx, d, day(2026, 9, 11), ("west", "icb"))
    _fire(
        d,
        "record_meeting",
        office,
        day(2026, 10, 7),
        params={
            "held_on": meeting_day(date(2026, 10, 6)),
            "outcome": "The parties agreed to audit attendance together for one quarter before deciding further.",
        },
    )
    with at(day(2026, 10, 7)):
        svc.add_agreed_action(
            d,
            office,
            title="Joint audit of health attendance at strategy meetings, Q3",
            owner_organisation_id=orgs["west"].id,
            due_date=day(2027, 1, 15),
        )
    made["breached"] = d

    # Determined, no meeting yet, 7 days left (DSP-2026-003): the Chair's home page shows it.
    d = _raise(
        ctx.users["police"],
        subject="Sharing domestic abuse notifications with adult social care",
        summary="The police and North Council disagree about which domestic abuse notifications "
        "about adults with care and support needs are shared, and how quickly.",
        party_organisation_ids=[orgs["police"].id, orgs["north"].id],
        raised_on=day(2026, 11, 10),
    )
    _fire(d, "determine", chair, day(2026, 11, 12), params={"determined_on": day(2026, 11, 12)})
    made["awaiting_meeting"] = d

    # Inside its 28 days with the meeting convened for the deadline day, 4 days ahead; West has
    # still to agree the agenda (DSP-2026-004).
    d = _raise(
        ctx.users["police"],
        subject="Threshold for police referrals to West's adult front door",
        summary="West Council says too many police referrals do not meet the threshold for a "
        "safeguarding enquiry; the police say West's feedback on referrals is too slow "
        "for officers to learn from.",
        party_organisation_ids=[orgs["police"].id, orgs["west"].id],
        raised_on=day(2026, 11, 6),
    )
    _fire(d, "determine", office, day(2026, 11, 9), params={"determined_on": day(2026, 11, 9)})
    _fire(
        d,
        "convene",
        chair,
        day(2026, 11, 16),
        params={
            "meeting_on": _in_time(meeting_day(date(2026, 12, 7)), d),
            "meeting_time": "14:00",
            "location": "Committee Room 2, West Council Offices, Market Street (or online: "
            "https://meet.partnership.example/dsp-2026-004)",
        },
    )
    _agenda(ctx, d, day(2026, 11, 17), ("police",))
    made["convened"] = d

    # Just raised: awaiting determination (DSP-2026-005).
    made["raised"] = _raise(
        office,
        subject="Responsibility for fire safety checks before discharge from probation hostels",
        summary="Fire and Rescue and Probation disagree about who arranges home fire safety checks for people "
        "leaving approved premises.",
        party_organisation_ids=[orgs["fire"].id, orgs["probation"].id],
        raised_on=day(2026, 11, 20),
    )
    ctx.extra["disputes"] = made

    complaints = {}
    c = _log(
        office,
        kind=ComplaintKind.partnership,
        received_on=day(2026, 11, 2),
        complainant_name="Ms J Carter",
        complainant_contact="jo.carter@example.com",
        summary="The partnership's website does not say how to raise a concern about an adult at risk out of "
        "hours; the complainant was passed between three numbers.",
    )
    with at(day(2026, 11, 5)):
        complaint_lifecycle.fire(c, "investigate", user=chair, version=c.version, as_of=day(2026, 11, 5))
    complaints["partnership"] = c
    c = _log(
        office,
        kind=ComplaintKind.member_service,
        received_on=day(2026, 11, 10),
        complainant_name="Mr R Patel",
        complainant_contact="07700 900123",
        organisation_id=orgs["acute"].id,
        summary="The complainant says his father was discharged from hospital without the care package agreed.",
    )
    with at(day(2026, 11, 12)):
        complaint_lifecycle.fire(
            c,
            "refer",
            user=office,
            version=c.version,
            params={"referred_on": day(2026, 11, 12)},
            as_of=day(2026, 11, 12),
        )
    complaints["referred"] = c
    complaints["member_received"] = _log(
        office,
        kind=ComplaintKind.member_service,
        received_on=day(2026, 11, 20),
        complainant_name="Mrs A Hughes",
        complainant_contact="14 Orchard Close, County Town, CT2 4BB",
        organisation_id=orgs["fire"].id,
        summary="The complainant says a home fire safety visit for her mother was cancelled twice without notice.",
    )
    ctx.extra["complaints"] = complaints
