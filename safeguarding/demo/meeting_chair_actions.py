"""Demo: the two chair's actions of the story — September 2020 (ratified at the October
2020 Board) and November 2026 (awaiting ratification at the next Board). Recorded by
demo/meetings.py at their moments in the story."""

from __future__ import annotations

from typing import Any

from safeguarding.demo import DemoContext, day
from safeguarding.formatting import long_date
from safeguarding.services import meetings as svc


def chair_action_2020(ctx: DemoContext, chair: Any):
    return svc.record_chair_action(
        user=chair,
        as_of=day(2020, 9, 2),
        decided_on=day(2020, 9, 1),
        title="Extend the Adult A review deadline by 8 weeks",
        decision="The deadline for the SAR concerning Adult A is extended by 8 weeks to 30 November 2020.",
        urgency="The independent reviewer's report was due before the next Board meeting.",
        consultations=[
            {
                "organisation_id": ctx.orgs["north"].id,
                "consulted_on": day(2020, 8, 28),
                "view": "Agrees: the extension allows the family to be involved.",
            },
            {
                "organisation_id": ctx.orgs["police"].id,
                "consulted_on": day(2020, 8, 28),
                "view": "Agrees; criminal proceedings have concluded.",
            },
            {
                "organisation_id": ctx.orgs["icb"].id,
                "consulted_on": day(2020, 8, 31),
                "view": "Agrees.",
                "consulted_person_id": ctx.people["icb_lead"].id,
            },
        ],
    )
    # It was put on the October 2020 Board agenda automatically; Demo.board_business
    # records the Board's ratification there.


def chair_action_2026(ctx: DemoContext, chair: Any):
    return svc.record_chair_action(
        user=chair,
        as_of=day(2026, 11, 13),
        decided_on=day(2026, 11, 12),
        title="Publish the SAR concerning Adult C before the inquest",
        decision=f"The overview report of the SAR concerning Adult C is published on {long_date(day(2026, 12, 1))}, "
        "before the inquest opens, with the family's agreement.",
        urgency=f"The coroner set the inquest date for {long_date(day(2026, 12, 7))}, before the Board next meets.",
        consultations=[
            {
                "organisation_id": ctx.orgs["west"].id,
                "consulted_on": day(2026, 11, 10),
                "view": "Agrees; the family have been told.",
            },
            {
                "organisation_id": ctx.orgs["police"].id,
                "consulted_on": day(2026, 11, 11),
                "view": "No objection: no criminal proceedings are planned.",
            },
            {"organisation_id": ctx.orgs["icb"].id, "consulted_on": day(2026, 11, 11), "view": "Agrees."},
        ],
    )
