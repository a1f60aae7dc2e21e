"""The scan: each threshold (2 in a row → a reminder; 3 in a row → an escalation; fewer
than 50 % of at least 4 held in 12 months → an escalation), what counts as represented,
idempotency (re-runs, the job twice for a day), and the rules that move a sent letter on
(no response by the date; improvement or not at the next 2 meetings)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from safeguarding import jobs
from safeguarding.extensions import db
from safeguarding.models import (
    AgendaRequest,
    AttendanceReminder,
    Escalation,
    EscalationState,
    EscalationTrigger,
    OutboxMessage,
)
from safeguarding.services import attendance as svc
from safeguarding.workflows.attendance import escalation_lifecycle as lifecycle


def escalations(s) -> list[Escalation]:
    return list(db.session.scalars(sa.select(Escalation).where(Escalation.group_id == s.group.id)))


def reminders(s) -> list[AttendanceReminder]:
    return list(db.session.scalars(sa.select(AttendanceReminder).where(AttendanceReminder.group_id == s.group.id)))


def emails(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_one_meeting_missed_does_nothing(setup):
    setup.series("present", "absent")
    svc.scan(setup.last)
    assert reminders(setup) == [] and escalations(setup) == []


def test_two_in_a_row_send_a_reminder_to_the_member_and_deputy(setup):
    setup.series("present", "absent", "apologies")
    before = len(emails("attendance_reminder"))
    result = svc.scan(setup.last)
    assert result.reminders == 1 and result.escalations == 0
    (r,) = reminders(setup)
    assert r.organisation_id == setup.a.id and r.missed_count == 2
    assert r.episode_start_meeting_id == setup.meetings[1].id
    assert escalations(setup) == []
    (message,) = emails("attendance_reminder")[before:]
    assert message.to_addrs == ["member.a@a.example"] and message.cc_addrs == ["deputy.a@a.example"]
    assert "Organisation A" in message.body and "15 September 2026" in message.body
    assert "Alex" not in message.subject


def test_three_in_a_row_escalate_and_draft_the_letter(setup):
    setup.series("present", "absent", "apologies", "absent")
    result = svc.scan(setup.last)
    assert result.escalations == 1
    (e,) = escalations(setup)
    assert e.organisation_id == setup.a.id
    assert e.trigger_reason == EscalationTrigger.consecutive
    assert e.state == EscalationState.letter_drafted and e.letter_text and e.drafted_on == setup.last
    assert e.missed_dates == [m.meeting_date for m in setup.meetings[1:]]
    assert e.episode_start_meeting_id == setup.meetings[1].id
    assert [h.trigger for h in lifecycle.history(e.id)] == ["draft_letter"]


def test_a_deputy_present_counts_as_represented(setup):
    setup.series("deputy", "deputy", "deputy", "absent")  # represented at 3 of 4
    svc.scan(setup.last)
    assert reminders(setup) == [] and escalations(setup) == []


def test_apologies_without_a_deputy_are_not_represented(setup):
    setup.series("apologies", "apologies", "apologies")
    svc.scan(setup.last)
    (e,) = escalations(setup)
    assert e.trigger_reason == EscalationTrigger.consecutive


def test_represented_at_fewer_than_half_of_4_held_escalates(setup):
    setup.series("absent", "present", "absent", "absent")  # 1 of 4, and only 2 in a row
    svc.scan(setup.last)
    (e,) = escalations(setup)
    assert e.trigger_reason == EscalationTrigger.low_rate
    assert e.represented_percent == 25 and e.held_in_window == 4
    assert e.missed_dates == [setup.meetings[i].meeting_date for i in (0, 2, 3)]


def test_exactly_half_does_not_escalate(setup):
    setup.series("present", "absent", "present", "absent")
    svc.scan(setup.last)
    assert escalations(setup) == []


def test_three_held_are_not_enough_for_the_percentage(setup):
    setup.series("absent", "present", "absent")  # 1 of 3 held: under half, but fewer than 4 held
    svc.scan(setup.last)
    assert escalations(setup) == []


def test_meetings_older_than_12_months_do_not_count_for_the_percentage(setup):
    setup.hold(date(2025, 6, 3), a="absent")
    setup.hold(date(2025, 7, 1), a="absent")
    setup.hold(date(2025, 8, 5), a="present")
    for on, status in (
        (date(2026, 9, 1), "present"),
        (date(2026, 9, 15), "absent"),
        (date(2026, 9, 29), "present"),
        (date(2026, 10, 13), "absent"),
    ):
        setup.hold(on, a=status)
    svc.scan(setup.last)  # in the 12 months: 2 of 4 — exactly half (with the older ones: 3 of 7)
    assert escalations(setup) == []


def test_a_policy_changes_the_thresholds(setup):
    svc.update_policy(setup.group.id, version=None, values={"escalate_after": 2, "reminder_after": 1})
    setup.series("present", "absent", "absent")
    svc.scan(setup.last)
    (e,) = escalations(setup)
    assert e.trigger_reason == EscalationTrigger.consecutive
    assert len(reminders(setup)) == 1


def test_meetings_not_held_are_ignored(setup):
    from safeguarding.models import MeetingState

    setup.series("present", "absent", "absent")
    setup.meetings[-1].state = MeetingState.cancelled
    setup.hold(a="absent").state = MeetingState.scheduled
    db.session.flush()
    svc.scan(setup.last)
    assert escalations(setup) == [] and reminders(setup) == []


def test_running_again_changes_nothing(setup):
    setup.series("absent", "absent", "absent", "absent")
    before = len(emails("attendance_reminder"))
    svc.scan(setup.last)
    again = svc.scan(setup.last)
    later = svc.scan(setup.last + timedelta(days=5))
    assert (
        again.as_dict() == later.as_dict() == {"reminders": 0, "escalations": 0, "resolved": 0, "escalated_to_board": 0}
    )
    assert len(escalations(setup)) == 1 and len(reminders(setup)) == 1
    assert len(emails("attendance_reminder")) == before + 1


def test_the_episode_is_escalated_once_even_when_it_grows_or_is_withdrawn(setup, demo):
    setup.series("absent", "absent", "absent")
    svc.scan(setup.last)
    (e,) = escalations(setup)
    lifecycle.fire(e, "withdraw", user=demo.user("office"), version=e.version, comment="Seat being replaced")
    setup.hold(a="absent")
    svc.scan(setup.last)
    assert escalations(setup) == [e]


def test_the_unique_constraint_holds_the_episode_against_a_second_runner(setup):
    setup.series("absent", "absent", "absent")
    svc.scan(setup.last)
    (e,) = escalations(setup)
    twin = Escalation(
        group_id=e.group_id,
        organisation_id=e.organisation_id,
        episode_start_meeting_id=e.episode_start_meeting_id,
        detected_on=e.detected_on,
        trigger_reason=e.trigger_reason,
        missed_meetings=[],
    )
    assert svc._insert_once(twin) is False
    assert escalations(setup) == [e]


def test_the_job_twice_for_the_same_day_gives_one_escalation_and_one_email(setup):
    setup.series("absent", "absent", "absent")
    before = len(emails("attendance_reminder"))
    first = jobs.run_job("attendance_scan", setup.last)
    second = jobs.run_job("attendance_scan", setup.last)
    assert first.counts["escalations"] >= 1 and second.ran_here is False
    assert len(escalations(setup)) == 1
    assert len(emails("attendance_reminder")) == before + 1


def test_a_new_episode_after_representation_is_a_new_escalation(setup):
    setup.series("absent", "absent", "absent")
    svc.scan(setup.last)
    (first,) = escalations(setup)
    first.state = EscalationState.resolved  # closed
    db.session.flush()
    setup.series("present", "absent", "absent", "absent")
    svc.scan(setup.last)
    assert len(escalations(setup)) == 2


# --- after the letter -------------------------------------------------------------------------

SENT = date(2026, 10, 20)


@pytest.fixture
def sent(setup, demo) -> Escalation:
    setup.series("absent", "absent", "absent")  # 1, 15, 29 September 2026
    svc.scan(setup.last)
    (e,) = escalations(setup)
    lifecycle.fire(e, "approve", user=demo.user("chair"), version=e.version, as_of=SENT)
    lifecycle.fire(e, "send", user=demo.user("office"), version=e.version, as_of=SENT)
    assert e.response_due_on == SENT + timedelta(days=28)
    return e


def test_no_response_by_the_date_goes_to_the_board(sent, setup):
    svc.scan(sent.response_due_on)
    assert sent.state == EscalationState.sent
    result = svc.scan(sent.response_due_on + timedelta(days=1))
    assert result.escalated_to_board >= 1
    assert sent.state == EscalationState.escalated_to_board
    assert "No response was received by 17 November 2026" in sent.escalation_reason
    request = db.session.scalar(
        sa.select(AgendaRequest).where(AgendaRequest.subject_type == "escalation", AgendaRequest.subject_id == sent.id)
    )
    assert request is not None and sent.reference in request.title


def _respond(e, demo, on=date(2026, 11, 2)):
    lifecycle.fire(
        e,
        "record_response",
        user=demo.user("office"),
        version=e.version,
        as_of=on,
        params={"response_received_on": on, "response_summary": "A new member is appointed."},
    )


def test_represented_at_the_next_2_meetings_resolves_it(sent, setup, demo):
    _respond(sent, demo)
    setup.hold(date(2026, 11, 3), a="present")
    svc.scan(date(2026, 11, 4))
    assert sent.state == EscalationState.response_received  # one of the two so far
    setup.hold(date(2026, 11, 17), a="deputy")
    svc.scan(date(2026, 11, 18))
    assert sent.state == EscalationState.resolved and sent.closed_on == date(2026, 11, 18)


def test_missing_one_of_the_next_2_meetings_goes_to_the_board(sent, setup, demo):
    _respond(sent, demo)
    setup.hold(date(2026, 11, 3), a="present")
    setup.hold(date(2026, 11, 17), a="apologies")
    svc.scan(date(2026, 11, 18))
    assert sent.state == EscalationState.escalated_to_board
    assert "17 November 2026" in sent.escalation_reason
    assert db.session.scalar(
        sa.select(AgendaRequest).where(AgendaRequest.subject_type == "escalation", AgendaRequest.subject_id == sent.id)
    )


def test_a_response_stops_the_response_date_rule(sent, setup, demo):
    _respond(sent, demo)
    svc.scan(sent.response_due_on + timedelta(days=3))
    assert sent.state == EscalationState.response_received
