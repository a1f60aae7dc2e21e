"""The retention schedule and holds (domain.md, "Information governance").

The partnership sets its own schedule (usually its host council's, agreed in the
information sharing agreement), so the service ships a **default** for each record class —
period, trigger and final action — which the business office edits and **confirms**; a
class not confirmed disposes of nothing. The classes are fixed here (the records the
service holds); the office's settings are `RetentionRule` rows, one per class once set.

The defaults follow domain.md where it names them (published review reports, Board agendas
and ratified minutes: permanent; budget, contributions and invoices: six years after the
end of the financial year) and common local-authority schedules elsewhere; every default is
unconfirmed until the office says otherwise.

**Holds** override the schedule: on one record, a case review and everything attached to
it, or a whole class; with the reason and who placed it; lifted with a reason, never
deleted; each placed and lifted hold is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    AccessRequest,
    Complaint,
    Dispute,
    Escalation,
    FinalAction,
    Hold,
    HoldScope,
    Meeting,
    OutboxMessage,
    Person,
    RetentionRule,
    RetentionTrigger,
    Review,
    Role,
)
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed

OFFICE = (Role.business_office,)
# The schedule is read by the office and the independent chair (it is stated in the annual
# report); holds name reviews, so only the office sees them.
SCHEDULE_READERS = (Role.business_office, Role.independent_chair)
T, A = RetentionTrigger, FinalAction


@dataclass(frozen=True)
class RecordClass:
    key: str
    name: str
    period_years: int | None  # None: permanent
    trigger: RetentionTrigger
    final_action: FinalAction


CLASSES: tuple[RecordClass, ...] = (
    RecordClass("published_reports", "Published review reports and action plans", None, T.closed, A.keep),
    RecordClass("board_records", "Board agendas, papers and ratified minutes", None, T.meeting, A.keep),
    RecordClass("sar_records", "Safeguarding Adults Review working papers", 15, T.closed, A.review),
    RecordClass("cspr_records", "Child safeguarding practice review working papers", 15, T.closed, A.review),
    RecordClass("subgroup_records", "Sub-group agendas, papers and minutes", 6, T.meeting, A.review),
    RecordClass("finance", "Budget, contributions, invoices and payments", 6, T.financial_year_end, A.dispose),
    RecordClass("attendance", "Attendance registers and escalation letters", 6, T.meeting, A.dispose),
    RecordClass("disputes", "Disputes and complaints", 6, T.closed, A.dispose),
    RecordClass("access_requests", "Subject access requests and disclosures", 2, T.closed, A.dispose),
    RecordClass("outbox", "The email outbox", 2, T.created, A.dispose),
    RecordClass("user_accounts", "User accounts of people who left", 1, T.person_left, A.dispose),
    RecordClass("audit_log", "The audit log", 7, T.created, A.review),
)
CLASS_KEYS = {c.key: c for c in CLASSES}

# Records a hold may name one by one: the kind → (model, what it is called).
RECORD_TYPES: dict[str, tuple[Any, str]] = {
    "review": (Review, "case review"),
    "meeting": (Meeting, "meeting"),
    "dispute": (Dispute, "dispute"),
    "complaint": (Complaint, "complaint"),
    "escalation": (Escalation, "attendance escalation"),
    "person": (Person, "person"),
    "outbox_message": (OutboxMessage, "email"),
    "access_request": (AccessRequest, "subject access request"),
}


def _require(user: Any, roles: tuple[Role, ...], what: str) -> None:
    if user is None or not user.has_role(*roles):
        raise Forbidden(f"You cannot {what}")


# --- the schedule -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleEntry:
    record_class: RecordClass
    rule: RetentionRule | None  # the office's setting; None: the default stands, unconfirmed

    @property
    def key(self) -> str:
        return self.record_class.key

    @property
    def name(self) -> str:
        return self.record_class.name

    @property
    def period_years(self) -> int | None:
        return self.rule.period_years if self.rule else self.record_class.period_years

    @property
    def trigger(self) -> RetentionTrigger:
        return self.rule.trigger if self.rule else self.record_class.trigger

    @property
    def final_action(self) -> FinalAction:
        return self.rule.final_action if self.rule else self.record_class.final_action

    @property
    def confirmed(self) -> bool:
        return bool(self.rule and self.rule.confirmed)

    @property
    def period_text(self) -> str:
        if self.period_years is None:
            return "Permanently"
        return f"{self.period_years} year{'s' if self.period_years != 1 else ''} after: {self.trigger.label.lower()}"


def schedule(user: Any) -> list[ScheduleEntry]:
    """Every class with its setting in force (one query)."""
    _require(user, SCHEDULE_READERS, "see the retention schedule")
    rules = {r.class_key: r for r in db.session.scalars(sa.select(RetentionRule))}
    return [ScheduleEntry(c, rules.get(c.key)) for c in CLASSES]


def entry(key: str, user: Any) -> ScheduleEntry:
    if key not in CLASS_KEYS:
        raise NotFound("That record class is not in the retention schedule")
    return next(e for e in schedule(user) if e.key == key)


def set_rule(
    key: str,
    *,
    user: Any,
    version: int | None,
    period_years: int | None,
    trigger: str | None,
    final_action: str | None,
    confirmed: bool,
    note: str | None = None,
) -> ScheduleEntry:
    """The office sets a class's period (None: permanent), trigger and final action, and
    confirms it or not. `version` is the rule's (None while the default stands)."""
    _require(user, OFFICE, "change the retention schedule")
    e = entry(key, user)
    errors: dict[str, str] = {}
    if period_years is not None and not 1 <= period_years <= 100:
        errors["period_years"] = "Enter a period from 1 to 100 years, or leave it empty to keep permanently"
    try:
        trig = RetentionTrigger(trigger or "")
    except ValueError:
        errors["trigger"] = "Select what starts the period"
        trig = e.trigger
    try:
        action = FinalAction(final_action or "")
    except ValueError:
        errors["final_action"] = "Select what happens at the end of the period"
        action = e.final_action
    if not errors and (period_years is None) != (action == FinalAction.keep):
        errors["final_action"] = (
            "Records kept permanently have no period: leave the period empty and select keep permanently"
            if action == FinalAction.keep
            else "Enter the period after which the records are disposed of or reviewed"
        )
    if errors:
        raise ValidationFailed(errors=errors)
    rule = e.rule
    if rule is None:
        if version is not None:
            raise StaleVersion()
        rule = RetentionRule(class_key=key)
        db.session.add(rule)
    elif version != rule.version:
        raise StaleVersion()
    rule.period_years, rule.trigger, rule.final_action = period_years, trig, action
    rule.note = (note or "").strip() or None
    if confirmed and not rule.confirmed:
        rule.confirmed_on = today()
    rule.confirmed = bool(confirmed)
    if not confirmed:
        rule.confirmed_on = None
    db.session.flush()
    return ScheduleEntry(e.record_class, rule)


