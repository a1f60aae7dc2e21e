"""Overdue actions are chased once when they fall overdue, then weekly; never twice a day."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.jobs.actions import chase_overdue_actions
from safeguarding.models import Action
from safeguarding.models.outbox import OutboxMessage
from safeguarding.workflows.actions import action_lifecycle


def _chases(action_id: int) -> list[OutboxMessage]:
    return db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.subject == f"Action {action_id} is overdue")
        .order_by(OutboxMessage.id)
    ).all()


def _never_chased(action: Action) -> Action:
    """The demo's story chased the action on the morning before the demo's day (the daily
    jobs it ran); these tests start from an action never chased."""
    action.last_chased_on = None
    for message in _chases(action.id):
        db.session.delete(message)
    db.session.flush()
    return action


def test_overdue_action_is_chased_then_weekly(demo):
    action = _never_chased(db.session.get(Action, demo.id("actions", "police_overdue")))  # due 31 October 2026
    assert chase_overdue_actions(date(2026, 10, 31))["chased"] == 0  # due today: not overdue
    assert chase_overdue_actions(date(2026, 11, 2))["chased"] >= 1
    assert chase_overdue_actions(date(2026, 11, 2))["chased"] == 0  # same day again: nothing
    assert chase_overdue_actions(date(2026, 11, 5))["chased"] == 0  # within the week
    chase_overdue_actions(date(2026, 11, 9))
    messages = _chases(action.id)
    assert len(messages) == 2
    assert messages[0].to_addrs == [action.owner_person.email]
    assert "31 October 2026" in messages[0].body and f"/actions/{action.id}" in messages[0].body


def test_closed_actions_are_not_chased(demo):
    action = _never_chased(db.session.get(Action, demo.id("actions", "police_overdue")))
    action_lifecycle.fire(action, "cancel", user=demo.user("office"), version=action.version, comment="Superseded")
    chase_overdue_actions(date(2026, 11, 23))
    assert _chases(action.id) == []
