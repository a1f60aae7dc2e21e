"""Disputes recorded as they happened (issue 26; domain.md, "Disputes", last bullet).

The office often records a dispute after the fact: every date — raised, determined, the
meeting convened for and held, resolved or escalated — is the day it happened, never in
the future and each on or after the one before; the 28-day clock runs from the real
determination date; the history shows the day it happened and who entered it when.

Today is 3 December 2026 (tests/conftest.py). Through the API as a plain client would:
a token from /api/v1/auth/token, no cookie, no CSRF token."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import render_template_string

from safeguarding.calendar import LONDON, today
from safeguarding.extensions import db
from safeguarding.jobs.disputes import dispute_deadlines
from safeguarding.models import AuditEntry, Dispute, DisputeState, WorkflowHistory
from safeguarding.models.base import utcnow
from safeguarding.models.outbox import OutboxMessage

PASSWORD = "demo-password-2026"
TODAY = date(2026, 12, 3)


@pytest.fixture
def plain(app):
    """A plain API client signed in with a token it asked for (no cookie, no CSRF)."""

    def make(email: str):
        c = app.test_client(use_cookies=False)
        r = c.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
        assert r.status_code == 201, r.json
        c.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {r.json['token']}"
        return c

    return make


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _raise(api, demo, raised_on: str | None, *orgs: str, subject: str = "Threshold for strategy meetings"):
    body = {
        "subject": subject,
        "summary": "The parties disagree about when a strategy meeting is called.",
        "party_organisation_ids": [demo.org(o).id for o in (orgs or ("police", "west"))],
    }
    if raised_on is not None:
        body["raised_on"] = raised_on
    return api.post("/api/v1/disputes", json=body)


def _fire(api, d_id: int, trigger: str, **fields):
    version = api.get(f"/api/v1/disputes/{d_id}").json["version"]
    return api.post(f"/api/v1/disputes/{d_id}/transitions", json={"trigger": trigger, "version": version, **fields})


def _alerts(d_id: int) -> int:
    return _count_where(OutboxMessage, OutboxMessage.dedupe_key == f"dispute-deadline-alert:{d_id}")


def _count_where(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


HELD = {"meeting_time": "10:00", "location": "County Hall, Committee Room 2"}


# --- the scenario, end to end through the API ------------------------------------------------


def test_last_years_dispute_entered_today_through_the_api(plain, demo):
    """Determined 31 January 2024, entered today: deadline 28 February 2024, shown as a
    breach at once; its meeting held in time clears it; resolved on its real date."""
    office = plain("office@demo.test")
    r = _raise(office, demo, "2024-01-29")
    assert r.status_code == 201, r.json
    d_id = r.json["id"]
    assert r.json["raised_on"] == "2024-01-29" and r.json["reference"].startswith("DSP-2024-")

    r = _fire(office, d_id, "determine", determined_on="2024-01-31")
    assert r.status_code == 200, r.json
    assert (r.json["determined_on"], r.json["deadline"]) == ("2024-01-31", "2024-02-28")
    # Entered after its deadline passed with no meeting recorded: a breach at once.
    assert r.json["breached"] is True and r.json["breach_recorded_on"] == TODAY.isoformat()
    assert r.json["days_left"].endswith("days overdue")
    assert "28 February 2024" in r.json["breach_note"]

    # Convened and held in one step (a past date, with its outcome), within the 28 days.
    r = _fire(office, d_id, "convene", meeting_on="2024-02-20", outcome="Agreed a joint protocol", **HELD)
    assert r.status_code == 200, r.json
    assert (r.json["state"], r.json["meeting_on"], r.json["held_on"]) == ("meeting_held", "2024-02-20", "2024-02-20")
    assert r.json["breached"] is False and r.json["breach_note"] is None  # held in time: no breach

    r = _fire(office, d_id, "resolve", resolution="Protocol signed by both", resolved_on="2024-03-05")
    assert r.status_code == 200, r.json
    assert (r.json["state"], r.json["closed_on"]) == ("resolved", "2024-03-05")

    # The history: the day each thing happened, and when it was entered (now) by whom.
    history = office.get(f"/api/v1/disputes/{d_id}/history").json
    assert [(h["trigger"], h["occurred_on"]) for h in history] == [
        ("determine", "2024-01-31"),
        ("convene", "2024-02-20"),
        ("resolve", "2024-03-05"),
    ]
    assert {h["actor"] for h in history} == {"office@demo.test"}
    assert all(h["at"][:4] >= "2026" for h in history)  # entered now, not then
    # The audit log keeps the entry time.
    audited = db.session.scalars(
        sa.select(AuditEntry.at).where(AuditEntry.entity_type == "disputes", AuditEntry.entity_id == str(d_id))
    ).all()
    assert audited and all(a.year >= 2026 for a in audited)


def test_the_leap_year_deadline_and_a_meeting_held_late_through_the_api(plain, demo):
    office, chair = plain("office@demo.test"), plain("chair@demo.test")
    d_id = _raise(office, demo, "2024-02-01", "icb", "north").json["id"]
    r = _fire(chair, d_id, "determine", determined_on="2024-02-01")
    assert r.json["deadline"] == "2024-02-29" and r.json["breached"] is True  # leap day
    # Held after the deadline: a reason is needed, and the breach stays, saying what happened.
    r = _fire(chair, d_id, "convene", meeting_on="2024-03-04", outcome="No agreement", **HELD)
    assert r.status_code == 422
    assert r.json["errors"] == {"late_reason": "Enter the reason the meeting is after the deadline of 29 February 2024"}
    r = _fire(chair, d_id, "convene", meeting_on="2024-03-04", outcome="No agreement", late_reason="Purdah", **HELD)
    assert r.status_code == 200, r.json
    assert r.json["breached"] is True
    assert r.json["breach_note"] == "The joint meeting was held on 4 March 2024, after the deadline of 29 February 2024"
    # Escalated on its real date: the letters went at the time, so none goes now.
    before = _count_where(OutboxMessage, OutboxMessage.kind == "dispute_escalation")
    r = _fire(chair, d_id, "escalate", escalation_reason="Still no agreement", escalated_on="2024-03-11")
    assert r.status_code == 200, r.json
    assert (r.json["state"], r.json["escalated_on"], r.json["closed_on"]) == ("escalated", "2024-03-11", "2024-03-11")
    assert _count_where(OutboxMessage, OutboxMessage.kind == "dispute_escalation") == before


def test_a_dispute_determined_on_tuesday_entered_on_friday_keeps_tuesdays_clock(plain, demo):
    office = plain("office@demo.test")
    d_id = _raise(office, demo, "2026-11-24").json["id"]  # raised at Tuesday's Board
    r = _fire(office, d_id, "determine", determined_on="2026-12-01")
    assert (r.json["deadline"], r.json["days_left"], r.json["breached"]) == ("2026-12-29", "26 days left", False)
    # Convening for a date to come still works as before, from the real deadline.
    r = _fire(office, d_id, "convene", meeting_on="2026-12-29", **HELD)
    assert (r.status_code, r.json["state"], r.json["breached"]) == (200, "meeting_convened", False)


def test_the_raised_date_defaults_to_today(plain, demo):
    r = _raise(plain("police@demo.test"), demo, None)
    assert r.status_code == 201 and r.json["raised_on"] == today().isoformat()


# --- refusals, each changing nothing ---------------------------------------------------------


def test_raised_in_the_future_or_not_a_date_is_refused(plain, demo):
    office = plain("office@demo.test")
    before = _count(Dispute)
    r = _raise(office, demo, "2026-12-04")
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["errors"] == {"raised_on": "The date the dispute was raised must be today or in the past"}
    for bad in ("2024-02-30", "yesterday", "1899-12-31", 20240131):
        r = _raise(office, demo, bad)
        assert r.status_code == 422 and set(r.json["errors"]) == {"raised_on"}, bad
    assert _count(Dispute) == before


def test_each_date_is_on_or_after_the_one_before_and_never_in_the_future(plain, demo):
    office = plain("office@demo.test")
    d_id = _raise(office, demo, "2024-01-29").json["id"]
    r = _fire(office, d_id, "determine", determined_on="2024-01-28")
    assert r.status_code == 422
    assert r.json["reasons"] == [
        "The date the dispute was determined must be on or after the date it was raised (29 January 2024)"
    ]
    r = _fire(office, d_id, "determine", determined_on="2026-12-04")
    assert r.json["reasons"] == ["The date the dispute was determined must be today or in the past"]
    r = _fire(office, d_id, "determine", determined_on="2024-31-01")
    assert r.status_code == 422 and set(r.json["errors"]) == {"determined_on"}
    d = db.session.get(Dispute, d_id)
    assert (d.state, d.determined_on, d.deadline) == (DisputeState.raised, None, None)

    assert _fire(office, d_id, "determine", determined_on="2024-01-31").status_code == 200
    # A meeting before the determination; a "held" meeting in the future.
    r = _fire(office, d_id, "convene", meeting_on="2024-01-30", outcome="x", **HELD)
    assert r.status_code == 422
    assert r.json["errors"] == {
        "meeting_on": "The date of the meeting must be on or after the date the dispute was determined (31 January 2024)"
    }
    r = _fire(office, d_id, "convene", meeting_on="2026-12-10", outcome="x", **HELD)
    assert r.json["errors"] == {
        "meeting_on": "The date of a meeting that has already been held must be today or in the past"
    }
    # A past date is a meeting already held: it needs its outcome.
    r = _fire(office, d_id, "convene", meeting_on="2024-02-20", **HELD)
    assert r.json["errors"] == {
        "outcome": "Enter the outcome of the meeting: a meeting on a past date has already taken place"
    }
    d = db.session.get(Dispute, d_id)
    assert (d.state, d.meeting_on, d.held_on) == (DisputeState.determined, None, None)

    assert _fire(office, d_id, "convene", meeting_on="2024-02-20", outcome="Agreed", **HELD).status_code == 200
    r = _fire(office, d_id, "resolve", resolution="Done", resolved_on="2024-02-19")
    assert r.status_code == 422
    assert r.json["reasons"] == [
        "The date the dispute was resolved must be on or after the date the meeting was held (20 February 2024)"
    ]
    r = _fire(office, d_id, "resolve", resolution="Done", resolved_on="2026-12-04")
    assert r.json["reasons"] == ["The date the dispute was resolved must be today or in the past"]
    r = _fire(office, d_id, "withdraw", comment="x", withdrawn_on="2024-02-01")
    assert r.json["reasons"] == [
        "The date the dispute was withdrawn must be on or after the date the meeting was held (20 February 2024)"
    ]
    d = db.session.get(Dispute, d_id)
    assert (d.state, d.closed_on) == (DisputeState.meeting_held, None)


def test_wrong_role_and_stale_version_are_refused(plain, demo):
    office, police = plain("office@demo.test"), plain("police@demo.test")
    d_id = _raise(office, demo, "2024-01-29").json["id"]
    # A party's partner member may see it but not determine it.
    r = _fire(police, d_id, "determine", determined_on="2024-01-31")
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    version = office.get(f"/api/v1/disputes/{d_id}").json["version"]
    assert _fire(office, d_id, "determine", determined_on="2024-01-31").status_code == 200
    r = office.post(
        f"/api/v1/disputes/{d_id}/transitions",
        json={"trigger": "convene", "version": version, "meeting_on": "2024-02-20", "outcome": "x", **HELD},
    )
    assert r.status_code == 409
    # Escalation is the Independent Chair's alone, on whatever date.
    _fire(office, d_id, "convene", meeting_on="2024-02-20", outcome="x", **HELD)
    r = _fire(office, d_id, "escalate", escalation_reason="x", escalated_on="2024-03-01")
    assert r.status_code == 403
    assert db.session.get(Dispute, d_id).state == DisputeState.meeting_held


def test_a_browser_session_still_needs_its_csrf_token(client_as, demo):
    c = client_as("office")
    body = {
        "subject": "x",
        "summary": "y",
        "raised_on": "2024-01-29",
        "party_organisation_ids": [demo.org("police").id, demo.org("west").id],
    }
    before = _count(Dispute)
    assert c.post("/api/v1/disputes", json=body, csrf=False).status_code in (400, 403)
    assert _count(Dispute) == before
    assert c.post("/api/v1/disputes", json=body).status_code == 201


# --- the daily job ---------------------------------------------------------------------------


def test_a_breach_entered_at_once_is_neither_recorded_again_nor_alerted(plain, demo):
    office = plain("office@demo.test")
    d_id = _raise(office, demo, "2026-10-01").json["id"]
    _fire(office, d_id, "determine", determined_on="2026-10-29")  # deadline 26 November 2026, passed
    d = db.session.get(Dispute, d_id)
    assert d.breach_recorded_on == TODAY
    note = d.breach_note
    # Today's run, again tomorrow, and a backfill for a day inside its 7-day window.
    for day in (TODAY, date(2026, 12, 4), date(2026, 11, 22)):
        dispute_deadlines(day)
    db.session.refresh(d)
    assert (d.breach_recorded_on, d.breach_note, d.deadline_alert_sent_on) == (TODAY, note, None)
    assert _alerts(d_id) == 0


def test_a_dispute_entered_with_days_still_left_is_alerted_once(plain, demo):
    office = plain("office@demo.test")
    d_id = _raise(office, demo, "2026-11-06").json["id"]
    r = _fire(office, d_id, "determine", determined_on="2026-11-08")  # deadline 6 December: 3 days left
    assert r.json["days_left"] == "3 days left" and r.json["breached"] is False
    assert dispute_deadlines(TODAY)["alerts"] >= 1
    assert dispute_deadlines(date(2026, 12, 4))["alerts"] == 0
    assert _alerts(d_id) == 1


def test_last_years_history_never_alerts(plain, demo):
    """A long-past dispute typed in: its breach is recorded when entered, no email about it."""
    office = plain("office@demo.test")
    d_id = _raise(office, demo, "2025-03-03").json["id"]
    _fire(office, d_id, "determine", determined_on="2025-03-04")
    dispute_deadlines(TODAY)
    assert _alerts(d_id) == 0
    assert _count_where(OutboxMessage, OutboxMessage.subject.contains(db.session.get(Dispute, d_id).reference)) == 0


# --- the pages -------------------------------------------------------------------------------


def test_recording_after_the_fact_on_the_pages(client_as, demo):
    c = client_as("office")
    page = c.get("/disputes/new").text
    for part, value in (("day", "03"), ("month", "12"), ("year", "2026")):  # today by default
        assert f'id="raised_on-{part}" name="raised_on" type="text" value="{value}"' in page
    data = {
        "subject": "Joint funding of an advocacy post",
        "summary": "Who pays.",
        "party_organisation_ids": [str(demo.org("north").id), str(demo.org("icb").id)],
    }
    before = _count(Dispute)
    r = c.post("/disputes/new", data={**data, "raised_on": ["4", "12", "2026"]})
    assert r.status_code == 200 and "govuk-error-summary" in r.text
    assert "The date the dispute was raised must be today or in the past" in r.text
    r = c.post("/disputes/new", data={**data, "raised_on": ["30", "2", "2024"]})
    assert 'href="#raised_on-day"' in r.text and "must be a real date" in r.text
    assert _count(Dispute) == before

    r = c.post("/disputes/new", data={**data, "raised_on": ["29", "1", "2024"]})
    assert r.status_code == 302
    d = db.session.scalar(sa.select(Dispute).where(Dispute.subject == "Joint funding of an advocacy post"))
    assert d.raised_on == date(2024, 1, 29) and d.reference.startswith("DSP-2024-")

    url = f"/workflow/dispute/{d.id}/determine"
    r = c.post(url, data={"version": d.version, "confirmed": "1", "determined_on": ["28", "1", "2024"]})
    assert "must be on or after the date it was raised (29 January 2024)" in r.text
    r = c.post(url, data={"version": d.version, "confirmed": "1", "determined_on": ["31", "1", "2024"]})
    assert r.status_code == 302
    db.session.refresh(d)
    assert (d.deadline, d.breached) == (date(2024, 2, 28), True)
    assert "28-day rule breached" in c.get(f"/disputes/{d.id}").text

    # The meeting page records a meeting already held in one step.
    meeting = {
        "version": d.version,
        "meeting_on": ["20", "2", "2024"],
        "meeting_time": "10:00",
        "location": "County Hall",
        "chair_person_id": str(demo.person("chair").id),
    }
    page = c.get(f"/disputes/{d.id}/meeting").text
    assert "Outcome of the meeting, if it has already been held" in page
    r = c.post(f"/disputes/{d.id}/meeting", data=meeting)
    assert 'href="#outcome"' in r.text and "a meeting on a past date has already taken place" in r.text
    db.session.refresh(d)
    assert d.state == DisputeState.determined
    r = c.post(f"/disputes/{d.id}/meeting", data={**meeting, "outcome": "A protocol agreed"})
    assert r.status_code == 302
    db.session.refresh(d)
    assert (d.state, d.held_on, d.breached) == (DisputeState.meeting_held, date(2024, 2, 20), False)

    # Resolved on the generic page: the date is filled in with today; an earlier one is kept.
    url = f"/workflow/dispute/{d.id}/resolve"
    page = c.get(url).text
    assert 'id="resolved_on-year" name="resolved_on" type="text" value="2026"' in page
    r = c.post(
        url,
        data={"version": d.version, "confirmed": "1", "resolution": "Signed", "resolved_on": ["1", "1", "2027"]},
    )
    assert "The date the dispute was resolved must be today or in the past" in r.text
    r = c.post(
        url,
        data={"version": d.version, "confirmed": "1", "resolution": "Signed", "resolved_on": ["5", "3", "2024"]},
    )
    assert r.status_code == 302
    db.session.refresh(d)
    assert (d.state, d.closed_on) == (DisputeState.resolved, date(2024, 3, 5))

    # The history shows the day each happened and, as it differs, who entered it when.
    text = c.get(f"/disputes/{d.id}").text
    for day in ("31 January 2024", "20 February 2024", "5 March 2024"):
        assert day in text
    office = demo.user("office").person.name  # the history names people; the audit log keeps the sign-in
    assert text.count("entered on") == 3 and f"by {office}" in text


def test_the_history_shows_no_entry_note_for_a_date_entered_the_same_day(demo):
    """The macro's rule, with a row whose day and entry time agree."""
    now = utcnow()
    row = WorkflowHistory(
        lifecycle="dispute",
        entity_id=1,
        trigger="determine",
        from_state="raised",
        to_state="determined",
        actor_label="office@demo.test",
        at=now,
        data={},
        occurred_on=now.astimezone(LONDON).date(),
    )
    html = render_template_string('{% from "macros/app.html" import history_table %}{{ history_table([h]) }}', h=row)
    assert "entered on" not in html
    row.occurred_on = date(2024, 1, 31)
    html = render_template_string('{% from "macros/app.html" import history_table %}{{ history_table([h]) }}', h=row)
    assert "31 January 2024" in html and "entered on" in html and "by office@demo.test" in html