# --- holds -----------------------------------------------------------------------------------


def list_holds(user: Any, *, active: bool | None = True) -> list[Hold]:
    _require(user, OFFICE, "see holds")
    stmt = sa.select(Hold)
    if active is True:
        stmt = stmt.where(Hold.lifted_on.is_(None))
    elif active is False:
        stmt = stmt.where(Hold.lifted_on.is_not(None))
    return list(db.session.scalars(stmt.order_by(Hold.placed_on.desc(), Hold.id.desc())))


def get_hold(hold_id: int, user: Any) -> Hold:
    _require(user, OFFICE, "see holds")
    h = db.session.get(Hold, hold_id)
    if h is None:
        raise NotFound("Hold not found")
    return h


def review_references(holds: list[Hold]) -> dict[int, str]:
    """The references of the reviews the holds name (one query)."""
    ids = {h.review_id for h in holds if h.review_id} | {
        h.record_id for h in holds if h.record_type == "review" and h.record_id
    }
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Review.id, Review.reference).where(Review.id.in_(ids))).all())


def describe(h: Hold, references: dict[int, str]) -> str:
    """What a hold covers, in words (references, never names)."""
    if h.scope == HoldScope.record_class:
        c = CLASS_KEYS.get(h.class_key or "")
        return f"Every record of the class ‘{c.name if c else h.class_key}’"
    if h.scope == HoldScope.review:
        return f"Case review {references.get(h.review_id or 0, h.review_id)} and everything attached to it"
    what = RECORD_TYPES.get(h.record_type or "", (None, h.record_type))[1]
    if h.record_type == "review":
        return f"The {what} {references.get(h.record_id or 0, h.record_id)}"
    return f"The {what} number {h.record_id}"


