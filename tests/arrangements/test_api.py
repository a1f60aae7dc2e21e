"""GET /api/v1/arrangements and the business office's writes: RFC 9457 problems on bad
input (422), 403 for other roles, 409 on a stale version; every change in the history
and the audit log."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ArrangementsChange, AuditEntry, SafeguardingPartner


def _partner(demo, key: str) -> SafeguardingPartner:
    return db.session.scalar(
        sa.select(SafeguardingPartner).where(SafeguardingPartner.organisation_id == demo.org(key).id)
    )


def test_read_the_arrangements(api_as, demo):
    for who in ("office", "chair", "police", "sarchair", "viewer", "northdcs", "scrutineer"):
        assert api_as(who).get("/api/v1/arrangements").status_code == 200, who
    assert api_as("admin").get("/api/v1/arrangements").status_code == 403
    body = api_as("viewer").get("/api/v1/arrangements").json
    names = [p["organisation_name"] for p in body["partners"]]
    assert names == sorted(names) and len(names) == 4
    north = next(p for p in body["partners"] if p["organisation_id"] == demo.org("north").id)
    assert north["area"] == "north" and north["chairs_partnership"] is True
    assert north["lead"]["name"] == "Rachel Kingsley" and north["delegate"]["name"] == "Fiona Grant"
    assert body["chair_partner_id"] == north["id"]
    assert body["scrutineer"]["name"] == "Professor Alan Hart"
    assert "Probation Service (County)" in body["relevant_agencies"]
    assert body["published_on"] and body["publication_url"].startswith("https://")
    dates = [c["changed_on"] for c in body["changes"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6


def test_only_the_office_writes(api_as, demo):
    p = _partner(demo, "west")
    for who in ("chair", "northdcs", "scrutineer", "viewer", "police"):
        c = api_as(who)
        assert c.put("/api/v1/arrangements", json={"version": 1}).status_code == 403
        assert c.post("/api/v1/arrangements/partners", json={}).status_code == 403
        assert c.patch(f"/api/v1/arrangements/partners/{p.id}", json={"version": p.version}).status_code == 403


def test_patch_a_partner_writes_history_and_audit(api_as, demo):
    p = _partner(demo, "icb")
    deputy = demo.person("icb_deputy").id
    r = api_as("office").patch(
        f"/api/v1/arrangements/partners/{p.id}",
        json={"version": p.version, "delegate_person_id": deputy, "delegated_on": "2026-12-01"},
    )
    assert r.status_code == 200, r.json
    assert r.json["delegate"]["id"] == deputy and r.json["delegated_on"] == "2026-12-01"
    change = db.session.scalar(sa.select(ArrangementsChange).order_by(ArrangementsChange.id.desc()).limit(1))
    assert "delegate Paul Haynes (Deputy Chief Nurse) from 1 December 2026" in change.description
    assert change.changed_by_id == demo.user("office").id
    audit = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity_id == str(p.id), AuditEntry.action == "arrangements:partner")
    ).all()
    assert len(audit) == 1 and audit[0].actor_id == demo.user("office").id
    # The same version again: 409.
    r = api_as("office").patch(
        f"/api/v1/arrangements/partners/{p.id}", json={"version": p.version - 1, "delegated_on": "2026-12-02"}
    )
    assert r.status_code == 409 and r.mimetype == "application/problem+json"


def test_patch_refusals_are_problems(api_as, demo):
    p = _partner(demo, "west")
    c = api_as("office")
    r = c.patch(f"/api/v1/arrangements/partners/{p.id}", json={"version": p.version, "delegated_on": "2027-01-01"})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["errors"] == {"delegated_on": "The date of delegation must be today or in the past"}
    r = c.patch(
        f"/api/v1/arrangements/partners/{p.id}",
        json={"version": p.version, "delegate_person_id": demo.person("police_lead").id},
    )
    assert r.status_code == 422
    assert r.json["errors"] == {
        "delegate_person_id": "The delegated safeguarding partner must be someone from West Council"
    }
    r = c.patch(f"/api/v1/arrangements/partners/{p.id}", json={"delegated_on": "2026-01-01"})
    assert r.status_code == 422 and "version" in r.json["errors"]
    r = c.patch(f"/api/v1/arrangements/partners/{p.id}", json={"version": p.version, "delegated_on": "yesterday"})
    assert r.status_code == 422 and "delegated_on" in r.json["errors"]
    r = c.patch(f"/api/v1/arrangements/partners/{p.id}", data="{not json", headers={"Content-Type": "application/json"})
    # Malformed JSON is a 400 problem (as everywhere in the API); well-formed JSON with
    # values of the wrong kind is a 422 with the field named.
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    r = c.patch(f"/api/v1/arrangements/partners/{p.id}", json={"version": "one", "lead_person_id": "x"})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert {"version", "lead_person_id"} <= set(r.json["errors"])
    # The chair must be a delegate: police without a delegate cannot chair.
    police = _partner(demo, "police")
    r = c.patch(
        f"/api/v1/arrangements/partners/{police.id}", json={"version": police.version, "delegate_person_id": None}
    )
    assert r.status_code == 200
    r = c.patch(
        f"/api/v1/arrangements/partners/{police.id}", json={"version": r.json["version"], "chairs_partnership": True}
    )
    assert r.status_code == 422 and "must be a delegated safeguarding partner" in r.json["errors"]["chairs_partnership"]
    assert c.patch("/api/v1/arrangements/partners/999999", json={"version": 1}).status_code == 404


def test_post_a_partner(api_as, demo):
    c = api_as("office")
    r = c.post(
        "/api/v1/arrangements/partners",
        json={"organisation_id": demo.org("acute").id, "lead_person_id": demo.person("acute_lead").id},
    )
    assert r.status_code == 422 and "police force" in r.json["errors"]["organisation_id"]
    r = c.post("/api/v1/arrangements/partners", json={"lead_person_id": 1})
    assert r.status_code == 422 and "organisation_id" in r.json["errors"]


def test_put_the_arrangements(api_as, demo):
    c = api_as("office")
    body = c.get("/api/v1/arrangements").json
    put = {
        "version": body["version"],
        "scrutineer_person_id": body["scrutineer"]["id"],
        "relevant_agencies": ["Schools", "County Hospice"],
        "published_on": "2026-12-03",
        "publication_url": "https://example.org/arrangements-2026.pdf",
        "summary": body["summary"],
    }
    r = c.put("/api/v1/arrangements", json=put)
    assert r.status_code == 200, r.json
    assert r.json["relevant_agencies"] == ["Schools", "County Hospice"] and r.json["version"] == body["version"] + 1
    assert r.json["changes"][0]["changed_on"] == "2026-12-03"
    assert r.json["changes"][0]["description"].startswith("Relevant agencies (2): added Schools, County Hospice")
    assert c.put("/api/v1/arrangements", json=put).status_code == 409
    put["version"] = r.json["version"]
    put["scrutineer_person_id"] = demo.person("north_ce").id
    r = c.put("/api/v1/arrangements", json=put)
    assert r.status_code == 422
    assert r.json["errors"] == {
        "scrutineer_person_id": "The scrutineer must be independent of the safeguarding partners"
    }
    r = c.put("/api/v1/arrangements", json={**put, "scrutineer_person_id": None, "relevant_agencies": "Schools"})
    assert r.status_code == 422 and "relevant_agencies" in r.json["errors"]
    r = c.put("/api/v1/arrangements", json={**put, "scrutineer_person_id": None, "publication_url": "ftp://x"})
    assert r.status_code == 422 and "publication_url" in r.json["errors"]
