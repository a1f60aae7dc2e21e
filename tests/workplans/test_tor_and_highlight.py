"""Terms-of-reference review flags, the partnership view's counts and the highlight report."""

from __future__ import annotations

from datetime import date

import pytest

from safeguarding.extensions import db
from safeguarding.models import Meeting, Paper, Rag
from safeguarding.services import meetings
from safeguarding.services import workplans as svc
from safeguarding.services.errors import Forbidden, ValidationFailed
from tests.support.meetings import close, open_meeting, schedule
from tests.workplans.helpers import plan


def _sar_meeting(demo, on: date) -> Meeting:
    meeting = schedule(demo, "sar", on=on)
    open_meeting(
        meeting,
        demo,
        statuses={
            "sar_chair": "present",
            "north_deputy": "present",
            "west_deputy": "present",
            "police_deputy": "present",
        },
        group="sar",
    )
    return close(meeting, demo)


def _status(demo, year, as_of, group="sar"):
    return next(s for s in svc.tor_status(year, as_of) if s.group.id == demo.group(group).id)


def test_a_sub_group_is_flagged_after_its_first_meeting_of_the_year_without_a_review(demo):
    year = 2027
    assert not _status(demo, year, date(2027, 6, 1)).missing  # not met yet this year (future dates)
    meeting = _sar_meeting(demo, date(2027, 5, 4))
    status = _status(demo, year, date(2027, 6, 1))
    assert status.missing and status.first_meeting_on == meeting.meeting_date
    assert demo.group("sar").id in {s.group.id for s in svc.tor_flags(year, date(2027, 6, 1))}
    assert "Missing" in status.sentence


def test_recording_the_review_clears_the_flag(demo, monkeypatch):
    # record_tor_review's date check (commands) and the chair's membership (common)
    import safeguarding.services.workplans.commands as commands
    import safeguarding.services.workplans.common as common

    for mod in (commands, common):
        monkeypatch.setattr(mod, "today", lambda: date(2027, 6, 1))
    meeting = _sar_meeting(demo, date(2027, 5, 4))
    with pytest.raises(Forbidden):
        svc.record_tor_review(demo.user("police"), group_id=demo.group("sar").id, reviewed_on=date(2027, 5, 4))
    with pytest.raises(ValidationFailed) as exc:
        svc.record_tor_review(demo.user("sarchair"), group_id=demo.group("sar").id, reviewed_on=None)
    assert "reviewed_on" in exc.value.errors
    svc.record_tor_review(
        demo.user("sarchair"), group_id=demo.group("sar").id, reviewed_on=date(2027, 5, 4), meeting_id=meeting.id
    )
    assert not _status(demo, 2027, date(2027, 6, 1)).missing
    with pytest.raises(ValidationFailed):  # once a year
        svc.record_tor_review(demo.user("office"), group_id=demo.group("sar").id, reviewed_on=date(2027, 5, 5))


def test_partnership_view_counts_by_priority_and_group_with_filters(demo):
    p = plan(demo, items=2, state="approved", due=date(2020, 1, 1))
    for it in svc.items_of(p):
        svc.recalculate(it)
    q = plan(demo, group="qp", year=p.financial_year, items=1, state="approved")
    view = svc.partnership_view(p.financial_year)
    first = view.priorities[0]
    assert view.by_priority[first.id][Rag.red] == 2 and view.by_priority[first.id][Rag.green] == 1
    assert view.by_group[p.group_id][Rag.red] == 2 and view.by_group[q.group_id][Rag.green] == 1
    assert svc.partnership_view(p.financial_year, organisation_id=demo.org("west").id).total == 0
    assert svc.partnership_view(p.financial_year, arm="adults").total == 3  # priorities for both count


def test_the_highlight_report_is_attached_to_the_sub_groups_slot(demo):
    upcoming = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    group = demo.group("sar")
    h = svc.highlight(group, upcoming)
    report = svc.highlight_report(h)
    assert [s.heading for s in report.sections][0] == "Summary"
    with pytest.raises(Forbidden):
        svc.attach_highlight(group, upcoming, demo.user("police"))
    papers = svc.attach_highlight(group, upcoming, demo.user("sarchair"))
    assert len(papers) == 2
    slot = svc.subgroup_slot(group, upcoming)
    assert {p.agenda_item_id for p in papers} == {slot.id}
    assert {p.stored_file.content_type for p in papers} == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    assert db.session.query(Paper).filter(Paper.agenda_item_id == slot.id).count() >= 2
    assert meetings.papers_of(upcoming)
