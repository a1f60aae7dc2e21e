"""Chase overdue actions: a reminder to the owner (or the owning organisation's
safeguarding lead) when an action passes its due date, then weekly while it stays
overdue. The business office sees the same list under Actions → Overdue only."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.jobs import job
from safeguarding.notify import queue_email, service_url
from safeguarding.services.actions import overdue_actions

CHASE_EVERY = timedelta(days=7)


@job("chase_overdue_actions", description="Remind owners of overdue actions (then weekly)")
def chase_overdue_actions(as_of: date) -> dict[str, int]:
    chased = skipped = 0
    for action in overdue_actions(as_of):
        if action.last_chased_on and as_of - action.last_chased_on < CHASE_EVERY:
            continue
        to = [
            e
            for e in (
                (action.owner_person.email if action.owner_person else None)
                or action.owner_organisation.safeguarding_lead_email,
            )
            if e
        ]
        if not to:
            skipped += 1
            continue
        queue_email(
            to,
            f"Action {action.id} is overdue",
            "message",
            {
                "text": (
                    f"The action \u201c{action.title}\u201d for {action.owner_organisation.name} was due on "
                    f"{long_date(action.due_date)} and is not yet complete. Please post progress or report it "
                    "complete in the service."
                ),
                "link": service_url("actions.action", action_id=action.id),
            },
            kind="action_overdue",
            dedupe_key=f"action-overdue:{action.id}:{as_of.isoformat()}",
        )
        action.last_chased_on = as_of
        chased += 1
    db.session.flush()
    return {"chased": chased, "no_contact": skipped}
