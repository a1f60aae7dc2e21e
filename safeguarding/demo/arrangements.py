"""Demo: the children's safeguarding arrangements — the four safeguarding partners (North
Council and West Council for their areas, the ICB and the police for both), each lead
safeguarding partner and the delegate who acts for them, the partnership chair (North's
Director of Children's Services), the independent scrutineer and the relevant agencies."""

from __future__ import annotations

from datetime import date

from safeguarding.demo import DemoContext, at, history_day, step
from safeguarding.models import Area
from safeguarding.services import arrangements

# organisation, area (the service derives it: a council's own area, `both` for the others), lead, delegate, delegated on (story date), chairs the partnership
PARTNERS = [
    ("north", Area.north, "north_ce", "north_dcs", date(2024, 9, 2), True),
    ("west", Area.west, "west_ce", "west_dcs", date(2024, 9, 2), False),
    ("icb", Area.both, "icb_ce", "icb_lead", date(2024, 9, 2), False),
    ("police", Area.both, "chief_constable", "police_lead", date(2025, 1, 6), False),
]
RELEVANT_AGENCIES = [
    "Schools, colleges and other education settings in North and West",
    "County University Hospitals NHS Trust",
    "County Community and Mental Health NHS Trust",
    "Probation Service (County)",
    "County Fire and Rescue Service",
    "Early years settings and registered childminders",
    "Youth justice services of North Council and West Council",
    "Voluntary and community sector organisations working with children",
]


@step(12, "children's arrangements")
def seed_arrangements(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    published = history_day(date(2024, 12, 2))
    partners = ctx.extra.setdefault("safeguarding_partners", {})
    for org_key, _area, lead, delegate, delegated_on, chairs in PARTNERS:
        with at(history_day(delegated_on)):
            partners[org_key] = arrangements.record_partner(
                organisation_id=ctx.orgs[org_key].id,
                lead_person_id=ctx.people[lead].id,
                delegate_person_id=ctx.people[delegate].id,
                delegated_on=history_day(delegated_on),
                chairs_partnership=chairs,
                user=office,
            )
    with at(published):
        arrangements.update_arrangements(
            version=None,
            scrutineer_person_id=ctx.people["scrutineer"].id,
            relevant_agencies=RELEVANT_AGENCIES,
            published_on=published,
            publication_url="https://example.org/safeguarding-partnership/childrens-arrangements.pdf",
            summary=(
                "The multi-agency safeguarding arrangements of North Council, West Council, the County "
                "Integrated Care Board and County Police, published under Working Together 2023."
            ),
            user=office,
        )
