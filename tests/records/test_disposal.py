"""Disposal review (domain.md, "Information governance"): records past their date are
offered, never removed by a job; a held record or one of an unconfirmed class is never
offered nor disposed of; four eyes (the proposer cannot approve); after disposal the
record's personal content is gone from its table, its files and its audit entries, and
the disposal record remains. By service, job, command and annual report section."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.jobs import get as get_job
from safeguarding.jobs.records import retention_review
from safeguarding.models import (
    AccessRequest,
    AuditEntry,
    DisposalRecord,
    DisposalState,
    Dispute,
    DisputeState,
    OutboxAttachment,
    OutboxMessage,
    OutboxStatus,
)
from safeguarding.services.annual_sections.governance import governance_section
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.services.records import disposal, schedule, sources

TODAY = date(2026, 12, 3)


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


def _old_email(created=datetime(2015, 6, 1, 9, tzinfo=UTC), status=OutboxStatus.sent) -> OutboxMessage:
    m = OutboxMessage(
        kind="test_letter",
        to_addrs=["jane.doe@example.test"],
        cc_addrs=["john.roe@example.test"],
        subject="Letter to Jane Doe",
        body="Dear Jane Doe, about your son Sam Doe",
        message_id=f"<disposal-test-{created.timestamp()}@demo.test>",
        status=status,
        queued_by="office@demo.test",
        created_at=created,
        attachments=[OutboxAttachment(filename="letter.pdf", content_type="application/pdf", size=3, data=b"PDF")],
    )
    db.session.add(m)
    db.session.flush()
    return m


@pytest.fixture
def office(demo):
    return demo.user("office")


@pytest.fixture
def officer(demo):
    return demo.user("officer")


@pytest.fixture
def only_old_email(office):
    """The outbox class at 10 years, so that of the outbox only an email of 2015 is due."""
    _set(office, "outbox", period_years=10)
    return _old_email()


def _entries(table, record_id):
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == table, AuditEntry.entity_id == str(record_id))
        .order_by(AuditEntry.id)
    ).all()


def _by_key(run):
    return {c.entry.key: c for c in run.classes}


def test_the_dry_run_counts_due_and_held_records_by_class(demo, office):
    run = disposal.dry_run(office, TODAY)
    classes = _by_key(run)
    requests = classes["access_requests"]
    # In the demo: two requests answered more than two years ago were disposed of in
    # October; of the two now past their date, one is held (a complaint to the ICO).
    assert (requests.past, requests.held, requests.would_dispose) == (2, 1, 1)
    assert requests.status == "1 record would be disposed of; 1 held"
    assert classes["outbox"].would_dispose > 100 and classes["outbox"].held == 0
    assert classes["published_reports"].status == "Kept permanently: never due"
    assert classes["user_accounts"].would_dispose == 0 and not classes["user_accounts"].offered
    assert run.held == 1
    assert run.text == f"{run.would_dispose} records would be disposed of; 1 held"
    assert disposal.due_count(TODAY) == run.would_dispose
    # Not yet past their date: nothing of the outbox on a day before the demo's first email + 2 years.
    assert _by_key(disposal.dry_run(office, date(2021, 1, 1)))["outbox"].past == 0
    with pytest.raises(Forbidden):
        disposal.dry_run(demo.user("chair"), TODAY)


def test_the_period_runs_whole_years_from_the_trigger_date():
    assert sources.due_date(date(2024, 11, 8), 2) == date(2026, 11, 8)
    assert sources.due_date(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert sources.cutoff(date(2026, 12, 3), 2) == date(2024, 12, 3)
    assert sources.cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)


def test_held_records_are_never_offered_nor_disposed_of(demo, office, officer):
    held = db.session.get(AccessRequest, demo.id("disposal_requests", "held_2023"))
    due = db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024"))
    batch = disposal.propose(user=office, class_key="access_requests", on=TODAY)
    assert [(i.record_type, i.record_id) for i in disposal.items(batch)] == [("access_request", due.id)]
    # A hold placed after the proposal, before the approval: the record is left alone.
    schedule.place_hold(
        user=office, scope="record", record_type="access_request", record_id=due.id, reason="Tribunal claim"
    )
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    (item,) = disposal.items(batch)
    assert item.disposed_on is None and item.not_disposed_reason == "A hold covers it"
    assert due.requester_name == "Alison Croft" and held.requester_name == "Dennis Varley"
    # A class hold covers every record of the class.
    schedule.place_hold(user=office, scope="class", class_key="outbox", reason="Inquiry into the outbox")
    assert _by_key(disposal.dry_run(office, TODAY))["outbox"].would_dispose == 0
    with pytest.raises(ValidationFailed) as nothing:
        disposal.propose(user=office, class_key="outbox", on=TODAY)
    assert "nothing to propose" in nothing.value.errors["class_key"]


def test_an_unconfirmed_class_is_never_offered_nor_disposed_of(demo, office, officer):
    due = db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024"))
    batch = disposal.propose(user=office, class_key="access_requests", on=TODAY)
    _set(office, "access_requests", confirmed=False)
    assert _by_key(disposal.dry_run(office, TODAY))["access_requests"].status == "Not confirmed: nothing is offered"
    with pytest.raises(ValidationFailed) as refused:
        disposal.propose(user=office, class_key="access_requests", on=TODAY)
    assert "Not confirmed" in refused.value.errors["class_key"]
    everything = disposal.propose(user=office, class_key=None, on=TODAY)
    assert {i.class_key for i in disposal.items(everything)} == {"outbox", "attendance"}
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    (item,) = disposal.items(batch)
    assert item.disposed_on is None and "no longer offers" in item.not_disposed_reason
    assert due.requester_name == "Alison Croft"
    # Kept permanently: never due, whatever its age.
    with pytest.raises(ValidationFailed) as kept:
        disposal.propose(user=office, class_key="board_records", on=TODAY)
    assert "Kept permanently" in kept.value.errors["class_key"]


def test_four_eyes_the_proposer_cannot_approve_and_only_the_office_decides(demo, office, officer):
    with pytest.raises(Forbidden):
        disposal.propose(user=demo.user("chair"), class_key="access_requests", on=TODAY)
    batch = disposal.propose(user=office, class_key="access_requests", on=TODAY)
    with pytest.raises(Forbidden, match="another member of the business office must approve it"):
        disposal.approve(batch, user=office, version=batch.version, on=TODAY)
    with pytest.raises(Forbidden):
        disposal.approve(batch, user=demo.user("chair"), version=batch.version, on=TODAY)
    with pytest.raises(Forbidden):
        disposal.reject(batch, user=office, version=batch.version, reason="Not now")
    with pytest.raises(Forbidden):
        disposal.cancel(batch, user=officer, version=batch.version, reason="Not mine")
    assert batch.state == DisposalState.proposed
    with pytest.raises(StaleVersion):
        disposal.approve(batch, user=officer, version=batch.version - 1, on=TODAY)
    with pytest.raises(ValidationFailed):
        disposal.reject(batch, user=officer, version=batch.version, reason=" ")
    disposal.reject(batch, user=officer, version=batch.version, reason="Check the ICO complaint first")
    assert batch.state == DisposalState.rejected
    with pytest.raises(Conflict):
        disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    # Rejected: nothing was disposed of, and the record is offered again.
    assert _by_key(disposal.dry_run(office, TODAY))["access_requests"].would_dispose == 1
    again = disposal.propose(user=office, class_key="access_requests", on=TODAY)
    # While a batch waits, its records are not offered twice.
    assert _by_key(disposal.dry_run(office, TODAY))["access_requests"].would_dispose == 0
    disposal.cancel(again, user=office, version=again.version, reason="Proposed by mistake")
    assert again.state == DisposalState.cancelled


def test_disposal_removes_the_personal_content_files_and_audit_values_and_keeps_the_record(
    demo, office, officer, only_old_email
):
    m = only_old_email
    request = db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024"))
    before = {(e.id, e.action, e.actor_label, e.at) for e in _entries("outbox_messages", m.id)}
    assert any("jane.doe@example.test" in str(e.changes) for e in _entries("outbox_messages", m.id))
    batch = disposal.propose(user=office, class_key=None, on=TODAY)
    # (The demo's attendance registers of meetings over six years old are due too.)
    assert {(i.record_type, i.record_id) for i in disposal.items(batch) if i.record_type != "attendance"} == {
        ("outbox_message", m.id),
        ("access_request", request.id),
    }
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    db.session.expire_all()

    # The table: recipients, subject and body gone; the row and its id stay.
    m = db.session.get(OutboxMessage, m.id)
    assert m.to_addrs == [] and m.cc_addrs == []
    assert m.subject == m.body == "Disposed of on 3 December 2026"
    # The files: the attachment is deleted.
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxAttachment.outbox_message_id == m.id)) == 0
    request = db.session.get(AccessRequest, request.id)
    assert request.requester_name == "Disposed of on 3 December 2026"
    assert request.search_names == "" and request.reference.startswith("DSAR-2024-")
    # The audit entries: still there (who, when, what), without the personal values.
    entries = _entries("outbox_messages", m.id)
    assert before <= {(e.id, e.action, e.actor_label, e.at) for e in entries}
    assert entries[-1].action == "dispose"
    for e in entries:
        text = str(e.changes)
        assert "Jane Doe" not in text and "jane.doe@example.test" not in text and "john.roe" not in text
    assert entries[0].changes["subject"] == "(disposed of)" and entries[0].changes["kind"] == "test_letter"
    for e in _entries("access_requests", request.id):
        assert "Alison Croft" not in str(e.changes)
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(AuditEntry.changes.cast(sa.String).contains("Alison Croft"))
    )
    # The disposal records remain, with references, dates, the rule and both people.
    records = {
        r.record_type: r
        for r in db.session.scalars(sa.select(DisposalRecord).where(DisposalRecord.batch_id == batch.id))
    }
    email = records["outbox_message"]
    assert email.reference == f"Email {m.id} (test_letter)" and email.disposed_on == TODAY
    assert (email.trigger_on, email.due_on, email.period_years) == (date(2015, 6, 1), date(2025, 6, 1), 10)
    assert (email.trigger.value, email.final_action.value) == ("created", "dispose")
    assert (email.proposed_by_id, email.approved_by_id) == (office.id, officer.id)
    assert records["access_request"].reference == request.reference
    # Disposed of: never offered again.
    assert _by_key(disposal.dry_run(office, TODAY))["access_requests"].past == 1  # the held one
    assert _by_key(disposal.dry_run(office, TODAY))["outbox"].past == 0


def test_an_email_not_yet_sent_is_discarded_when_disposed_of(office, officer):
    _set(office, "outbox", period_years=10)
    m = _old_email(status=OutboxStatus.failed)
    batch = disposal.propose(user=office, class_key="outbox", on=TODAY)
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    assert m.status == OutboxStatus.discarded and m.next_attempt_at is None


def test_a_review_class_is_offered_and_the_approval_is_the_decision(office, officer, only_old_email):
    _set(office, "outbox", final_action="review")
    batch = disposal.propose(user=office, class_key="outbox", on=TODAY)
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    (item,) = disposal.items(batch)
    assert item.final_action.value == "review" and item.disposed_on == TODAY


def test_the_daily_job_counts_and_disposes_of_nothing(demo, office):
    assert "disposes of nothing" in get_job("retention_review").description
    before = db.session.scalar(sa.select(sa.func.count()).select_from(DisposalRecord))
    first = retention_review(TODAY)
    assert first["held"] == 1 and first["due"] == disposal.due_count(TODAY)
    assert retention_review(TODAY) == first  # again: the same counts, nothing changed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisposalRecord)) == before
    assert db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024")).requester_name == "Alison Croft"


def test_the_command_prints_what_is_due_by_class_and_never_disposes(app, demo):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "review", "--dry-run", "--as-of", "2026-12-03"])
    assert dry.exit_code == 0, dry.output
    assert "Subject access requests and disclosures: 1 record would be disposed of; 1 held" in dry.output
    assert "records would be disposed of; 1 held" in dry.output
    assert "The audit log: Not handled by the service yet" in dry.output
    plain = runner.invoke(args=["retention", "review", "--as-of", "2026-12-03"])
    assert "never from the command line" in plain.output
    assert db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024")).requester_name == "Alison Croft"
    bad = runner.invoke(args=["retention", "review", "--as-of", "yesterday"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_the_annual_report_states_the_schedule_in_force(demo):
    data = governance_section(2026, arm=None, area=None)
    figures = {f.key: f.value for f in data.figures}
    assert figures == {"classes_confirmed": 10, "holds": 2, "disposed": 2}
    (table,) = data.tables
    assert len(table.rows) == len(schedule.CLASSES)
    assert ["The email outbox", "2 years after: date of the record", "Dispose of", "Yes"] in table.rows
    assert ["The audit log", "7 years after: date of the record", "Review", "Not yet"] in table.rows
    assert governance_section(2025, arm=None, area=None).figures[2].value == 0


def test_a_closed_dispute_keeps_its_reference_parties_and_dates_and_loses_its_text(demo, office, officer):
    d = db.session.scalars(sa.select(Dispute).where(Dispute.state == DisputeState.resolved)).first()
    subject, summary, closed_on, reference = d.subject, d.summary, d.closed_on, d.reference
    later = sources.due_date(closed_on, 6)  # the demo's dispute closed in 2026: due six years on
    assert _by_key(disposal.dry_run(office, TODAY))["disputes"].past == 0
    batch = disposal.propose(user=office, class_key="disputes", on=later)
    assert [i.reference for i in disposal.items(batch)] == [reference]
    disposal.approve(batch, user=officer, version=batch.version, on=later)
    db.session.expire_all()
    d = db.session.get(Dispute, d.id)
    assert d.subject == d.summary == f"Disposed of on {long_date(later)}"
    assert d.outcome is None and d.resolution is None and d.agenda is None
    assert (d.reference, d.closed_on, d.state) == (reference, closed_on, DisputeState.resolved)
    for e in _entries("disputes", d.id):
        assert subject not in str(e.changes) and summary not in str(e.changes)


def test_a_disposed_request_loses_its_findings_reasons_and_its_disclosure_bundle(demo, office, officer):
    """What was found for a request is part of it: the office's reasons and redactions are
    emptied and the bundle (the person's records in a ZIP) deleted; its sha256 stays."""
    from safeguarding.models import DisclosureItem, StoredFile
    from safeguarding.services import storage

    request = db.session.get(AccessRequest, demo.id("disposal_requests", "due_2024"))
    stored = storage.store_bytes(
        b"PK zip",
        extension="zip",
        content_type="application/zip",
        purpose="disclosure_bundle",
        name="b.zip",
        by_id=None,
    )
    item = DisclosureItem(
        access_request_id=request.id,
        record_type="email",
        record_id=1,
        title="Email 1",
        found_by="recipient",
        reason="Names Alison Croft's neighbour",
        redactions="Neighbour Name",
    )
    db.session.add(item)
    request.bundle_file_id, request.bundle_sha256 = stored.id, stored.sha256
    db.session.flush()
    batch = disposal.propose(user=office, class_key="access_requests", on=TODAY)
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    db.session.expire_all()
    item = db.session.get(DisclosureItem, item.id)
    assert item.reason == "" and item.redactions is None
    request = db.session.get(AccessRequest, request.id)
    assert request.bundle_file_id is None and request.bundle_sha256 == stored.sha256
    assert db.session.get(StoredFile, stored.id) is None
