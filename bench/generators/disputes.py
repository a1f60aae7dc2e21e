"""300 disputes over the ten years (two or three parties each, most closed, a tenth
breaching the 28 days, agendas with each party's response) and 150 complaints."""

from __future__ import annotations

from datetime import date, time, timedelta

from safeguarding.models import (
    AgendaResponse,
    Complaint,
    ComplaintKind,
    ComplaintState,
    Dispute,
    DisputeParty,
    DisputeState,
)
from safeguarding.models.base import utcnow
from safeguarding.services.disputes import deadline_for

ORDER = 60

AGENDA = "Introductions\nThe disagreement\nThe evidence\nOptions for resolution\nAgreed actions"
CLOSED = [DisputeState.resolved] * 6 + [DisputeState.escalated, DisputeState.withdrawn]
OPEN = [
    DisputeState.raised,
    DisputeState.determined,
    DisputeState.meeting_convened,
    DisputeState.agenda_agreed,
    DisputeState.meeting_held,
]


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR, YEARS

    rng = ctx.rng
    now = utcnow()
    orgs = ctx.ids["organisations"]
    people = ctx.ids["people"]
    office_user = ctx.ids["users"][0]
    span = YEARS * 365
    start = date(FIRST_YEAR, 4, 1)
    n = ctx.n(300)
    disputes, parties, responses = [], [], []
    numbers: dict[int, int] = {}
    party_id = response_id = 0
    for i in range(n):
        raised = start + timedelta(days=int(span * i / n) + rng.randint(0, 10))
        state = rng.choice(OPEN) if i >= n - 25 else rng.choice(CLOSED)
        numbers[raised.year] = numbers.get(raised.year, 0) + 1
        determined = raised + timedelta(days=rng.randint(0, 7)) if state != DisputeState.raised else None
        deadline = deadline_for(determined) if determined else None
        late = rng.random() < 0.1
        convened = state not in (DisputeState.raised, DisputeState.determined) and not (
            state == DisputeState.withdrawn and rng.random() < 0.5
        )
        meeting_on = (
            (deadline + timedelta(days=rng.randint(1, 14)) if late else determined + timedelta(days=rng.randint(7, 28)))
            if convened and determined
            else None
        )
        held = state in (DisputeState.meeting_held, DisputeState.resolved, DisputeState.escalated)
        agreed = state in (
            DisputeState.agenda_agreed,
            DisputeState.meeting_held,
            DisputeState.resolved,
            DisputeState.escalated,
        )
        row = {
            "id": i + 1,
            "ref_year": raised.year,
            "ref_number": numbers[raised.year],
            "subject": f"Bench dispute {i + 1} about thresholds and referrals",
            "summary": "Generated for the benchmark.",
            "raised_on": raised,
            "raised_by_id": office_user,
            "state": state.value,
            "determined_on": determined,
            "deadline": deadline,
            "meeting_on": meeting_on,
            "meeting_time": time(14, 0) if meeting_on else None,
            "meeting_location": "County Hall" if meeting_on else None,
            "chair_person_id": people[0] if meeting_on else None,
            "late_reason": "The parties could not meet sooner" if late and meeting_on else None,
            "agenda": AGENDA if convened else None,
            "agenda_revision": 1 if convened else 0,
            "agenda_drafted_at": now if convened else None,
            "held_on": meeting_on if held else None,
            "outcome": "Agreed a way forward" if held else None,
            "resolution": "Resolved" if state == DisputeState.resolved else None,
            "escalation_reason": "No agreement" if state == DisputeState.escalated else None,
            "escalated_on": meeting_on + timedelta(days=14) if state == DisputeState.escalated else None,
            "closed_on": raised + timedelta(days=60) if state in CLOSED else None,
            "withdrawal_reason": "Settled" if state == DisputeState.withdrawn else None,
            "breach_recorded_on": deadline + timedelta(days=1) if late and meeting_on else None,
            "breach_note": "The joint meeting was after the deadline" if late and meeting_on else None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        disputes.append(row)
        # The bench partner member's organisation (the second) is a party to a fifth of them.
        chosen = [orgs[1]] if i % 5 == 0 else []
        chosen += rng.sample([o for o in orgs if o not in chosen], k=rng.randint(2, 3) - len(chosen))
        for org_id in chosen:
            party_id += 1
            parties.append({"id": party_id, "dispute_id": row["id"], "organisation_id": org_id})
            if convened and (agreed or rng.random() < 0.5):
                response_id += 1
                responses.append(
                    {
                        "id": response_id,
                        "dispute_id": row["id"],
                        "party_id": party_id,
                        "agenda_revision": 1,
                        "response": "agreed",
                        "by_user_id": office_user,
                        "at": now,
                    }
                )
    ctx.insert(Dispute.__table__, disputes, "disputes")
    ctx.insert(DisputeParty.__table__, parties, "dispute parties")
    ctx.insert(AgendaResponse.__table__, responses, "agenda responses")
    ctx.ids["disputes"] = [d["id"] for d in disputes]

    complaints, numbers = [], {}
    for i in range(ctx.n(150)):
        received = start + timedelta(days=int(span * i / ctx.n(150)))
        numbers[received.year] = numbers.get(received.year, 0) + 1
        kind = ComplaintKind.member_service if i % 3 else ComplaintKind.partnership
        state = ComplaintState.closed if i < ctx.n(150) - 10 else ComplaintState.received
        complaints.append(
            {
                "id": i + 1,
                "ref_year": received.year,
                "ref_number": numbers[received.year],
                "kind": kind.value,
                "received_on": received,
                "complainant_name": f"Complainant {i + 1}",
                "complainant_contact": f"complainant{i + 1}@bench.example",
                "summary": "Generated for the benchmark.",
                "organisation_id": rng.choice(orgs) if kind == ComplaintKind.member_service else None,
                "logged_by_id": office_user,
                "state": state.value,
                "referred_on": received + timedelta(days=2)
                if kind == ComplaintKind.member_service and state == ComplaintState.closed
                else None,
                "closed_on": received + timedelta(days=30) if state == ComplaintState.closed else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    ctx.insert(Complaint.__table__, complaints, "complaints")
    ctx.ids["complaints"] = [c["id"] for c in complaints]
