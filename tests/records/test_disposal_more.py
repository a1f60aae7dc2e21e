"""Disposal of the record classes added after the first three (issue 25): complaints in
the class "Disputes and complaints" (a class with more than one kind of record). Each is
offered when due and not a day before, never when its class is unconfirmed or a hold
covers it, only with a second office user's approval; after disposal its personal content
is gone from its table and its audit entries, and the disposal record remains."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, Complaint, ComplaintKind, ComplaintState, DisposalRecord, ResponseMethod
from safeguarding.services import complaints as complaints_svc
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.services.records import disposal, schedule
from safeguarding.workflows.disputes import complaint_lifecycle

TODAY = date(2026, 12, 3)
CLOSED = date(2020, 6, 30)  # six years on: due on 30 June 2026


@pytest.fixture
def office(demo):
    return demo.user("office")


@pytest.fixture
def officer(demo):
    return demo.user("officer")


def _set(office, key, **changes):
    e = schedule.entry(key, office)
    values = {
        "period_years": e.period_years,
        "trigger": e.trigger.value,
        "final_action": e.final_action.value,
        "confirmed": e.confirmed,
    }
    values.update(changes)
    return schedule.set_rule(key, user=office, version=e.rule.version if e.rule else None, **values)


def _entries(table, record_id):
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == table, AuditEntry.entity_id == str(record_id))
        .order_by(AuditEntry.id)
    ).all()


def _by_key(run):
    return {c.entry.key: c for c in run.classes}


def _items(batch, record_type):
    return [i for i in disposal.items(batch) if i.record_type == record_type]


@pytest.fixture
def old_complaint(demo, office):
    """A complaint about the partnership answered and closed in 2020, through its lifecycle."""
    chair = demo.user("chair")
    c = complaints_svc.log_complaint(
        office,
        kind=ComplaintKind.partnership,
        received_on=date(2020, 5, 1),
        complainant_name="Eleanor Rigby",
        complainant_contact="eleanor.rigby@example.test, 07700 900456",
        summary="Eleanor Rigby says her report about her neighbour was never answered",
    )
    complaint_lifecycle.fire(
        c, "investigate", user=chair, version=c.version, params={"started_on": date(2020, 5, 4)}, as_of=TODAY
    )
    complaint_lifecycle.fire(
        c,
        "respond",
        user=chair,
        version=c.version,
        params={
            "outcome": "Upheld: Eleanor Rigby's report was lost; apology sent",
            "responded_on": date(2020, 6, 1),
            "response_method": "letter",
        },
        as_of=TODAY,
    )
    complaint_lifecycle.fire(c, "close", user=office, version=c.version, params={"closed_on": CLOSED}, as_of=TODAY)
    assert (c.state, c.closed_on) == (ComplaintState.closed, CLOSED)
    return c


def test_a_closed_complaint_is_due_six_years_after_it_closed_and_not_a_day_before(office, old_complaint):
    def past(on):
        return _by_key(disposal.dry_run(office, on))["disputes"].past

    # The demo's complaints closed in November 2026 and its disputes in 2026: none is due.
    assert past(date(2026, 6, 29)) == 0
    assert past(date(2026, 6, 30)) == 1
    batch = disposal.propose(user=office, class_key="disputes", on=TODAY)
    (item,) = _items(batch, "complaint")
    assert (item.record_table, item.record_id, item.reference) == ("complaints", old_complaint.id, "CMP-2020-001")
    assert (item.trigger_on, item.due_on, item.period_years) == (CLOSED, date(2026, 6, 30), 6)
    assert disposal.items(batch) == [item]  # of the class, only the complaint is due


def test_an_open_complaint_is_never_due(demo, office):
    # The demo's complaint under investigation, received in November 2026: not due even in 2040.
    c = db.session.get(Complaint, demo.id("complaints", "partnership"))
    assert c.state == ComplaintState.investigating
    later = disposal.propose(user=office, class_key="disputes", on=date(2040, 1, 1))
    assert {i.record_id for i in _items(later, "complaint")} == {demo.id("complaints", "referred")}
    assert _items(later, "dispute")  # the class's other kind of record, in the same batch


def test_a_held_complaint_or_an_unconfirmed_class_offers_nothing(office, officer, old_complaint):
    _set(office, "disputes", confirmed=False)
    assert _by_key(disposal.dry_run(office, TODAY))["disputes"].would_dispose == 0
    with pytest.raises(ValidationFailed) as refused:
        disposal.propose(user=office, class_key="disputes", on=TODAY)
    assert "Not confirmed" in refused.value.errors["class_key"]
    _set(office, "disputes", confirmed=True)
    batch = disposal.propose(user=office, class_key="disputes", on=TODAY)
    # A complaint can be held on its own; the hold placed before the approval wins.
    assert schedule.RECORD_TYPES["complaint"][1] == "complaint"
    hold = schedule.place_hold(
        user=office, scope="record", record_type="complaint", record_id=old_complaint.id, reason="Ombudsman inquiry"
    )
    assert "The complaint number" in schedule.describe(hold, {})
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    (item,) = disposal.items(batch)
    assert item.disposed_on is None and item.not_disposed_reason == "A hold covers it"
    assert old_complaint.complainant_name == "Eleanor Rigby"
    run = _by_key(disposal.dry_run(office, TODAY))["disputes"]
    assert (run.past, run.held, run.would_dispose) == (1, 1, 0)
    with pytest.raises(ValidationFailed) as nothing:
        disposal.propose(user=office, class_key="disputes", on=TODAY)
    assert "nothing to propose" in nothing.value.errors["class_key"]


def test_four_eyes_then_the_complaint_loses_its_personal_content_and_keeps_its_record(office, officer, old_complaint):
    c = old_complaint
    assert any("Eleanor Rigby" in str(e.changes) for e in _entries("complaints", c.id))
    batch = disposal.propose(user=office, class_key="disputes", on=TODAY)
    with pytest.raises(Forbidden, match="another member of the business office must approve it"):
        disposal.approve(batch, user=office, version=batch.version, on=TODAY)
    assert c.complainant_name == "Eleanor Rigby"
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    db.session.expire_all()

    c = db.session.get(Complaint, c.id)
    assert c.complainant_name == "Disposed of on 3 December 2026"
    assert (c.complainant_contact, c.summary, c.outcome) == ("", "", None)
    assert (c.reference, c.kind, c.state, c.received_on, c.responded_on, c.closed_on) == (
        "CMP-2020-001",
        ComplaintKind.partnership,
        ComplaintState.closed,
        date(2020, 5, 1),
        date(2020, 6, 1),
        CLOSED,
    )
    assert c.response_method == ResponseMethod.letter
    entries = _entries("complaints", c.id)
    assert entries[-1].action == "dispose"
    for e in entries:
        assert "Eleanor" not in str(e.changes) and "07700" not in str(e.changes) and "Upheld" not in str(e.changes)
    assert entries[0].changes["complainant_name"] == "(disposed of)" and entries[0].changes["kind"] == "partnership"
    record = db.session.scalars(
        sa.select(DisposalRecord).where(DisposalRecord.record_table == "complaints", DisposalRecord.record_id == c.id)
    ).one()
    assert (record.class_key, record.reference, record.disposed_on) == ("disputes", "CMP-2020-001", TODAY)
    assert (record.proposed_by_id, record.approved_by_id) == (office.id, officer.id)
    # Disposed of: never offered again.
    assert _by_key(disposal.dry_run(office, TODAY))["disputes"].past == 0
