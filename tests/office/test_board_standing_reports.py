"""Each ordinary Board meeting gets the attendance report and the top risks as standing
items, automatically and once (issue 17); sub-groups and extraordinary meetings do not;
the forward plan's "top risks" business links to the standing item rather than adding a
second."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from safeguarding.services import agenda_pack, forward_plan, risks
from safeguarding.services import meetings as svc
from tests.support.meetings import schedule


def _subjects(meeting):
    return [(i.subject_type, i.subject_id) for i in svc.agenda_of(meeting) if i.subject_type]


def test_a_newly_scheduled_board_meeting_gets_both_reports_once(demo):
    meeting = schedule(demo, on=date(2027, 6, 15))
    subjects = _subjects(meeting)
    assert subjects.count(("attendance_report", meeting.id)) == 1
    assert subjects.count(("top_risks", meeting.id)) == 1
    titles = [i.title for i in svc.agenda_of(meeting)]
    assert svc.ATTENDANCE_REPORT_TITLE in titles and svc.TOP_RISKS_TITLE in titles
    # Adding it again gives the same item: not twice.
    again = svc.add_agenda_item(meeting, title=svc.TOP_RISKS_TITLE, subject_type=svc.TOP_RISKS, subject_id=meeting.id)
    assert _subjects(meeting).count(("top_risks", meeting.id)) == 1
    assert again.subject_id == meeting.id


def test_sub_groups_and_extraordinary_meetings_do_not_get_them(demo):
    sub = schedule(demo, group="sar", on=date(2027, 6, 16))
    extra = schedule(demo, on=date(2027, 6, 22), kind="extraordinary", purpose="A single matter")
    for meeting in (sub, extra):
        assert not [s for s, _ in _subjects(meeting) if s in ("attendance_report", "top_risks")]


def test_the_forward_plans_top_risks_link_to_the_standing_item(demo):
    meeting = schedule(demo, on=date(2027, 6, 15))
    items = forward_plan.build_year(2027, user=demo.user("office"))
    (june,) = [i for i in items if i.title == forward_plan.plan.TOP_RISKS and i.month == 6]
    assert june.meeting_id == meeting.id
    titles = [i.title for i in svc.agenda_of(meeting)]
    assert titles.count(svc.TOP_RISKS_TITLE) == 1


def test_the_meeting_page_links_to_the_reports(demo, client_as):
    meeting = schedule(demo, on=date(2027, 6, 15))
    page = client_as("office").get(f"/meetings/{meeting.id}").text
    assert f'href="/attendance/report?group={meeting.group_id}"' in page
    assert 'href="/risks"' in page


def test_the_pack_attaches_both_reports_with_bookmarks(demo):
    meeting = schedule(demo, on=date(2027, 6, 15))
    data = agenda_pack.agenda_pack(meeting, demo.user("office"), "full")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    top = risks.board_top_risks(5)
    assert len(top) == 5 and top[0].residual_score >= top[-1].residual_score
    for r in top:
        assert r.reference in text
    assert "Attendance report" in text and "County Police" in text
    marks = [o.title for o in reader.outline if not isinstance(o, list)]
    numbers = {i.subject_type: n for n, i in enumerate(svc.agenda_of(meeting), 1) if i.subject_type}
    assert f"Item {numbers['attendance_report']}: {svc.ATTENDANCE_REPORT_TITLE}" in marks
    assert f"Item {numbers['top_risks']}: {svc.TOP_RISKS_TITLE}" in marks
