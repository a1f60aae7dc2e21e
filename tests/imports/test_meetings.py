"""Importing meetings with their attendance registers (issue 21): meetings match by group
and date, register lines by the member's email; a past meeting with its register is
brought through the meeting's lifecycle on its real dates (quorate → closed, not →
inquorate), with nothing emailed; the register's rules are reported, not forced."""

from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Attendance, AttendanceStatus, Meeting, MeetingState, OutboxMessage, WorkflowHistory
from safeguarding.services import imports
from tests.imports.helpers import count, csv_bytes, xlsx_bytes

HEAD = ["Group", "Meeting date", "Starts at", "Ends at", "Location", "Member email", "Attendance", "Deputy email"]
EXEC = "Partnership Executive"


def register_rows(day="13/01/2021", police="present"):
    return [
        HEAD,
        [EXEC, day, "14:00", "15:30", "Town Hall", "chair@people.demo.test", "present", ""],
        [EXEC, day, "", "", "", "north.dass@people.demo.test", "present", ""],
        [EXEC, day, "", "", "", "west.dass@people.demo.test", "apologies", ""],
        [EXEC, day, "", "", "", "police.lead@people.demo.test", police, ""],
        [EXEC, day, "", "", "", "icb.lead@people.demo.test", "deputy_present", ""],
    ]


def _meeting(d: date) -> Meeting | None:
    return db.session.scalar(sa.select(Meeting).where(Meeting.meeting_date == d, Meeting.group.has(name=EXEC)))


def test_a_past_meeting_and_its_register_from_xlsx(demo):
    office = demo.user("office")
    meetings, rows, emails = count(Meeting), count(Attendance), count(OutboxMessage)
    run = imports.check(imports.get_kind("meetings"), "register.xlsx", xlsx_bytes(register_rows()), office)
    assert run.status == "checked", run.problems
    assert run.created == 5 and (count(Meeting), count(Attendance)) == (meetings, rows)
    imports.commit(run, run.sha256, office)
    m = _meeting(date(2021, 1, 13))
    assert m.state == MeetingState.closed and m.starts_at == time(14, 0) and m.location == "Town Hall"
    statuses = {
        a.membership.person.email: a.status
        for a in db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == m.id))
    }
    assert statuses["west.dass@people.demo.test"] == AttendanceStatus.apologies
    assert statuses["icb.lead@people.demo.test"] == AttendanceStatus.deputy_present  # their named deputy
    assert statuses["office@people.demo.test"] == AttendanceStatus.absent  # not in the sheet: absent when it closed
    history = db.session.scalars(
        sa.select(WorkflowHistory).where(WorkflowHistory.lifecycle == "meeting", WorkflowHistory.entity_id == m.id)
    ).all()
    assert [h.trigger for h in history] == ["publish_papers", "open", "close"]
    assert m.papers_published_on == m.papers_due_on  # on their real date
    assert count(OutboxMessage) == emails  # nothing emailed about a meeting of the past
    again = imports.check(imports.get_kind("meetings"), "register.csv", csv_bytes(register_rows()), office)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5), again.problems


def test_an_inquorate_meeting_is_recorded_as_inquorate(demo):
    office = demo.user("office")
    run = imports.check(imports.get_kind("meetings"), "r.csv", csv_bytes(register_rows("10/03/2021", "absent")), office)
    imports.commit(run, run.sha256, office)
    assert _meeting(date(2021, 3, 10)).state == MeetingState.inquorate


def test_register_rules_are_reported_by_row_and_column(demo):
    office = demo.user("office")
    rows = [
        HEAD,
        [EXEC, "13/01/2021", "", "", "", "nobody@nowhere.example", "present", ""],
        [EXEC, "13/01/2021", "", "", "", "north.dass@people.demo.test", "present", "north.deputy@people.demo.test"],
        [EXEC, "13/01/2021", "", "", "", "west.dass@people.demo.test", "", ""],
        [EXEC, "14/01/2021", "16:00", "15:00", "", "", "", ""],
        ["Imaginary group", "13/01/2021", "", "", "", "", "", ""],
        [EXEC, "13/01/2030", "", "", "", "police.lead@people.demo.test", "present", ""],
        [EXEC, "13/01/2021", "ten", "", "", "", "", ""],
    ]
    run = imports.check(imports.get_kind("meetings"), "r.csv", csv_bytes(rows), office)
    by_row = {p["row"]: p for p in run.problems}
    assert by_row[2]["column"] == "Member email" and "not a member" in by_row[2]["message"]
    assert by_row[3]["column"] == "Deputy email"
    assert by_row[4]["column"] == "Attendance"
    assert by_row[5]["column"] == "Ends at" and "must end after it starts" in by_row[5]["message"]
    assert by_row[6]["column"] == "Group"
    assert by_row[7]["column"] == "Attendance" and "only apologies" in by_row[7]["message"]
    assert by_row[8]["column"] == "Starts at" and "time of day" in by_row[8]["message"]
    assert _meeting(date(2021, 1, 13)) is None
