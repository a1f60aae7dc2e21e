"""Actions from a multi-agency audit, in several states (meetings, reviews, work plans
and disputes add their own)."""

from __future__ import annotations

from safeguarding.demo import DemoContext, at, day, step
from safeguarding.models import ActionSource, Area
from safeguarding.services import actions as svc
from safeguarding.workflows.actions import action_lifecycle

AUDIT = "Multi-agency audit of self-neglect cases, September 2026"


@step(60, "audit actions")
def seed_actions(ctx: DemoContext) -> None:
    with at(day(2026, 10, 1)):  # the actions agreed after the September audit
        _seed_actions(ctx)


def _seed_actions(ctx: DemoContext) -> None:
    office = ctx.users["office"]
    made = {}
    made["police_overdue"] = svc.create_action(
        title="Brief neighbourhood officers on the self-neglect pathway",
        owner_organisation_id=ctx.orgs["police"].id,
        owner_person_id=ctx.people["police_deputy"].id,
        due_date=day(2026, 10, 31),
        source_type=ActionSource.audit,
        source_label=AUDIT,
        group_id=ctx.groups["qp"].id,
        created_by_id=office.id,
    )
    made["icb_progress"] = svc.create_action(
        title="Add self-neglect prompts to GP safeguarding templates",
        owner_organisation_id=ctx.orgs["icb"].id,
        due_date=day(2027, 1, 31),
        source_type=ActionSource.audit,
        source_label=AUDIT,
        group_id=ctx.groups["qp"].id,
        created_by_id=office.id,
    )
    svc.add_update(
        made["icb_progress"], ctx.users["icb"], text="Template drafted; testing with two practices.", progress=40
    )
    made["north_done"] = svc.create_action(
        title="Audit hoarding referrals received by adult social care",
        owner_organisation_id=ctx.orgs["north"].id,
        due_date=day(2026, 11, 15),
        source_type=ActionSource.audit,
        source_label=AUDIT,
        area=Area.north,
        group_id=ctx.groups["qp"].id,
        created_by_id=office.id,
    )
    with at(day(2026, 11, 17)):
        action_lifecycle.fire(
            made["north_done"],
            "claim_complete",
            user=ctx.users["north"],
            version=made["north_done"].version,
            comment="Audit of 42 referrals completed and reported",
        )
    with at(day(2026, 11, 18)):
        action_lifecycle.fire(
            made["north_done"],
            "accept_completion",
            user=office,
            version=made["north_done"].version,
            as_of=day(2026, 11, 18),
        )
    made["west_claimed"] = svc.create_action(
        title="Share the audit findings with West's front-door team",
        owner_organisation_id=ctx.orgs["west"].id,
        due_date=day(2026, 12, 18),
        source_type=ActionSource.audit,
        source_label=AUDIT,
        area=Area.west,
        group_id=ctx.groups["qp"].id,
        created_by_id=office.id,
    )
    with at(day(2026, 11, 12)):
        action_lifecycle.fire(
            made["west_claimed"],
            "claim_complete",
            user=ctx.users["west"],
            version=made["west_claimed"].version,
            comment=f"Briefing delivered on {day(2026, 11, 12):%-d %B}",
        )
    ctx.extra["actions"] = made
