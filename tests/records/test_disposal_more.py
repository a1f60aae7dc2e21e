"""Disposal of the record classes added after the first three (issue 25): complaints in
the class "Disputes and complaints" (a class with more than one kind of record), the
people who left with their user accounts ("User accounts of people who left"), and the
attendance registers' rows and escalation letters. Each is
offered when due and not a day before, never when its class is unconfirmed or a hold
covers it, only with a second office user's approval; after disposal its personal content
is gone from its table and its audit entries, and the disposal record remains."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from safeguarding.extensions import db
from safeguarding.models import (
    ApiToken,
    Attendance,
    AuditEntry,
    Complaint,
    ComplaintKind,
    ComplaintState,
    DisposalRecord,
    Escalation,
    EscalationState,
    EscalationTrigger,
    LoginSession,
    Meeting,
    Membership,
    Person,
    ResponseMethod,
    SearchEntry,
    User,
    WorkflowHistory,
)
from safeguarding.models.meetings import HELD_STATES
from safeguarding.services import accounts, partnership
from safeguarding.services import complaints as complaints_svc
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.services.records import disposal, schedule, sources
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
    steps_before = [(h.trigger, h.occurred_on, h.at) for h in complaint_lifecycle.history(c.id)]
    assert "Upheld" in str([h.data for h in complaint_lifecycle.history(c.id)])
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
    # Its workflow steps stay (what, when, who); the words given with them go.
    steps = complaint_lifecycle.history(c.id)
    assert [(h.trigger, h.occurred_on, h.at) for h in steps] == steps_before
    assert "Upheld" not in str([(h.data, h.comment) for h in steps])
    respond = next(h for h in steps if h.trigger == "respond")
    assert respond.data["outcome"] == "(disposed of)" and respond.data["responded_on"] == "2020-06-01"
    # The database allows only that: another column of those steps, or a step of a record
    # not disposed of, is still refused.
    for statement, step_id in (
        ("UPDATE workflow_history SET trigger = 'tampered' WHERE id = :id", respond.id),
        ("UPDATE workflow_history SET at = CURRENT_TIMESTAMP WHERE id = :id", respond.id),
        ("DELETE FROM workflow_history WHERE id = :id", respond.id),
        (
            "UPDATE workflow_history SET comment = 'x' WHERE id = :id",
            db.session.scalars(sa.select(WorkflowHistory.id).where(WorkflowHistory.lifecycle == "dispute")).first(),
        ),
    ):
        savepoint = db.session.begin_nested()
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(sa.text(statement), {"id": step_id})
        savepoint.rollback()
    # Disposed of: never offered again.
    assert _by_key(disposal.dry_run(office, TODAY))["disputes"].past == 0


# --- people who left and their user accounts -----------------------------------------------------

LEFT = date(2025, 12, 3)  # a year on: due today


def _leave(demo, key="west", on=LEFT, *, account=True):
    """The person leaves on `on` (their seats end that day) and, with `account`, their
    user account is deactivated."""
    user = demo.user(key)
    partnership.deactivate_person(user.person, version=user.person.version, on=on)
    if account:
        accounts.deactivate_user(user, demo.user("admin"))
    return user.person


def _search_text(person_id):
    rows = db.session.execute(
        sa.select(SearchEntry.title, SearchEntry.body, SearchEntry.public_text).where(
            SearchEntry.record_type == "person", SearchEntry.record_id == person_id
        )
    ).all()
    return " ".join(" ".join(r) for r in rows)


@pytest.fixture
def accounts_confirmed(office):
    return _set(office, "user_accounts", confirmed=True)


def test_a_person_who_left_is_due_a_year_after_their_last_seat_ended(demo, office, accounts_confirmed):
    person = _leave(demo)
    seats = db.session.scalars(sa.select(Membership).where(Membership.person_id == person.id)).all()
    assert seats and all(m.end_date is not None and m.end_date <= LEFT for m in seats)

    def past(on):
        return _by_key(disposal.dry_run(office, on))["user_accounts"].past

    assert past(date(2026, 12, 2)) == 0
    assert past(TODAY) == 1
    batch = disposal.propose(user=office, class_key="user_accounts", on=TODAY)
    (item,) = disposal.items(batch)
    assert (item.record_type, item.record_table, item.record_id) == ("person", "people", person.id)
    assert item.reference == f"Person {person.id}"  # never a name
    assert (item.trigger_on, item.due_on, item.period_years, item.trigger.value) == (
        max(m.end_date for m in seats),
        date(2026, 12, 3),
        1,
        "person_left",
    )


def test_someone_still_serving_or_able_to_sign_in_is_never_offered(demo, office, officer, accounts_confirmed):
    far = date(2040, 1, 1)

    def offered(on=far):
        return _by_key(disposal.dry_run(office, on))["user_accounts"].would_dispose

    # Deactivated, seats ended, but the account can still sign in: not offered.
    west = _leave(demo, "west", account=False)
    assert offered() == 0
    # The account deactivated, the person still active with their seats: not offered.
    north = demo.user("north")
    accounts.deactivate_user(north, demo.user("admin"))
    assert offered() == 0
    # A deactivated person who still holds a seat without an end date: not offered.
    accounts.deactivate_user(demo.user("west"), demo.user("admin"))
    assert offered() == 1
    seat = Membership(
        group_id=demo.group("board").id, person_id=west.id, organisation_id=west.organisation_id, start_date=LEFT
    )
    db.session.add(seat)
    db.session.flush()
    assert offered() == 0
    seat.end_date = LEFT
    db.session.flush()
    assert offered() == 1
    # As a deputy on a seat still held: not offered either.
    other = db.session.scalars(sa.select(Membership).where(Membership.end_date.is_(None))).first()
    other.deputy_person_id = west.id
    db.session.flush()
    assert offered() == 0
    other.deputy_person_id = None
    db.session.flush()
    # A person who never held a seat has no date of leaving: never offered.
    loner = partnership.create_person(name="Pat Nobody", email="pat@example.test")
    partnership.deactivate_person(loner, version=loner.version, on=LEFT)
    assert offered() == 1
    # Given an account again between the proposal and the approval: left alone.
    batch = disposal.propose(user=office, class_key="user_accounts", on=TODAY)
    accounts.reactivate_user(demo.user("west"))
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    (item,) = disposal.items(batch)
    assert item.disposed_on is None and item.not_disposed_reason.startswith("It is no longer closed")
    assert db.session.get(Person, west.id).name == "Mark Holloway"


def test_people_are_offered_only_when_the_class_is_confirmed_and_no_hold_covers_them(demo, office, officer):
    person = _leave(demo)
    run = _by_key(disposal.dry_run(office, TODAY))["user_accounts"]
    # The demo leaves the class unconfirmed.
    assert (run.past, run.would_dispose, run.status) == (1, 0, "Not confirmed: nothing is offered")
    with pytest.raises(ValidationFailed) as refused:
        disposal.propose(user=office, class_key="user_accounts", on=TODAY)
    assert "Not confirmed" in refused.value.errors["class_key"]
    _set(office, "user_accounts", confirmed=True)
    schedule.place_hold(user=office, scope="record", record_type="person", record_id=person.id, reason="Tribunal")
    run = _by_key(disposal.dry_run(office, TODAY))["user_accounts"]
    assert (run.past, run.held, run.would_dispose) == (1, 1, 0)
    with pytest.raises(ValidationFailed) as nothing:
        disposal.propose(user=office, class_key="user_accounts", on=TODAY)
    assert "nothing to propose" in nothing.value.errors["class_key"]


def test_disposing_of_a_person_removes_their_details_and_shuts_their_accounts_for_good(
    demo, office, officer, accounts_confirmed
):
    user = demo.user("west")
    person = user.person
    person.phone = "07700 900789"
    accounts.rotate_calendar_token(user)
    accounts.start_session(user, timedelta(hours=1))
    accounts.issue_token(user, timedelta(days=1))
    db.session.flush()
    _leave(demo)
    seats = {
        (m.id, m.group_id, m.start_date, m.end_date)
        for m in db.session.scalars(sa.select(Membership).where(Membership.person_id == person.id))
    }
    assert any("Mark Holloway" in str(e.changes) for e in _entries("people", person.id))
    assert "Holloway" in _search_text(person.id)
    assert any("west@demo.test" in str(e.changes) for e in _entries("users", user.id))
    batch = disposal.propose(user=office, class_key="user_accounts", on=TODAY)
    with pytest.raises(Forbidden, match="another member of the business office must approve it"):
        disposal.approve(batch, user=office, version=batch.version, on=TODAY)
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    db.session.expire_all()

    person = db.session.get(Person, person.id)
    assert person.name == "Disposed of on 3 December 2026"
    assert (person.job_title, person.email, person.phone, person.active) == (None, None, None, False)
    assert person.organisation_id == demo.org("west").id
    user = db.session.get(User, user.id)
    assert (user.email, user.password_hash, user.calendar_token, user.active) == (
        f"disposed-{user.id}@invalid",
        "",
        None,
        False,
    )
    assert user.person_id == person.id and user.roles  # the ids and roles stay
    assert accounts.authenticate(f"disposed-{user.id}@invalid", "") is None
    assert accounts.authenticate("west@demo.test", "demo-password-2026") is None
    for model in (LoginSession, ApiToken):
        assert not db.session.scalar(sa.select(sa.func.count()).where(model.user_id == user.id))
    # The seats and their dates stay (the records need them).
    assert seats == {
        (m.id, m.group_id, m.start_date, m.end_date)
        for m in db.session.scalars(sa.select(Membership).where(Membership.person_id == person.id))
    }
    # The audit entries of the person and the account keep who and when, not the values.
    people_entries, user_entries = _entries("people", person.id), _entries("users", user.id)
    assert people_entries[-1].action == "dispose"
    for e in [*people_entries, *user_entries]:
        assert "Holloway" not in str(e.changes) and "west@demo.test" not in str(e.changes)
        assert "07700" not in str(e.changes)
    assert people_entries[0].changes["name"] == "(disposed of)"
    # Search finds the person no more by name.
    assert "Holloway" not in _search_text(person.id)
    record = db.session.scalars(
        sa.select(DisposalRecord).where(DisposalRecord.record_table == "people", DisposalRecord.record_id == person.id)
    ).one()
    assert (record.class_key, record.disposed_on, record.approved_by_id) == ("user_accounts", TODAY, officer.id)
    # The account has a disposal record of its own, in the same batch, with the person's dates.
    account = db.session.scalars(
        sa.select(DisposalRecord).where(DisposalRecord.record_table == "users", DisposalRecord.record_id == user.id)
    ).one()
    assert (account.batch_id, account.record_type, account.reference) == (
        batch.id,
        "user_account",
        f"User account {user.id}",
    )
    assert (account.trigger_on, account.due_on, account.disposed_on) == (record.trigger_on, record.due_on, TODAY)
    assert _by_key(disposal.dry_run(office, TODAY))["user_accounts"].past == 0


# --- attendance registers and escalation letters -----------------------------------------------


def _old_meeting():
    """The latest meeting held six years or more before today (the demo's history goes back
    further), and its register."""
    meeting = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.state.in_(HELD_STATES), Meeting.meeting_date <= date(2020, 12, 3))
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
        .limit(1)
    ).one()
    rows = db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert rows
    return meeting, rows


def _old_escalation(meeting, closed=date(2020, 6, 1)):
    e = Escalation(
        organisation_id=_any_org_id(),
        group_id=meeting.group_id,
        episode_start_meeting_id=meeting.id,
        detected_on=date(2020, 3, 2),
        trigger_reason=EscalationTrigger.consecutive,
        missed_meetings=[{"meeting_id": meeting.id, "date": meeting.meeting_date.isoformat()}],
        state=EscalationState.resolved,
        letter_text="Dear Ms Gwen Pryce, your deputy Tom Allsop has missed three meetings",
        sent_on=date(2020, 3, 9),
        sent_pdf=b"%PDF letter to Gwen Pryce",
        sent_docx=b"PK letter to Gwen Pryce",
        response_received_on=date(2020, 4, 1),
        response_summary="Gwen Pryce replied that Tom Allsop was on long-term sick leave",
        closed_on=closed,
    )
    db.session.add(e)
    db.session.flush()
    return e


def _any_org_id():
    return db.session.scalars(
        sa.select(Membership.organisation_id).where(Membership.organisation_id.is_not(None))
    ).first()


def test_a_register_row_is_due_six_years_after_its_meeting_and_not_a_day_before(office):
    meeting, rows = _old_meeting()
    due = sources.due_date(meeting.meeting_date, 6)

    def proposed(on):
        batch = disposal.propose(user=office, class_key="attendance", on=on)
        ids = {i.record_id for i in _items(batch, "attendance")}
        disposal.cancel(batch, user=office, version=batch.version, reason="Only looking")
        return ids

    assert not {r.id for r in rows} & proposed(due - timedelta(days=1))
    assert {r.id for r in rows} <= proposed(due)
    batch = disposal.propose(user=office, class_key="attendance", on=due)
    item = next(i for i in disposal.items(batch) if i.record_id == rows[0].id)
    assert (item.record_table, item.trigger_on, item.due_on, item.trigger.value) == (
        "attendance",
        meeting.meeting_date,
        due,
        "meeting",
    )
    assert item.reference == f"Attendance {rows[0].id} (meeting {meeting.id})"


def test_a_hold_on_the_meeting_covers_its_register_and_an_unconfirmed_class_offers_nothing(office, officer):
    meeting, rows = _old_meeting()
    batch = disposal.propose(user=office, class_key="attendance", on=TODAY)
    assert {r.id for r in rows} <= {i.record_id for i in disposal.items(batch)}
    schedule.place_hold(user=office, scope="record", record_type="meeting", record_id=meeting.id, reason="Inquiry")
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    left = {i.record_id: i for i in disposal.items(batch) if i.disposed_on is None}
    assert set(left) == {r.id for r in rows}
    assert {i.not_disposed_reason for i in left.values()} == {"A hold covers it"}
    run = _by_key(disposal.dry_run(office, TODAY))["attendance"]
    assert run.past == run.held == len(rows)
    # The class unconfirmed: nothing offered.
    _set(office, "attendance", confirmed=False)
    assert _by_key(disposal.dry_run(office, TODAY))["attendance"].would_dispose == 0
    with pytest.raises(ValidationFailed) as refused:
        disposal.propose(user=office, class_key="attendance", on=TODAY)
    assert "Not confirmed" in refused.value.errors["class_key"]


def test_an_open_escalation_is_never_due_and_a_closed_one_six_years_after_it_closed(office):
    meeting, _ = _old_meeting()
    e = _old_escalation(meeting)

    def escalations(on):
        batch = disposal.propose(user=office, class_key="attendance", on=on)
        found = [i for i in _items(batch, "escalation")]
        disposal.cancel(batch, user=office, version=batch.version, reason="Only looking")
        return found

    assert escalations(date(2026, 5, 31)) == []
    (item,) = escalations(date(2026, 6, 1))
    assert (item.record_id, item.reference, item.trigger_on) == (e.id, e.reference, date(2020, 6, 1))
    e.state = EscalationState.response_received
    db.session.flush()
    assert escalations(TODAY) == []
    # A hold on the escalation itself.
    e.state = EscalationState.resolved
    db.session.flush()
    schedule.place_hold(user=office, scope="record", record_type="escalation", record_id=e.id, reason="Complaint")
    assert escalations(TODAY) == []


def test_disposal_empties_the_register_notes_and_the_letters_and_keeps_who_and_when(office, officer, client_as):
    meeting, rows = _old_meeting()
    row = rows[0]
    row.note = "Apologies: Gwen Pryce is caring for her mother after a fall"
    db.session.flush()
    e = _old_escalation(meeting)
    kept = (row.membership_id, row.status, row.deputy_person_id, row.meeting_id)
    assert any("Gwen Pryce" in str(x.changes) for x in _entries("attendance", row.id))
    batch = disposal.propose(user=office, class_key="attendance", on=TODAY)
    with pytest.raises(Forbidden, match="another member of the business office must approve it"):
        disposal.approve(batch, user=office, version=batch.version, on=TODAY)
    disposal.approve(batch, user=officer, version=batch.version, on=TODAY)
    db.session.expire_all()

    row = db.session.get(Attendance, row.id)
    assert row.note is None and (row.membership_id, row.status, row.deputy_person_id, row.meeting_id) == kept
    e = db.session.get(Escalation, e.id)
    assert e.letter_text == "Disposed of on 3 December 2026"
    assert (e.sent_pdf, e.sent_docx, e.response_summary) == (None, None, None)
    assert (e.state, e.sent_on, e.closed_on, e.group_id, e.missed_meetings[0]["meeting_id"]) == (
        EscalationState.resolved,
        date(2020, 3, 9),
        date(2020, 6, 1),
        meeting.group_id,
        meeting.id,
    )
    for x in [*_entries("attendance", row.id), *_entries("escalations", e.id)]:
        assert "Gwen" not in str(x.changes) and "Allsop" not in str(x.changes)
    assert _entries("escalations", e.id)[0].changes["sent_pdf"] == "(disposed of)"
    records = {
        (r.record_type, r.record_id)
        for r in db.session.scalars(sa.select(DisposalRecord).where(DisposalRecord.disposed_on == TODAY))
    }
    assert {("attendance", row.id), ("escalation", e.id)} <= records
    assert _by_key(disposal.dry_run(office, TODAY))["attendance"].past == 0
    # The letter is gone: never rendered again (its preview, PDF and Word), with a reason.
    c = client_as("office")
    assert c.get(f"/attendance/escalations/{e.id}").status_code == 200
    for suffix in ("", ".pdf", ".docx"):
        gone = c.get(f"/attendance/escalations/{e.id}/letter{suffix}")
        assert gone.status_code == 410, suffix
    assert "was disposed of on 3 December 2026" in c.get(f"/attendance/escalations/{e.id}/letter").text
