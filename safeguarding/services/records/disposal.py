"""Disposal review under the retention schedule (domain.md, "Information governance").

Records past their date are **offered** for review, never removed by a job alone: the
daily job `retention_review` only counts them. A class offers its due records when the
office has **confirmed** it and its final action is *dispose* or *review*, and no active
hold covers the record (a hold on the record itself or on its whole class; the classes
handled so far belong to no case review — see `sources.py`). A class kept permanently is
never due; an unconfirmed class disposes of nothing.

*Review* classes: the review is the two-person decision itself. Their due records are
offered like the others; proposing and approving a batch is the decision to dispose of
them, and a record the office decides to keep gets a hold (on the record, with the reason)
so that it is not offered again.

One business-office user **proposes** a batch (one class, or every class due); a
**second** one approves it (the proposer cannot: they may cancel it) or rejects it with a
reason. The approval disposes of the records in the same transaction: each record's
personal content and files are removed (what that means per record type is in
`sources.py`), a `DisposalRecord` per item stays as the certificate of destruction (and
one per row disposed of with it: a person's user accounts), and the values the audit log
stored for the record's personal columns are redacted (`redact_audit`). At approval each
item is checked again: one a hold now covers, whose class is no longer confirmed or no
longer due under the schedule in force, or that is no longer closed (a person given a
seat or an account again), is left alone with the reason in `not_disposed_reason`.

The workflow history of each record disposed of keeps its steps, dates and who took them;
the words given with them are redacted (`redact_history`; both in `redaction.py`).

The audit log and the history are append-only (ORM guard and database triggers). The
migrations of this feature narrow the database's refusal by one case each: an UPDATE that
changes only `changes` of audit entries, or only `comment` and `data` of history steps,
about a record that has a disposal record with a disposal date. Every other update, and
every delete, is still refused (tests/records/test_disposal_audit.py,
test_disposal_more.py)."""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    DisposalBatch,
    DisposalRecord,
    DisposalState,
    FinalAction,
    Hold,
    HoldScope,
    RetentionRule,
    Role,
    User,
)
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.records.redaction import redact_audit, redact_history
from safeguarding.services.records.schedule import CLASS_KEYS, CLASSES, ScheduleEntry
from safeguarding.services.records.sources import BY_CLASS, BY_TYPE, Related, Source, cutoff, due_date

OFFICE = (Role.business_office,)


def _require(user: Any, what: str) -> None:
    if user is None or not user.has_role(*OFFICE):
        raise Forbidden(f"You cannot {what}")


def _entries() -> list[ScheduleEntry]:
    """The schedule in force (one query; no permission check: callers check)."""
    rules = {r.class_key: r for r in db.session.scalars(sa.select(RetentionRule))}
    return [ScheduleEntry(c, rules.get(c.key)) for c in CLASSES]


def offered(e: ScheduleEntry) -> bool:
    """Whether the class offers its due records at all (before holds)."""
    return e.key in BY_CLASS and e.confirmed and e.period_years is not None and e.final_action != FinalAction.keep


# --- what is due --------------------------------------------------------------------------------


def _handled(src: Source) -> Any:
    """Disposed of already, or in a batch waiting for approval."""
    waiting = sa.select(DisposalBatch.id).where(DisposalBatch.state == DisposalState.proposed)
    return sa.exists().where(
        DisposalRecord.record_table == src.table,
        DisposalRecord.record_id == src.model.id,
        sa.or_(DisposalRecord.disposed_on.is_not(None), DisposalRecord.batch_id.in_(waiting)),
    )