# --- complaints: the same defect, fixed the same way -----------------------------------------


def _complaint(api, kind: str, received_on: str, **extra):
    body = {
        "kind": kind,
        "received_on": received_on,
        "complainant_name": "A Person",
        "complainant_contact": "a@example.com",
        "summary": "Minutes were published late",
        **extra,
    }
    r = api.post("/api/v1/complaints", json=body)
    assert r.status_code == 201, r.json
    return r.json["id"]


def _fire_complaint(api, c_id: int, trigger: str, **fields):
    version = api.get(f"/api/v1/complaints/{c_id}").json["version"]
    return api.post(f"/api/v1/complaints/{c_id}/transitions", json={"trigger": trigger, "version": version, **fields})


def test_a_complaint_from_last_year_keeps_its_real_dates(plain):
    office, chair = plain("office@demo.test"), plain("chair@demo.test")
    c_id = _complaint(office, "partnership", "2025-06-02")
    r = _fire_complaint(chair, c_id, "investigate", started_on="2025-06-01")
    assert r.status_code == 422 and r.json["reasons"] == [
        "The date the investigation started must be on or after the date the complaint was received (2 June 2025)"
    ]
    r = _fire_complaint(chair, c_id, "investigate", started_on="2026-12-04")
    assert r.json["reasons"] == ["The date the investigation started must be today or in the past"]
    assert office.get(f"/api/v1/complaints/{c_id}").json["state"] == "received"
    r = _fire_complaint(chair, c_id, "investigate", started_on="2025-06-05")
    assert r.status_code == 200 and r.json["investigation_started_on"] == "2025-06-05"
    r = _fire_complaint(chair, c_id, "respond", outcome="Apology", responded_on="2025-06-04", response_method="letter")
    assert r.json["reasons"] == [
        "The date the outcome was communicated must be on or after the date the investigation started (5 June 2025)"
    ]
    r = _fire_complaint(chair, c_id, "respond", outcome="Apology", responded_on="2025-07-01", response_method="letter")
    assert r.status_code == 200
    r = _fire_complaint(office, c_id, "close", closed_on="2025-06-30")
    assert (
        r.status_code == 422
        and "on or after the date the outcome was communicated (1 July 2025)" in r.json["reasons"][0]
    )
    r = _fire_complaint(office, c_id, "close", closed_on="2025-07-02")
    assert (r.status_code, r.json["state"], r.json["closed_on"]) == (200, "closed", "2025-07-02")
    history = office.get(f"/api/v1/complaints/{c_id}/history").json
    assert [h["occurred_on"] for h in history] == ["2025-06-05", "2025-07-01", "2025-07-02"]


def test_a_referral_made_last_year_emails_no_one_now(plain, demo):
    office = plain("office@demo.test")
    c_id = _complaint(office, "member_service", "2025-05-01", organisation_id=demo.org("acute").id)
    before = _count_where(OutboxMessage, OutboxMessage.kind == "complaint_referral")
    r = _fire_complaint(office, c_id, "refer", referred_on="2025-05-03")
    assert (r.status_code, r.json["referred_on"], r.json["closed_on"]) == (200, "2025-05-03", "2025-05-03")
    assert r.json["organisation_notified_at"] is None
    assert _count_where(OutboxMessage, OutboxMessage.kind == "complaint_referral") == before
