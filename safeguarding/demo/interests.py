"""Demo: the annual register of interests for this financial year — every Board member has
made a return but two (Healthwatch's and the voluntary sector's), who are yet to declare."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.calendar import financial_year_start, today
from safeguarding.demo import DemoContext, at, step
from safeguarding.services import meetings as svc

INTERESTS = {
    "north_dass": "Trustee of North Carers' Centre, which receives a grant from North Council.",
    "acute_lead": "Spouse is a partner in a firm of solicitors that acts for care providers in the area.",
    "ph_lead": "Member of the board of a housing association with supported housing in West Borough.",
}
YET_TO_DECLARE = ("healthwatch_lead", "vcs_lead")


@step(78, "register of interests")
def seed_interests(ctx: DemoContext) -> None:
    year = financial_year_start(today())
    office = ctx.users["office"]
    members = [r.person for r in svc.register_of_interests(year)]
    by_id = {p.id: key for key, p in ctx.people.items()}
    opened = max(today() - timedelta(days=60), date(year, 4, 1))
    for n, person in enumerate(members):
        key = by_id.get(person.id)
        if key in YET_TO_DECLARE:
            continue
        declared_on = min(today(), opened + timedelta(days=n))
        with at(declared_on):
            svc.record_interest_return(
                office,
                financial_year=year,
                nil=key not in INTERESTS,
                interests=INTERESTS.get(key or ""),
                declared_on=declared_on,
                person_id=person.id,
            )
