"""Quorum for each decision (domain.md, "Meetings"): arrivals and departures are recorded
with their times, and a decision cannot be recorded once quorum is lost — checked at the
time the decision was taken, by the service, the pages and the API."""

from __future__ import annotations

import html as html_lib
import re
from datetime import time

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Attendance, Decision
from safeguarding.services import meetings as svc
from safeguarding.services.errors import ValidationFailed
from tests.support.meetings import PAST, business, entries, open_meeting, record, schedule, votes

# The Executive: the chair and the three statutory partners (both councils) — its quorum.
EXEC = {"chair": "present", "north_dass": "present", "west_dass": "present", "police_lead": "present"}


def _exec(demo, on=None):
    m = schedule(demo, "exec", **({"on": on} if on else {}))
    open_meeting(m, demo, {**EXEC, "icb_lead": "present", "office": "present"}, group="exec")
    return m


def _moves(demo, meeting, group="exec", **times):
    """`police_lead=(None, time(11, 5))` → (arrived_at, left_at) for that seat, everyone else as recorded."""
    rows = []
    for person, (arrived, left) in times.items():
        (entry,) = entries(demo, group, {person: "present"})
        rows.append({**entry, "arrived_at": arrived, "left_at": left})
    return svc.record_attendance(meeting, rows, user=demo.user("office"), as_of=meeting.meeting_date)


def _decide(demo, meeting, **kw):
    kw.setdefault("method", "consensus")
    kw.setdefault("text", "Adopted")
    return svc.record_decision(business(meeting), user=demo.user("office"), **kw)


def test_a_decision_before_a_statutory_partner_leaves_is_quorate_and_one_after_is_refused(demo):
    m = _exec(demo)
    _moves(demo, m, police_lead=(None, time(11, 5)))
    before = _decide(demo, m, decided_at=time(10, 40))
    assert (before.quorate, before.decided_at, svc.decision_stands(before)) == (True, time(10, 40), True)
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, m, decided_at=time(11, 20))
    police = demo.org("police").name
    assert exc.value.message == "The meeting was not quorate at 11:20"
    assert exc.value.reasons[:2] == [
        "Not quorate: no one from the police is present at 11:20",
        f"{police} left at 11:05.",
    ]
    # Without a time the decision is taken as after every recorded departure: refused,
    # with the hint to give the time.
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, m)
    assert "If the decision was taken earlier, record the time it was taken" in exc.value.reasons
    assert len(svc.decisions_of(m)) == 1


def test_a_late_arrival_makes_the_meeting_quorate_from_that_time(demo):
    m = _exec(demo)
    _moves(demo, m, police_lead=(time(10, 30), None))
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, m, decided_at=time(10, 15))
    assert exc.value.reasons[0] == "Not quorate: no one from the police is present at 10:15"
    assert _decide(demo, m, decided_at=time(10, 45)).quorate
    moves = svc.movements(m)
    assert [(mv.at, mv.arrived, mv.quorate) for mv in moves] == [(time(10, 30), True, True)]


def test_an_organisation_that_has_left_cannot_vote_and_is_not_counted(demo):
    m = schedule(demo)
    open_meeting(m, demo)
    svc.record_attendance(
        m,
        [{**entries(demo, "board", {"fire_lead": "present"})[0], "left_at": time(10, 50)}],
        user=demo.user("office"),
        as_of=m.meeting_date,
    )
    item = business(m)
    with pytest.raises(ValidationFailed) as exc:
        svc.record_decision(
            item,
            user=demo.user("office"),
            method="vote",
            text="Adopted",
            votes=votes(demo, fire="for", police="for"),
            decided_at=time(11, 0),
        )
    assert f"vote_{demo.org('fire').id}" in exc.value.errors
    # Before Fire and Rescue left, nine organisations were entitled; after, eight: five for
    # of eight carries.
    five = votes(demo, north="for", west="for", police="for", icb="for", acute="for")
    decision = svc.record_decision(
        item, user=demo.user("office"), method="vote", text="Adopted", votes=five, decided_at=time(11, 0)
    )
    assert (decision.votes_for, decision.abstentions, decision.outcome.value) == (5, 3, "carried")


@pytest.mark.parametrize(
    ("arrived", "left", "field", "message"),
    [
        (time(9, 30), None, "arrived", "The time Carl Jones arrived must be after the meeting started at 10:00"),
        (None, time(10, 0), "left", "The time Carl Jones left must be after the meeting started at 10:00"),
        (time(11, 0), time(10, 30), "left", "The time Carl Jones left must be after the time they arrived"),
    ],
)
def test_times_that_cannot_be_right_are_refused(demo, arrived, left, field, message):
    m = _exec(demo)
    seat = demo.membership("exec", "police_lead")
    name = seat.person.name
    with pytest.raises(ValidationFailed) as exc:
        _moves(demo, m, police_lead=(arrived, left))
    assert exc.value.errors[f"{field}_{seat.id}"].startswith(message.replace("Carl Jones", name))
    row = db.session.scalar(
        sa.select(Attendance).where(Attendance.meeting_id == m.id, Attendance.membership_id == seat.id)
    )
    assert (row.arrived_at, row.left_at) == (None, None)