def _held(src: Source) -> Any:
    """A hold on the class, on the record, or on the record it belongs to (a register row's
    meeting: `Source.held_with`)."""
    active = Hold.lifted_on.is_(None)
    on_record = [(src.record_type, src.model.id)] + [(t, getattr(src.model, c)) for t, c in src.held_with]

    def held_ids(kind: str) -> sa.Select:
        # Not correlated: the database reads the (few) holds once, not once per record —
        # a register's 50,000 rows each probing the holds cost 100 ms.
        return sa.select(Hold.record_id).where(
            active, Hold.scope == HoldScope.record, Hold.record_type == kind, Hold.record_id.is_not(None)
        )

    return sa.or_(
        sa.exists().where(active, Hold.scope == HoldScope.record_class, Hold.class_key == src.class_key),
        # `key IS NOT NULL AND key IN (...)`: false, never NULL, for a record without one.
        *(sa.and_(key.is_not(None), key.in_(held_ids(kind))) for kind, key in on_record),
    )


def _due(src: Source, years: int, on: date) -> tuple[Any, ...]:
    return (*src.closed, src.due_filter(cutoff(on, years)), ~_handled(src))


@dataclass(frozen=True)
class ClassDue:
    entry: ScheduleEntry
    past: int  # past their date, neither disposed of nor waiting in a batch
    held: int  # of which a hold covers

    @property
    def handled(self) -> bool:
        return self.entry.key in BY_CLASS

    @property
    def offered(self) -> bool:
        return offered(self.entry)

    @property
    def would_dispose(self) -> int:
        return self.past - self.held if self.offered else 0

    @property
    def status(self) -> str:
        e = self.entry
        if e.final_action == FinalAction.keep or e.period_years is None:
            return "Kept permanently: never due"
        if not self.handled:
            return "Not handled by the service yet: nothing is offered"
        if not e.confirmed:
            return "Not confirmed: nothing is offered"
        return f"{records(self.would_dispose)} would be disposed of; {self.held} held"


def records(n: int) -> str:
    return f"{n} record{'s' if n != 1 else ''}"


def summary(on: date | None = None) -> list[ClassDue]:
    """Every class with its due and held counts (one query whatever the data)."""
    on = on or today()
    entries = _entries()
    counted = tuple(
        (e.key, e.period_years) for e in entries if e.period_years is not None and e.final_action != FinalAction.keep
    )
    counts: dict[str, int] = {}
    if counted:
        for record_type, past, held in db.session.execute(_summary_statement(counted, on)):
            counts[f"{record_type}_past"], counts[f"{record_type}_held"] = past, held

    def total(key: str, what: str) -> int:
        return sum(counts.get(f"{src.record_type}_{what}", 0) or 0 for src in BY_CLASS.get(key, ()))

    return [ClassDue(e, total(e.key, "past"), total(e.key, "held")) for e in entries]


# Building these statements costs more than running them (a dozen correlated parts); they
# depend only on the periods in force and the day, so each is built once per day and setting.
@functools.lru_cache(maxsize=16)
def _summary_statement(counted: tuple[tuple[str, int], ...], on: date) -> sa.CompoundSelect:
    """One pass over each source's due records counts them and those held (a UNION ALL of
    one row per source: one query)."""
    parts = [
        sa.select(
            sa.literal(src.record_type).label("record_type"),
            sa.func.count().label("past"),
            sa.func.coalesce(sa.func.sum(sa.case((_held(src), 1), else_=0)), 0).label("held"),
        )
        .select_from(src.model)
        .where(*_due(src, years, on))
        for key, years in counted
        for src in BY_CLASS.get(key, ())
    ]
    return sa.union_all(*parts)


@dataclass(frozen=True)
class DryRun:
    classes: list[ClassDue]

    @property
    def would_dispose(self) -> int:
        return sum(c.would_dispose for c in self.classes)

    @property
    def held(self) -> int:
        return sum(c.held for c in self.classes if c.offered)

    @property
    def not_confirmed(self) -> int:
        return sum(c.past for c in self.classes if c.handled and not c.entry.confirmed)

    @property
    def text(self) -> str:
        return f"{records(self.would_dispose)} would be disposed of; {self.held} held"


def dry_run(user: Any = None, on: date | None = None, *, check: bool = True) -> DryRun:
    """What a batch of everything due would dispose of today (the office; the job and the
    command pass check=False)."""
    if check:
        _require(user, "see what is due for disposal")
    return DryRun(summary(on))


