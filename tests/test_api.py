"""The API's shape: an OpenAPI document generated from the code, RFC 9457 problems for
every error, paginated lists."""

from __future__ import annotations


def test_openapi_document_covers_every_api_route(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api-docs.openapi_json":
            continue
        path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (path, method) not in documented:
                missing.append(f"{method} {rule.rule}")
    assert not missing, missing
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_problem_json_for_unknown_paths_and_bad_input(api_as):
    office = api_as("office")
    r = office.get("/api/v1/organisations/999999")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert set(r.json) >= {"type", "title", "status", "instance"}
    r = office.post("/api/v1/organisations", json={"name": "", "kind": "spaceship"})
    assert r.status_code == 422
    assert r.json["errors"]["short_name"] == "Enter a value"
    assert "kind" in r.json["errors"] and "name" in r.json["errors"]
    r = office.post("/api/v1/organisations", data="not json", headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.mimetype == "application/problem+json"
    r = office.get("/api/v1/people?per_page=100000")
    assert r.status_code == 422 and "per_page" in r.json["errors"]
    r = office.delete("/api/v1/organisations")
    assert r.status_code == 405 and r.mimetype == "application/problem+json"


def test_people_list_is_paginated(api_as):
    r = api_as("chair").get("/api/v1/people?per_page=5&page=2")
    assert r.status_code == 200
    assert len(r.json["items"]) == 5 and r.json["page"] == 2 and r.json["total"] >= 20


def test_create_and_update_through_the_api(api_as, demo):
    office = api_as("office")
    r = office.post("/api/v1/people", json={"name": "Sam Taylor", "organisation_id": demo.org("police").id})
    assert r.status_code == 201
    person = r.json
    r = office.patch(f"/api/v1/people/{person['id']}", json={"version": person["version"], "job_title": "Inspector"})
    assert r.status_code == 200 and r.json["job_title"] == "Inspector"
    r = office.patch(f"/api/v1/people/{person['id']}", json={"version": person["version"], "job_title": "Again"})
    assert r.status_code == 409
    r = office.post(
        f"/api/v1/groups/{demo.group('qp').id}/memberships",
        json={"person_id": person["id"], "start_date": "2026-04-01", "deputy_person_id": 999999},
    )
    assert r.status_code == 422 and r.json["errors"] == {"deputy_person_id": "No person with this id"}
    r = office.post(
        f"/api/v1/groups/{demo.group('qp').id}/memberships",
        json={"person_id": person["id"], "start_date": "2026-04-01", "role": "member"},
    )
    assert r.status_code == 201 and r.json["organisation_id"] == demo.org("police").id


def test_working_days_endpoint(api_as):
    r = api_as("police").get("/api/v1/calendar/working-days?from=2026-12-18&days=5")
    assert r.status_code == 200
    assert r.json["date"] == "2026-12-29"
    assert r.json["skipped"] == ["2026-12-25", "2026-12-28"]
    r = api_as("police").get("/api/v1/calendar/working-days?from=2026-02-30&days=5")
    assert r.status_code == 422 and "from" in r.json["errors"]