def test_times_only_for_someone_who_attended_and_decisions_not_before_the_start(demo):
    m = _exec(demo)
    (entry,) = entries(demo, "exec", {"icb_lead": "absent"})
    with pytest.raises(ValidationFailed) as exc:
        svc.record_attendance(m, [{**entry, "left_at": time(11, 0)}], user=demo.user("office"), as_of=m.meeting_date)
    assert list(exc.value.errors) == [f"left_{entry['membership_id']}"]
    with pytest.raises(ValidationFailed) as exc:
        _decide(demo, m, decided_at=time(9, 0))
    assert exc.value.errors == {"decided_at": "The time of the decision must be after the meeting started at 10:00"}
    # Sending apologies afterwards clears the times (a database rule holds it too).
    _moves(demo, m, police_lead=(time(10, 20), None))
    record(m, demo, {"police_lead": "absent"}, group="exec")
    row = db.session.scalar(
        sa.select(Attendance).where(
            Attendance.meeting_id == m.id, Attendance.membership_id == demo.membership("exec", "police_lead").id
        )
    )
    assert (row.status.value, row.arrived_at) == ("absent", None)


def _page_text(page: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_the_register_page_records_times_and_shows_when_quorum_was_lost(client_as, demo):
    m = _exec(demo, on=PAST)
    c = client_as("office")
    seats = {
        k: demo.membership("exec", k).id
        for k in ("chair", "north_dass", "west_dass", "police_lead", "icb_lead", "office")
    }
    data = {f"status_{sid}": "present" for sid in seats.values()}
    r = c.post(f"/meetings/{m.id}/attendance", data={**data, f"left_{seats['police_lead']}": "half past"})
    assert r.status_code == 200 and "as a time of day, like 10:00 or 2:30pm" in _page_text(r.text)
    r = c.post(f"/meetings/{m.id}/attendance", data={**data, f"left_{seats['police_lead']}": "11:05"})
    assert r.status_code == 302, re.findall(r'error-message">(.*?)</p>', r.text, re.S)
    page = _page_text(c.get(f"/meetings/{m.id}/attendance").text)
    assert "Arrivals and departures" in page
    assert f"11:05 {demo.person('police_lead').name} ({demo.org('police').name}) left Not quorate" in page
    item = business(m)
    r = c.post(
        f"/meetings/{m.id}/agenda/{item.id}/decision",
        data={"method": "consensus", "text": "Adopted", "decided_at": "11:30"},
    )
    assert r.status_code == 200 and "Not quorate: no one from the police is present at 11:30" in _page_text(r.text)
    r = c.post(
        f"/meetings/{m.id}/agenda/{item.id}/decision",
        data={"method": "consensus", "text": "Adopted", "decided_at": "10:30"},
    )
    assert r.status_code == 302
    assert db.session.scalar(sa.select(Decision.decided_at).where(Decision.meeting_id == m.id)) == time(10, 30)


def test_the_api_takes_and_gives_the_times(api_as, demo):
    m = _exec(demo, on=PAST)
    c = api_as("office")
    police = demo.membership("exec", "police_lead").id
    r = c.put(
        f"/api/v1/meetings/{m.id}/attendance",
        json=[{"membership_id": police, "status": "present", "left_at": "11:05"}],
    )
    assert r.status_code == 200, r.json
    seat = next(s for s in r.json["seats"] if s["membership_id"] == police)
    assert (seat["arrived_at"], seat["left_at"]) == (None, "11:05:00")
    r = c.put(
        f"/api/v1/meetings/{m.id}/attendance",
        json=[{"membership_id": police, "status": "present", "left_at": "25:99"}],
    )
    assert r.status_code == 422
    item = business(m)
    body = {"agenda_item_id": item.id, "method": "consensus", "text": "Adopted"}
    r = c.post(f"/api/v1/meetings/{m.id}/decisions", json={**body, "decided_at": "11:20"})
    assert r.status_code == 422 and r.json["detail"] == "The meeting was not quorate at 11:20"
    r = c.post(f"/api/v1/meetings/{m.id}/decisions", json={**body, "decided_at": "10:20"})
    assert r.status_code == 201 and (r.json["decided_at"], r.json["quorate"]) == ("10:20:00", True)
