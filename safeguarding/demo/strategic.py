"""The 2026/27 strategic plan of the adults' Board: three objectives, each linked to the
2026/27 business plan's priorities (so the sub-groups' work plan items report against it),
what the member organisations will do, the consultation of Local Healthwatch and a
community consultation, the Board's agreement at its February 2026 meeting and
publication in March.

The February meeting was held and closed by the meetings demo: the agreement is recorded
here as part of that meeting's history (an agenda item and a consensus decision), and the
strategic plan's registered effect then records the agreement, as it does in session."""

from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaItem,
    AgendaItemKind,
    BusinessPlan,
    Decision,
    DecisionMethod,
    DecisionOutcome,
    Meeting,
    Priority,
    StrategicPlan,
)
from safeguarding.services import strategic as svc

YEAR = 2026

OBJECTIVES = [
    # title, description, business plan priority numbers, {organisation key: what it will do}
    (
        "Prevention first",
        "Stop abuse and neglect before it happens: communities, providers and the voluntary sector know "
        "how to recognise it and where to go.",
        (1, 5),
        {
            "north": "Fund the community safeguarding champions scheme in every North locality.",
            "west": "Run the 'See it, report it' campaign with West's housing providers.",
            "vcs": "Train 200 volunteers of member charities in recognising abuse and neglect.",
        },
    ),
    (
        "People at the centre of every enquiry",
        "Each person is asked what outcomes they want, and the Board checks that they got them.",
        (2, 4),
        {
            "north": "Ask every person in a section 42 enquiry what they want and record whether it was achieved.",
            "west": "Report Making Safeguarding Personal outcomes to the Quality and Performance sub-group "
            "each quarter.",
            "healthwatch": "Hear from people who went through an enquiry and report their experience to the Board.",
        },
    ),
    (
        "Learning that changes practice",
        "Every Safeguarding Adults Review changes practice, and the Board can show how.",
        (3,),
        {
            "police": "Brief every neighbourhood team on the findings of each SAR within three months.",
            "icb": "Audit GP practices against the learning from reviews on self-neglect.",
        },
    ),
]


def _priorities() -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(Priority.number, Priority.id)
            .join(BusinessPlan, BusinessPlan.id == Priority.business_plan_id)
            .where(BusinessPlan.financial_year == YEAR)
        ).all()
    )


def _agree_at(plan: StrategicPlan, meeting: Meeting, office) -> Decision:
    """The Board's consensus decision agreeing the plan at `meeting` (held)."""
    position = (
        db.session.scalar(sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)) or 0
    ) + 1
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        title=f"{svc.title_of(plan)}: for agreement",
        kind=AgendaItemKind.business,
        subject_type=svc.SUBJECT,
        subject_id=plan.id,
        presenter="Partnership Business Manager",
        description="For decision",
    )
    db.session.add(item)
    db.session.flush()
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id,
        method=DecisionMethod.consensus,
        outcome=DecisionOutcome.agreed,
        text=f"The Board agrees the {svc.title_of(plan).lower()}.",
        subject_type=svc.SUBJECT,
        subject_id=plan.id,
        quorate=True,
        recorded_by_id=office.id,
        recorded_at=datetime.combine(meeting.meeting_date, time(12), tzinfo=UTC),
    )
    db.session.add(decision)
    db.session.flush()
    svc.board_decided(decision, meeting)
    return decision


@step(87, "strategic plan")
def seed_strategic_plan(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    priorities = _priorities()
    with at(day(2025, 10, 14)):
        plan = svc.create_plan(
            office,
            financial_year=YEAR,
            title="Safeguarding adults together 2026 to 2029",
            vision="Prevention first, people at the centre of every enquiry, and learning that changes practice, "
            "in the North and in the West.",
        )
        for title, description, numbers, commitments in OBJECTIVES:
            objective = svc.add_objective(
                plan,
                office,
                title=title,
                description=description,
                priority_ids=[priorities[n] for n in numbers if n in priorities],
            )
            for org, text in commitments.items():
                svc.save_commitment(
                    plan, office, objective_id=objective.id, organisation_id=ctx.orgs[org].id, text=text
                )
    with at(day(2025, 11, 18)):
        svc.add_consultation(
            plan,
            office,
            kind="healthwatch",
            consulted_on=day(2025, 11, 18),
            consulted="Healthwatch County board and its volunteers",
            response="Support for the three objectives; people who went through an enquiry were rarely told "
            "what happened next, and the plan should say how the Board will hear from them.",
            changes="Healthwatch's commitment to hear from people after an enquiry added to objective 2.",
        )
    with at(day(2025, 12, 9)):
        svc.add_consultation(
            plan,
            office,
            kind="community",
            consulted_on=day(2025, 12, 9),
            consulted="Community event at West Library and an online survey (146 responses)",
            response="People did not know where to report a concern about a neighbour; carers asked for "
            "information in community languages.",
            changes="The 'See it, report it' campaign added to objective 1, with material in five languages.",
        )
    meeting = ctx.extra["board_by_month"]["2026-02"]
    with at(meeting.meeting_date):
        _agree_at(plan, meeting, office)
    with at(day(2026, 3, 10)):
        svc.publish(plan, office, version=plan.version)
    ctx.extra["strategic_plans"] = {"2026": plan}
