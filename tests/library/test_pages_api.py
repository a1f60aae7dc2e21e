"""The library's pages and API: need-to-know on a finding's statement, recording and
editing a finding through the page (GOV.UK error summary) and the API (problem JSON, 409
on a stale version), bad filters never a 500."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Finding


def _finding(demo, key="closed_0"):
    return db.session.get(Finding, demo.id("findings", key))


def test_the_library_page_lists_findings_with_facets_recurrence_and_the_chart(client_as, demo):
    r = client_as("office").get("/findings")
    assert r.status_code == 200
    assert "Learning library" in r.text and "Recurrence since" in r.text
    assert "Self-neglect" in r.text and "Themes by year" in r.text
    assert 'href="/findings?theme=self_neglect' in r.text  # facets and recurrence link to the theme


def test_a_partner_not_on_the_sub_group_reads_the_public_statement_only(client_as, demo):
    f = _finding(demo)
    page = client_as("north").get("/findings?q=missed+visits")
    assert f.public_statement in page.text and f.statement not in page.text
    assert f.statement in client_as("office").get("/findings?q=missed+visits").text
    one = client_as("north").get(f"/findings/{f.id}")
    assert one.status_code == 200 and f.public_statement in one.text and f.statement not in one.text
    assert client_as("sarchair").get(f"/findings/{f.id}").text.count(f.statement) == 1
    viewer = client_as("viewer").get(f"/findings/{f.id}")
    assert viewer.status_code == 200 and f.statement not in viewer.text


def test_the_api_hides_the_statement_from_those_who_may_not_see_the_source(api_as, demo):
    f = _finding(demo)
    office = api_as("office").get(f"/api/v1/findings/{f.id}").json
    assert office["statement"] == f.statement and office["public_statement"] == f.public_statement
    viewer = api_as("viewer").get(f"/api/v1/findings/{f.id}").json
    assert viewer["statement"] is None and viewer["public_statement"] == f.public_statement
    lib = api_as("viewer").get("/api/v1/findings?per_page=200").json
    assert lib["total"] >= 10 and all(item["statement"] is None for item in lib["items"])
    assert {"themes", "arms", "recurrence", "since"} <= set(lib)


def test_the_api_filters_and_refuses_bad_filters_with_a_problem(api_as, demo):
    c = api_as("office")
    lib = c.get("/api/v1/findings?theme=self_neglect&from=2021-01-01&to=2026-12-31").json
    assert lib["total"] >= 3
    assert all(any(t["code"] == "self_neglect" for t in i["tags"]) for i in lib["items"])
    for bad in ("theme=nope", "domain=nope", "arm=x", "from=2026-13-01", "from=2026-02-01&to=2026-01-01", "since=1"):
        r = c.get(f"/api/v1/findings?{bad}")
        assert r.status_code == 422, bad
        assert r.content_type.startswith("application/problem+json")


def test_the_api_records_and_edits_a_finding(api_as, demo):
    c = api_as("office")
    body = {
        "review_id": demo.id("reviews", "published"),
        "statement": "Statement",
        "public_statement": "Public",
        "found_on": "2026-05-01",
        "tags": ["domestic_abuse"],
        "keywords": ["coercion"],
        "agency_ids": [demo.org("police").id],
    }
    r = c.post("/api/v1/findings", json=body)
    assert r.status_code == 201, r.json
    made = r.json
    assert made["source_kind"] == "sar" and made["tags"][0]["code"] == "domestic_abuse"
    r = c.patch(f"/api/v1/findings/{made['id']}", json={"version": made["version"], "public_statement": "Changed"})
    assert (
        r.status_code == 200
        and r.json["public_statement"] == "Changed"
        and r.json["tags"][0]["code"] == "domestic_abuse"
    )
    stale = c.patch(f"/api/v1/findings/{made['id']}", json={"version": made["version"], "public_statement": "Again"})
    assert stale.status_code == 409
    bad = c.post("/api/v1/findings", json={**body, "tags": []})
    assert bad.status_code == 422
    two = c.post("/api/v1/findings", json={**body, "audit_id": 1})
    assert two.status_code == 422
    assert api_as("sarchair").post("/api/v1/findings", json=body).status_code == 403


def test_the_office_adds_a_finding_from_the_review_page(client_as, demo):
    review_id = demo.id("reviews", "published")
    c = client_as("office")
    assert "Add a finding" in c.get(f"/reviews/{review_id}").text
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Finding))
    bad = c.post(f"/reviews/{review_id}/findings/new", data={"statement": "", "public_statement": ""})
    assert bad.status_code == 200 and "There is a problem" in bad.text and "Enter the finding" in bad.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == before
    no_tags = c.post(
        f"/reviews/{review_id}/findings/new",
        data={"statement": "S", "public_statement": "P", "found_on": ["1", "5", "2026"]},
    )
    assert "Select at least one theme" in no_tags.text
    ok = c.post(
        f"/reviews/{review_id}/findings/new",
        data={
            "statement": "Statement by page",
            "public_statement": "Public by page",
            "found_on": ["1", "5", "2026"],
            "abuse_types": ["financial"],
            "domains": ["direct_practice"],
            "keywords": "money, bank",
            "agency_ids": [str(demo.org("police").id)],
        },
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"/reviews/{review_id}#findings")
    f = db.session.scalars(sa.select(Finding).order_by(Finding.id.desc())).first()
    assert (f.statement, f.keywords) == ("Statement by page", ["money", "bank"])
    edit = c.get(f"/findings/{f.id}/edit")
    assert edit.status_code == 200 and "Public by page" in edit.text and 'value="financial" checked' in edit.text


def test_a_stale_edit_through_the_page_changes_nothing(client_as, demo):
    f = _finding(demo)
    c = client_as("office")
    r = c.post(
        f"/findings/{f.id}/edit",
        data={
            "version": str(f.version - 1 if f.version > 1 else 99),
            "statement": "Changed",
            "public_statement": "Changed",
            "found_on": ["1", "5", "2026"],
            "abuse_types": ["neglect"],
        },
    )
    assert r.status_code in (200, 302)
    db.session.expire_all()
    assert db.session.get(Finding, f.id).statement != "Changed"


def test_bad_filters_on_the_page_are_said_never_a_500(client_as):
    r = client_as("viewer").get("/findings?theme=nope&from=31-02-2026&to=x&page=abc&since=99999&arm=zzz")
    assert r.status_code == 200 and "Some filters were left out" in r.text


def test_the_office_records_learning_reviews_and_audits_and_their_findings(api_as, demo):
    c = api_as("office")
    body = {
        "reference": "LR-T1",
        "kind": "dardr",
        "title": "A death review",
        "arm": "adults",
        "area": "west",
        "concluded_on": "2025-01-10",
    }
    lr = c.post("/api/v1/learning-reviews", json=body)
    assert lr.status_code == 201, lr.json
    again = c.post("/api/v1/learning-reviews", json=body)
    assert again.status_code == 422 and "reference" in again.json["errors"]
    audit = c.post(
        "/api/v1/audits",
        json={
            "reference": "MAA-T1",
            "topic": "Front door",
            "arm": "children",
            "area": "both",
            "audited_on": "2025-02-01",
            "cases_audited": 5,
            "grades": {"good": 3, "inadequate": 2},
            "group_id": demo.group("qp").id,
        },
    )
    assert audit.status_code == 201, audit.json
    too_many = c.post(
        "/api/v1/audits",
        json={
            "reference": "MAA-T2",
            "topic": "x",
            "arm": "children",
            "area": "both",
            "audited_on": "2025-02-01",
            "cases_audited": 1,
            "grades": {"good": 3},
        },
    )
    assert too_many.status_code == 422
    no_group = c.post(
        "/api/v1/audits",
        json={
            "reference": "MAA-T3",
            "topic": "x",
            "arm": "children",
            "area": "both",
            "audited_on": "2025-02-01",
            "cases_audited": 1,
            "group_id": 999999,
        },
    )
    assert no_group.status_code == 422
    f = c.post(
        "/api/v1/findings",
        json={
            "audit_id": audit.json["id"],
            "statement": "Audit statement",
            "public_statement": "Audit public",
            "found_on": "2025-02-01",
            "tags": ["information_sharing"],
        },
    )
    assert f.status_code == 201 and f.json["source_kind"] == "audit" and f.json["arm"] == "children"
    # The QP sub-group's members read the audit's findings in full; a partner not on it does not.
    assert api_as("chair").get(f"/api/v1/findings/{f.json['id']}").json["statement"] == "Audit statement"
    assert api_as("police").get(f"/api/v1/findings/{f.json['id']}").json["statement"] is None
    assert api_as("chair").get("/api/v1/audits").status_code == 200
    assert api_as("sarchair").post("/api/v1/learning-reviews", json=body).status_code == 403


def test_reading_a_findings_statement_is_recorded_in_the_audit_log(client_as, demo):
    from safeguarding.models import AuditEntry

    f = _finding(demo)

    def views():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity_type == "findings", AuditEntry.entity_id == str(f.id), AuditEntry.action == "view")
        )

    before = views()
    client_as("viewer").get(f"/findings/{f.id}")  # the public statement only: not a view of case content
    assert views() == before
    client_as("sarchair").get(f"/findings/{f.id}")
    assert views() == before + 1
