"""The retention schedule (defaults the office sets and confirms; an unconfirmed class is
never disposed of) and holds (on a record, a review, or a class; lifted with a reason,
never deleted; each audited), by service, page and API, with the refusals."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AuditEntry, Hold, Review, ReviewKind
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.records import schedule as svc


def test_the_demo_schedule_is_confirmed_but_for_two_classes(demo):
    entries = svc.schedule(demo.user("office"))
    assert {e.key for e in entries if not e.confirmed} == {"audit_log", "user_accounts"}
    published = next(e for e in entries if e.key == "published_reports")
    assert (published.period_years, published.final_action.value) == (None, "keep")
    finance = next(e for e in entries if e.key == "finance")
    assert (finance.period_years, finance.trigger.value, finance.final_action.value) == (
        6,
        "financial_year_end",
        "dispose",
    )
    assert svc.schedule(demo.user("chair"))  # the chair reads it
    with pytest.raises(Forbidden):
        svc.schedule(demo.user("viewer"))


def test_the_office_sets_and_confirms_a_class(demo):
    office = demo.user("office")
    e = svc.entry("outbox", office)
    with pytest.raises(StaleVersion):
        svc.set_rule(
            "outbox",
            user=office,
            version=e.rule.version - 1,
            period_years=3,
            trigger="created",
            final_action="dispose",
            confirmed=True,
        )
    with pytest.raises(ValidationFailed) as bad:
        svc.set_rule(
            "outbox",
            user=office,
            version=e.rule.version,
            period_years=None,
            trigger="created",
            final_action="dispose",
            confirmed=True,
        )
    assert "Enter the period" in bad.value.errors["final_action"]
    with pytest.raises(ValidationFailed) as bad:
        svc.set_rule(
            "outbox",
            user=office,
            version=e.rule.version,
            period_years=0,
            trigger="soon",
            final_action="burn",
            confirmed=True,
        )
    assert set(bad.value.errors) == {"period_years", "trigger", "final_action"}
    out = svc.set_rule(
        "outbox",
        user=office,
        version=e.rule.version,
        period_years=3,
        trigger="created",
        final_action="dispose",
        confirmed=False,
    )
    assert (out.period_years, out.confirmed, out.rule.confirmed_on) == (3, False, None)
    with pytest.raises(NotFound):
        svc.entry("secret_files", office)
    with pytest.raises(Forbidden):
        svc.set_rule(
            "outbox",
            user=demo.user("chair"),
            version=out.rule.version,
            period_years=3,
            trigger="created",
            final_action="dispose",
            confirmed=True,
        )
    db.session.flush()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(
                AuditEntry.entity_type == "retention_rules", AuditEntry.entity_id == str(out.rule.id)
            )
        )
        >= 2
    )  # set in the demo, changed here


def test_holds_cover_a_class_a_review_or_a_record_until_lifted(demo):
    office = demo.user("office")
    review = db.session.scalar(sa.select(Review).where(Review.kind == ReviewKind.sar).limit(1))
    # The demo's IICSA hold covers the children's review records as a class.
    assert svc.is_held(class_key="cspr_records")
    assert not svc.is_held(class_key="sar_records", review_id=review.id)
    on_review = svc.place_hold(user=office, scope="review", review_id=review.id, reason="Complaint to the Ombudsman")
    assert svc.is_held(class_key="sar_records", review_id=review.id)
    assert svc.is_held(class_key="sar_records", record_type="review", record_id=review.id, review_id=review.id)
    one = svc.place_hold(
        user=office, scope="record", record_type="dispute", record_id=demo.id("disputes", "resolved"), reason="Claim"
    )
    assert svc.is_held(class_key="disputes", record_type="dispute", record_id=one.record_id)
    assert not svc.is_held(class_key="disputes", record_type="dispute", record_id=one.record_id + 999)
    with pytest.raises(ValidationFailed) as bad:
        svc.place_hold(user=office, scope="record", record_type="dispute", record_id=10**9, reason="")
    assert set(bad.value.errors) == {"record_id", "reason"}
    with pytest.raises(ValidationFailed):
        svc.place_hold(user=office, scope="everything", reason="x")
    with pytest.raises(Forbidden):
        svc.place_hold(user=demo.user("chair"), scope="class", class_key="finance", reason="x")
    with pytest.raises(ValidationFailed):
        svc.lift_hold(on_review, user=office, version=on_review.version, reason=" ")
    svc.lift_hold(on_review, user=office, version=on_review.version, reason="The Ombudsman closed the complaint")
    assert not svc.is_held(class_key="sar_records", review_id=review.id)
    with pytest.raises(Conflict):
        svc.lift_hold(on_review, user=office, version=on_review.version, reason="Again")
    assert db.session.get(Hold, on_review.id) is not None  # lifted, never deleted


def test_pages(demo, client_as):
    office = client_as("office")
    page = office.get("/retention")
    assert page.status_code == 200 and "Not confirmed" in page.text and "The audit log" in page.text
    assert client_as("chair").get("/retention").status_code == 200
    assert client_as("viewer").get("/retention").status_code == 403
    holds = office.get("/holds").text
    assert "Independent Inquiry into Child Sexual Abuse" in holds
    assert "Child safeguarding practice review working papers" in holds
    bad = office.post("/holds/new", data={"scope": "class", "class_key": "", "reason": "Audit"})
    assert bad.status_code == 400 and "Select the record class the hold covers" in bad.text
    for typed in ("²", "12345678901234567890", "abc"):  # not an id: a message, never an error page
        odd = office.post(
            "/holds/new", data={"scope": "record", "record_type": "dispute", "record_id": typed, "reason": "Claim"}
        )
        assert odd.status_code == 400 and "govuk-error-summary" in odd.text, typed
    ok = office.post("/holds/new", data={"scope": "class", "class_key": "finance", "reason": "External audit"})
    assert ok.status_code == 302
    edit = office.post(
        "/retention/outbox/edit", data={"period_years": "", "trigger": "created", "final_action": "dispose"}
    )
    assert edit.status_code == 400 and "Enter the period" in edit.text


def test_api(demo, api_as):
    api = api_as("office")
    classes = api.get("/api/v1/retention/classes").json
    outbox = next(c for c in classes if c["key"] == "outbox")
    assert outbox["confirmed"] is True and outbox["version"] is not None
    put = api.put(
        "/api/v1/retention/classes/outbox",
        json={
            **{k: outbox[k] for k in ("period_years", "trigger", "final_action")},
            "version": outbox["version"],
            "confirmed": False,
        },
    )
    assert put.status_code == 200 and put.json["confirmed"] is False
    stale = api.put(
        "/api/v1/retention/classes/outbox",
        json={"period_years": 2, "trigger": "created", "final_action": "dispose", "version": outbox["version"]},
    )
    assert stale.status_code == 409
    assert (
        api.put("/api/v1/retention/classes/nothing", json={"trigger": "created", "final_action": "keep"}).status_code
        == 404
    )
    held = api.post("/api/v1/holds", json={"scope": "class", "class_key": "attendance", "reason": "Tribunal claim"})
    assert held.status_code == 201 and held.json["scope"] == "class" and held.json["active"] is True
    assert api.post("/api/v1/holds", json={"scope": "class", "class_key": "nothing", "reason": "x"}).status_code == 422
    lifted = api.post(
        f"/api/v1/holds/{held.json['id']}/lift", json={"version": held.json["version"], "reason": "Settled"}
    )
    assert lifted.status_code == 200 and lifted.json["active"] is False
    assert api.get("/api/v1/holds?show=lifted").json[0]["id"] == held.json["id"]
    assert api_as("chair").get("/api/v1/holds").status_code == 403
    assert api_as("chair").get("/api/v1/retention/classes").status_code == 200
