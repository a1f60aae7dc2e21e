"""Confidential business (domain.md "Meetings"): an agenda item, its papers and its minute
section may be restricted (Part B); only the group's members, the business office and the
independent chair see them, and everyone else reads "Item N was taken in private". The
minutes of the groups that discuss cases are restricted as a whole by default (a group
setting)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AgendaItem, Meeting, Minutes, MinutesState
from safeguarding.services import meetings as svc
from safeguarding.services.errors import Conflict, Forbidden
from tests.support.meetings import business, open_meeting, schedule


def _text(page: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def restricted(demo):
    """The demo's restricted Board item (October 2020: commissioning a reviewer for the SAR
    concerning Adult B) and the ratified minutes of its meeting."""
    item = db.session.get(AgendaItem, demo.ids["agenda_items"]["restricted_board_item"])
    minutes = db.session.scalar(sa.select(Minutes).where(Minutes.meeting_id == item.meeting_id))
    assert item.restricted and minutes.state == MinutesState.ratified
    position = [i.id for i in svc.agenda_of(db.session.get(Meeting, item.meeting_id))].index(item.id) + 1
    return item, minutes, position


def test_a_viewer_reads_the_ratified_minutes_without_the_item_taken_in_private(client_as, restricted):
    item, minutes, n = restricted
    page = _text(client_as("viewer").get(f"/minutes/{minutes.id}").text)
    assert f"Item {n} was taken in private." in page
    assert "Adult B" not in page and item.title not in page
    others = [i for i in svc.agenda_of(db.session.get(Meeting, item.meeting_id)) if i.id != item.id]
    assert all(o.title in page for o in others)


@pytest.mark.parametrize("who", ["office", "chair", "police"])
def test_the_office_the_chair_and_the_boards_members_read_it(client_as, restricted, who):
    item, minutes, n = restricted
    page = _text(client_as(who).get(f"/minutes/{minutes.id}").text)
    assert item.title in page and f"Item {n} was taken in private" not in page


def test_the_api_gives_a_viewer_only_the_number_of_an_item_taken_in_private(api_as, restricted):
    item, minutes, n = restricted
    body = api_as("viewer").get(f"/api/v1/minutes/{minutes.id}").json
    (section,) = [s for s in body["sections"] if s["agenda_item_id"] == item.id]
    assert section == {
        "agenda_item_id": item.id,
        "position": n,
        "private": True,
        "text": f"Item {n} was taken in private.",
    }
    assert "Adult B" not in str(body)
    member = api_as("police").get(f"/api/v1/minutes/{minutes.id}").json
    (section,) = [s for s in member["sections"] if s["agenda_item_id"] == item.id]
    assert (section["private"], section["title"]) == (False, item.title)


def test_an_amendment_to_an_item_taken_in_private_is_private_too(api_as, demo, restricted):
    item, minutes, _ = restricted
    svc.add_amendment(
        minutes,
        user=demo.user("office"),
        agenda_item_id=item.id,
        text="The reviewer's fee was £6,500, not £5,600.",
        reason="Typing error",
    )
    assert api_as("viewer").get(f"/api/v1/minutes/{minutes.id}/amendments").json == []
    assert [a["text"] for a in api_as("police").get(f"/api/v1/minutes/{minutes.id}/amendments").json] == [
        "The reviewer's fee was £6,500, not £5,600."
    ]


def test_only_the_office_restricts_an_item_and_never_apologies_or_declarations(demo):
    m = schedule(demo)
    item = business(m)
    with pytest.raises(Forbidden):
        svc.set_restricted(item, True, user=demo.user("chair"))
    apologies = svc.agenda_of(m)[0]
    with pytest.raises(Conflict):
        svc.set_restricted(apologies, True, user=demo.user("office"))
    assert svc.set_restricted(item, True, user=demo.user("office")).restricted


def test_the_office_restricts_an_item_from_the_meeting_page_and_the_api(client_as, api_as, demo):
    m = schedule(demo)
    item = business(m, title="Allegation against a person in a position of trust")
    c = client_as("office")
    r = c.post(f"/meetings/{m.id}/agenda/{item.id}/restricted", data={"restricted": "yes"})
    assert r.status_code == 302
    db.session.refresh(item)
    assert item.restricted
    assert "Restricted" in _text(c.get(f"/meetings/{m.id}").text)
    r = c.post(f"/meetings/{m.id}/agenda/{item.id}/restricted", data={"restricted": "maybe"})
    db.session.refresh(item)
    assert r.status_code == 302 and item.restricted  # bad input changes nothing
    r = api_as("office").put(f"/api/v1/meetings/{m.id}/agenda/{item.id}/restricted", json={"restricted": False})
    assert r.status_code == 200 and r.json["restricted"] is False
    r = api_as("office").put(f"/api/v1/meetings/{m.id}/agenda/{item.id}/restricted", json={"restricted": "x"})
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    r = api_as("office").post(f"/api/v1/meetings/{m.id}/agenda", json={"title": "Part B item", "restricted": True})
    assert r.status_code == 201 and r.json["restricted"] is True


def test_actions_raised_under_a_restricted_item_are_restricted(demo):
    m = schedule(demo)
    item = business(m, title="Allegation against a person in a position of trust", restricted=True)
    open_meeting(m, demo)
    action = svc.raise_action(
        item,
        user=demo.user("office"),
        title="Refer to the LADO",
        owner_organisation_id=demo.org("north").id,
        due_date=date(2027, 7, 1),
    )
    assert action.restricted


def test_the_sar_sub_groups_minutes_are_restricted_as_a_whole_by_default(api_as, client_as, demo):
    sar = demo.group("sar")
    ratified = db.session.scalars(
        sa.select(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Meeting.group_id == sar.id, Minutes.state == MinutesState.ratified)
    ).first()
    assert ratified is not None and sar.minutes_restricted is None
    assert api_as("viewer").get(f"/api/v1/minutes/{ratified.id}").status_code == 404
    assert client_as("viewer").get(f"/minutes/{ratified.id}").status_code == 404
    assert api_as("office").get(f"/api/v1/minutes/{ratified.id}").status_code == 200


def test_the_group_setting_restricts_or_opens_a_groups_minutes(api_as, demo, restricted):
    _, board_minutes, _ = restricted
    office = api_as("office")
    board = demo.group("board")
    r = office.patch(f"/api/v1/groups/{board.id}", json={"version": board.version, "minutes_restricted": True})
    assert r.status_code == 200 and r.json["minutes_restricted"] is True
    assert api_as("viewer").get(f"/api/v1/minutes/{board_minutes.id}").status_code == 404
    sar = demo.group("sar")
    r = office.patch(f"/api/v1/groups/{sar.id}", json={"version": sar.version, "minutes_restricted": False})
    assert r.status_code == 200
    sar_ratified = db.session.scalars(
        sa.select(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Meeting.group_id == sar.id, Minutes.state == MinutesState.ratified)
    ).first()
    assert api_as("viewer").get(f"/api/v1/minutes/{sar_ratified.id}").status_code == 200