def place_hold(
    *,
    user: Any,
    scope: str | None,
    reason: str | None,
    class_key: str | None = None,
    review_id: int | None = None,
    record_type: str | None = None,
    record_id: int | None = None,
    placed_on: date | None = None,
) -> Hold:
    """Place a hold (business office): it stops disposal of what it covers until lifted."""
    _require(user, OFFICE, "place a hold")
    errors: dict[str, str] = {}
    try:
        sc = HoldScope(scope or "")
    except ValueError:
        raise ValidationFailed(errors={"scope": "Select what the hold covers"}) from None
    if not (reason or "").strip():
        errors["reason"] = "Enter why the records must be kept (for example, the inquiry's instruction)"
    placed_on = placed_on or today()
    if placed_on > today():
        errors["placed_on"] = "The date the hold was placed must be today or in the past"
    hold = Hold(scope=sc, reason=(reason or "").strip(), placed_on=placed_on, placed_by_id=getattr(user, "id", None))
    if sc == HoldScope.record_class:
        if class_key not in CLASS_KEYS:
            errors["class_key"] = "Select the record class the hold covers"
        hold.class_key = class_key
    elif sc == HoldScope.review:
        if review_id is None or db.session.get(Review, review_id) is None:
            errors["review_id"] = "Select the case review the hold covers"
        hold.review_id = review_id
    else:
        if record_type not in RECORD_TYPES:
            errors["record_type"] = "Select the kind of record the hold covers"
        elif record_id is None or db.session.get(RECORD_TYPES[record_type][0], record_id) is None:
            errors["record_id"] = "Enter the number of a record that exists"
        hold.record_type, hold.record_id = record_type, record_id
    if errors:
        raise ValidationFailed(errors=errors)
    db.session.add(hold)
    db.session.flush()
    return hold


def lift_hold(hold: Hold, *, user: Any, version: int | None, reason: str | None) -> Hold:
    _require(user, OFFICE, "lift a hold")
    if version is not None and version != hold.version:
        raise StaleVersion()
    if not hold.active:
        raise Conflict("The hold has been lifted already")
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter why the hold can be lifted"})
    hold.lifted_on, hold.lifted_by_id, hold.lift_reason = today(), getattr(user, "id", None), (reason or "").strip()
    db.session.flush()
    return hold


def is_held(
    *, class_key: str, record_type: str | None = None, record_id: int | None = None, review_id: int | None = None
) -> bool:
    """Whether an active hold covers the record (its class, the review it belongs to, or the
    record itself): a held record is never offered for disposal."""
    covers = [sa.and_(Hold.scope == HoldScope.record_class, Hold.class_key == class_key)]
    if review_id is not None:
        covers.append(sa.and_(Hold.scope == HoldScope.review, Hold.review_id == review_id))
        covers.append(
            sa.and_(Hold.scope == HoldScope.record, Hold.record_type == "review", Hold.record_id == review_id)
        )
    if record_type is not None and record_id is not None:
        covers.append(
            sa.and_(Hold.scope == HoldScope.record, Hold.record_type == record_type, Hold.record_id == record_id)
        )
    return bool(db.session.scalar(sa.select(sa.exists().where(Hold.lifted_on.is_(None), sa.or_(*covers)))))