def due_count(on: date | None = None) -> int:
    """What a batch of everything due would dispose of today (the dry run's
    `would_dispose`) for the office's home page: the offered classes only, their due records
    no hold covers — one count per source in one query, and nothing counted for a class not
    confirmed (at ten years a register's 50,000 rows would be)."""
    on = on or today()
    chosen = tuple((e.key, e.period_years or 0) for e in _entries() if offered(e))
    if not chosen:
        return 0
    return sum(n or 0 for n in db.session.execute(_due_count_statement(chosen, on)).one())


@functools.lru_cache(maxsize=16)
def _due_count_statement(chosen: tuple[tuple[str, int], ...], on: date) -> sa.Select:
    return sa.select(
        *(
            sa.select(sa.func.count())
            .select_from(src.model)
            .where(*_due(src, years, on), ~_held(src))
            .scalar_subquery()
            for key, years in chosen
            for src in BY_CLASS.get(key, ())
        )
    )


# --- batches ------------------------------------------------------------------------------------


def _rows_due(src: Source, years: int, on: date) -> list[tuple[Any, date]]:
    """The due records not held, each with its trigger date."""
    stmt = (
        sa.select(src.model, src.trigger_column.label("trigger_value"))
        .where(*_due(src, years, on), ~_held(src))
        .order_by(src.model.id)
    )
    return [(row, src.trigger_on(value)) for row, value in db.session.execute(stmt)]


def propose(*, user: Any, class_key: str | None, on: date | None = None) -> DisposalBatch:
    """Propose every due record of one class (or of every class) for disposal."""
    _require(user, "propose a disposal")
    on = on or today()
    entries = {e.key: e for e in _entries()}
    if class_key:
        if class_key not in CLASS_KEYS:
            raise ValidationFailed(errors={"class_key": "Select a record class of the retention schedule"})
        e = entries[class_key]
        if not offered(e):
            raise ValidationFailed(errors={"class_key": f"‘{e.name}’ offers nothing: {ClassDue(e, 0, 0).status}"})
    chosen = [entries[class_key]] if class_key else [e for e in entries.values() if offered(e)]
    batch = DisposalBatch(class_key=class_key or None, proposed_by_id=user.id, proposed_on=on)
    items = []
    for e in chosen:
        years = e.period_years or 0
        for src, (row, trigger_on) in ((s, r) for s in BY_CLASS[e.key] for r in _rows_due(s, years, on)):
            items.append(
                DisposalRecord(
                    class_key=e.key,
                    record_type=src.record_type,
                    record_table=src.table,
                    record_id=row.id,
                    reference=src.reference(row)[:60],
                    trigger_on=trigger_on,
                    due_on=due_date(trigger_on, years),
                    period_years=years,
                    trigger=e.trigger,
                    final_action=e.final_action,
                    proposed_by_id=user.id,
                )
            )
    if not items:
        raise ValidationFailed(errors={"class_key": "No records are due for disposal: there is nothing to propose"})
    db.session.add(batch)
    db.session.flush()
    for item in items:
        item.batch_id = batch.id
    db.session.add_all(items)
    db.session.flush()
    return batch


def list_batches(user: Any) -> list[DisposalBatch]:
    _require(user, "see disposals")
    return list(db.session.scalars(sa.select(DisposalBatch).order_by(DisposalBatch.id.desc())))


def get_batch(batch_id: int, user: Any) -> DisposalBatch:
    _require(user, "see disposals")
    batch = db.session.get(DisposalBatch, batch_id)
    if batch is None:
        raise NotFound("Disposal batch not found")
    return batch


def items(batch: DisposalBatch) -> list[DisposalRecord]:
    return list(
        db.session.scalars(
            sa.select(DisposalRecord)
            .where(DisposalRecord.batch_id == batch.id)
            .order_by(DisposalRecord.class_key, DisposalRecord.id)
        )
    )


