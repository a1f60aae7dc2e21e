"""Disposal review in the demo: a second business-office account (Tom Bell, the Partnership
Support Officer: the four eyes of a disposal); subject access requests answered more than
two years ago; a hold on one of them (a complaint to the ICO); and one approved disposal —
proposed by the business manager, approved by the support officer — whose records keep
only their references. The email outbox's old messages and one old request remain due, so
the Disposals page has something to propose."""

from __future__ import annotations

from safeguarding.demo import DEMO_PASSWORD, DemoContext, at, day, step
from safeguarding.models import Role
from safeguarding.services import accounts
from safeguarding.services.records import access, disposal, schedule

OLD_REQUESTS = [
    # key, name, received, answered
    ("disposed_2022", "Margaret Hollis", (2022, 6, 6), (2022, 7, 1)),
    ("disposed_2023", "Kevin Ashworth", (2023, 9, 11), (2023, 10, 6)),
    ("held_2023", "Dennis Varley", (2023, 11, 13), (2023, 12, 8)),
    ("due_2024", "Alison Croft", (2024, 10, 14), (2024, 11, 8)),
]


@step(96, "disposal review")
def seed_disposals(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    with at(day(2024, 4, 2)):
        officer = accounts.create_user(
            email="officer@demo.test",
            password=DEMO_PASSWORD,
            roles=[Role.business_office],
            person=ctx.people["officer"],
            notify=False,
        )
    ctx.users["officer"] = officer
    requests = {}
    for key, name, received, answered in OLD_REQUESTS:
        with at(day(*received)):
            r = access.log_request(user=office, requester_name=name, received_on=day(*received), search_names=name)
        with at(day(*answered)):
            access.answer(
                r,
                user=office,
                version=r.version,
                answered_on=day(*answered),
                outcome="Disclosed: meeting papers and emails naming the requester; third parties redacted",
            )
        requests[key] = r
    with at(day(2026, 9, 14)):
        hold = schedule.place_hold(
            user=office,
            scope="record",
            record_type="access_request",
            record_id=requests["held_2023"].id,
            reason="The requester's complaint to the ICO about the answer is under consideration",
            placed_on=day(2026, 9, 14),
        )
    with at(day(2026, 10, 5)):
        batch = disposal.propose(user=office, class_key="access_requests")
    with at(day(2026, 10, 7)):
        disposal.approve(batch, user=officer, version=batch.version)
    ctx.extra["disposal_requests"] = requests
    ctx.extra["disposals"] = {"approved": batch}
    ctx.extra["holds"]["ico_complaint"] = hold
