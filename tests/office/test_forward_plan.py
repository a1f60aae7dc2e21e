"""The forward plan (issue 17): the Board's cycle of business placed on the right meetings
automatically — the first Board meeting of the financial year on or after the first of
the item's month — editable by the office, with the API `GET /api/v1/forward-plan`."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.jobs import run_job
from safeguarding.models import AgendaItem, AgendaItemKind, ForwardKind, ForwardPlanItem, Meeting
from safeguarding.services import forward_plan
from safeguarding.services import meetings as svc
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from tests.support.meetings import schedule

YEAR = 2027  # 2027/28: after the demo's last Board meeting


@pytest.fixture
def board_meetings(demo) -> dict[str, Meeting]:
    # June, August and December 2027; none in October; February 2028 not scheduled yet.
    return {
        "jun": schedule(demo, on=date(2027, 6, 15)),
        "aug": schedule(demo, on=date(2027, 8, 17)),
        "dec": schedule(demo, on=date(2027, 12, 14)),
    }


def _by_title(items, title):
    (item,) = [i for i in items if i.title == title]
    return item


def _agenda_titles(meeting):
    return [i.title for i in svc.agenda_of(meeting)]


def test_the_cycle_goes_to_the_first_meeting_on_or_after_its_month(demo, board_meetings):
    items = forward_plan.build_year(YEAR, user=demo.user("office"))
    jun, aug, dec = (board_meetings[k] for k in ("jun", "aug", "dec"))
    expected = {
        "Terms of reference of the Board and its sub-groups (annual review)": jun,  # April: no meeting until June
        "Annual report 2026/27: for approval": aug,
        "Budget monitoring 2027/28: the half year": dec,  # October: no meeting until December
        "Strategic plan 2028/29: consultation draft": dec,
        "Draft budget and partner contributions 2028/29": dec,
    }
    for title, meeting in expected.items():
        item = _by_title(items, title)
        assert item.meeting_id == meeting.id, title
        assert title in _agenda_titles(meeting)
    # Two risk register reviews (June and December), each on its meeting once.
    reviews = [i for i in items if i.title == "Risk register review"]
    assert sorted(i.meeting_id for i in reviews) == sorted([jun.id, dec.id])
    assert _agenda_titles(jun).count("Risk register review") == 1
    # The top risks go to each Board meeting: one item on each agenda, whatever the month.
    for meeting in (jun, aug, dec):
        assert _agenda_titles(meeting).count("Risk register: the top risks") == 1
    # February 2028 is not scheduled: the item waits.
    agreement = _by_title(items, "Strategic plan 2028/29: for agreement")
    assert (agreement.meeting_id, agreement.agenda_item_id) == (None, None)


def test_highlight_reports_use_the_sub_groups_standing_slots(demo, board_meetings):
    items = forward_plan.build_year(YEAR, user=demo.user("office"))
    june_reports = [i for i in items if i.kind == ForwardKind.highlight_report and i.month == 6]
    assert june_reports
    for item in june_reports:
        slot = db.session.get(AgendaItem, item.agenda_item_id)
        assert (slot.meeting_id, slot.kind, slot.group_id) == (
            board_meetings["jun"].id,
            AgendaItemKind.subgroup_report,
            item.sub_group_id,
        )


def test_a_meeting_scheduled_later_takes_its_items_from_the_daily_job(demo, board_meetings):
    forward_plan.build_year(YEAR, user=demo.user("office"))
    feb = schedule(demo, on=date(2028, 2, 15))
    assert "Strategic plan 2028/29: for agreement" not in _agenda_titles(feb)
    result = run_job("forward_plan", date(2027, 12, 20))
    february = [i for i in forward_plan.plan_of(YEAR) if i.month == 2]
    assert result.counts["placed"] == len(february) and all(i.meeting_id == feb.id for i in february)
    assert "Strategic plan 2028/29: for agreement" in _agenda_titles(feb)


def test_the_office_moves_and_removes_items(demo, board_meetings):
    office = demo.user("office")
    items = forward_plan.build_year(YEAR, user=office)
    monitoring = _by_title(items, "Budget monitoring 2027/28: the half year")
    forward_plan.update_item(monitoring, user=office, title=monitoring.title, month=8, version=monitoring.version)
    assert monitoring.meeting_id == board_meetings["aug"].id
    assert monitoring.title in _agenda_titles(board_meetings["aug"])
    assert monitoring.title not in _agenda_titles(board_meetings["dec"])
    draft = _by_title(items, "Strategic plan 2028/29: consultation draft")
    forward_plan.remove_item(draft, user=office, version=draft.version)
    assert draft.title not in _agenda_titles(board_meetings["dec"])
    assert draft not in forward_plan.plan_of(YEAR)
    with pytest.raises(Conflict):
        forward_plan.remove_item(draft, user=office)


def test_refusals(demo, board_meetings):
    office = demo.user("office")
    with pytest.raises(Forbidden):
        forward_plan.build_year(YEAR, user=demo.user("chair"))
    items = forward_plan.build_year(YEAR, user=office)
    with pytest.raises(Conflict):
        forward_plan.build_year(YEAR, user=office)
    with pytest.raises(ValidationFailed) as exc:
        forward_plan.add_item(YEAR, user=office, title=" ", month=13)
    assert set(exc.value.errors) == {"title", "month"}
    added = forward_plan.add_item(YEAR, user=office, title="Learning from reviews: themes", month=12, kind="other")
    assert added.meeting_id == board_meetings["dec"].id
    with pytest.raises(StaleVersion):
        forward_plan.update_item(items[0], user=office, title="x", month=4, version=99)


def test_the_demo_has_the_2026_27_forward_plan_on_its_agendas(demo):
    items = forward_plan.plan_of(2026)
    assert len(items) >= 8
    december = db.session.get(Meeting, demo.id("meetings", "board_upcoming"))
    review = [i for i in items if i.kind == ForwardKind.risk_register and i.meeting_id == december.id]
    assert review and review[0].agenda_item_id
    # The draft budget the office had already put on December's agenda is linked, not doubled.
    titles = _agenda_titles(december)
    budget = [t for t in titles if t.startswith("Draft budget and partner contributions")]
    assert len(budget) == 1
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(ForwardPlanItem).where(ForwardPlanItem.financial_year == 2026)
    )


def test_the_pages_and_the_api(client_as, api_as, demo, board_meetings):
    page = client_as("chair").get("/forward-plan?year=2026-27").text
    assert "Forward plan 2026/27" in page and "Risk register review" in page
    office = client_as("office")
    empty = office.get("/forward-plan?year=2027-28").text
    assert "Build the 2027/28 plan" in empty
    built = api_as("office").post("/api/v1/forward-plan", json={"year": "2027-28"})
    assert built.status_code == 201
    body = api_as("police").get("/api/v1/forward-plan?year=2027-28").json
    tor = [i for i in body if i["kind"] == "tor_review"][0]
    assert tor["meeting_date"] == "2027-06-15" and tor["financial_year"] == "2027-28"
    assert api_as("police").post("/api/v1/forward-plan", json={"year": "2027-28"}).status_code == 403
    assert api_as("viewer").get("/api/v1/forward-plan").status_code == 403
    assert api_as("office").get("/api/v1/forward-plan?year=2027").status_code == 422
    item_id = tor["id"]
    moved = api_as("office").patch(
        f"/api/v1/forward-plan/items/{item_id}", json={"version": tor["version"], "month": 8}
    )
    assert moved.status_code == 200 and moved.json["month"] == 8
    assert moved.json["meeting_id"] == board_meetings["aug"].id