def counts_by_batch() -> dict[int, int]:
    stmt = sa.select(DisposalRecord.batch_id, sa.func.count()).group_by(DisposalRecord.batch_id)
    return {b: n for b, n in db.session.execute(stmt)}


def _check_open(batch: DisposalBatch, version: int | None) -> None:
    if version is None or version != batch.version:
        raise StaleVersion()
    if batch.state != DisposalState.proposed:
        raise Conflict(f"The batch is {batch.state.label.lower()} already")


def _reason_left_alone(item: DisposalRecord, e: ScheduleEntry, holds: list[Hold], on: date) -> str | None:
    if not offered(e):
        return "Its class no longer offers records for disposal (not confirmed, or kept permanently)"
    if any(
        (h.scope == HoldScope.record_class and h.class_key == item.class_key)
        or (h.scope == HoldScope.record and h.record_type == item.record_type and h.record_id == item.record_id)
        for h in holds
    ):
        return "A hold covers it"
    if due_date(item.trigger_on, e.period_years or 0) > on:
        return "Not due under the schedule in force"
    return None


def approve(batch: DisposalBatch, *, user: Any, version: int | None, on: date | None = None) -> DisposalBatch:
    """A second business-office user approves: the records are disposed of now."""
    _require(user, "approve a disposal")
    if batch.proposed_by_id == user.id:
        raise Forbidden("You proposed this disposal: another member of the business office must approve it")
    _check_open(batch, version)
    on = on or today()
    entries = {e.key: e for e in _entries()}
    holds = list(db.session.scalars(sa.select(Hold).where(Hold.lifted_on.is_(None))))
    text = f"Disposed of on {long_date(on)}"
    by_type: dict[str, list[DisposalRecord]] = defaultdict(list)
    for item in items(batch):
        by_type[item.record_type].append(item)
    disposed: list[tuple[Source, DisposalRecord]] = []
    for record_type, group in by_type.items():
        src = BY_TYPE[record_type]
        ids = [i.record_id for i in group]
        rows = {r.id: r for r in db.session.scalars(sa.select(src.model).where(src.model.id.in_(ids)))}
        still = _still_due(src, ids, entries[group[0].class_key], on)
        held = _ids_where(src, ids, _held(src))
        for item in group:
            e = entries[item.class_key]
            reason = _reason_left_alone(item, e, holds, on)
            if reason is None and item.record_id in held:
                reason = "A hold covers it"
            if reason is None and item.record_id not in rows:
                reason = "The record no longer exists"
            if reason is None and item.record_id not in still:
                reason = "It is no longer closed, or its date has moved: not due today"
            if reason:
                item.not_disposed_reason = reason
                continue
            row = rows[item.record_id]
            audit.mark_action(row, "dispose")
            src.dispose(row, text)
            item.disposed_on, item.approved_by_id = on, user.id
            item.period_years, item.trigger, item.final_action = e.period_years or 0, e.trigger, e.final_action
            disposed.append((src, item))
    batch.state, batch.approved_by_id, batch.approved_on = DisposalState.approved, user.id, on
    db.session.flush()  # the audit entries of the changes above are written now: redact them too
    for src, done in _by_source(disposed).items():
        redact_audit(src.table, [i.record_id for i in done], src.personal)
        redact_history(src.record_type, [i.record_id for i in done])
        for related in src.related:
            _dispose_related(related, done)
    return batch


def _dispose_related(related: Related, done: list[DisposalRecord]) -> None:
    """A disposal record for each row disposed of with the records (in the same batch,
    with the record's dates and rule), then the audit log's values about them redacted."""
    parents = {i.record_id: i for i in done}
    pairs = related.rows(list(parents))
    for parent_id, row_id in pairs:
        p = parents[parent_id]
        db.session.add(
            DisposalRecord(
                batch_id=p.batch_id,
                class_key=p.class_key,
                record_type=related.record_type,
                record_table=related.table,
                record_id=row_id,
                reference=related.reference(row_id)[:60],
                trigger_on=p.trigger_on,
                due_on=p.due_on,
                period_years=p.period_years,
                trigger=p.trigger,
                final_action=p.final_action,
                disposed_on=p.disposed_on,
                proposed_by_id=p.proposed_by_id,
                approved_by_id=p.approved_by_id,
            )
        )
    if pairs:
        db.session.flush()
        redact_audit(related.table, [row_id for _, row_id in pairs], related.personal)


