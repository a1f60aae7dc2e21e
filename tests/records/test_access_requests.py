"""Subject access requests (UK GDPR Art. 15; domain.md "Information governance"): the due
date as the ICO counts one month — domain.md's three worked examples, the identity checked
after receipt — the extension by two months (once, within the first month, with the reason
and the person told), the answer, the office's home page clock, pages and API, refusals."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AccessRequest, AccessRequestState
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.services.records import access as svc

# --- the due date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # domain.md: 25 Dec is Christmas Day (Fri), 28 Dec the Boxing Day substitute → Tue 29 Dec
        (date(2026, 11, 25), date(2026, 12, 29)),
        # no 31 February: 28 Feb 2027 is a Sunday → Mon 1 Mar
        (date(2027, 1, 31), date(2027, 3, 1)),
        # a leap year: 29 Feb 2028 is a Tuesday
        (date(2028, 1, 31), date(2028, 2, 29)),
        # an ordinary month, a working day
        (date(2026, 10, 14), date(2026, 11, 16)),  # 14 Nov is a Saturday → Mon 16
        (date(2026, 9, 10), date(2026, 10, 12)),  # 10 Oct is a Saturday → Mon 12
        (date(2026, 6, 3), date(2026, 7, 3)),
    ],
)
def test_the_due_date_is_one_calendar_month_as_the_ico_counts_it(received, due):
    assert svc.due_after(received) == due


def test_the_month_runs_from_the_identity_check_when_later(demo):
    office = demo.user("office")
    r = svc.log_request(
        user=office, requester_name="A Person", received_on=date(2026, 11, 2), identity_checked_on=date(2026, 11, 9)
    )
    assert r.due_on == date(2026, 12, 9)
    assert r.reference.startswith("DSAR-2026-")
    # Checked later still: the date moves with it.
    svc.update_request(
        r,
        user=office,
        version=r.version,
        requester_name="A Person",
        received_on=date(2026, 11, 2),
        identity_checked_on=date(2026, 11, 20),
        search_names="",
        search_emails="",
    )
    assert r.due_on == date(2026, 12, 21)  # 20 Dec is a Sunday
    assert r.search_names == "A Person"  # no names given: the requester's own


def test_the_dates_are_checked(demo):
    office = demo.user("office")
    with pytest.raises(ValidationFailed) as e:
        svc.log_request(
            user=office,
            requester_name=" ",
            received_on=date(2026, 12, 10),  # the suite's today is 3 December
            identity_checked_on=date(2026, 11, 1),
            search_emails="not an address",
        )
    assert set(e.value.errors) == {"requester_name", "received_on", "identity_checked_on", "search_emails"}
    with pytest.raises(ValidationFailed) as e:
        svc.log_request(
            user=office, requester_name="B", received_on=date(2026, 11, 10), identity_checked_on=date(2026, 11, 1)
        )
    assert "on or after the date received" in e.value.errors["identity_checked_on"]
    with pytest.raises(Forbidden):
        svc.log_request(user=demo.user("chair"), requester_name="B", received_on=date(2026, 11, 10))


# --- the extension ----------------------------------------------------------------------------


def _request(demo, received=date(2026, 11, 16)) -> AccessRequest:
    return svc.log_request(user=demo.user("office"), requester_name="C Person", received_on=received)


def test_an_extension_adds_two_months_once_within_the_first_month(demo):
    office = demo.user("office")
    r = _request(demo)  # due Wed 16 Dec 2026
    assert r.due_on == date(2026, 12, 16)
    with pytest.raises(ValidationFailed) as e:
        svc.extend(r, user=office, version=r.version, reason="", person_told_on=None)
    assert set(e.value.errors) == {"reason", "person_told_on"}
    with pytest.raises(ValidationFailed) as e:  # told before the request arrived
        svc.extend(r, user=office, version=r.version, reason="Complex", person_told_on=date(2026, 11, 1))
    assert "within the first month" in e.value.errors["person_told_on"]
    with pytest.raises(StaleVersion):
        svc.extend(r, user=office, version=r.version - 1, reason="Complex", person_told_on=date(2026, 12, 1))
    svc.extend(r, user=office, version=r.version, reason="Complex", person_told_on=date(2026, 12, 1))
    assert r.extended_to == date(2027, 2, 16) and r.deadline == date(2027, 2, 16)
    with pytest.raises(Conflict, match="only once"):
        svc.extend(r, user=office, version=r.version, reason="Again", person_told_on=date(2026, 12, 2))


def test_it_is_too_late_to_extend_once_the_first_month_has_ended(demo):
    r = _request(demo, received=date(2026, 10, 20))  # due Fri 20 Nov 2026, before the suite's today
    with pytest.raises(Conflict, match="too late"):
        svc.extend(r, user=demo.user("office"), version=r.version, reason="Complex", person_told_on=date(2026, 11, 19))


def test_the_clock_counts_working_days_and_a_late_answer_stays_late(demo):
    office = demo.user("office")
    r = _request(demo, received=date(2026, 10, 20))  # due 20 Nov
    c = svc.clock(r, date(2026, 12, 3))
    assert (c.late, c.days_left) == (True, -9)  # 23 Nov … 3 Dec: nine working days
    svc.answer(r, user=office, version=r.version, answered_on=date(2026, 11, 30), outcome="Disclosed")
    assert r.state == AccessRequestState.answered and svc.clock(r, date(2026, 12, 3)).late
    with pytest.raises(Conflict):
        svc.answer(r, user=office, version=r.version, answered_on=date(2026, 11, 30), outcome="Again")
    on_time = _request(demo)
    svc.answer(on_time, user=office, version=on_time.version, answered_on=date(2026, 12, 2), outcome="Nothing held")
    assert not svc.clock(on_time, date(2026, 12, 3)).late


# --- pages, API, home --------------------------------------------------------------------------


def test_the_demo_and_the_offices_home_page(demo, client_as):
    c = client_as("office")
    home = c.get("/home").text
    assert "Subject access requests open" in home
    listing = c.get("/subject-access-requests").text
    open_request = db.session.get(AccessRequest, demo.id("access_requests", "open"))
    assert open_request.reference in listing and "9 working days left" in listing
    extended = db.session.get(AccessRequest, demo.id("access_requests", "extended"))
    assert extended.extended_to is not None
    page = c.get(f"/subject-access-requests/{open_request.id}").text
    assert "Owen Pritchard-Evans" in page  # the names to look for
    items = c.get(f"/subject-access-requests/{open_request.id}/items").text
    assert "Attendance and apologies" in items and "Not decided" in items
    assert "to disclose," in items  # the counts of the decisions
    from safeguarding.services.records import disclosure

    person = [i for i in disclosure.items(open_request) if i.record_type == "person"]
    assert len(person) == 1 and person[0].decision.value == "disclose"
    assert open_request.requester_name not in c.get("/subject-access-requests").text  # never in lists


def test_logging_by_page_refuses_bad_input_and_then_saves(demo, client_as):
    c = client_as("office")
    bad = c.post(
        "/subject-access-requests/new",
        data={"requester_name": "", "received_on": ["31", "2", "2026"]},
    )
    assert bad.status_code == 400 and "govuk-error-summary" in bad.text
    assert "Enter the name of the person asking" in bad.text and "must be a real date" in bad.text
    before = db.session.scalar(sa.select(sa.func.count(AccessRequest.id)))
    ok = c.post(
        "/subject-access-requests/new",
        data={
            "requester_name": "D Person",
            "received_on": ["25", "11", "2026"],
            "search_names": "D Person\nDee Person",
        },
    )
    assert ok.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(AccessRequest.id))) == before + 1
    r = db.session.scalar(sa.select(AccessRequest).order_by(AccessRequest.id.desc()).limit(1))
    assert r.due_on == date(2026, 12, 29) and "D Person" not in ok.headers["Location"]


def test_the_api(demo, api_as):
    api = api_as("office")
    created = api.post(
        "/api/v1/subject-access-requests",
        json={"requester_name": "E Person", "received_on": "2027-01-31"},
    )
    assert created.status_code == 422  # in the future
    created = api.post(
        "/api/v1/subject-access-requests", json={"requester_name": "E Person", "received_on": "2026-11-25"}
    )
    assert created.status_code == 201 and created.json["due_on"] == "2026-12-29"
    rid, version = created.json["id"], created.json["version"]
    patched = api.patch(
        f"/api/v1/subject-access-requests/{rid}", json={"version": version, "identity_checked_on": "2026-11-30"}
    )
    assert patched.status_code == 200 and patched.json["due_on"] == "2026-12-30"
    assert patched.json["requester_name"] == "E Person"  # a PATCH keeps what it leaves out
    stale = api.post(
        f"/api/v1/subject-access-requests/{rid}/extension",
        json={"version": version, "reason": "Complex", "person_told_on": "2026-12-01"},
    )
    assert stale.status_code == 409
    ext = api.post(
        f"/api/v1/subject-access-requests/{rid}/extension",
        json={"version": patched.json["version"], "reason": "Complex", "person_told_on": "2026-12-01"},
    )
    assert ext.status_code == 200 and ext.json["extended_to"] == "2027-03-01"  # 28 Feb 2027 is a Sunday
    listed = api.get("/api/v1/subject-access-requests?state=all").json
    assert any(r["id"] == rid for r in listed)
    assert api_as("chair").get("/api/v1/subject-access-requests").status_code == 403
    assert api_as("admin").get(f"/api/v1/subject-access-requests/{rid}").status_code == 403


def test_answering_and_withdrawing_by_page_with_their_refusals(demo, client_as):
    c = client_as("office")
    r = _request(demo)
    answer = f"/subject-access-requests/{r.id}/answer"
    bad = c.post(answer, data={"version": str(r.version), "answered_on": ["1", "1", "2027"], "outcome": ""})
    assert bad.status_code == 400 and "Enter what was disclosed, withheld or redacted" in bad.text
    early = c.post(answer, data={"version": str(r.version), "answered_on": ["1", "11", "2026"], "outcome": "Sent"})
    assert early.status_code == 400 and "on or after the date received" in early.text
    stale = c.post(answer, data={"version": str(r.version - 1), "answered_on": ["2", "12", "2026"], "outcome": "Sent"})
    assert stale.status_code in (400, 409)
    assert r.state == AccessRequestState.open
    other = _request(demo)
    withdraw = f"/subject-access-requests/{other.id}/withdraw"
    assert c.post(withdraw, data={"version": str(other.version), "reason": ""}).status_code == 400
    ok = c.post(withdraw, data={"version": str(other.version), "reason": "The person withdrew the request"})
    assert ok.status_code == 302
    db.session.refresh(other)
    assert other.state == AccessRequestState.withdrawn
    with pytest.raises(Conflict):
        svc.withdraw(other, user=demo.user("office"), version=other.version, reason="Again")
    assert client_as("chair").get(withdraw).status_code == 403


def test_the_list_is_paged_on_the_page_and_in_the_api(demo, client_as, api_as):
    office = demo.user("office")
    for i in range(52):
        svc.log_request(user=office, requester_name=f"Person {i}", received_on=date(2026, 11, 2))
    total = db.session.scalar(sa.select(sa.func.count(AccessRequest.id)))
    c = client_as("office")
    first = c.get("/subject-access-requests?state=all").text
    assert first.count('<a class="govuk-link" href="/subject-access-requests/') == 50
    assert f"1 of {(total + 49) // 50}" in first
    second = c.get("/subject-access-requests?state=all&page=2").text
    assert "2 of" in second and "DSAR-" in second
    assert c.get("/subject-access-requests?page=abc").status_code == 400
    api = api_as("office")
    assert len(api.get("/api/v1/subject-access-requests?state=all&per_page=10").json) == 10
    assert api.get("/api/v1/subject-access-requests?per_page=1000").status_code == 422
