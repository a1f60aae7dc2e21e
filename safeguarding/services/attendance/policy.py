"""Attendance monitoring: each group's thresholds (`AttendancePolicy`, or `DEFAULT_POLICY`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import DEFAULT_POLICY, AttendancePolicy, Group
from safeguarding.services.errors import NotFound, StaleVersion, ValidationFailed


@dataclass(frozen=True)
class Policy:
    group_id: int
    reminder_after: int
    escalate_after: int
    min_rate_percent: int
    min_held: int
    window_months: int
    response_days: int
    resolve_after: int
    version: int | None = None  # None: the group uses the defaults (no row yet)

    @property
    def is_default(self) -> bool:
        return self.version is None


POLICY_FIELDS = tuple(DEFAULT_POLICY)
POLICY_LABELS = {
    "reminder_after": "Reminder after this many consecutive meetings not represented",
    "escalate_after": "Escalation after this many consecutive meetings not represented",
    "min_rate_percent": "Escalation when represented at fewer than this percentage of meetings",
    "min_held": "Least number of meetings held in the window for the percentage to count",
    "window_months": "Window for the percentage, in months",
    "response_days": "Days the chief executive has to respond",
    "resolve_after": "Resolved after the organisation is represented at this many meetings",
}
POLICY_LIMITS = {
    "reminder_after": (1, 20),
    "escalate_after": (1, 20),
    "min_rate_percent": (1, 100),
    "min_held": (1, 50),
    "window_months": (1, 36),
    "response_days": (1, 365),
    "resolve_after": (1, 20),
}


def _policy(group_id: int, row: AttendancePolicy | None) -> Policy:
    if row is None:
        return Policy(group_id=group_id, **DEFAULT_POLICY)
    return Policy(group_id=group_id, version=row.version, **{k: getattr(row, k) for k in POLICY_FIELDS})


def policies_by_group() -> dict[int, Policy]:
    """Every group's policy row (groups without one use the defaults: `policy_for`)."""
    return {r.group_id: _policy(r.group_id, r) for r in db.session.scalars(sa.select(AttendancePolicy))}


def policy_for(group_id: int) -> Policy:
    row = db.session.scalar(sa.select(AttendancePolicy).where(AttendancePolicy.group_id == group_id))
    return _policy(group_id, row)


def list_policies() -> list[tuple[Group, Policy]]:
    """Each active group with its policy (two queries)."""
    groups = db.session.scalars(sa.select(Group).where(Group.active.is_(True)).order_by(Group.id)).all()
    rows = policies_by_group()
    return [(g, rows.get(g.id) or Policy(group_id=g.id, **DEFAULT_POLICY)) for g in groups]


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound("Group not found")
    return group


def update_policy(group_id: int, *, version: int | None, values: dict[str, Any]) -> Policy:
    """Set a group's thresholds (the business office). `version` is the policy's version
    as the editor saw it (None when the group still used the defaults)."""
    get_group(group_id)
    row = db.session.scalar(sa.select(AttendancePolicy).where(AttendancePolicy.group_id == group_id))
    if (row.version if row else None) != version:
        raise StaleVersion()
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for name in POLICY_FIELDS:
        value = values.get(name, getattr(row, name) if row else DEFAULT_POLICY[name])
        low, high = POLICY_LIMITS[name]
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            errors[name] = f"Enter a whole number for “{POLICY_LABELS[name].lower()}”"
        elif not low <= value <= high:
            errors[name] = f"{POLICY_LABELS[name]} must be between {low} and {high}"
        else:
            clean[name] = value
    if "reminder_after" in clean and "escalate_after" in clean and clean["reminder_after"] > clean["escalate_after"]:
        errors["reminder_after"] = "The reminder must come no later than the escalation"
    if errors:
        raise ValidationFailed(errors=errors)
    if row is None:
        row = AttendancePolicy(group_id=group_id)
        db.session.add(row)
    for name, value in clean.items():
        setattr(row, name, value)
    db.session.flush()
    return _policy(group_id, row)