def _still_due(src: Source, ids: list[int], e: ScheduleEntry, on: date) -> set[int]:
    """Of the proposed records, those still closed and past their date today (a person
    given a seat again since the proposal is not)."""
    if e.period_years is None:
        return set()
    return _ids_where(src, ids, *src.closed, src.due_filter(cutoff(on, e.period_years)))


def _ids_where(src: Source, ids: list[int], *conditions: Any) -> set[int]:
    return set(db.session.scalars(sa.select(src.model.id).where(src.model.id.in_(ids), *conditions)))


def _by_source(disposed: list[tuple[Source, DisposalRecord]]) -> dict[Source, list[DisposalRecord]]:
    out: dict[Source, list[DisposalRecord]] = defaultdict(list)
    for src, item in disposed:
        out[src].append(item)
    return out


def reject(batch: DisposalBatch, *, user: Any, version: int | None, reason: str | None) -> DisposalBatch:
    """A second business-office user rejects the proposal (nothing is disposed of)."""
    _require(user, "reject a disposal")
    if batch.proposed_by_id == user.id:
        raise Forbidden("You proposed this disposal: cancel it instead, or ask another member of the office to decide")
    return _close(batch, DisposalState.rejected, user=user, version=version, reason=reason)


def cancel(batch: DisposalBatch, *, user: Any, version: int | None, reason: str | None) -> DisposalBatch:
    """The proposer withdraws their proposal (nothing is disposed of)."""
    _require(user, "cancel a disposal")
    if batch.proposed_by_id != user.id:
        raise Forbidden("Only the person who proposed the disposal can cancel it: approve or reject it instead")
    return _close(batch, DisposalState.cancelled, user=user, version=version, reason=reason)


def _close(batch: DisposalBatch, state: DisposalState, *, user: Any, version: int | None, reason: str | None):
    _check_open(batch, version)
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter the reason"})
    batch.state, batch.reason = state, (reason or "").strip()
    audit.mark_action(batch, state.value)
    db.session.flush()
    return batch


# --- the certificate of destruction -------------------------------------------------------------


def certificate(user: Any, *, page: int = 1, per_page: int | None = None) -> tuple[list[DisposalRecord], int]:
    """Disposal records of disposed records, newest first."""
    _require(user, "see disposals")
    where = DisposalRecord.disposed_on.is_not(None)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(DisposalRecord).where(where)) or 0
    stmt = sa.select(DisposalRecord).where(where).order_by(DisposalRecord.disposed_on.desc(), DisposalRecord.id)
    if per_page:
        stmt = stmt.limit(per_page).offset((page - 1) * per_page)
    return list(db.session.scalars(stmt)), total


def user_names(ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u.name for u in db.session.scalars(sa.select(User).where(User.id.in_(wanted)))}


CSV_COLUMNS = [
    "batch",
    "class",
    "record_type",
    "record_id",
    "reference",
    "trigger_date",
    "due_date",
    "period_years",
    "trigger",
    "final_action",
    "disposed_on",
    "proposed_by",
    "approved_by",
]


def certificate_csv(rows: list[DisposalRecord]) -> str:
    names = user_names({r.proposed_by_id for r in rows} | {r.approved_by_id for r in rows})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                f"DISP-{r.batch_id:04d}",
                r.class_key,
                r.record_type,
                r.record_id,
                r.reference,
                r.trigger_on.isoformat(),
                r.due_on.isoformat(),
                r.period_years,
                r.trigger.value,
                r.final_action.value,
                r.disposed_on.isoformat() if r.disposed_on else "",
                names.get(r.proposed_by_id or 0, ""),
                names.get(r.approved_by_id or 0, ""),
            ]
        )
    return out.getvalue()
