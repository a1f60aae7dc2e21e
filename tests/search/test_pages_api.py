"""The search page, the header's search box and the API: results grouped by kind with
counts, links to the records' pages, pagination, and bad input said (a GOV.UK error
summary on the page, an RFC 9457 problem from the API), never a 500."""

from __future__ import annotations

import pytest


def test_the_header_has_a_search_box_for_those_who_may_search(client_as):
    for who in ("office", "chair", "police", "sarchair", "viewer", "scrutineer", "northdcs"):
        assert 'id="header-search"' in client_as(who).get("/home").text, who
    assert 'id="header-search"' not in client_as("admin").get("/home").text


def test_the_page_groups_results_by_kind_with_counts_and_links(client_as):
    page = client_as("office").get("/search?q=safeguarding")
    assert page.status_code == 200
    text = page.text
    assert 'id="counts"' in text and "<strong>All kinds</strong>" in text
    for label in ("Meetings", "Minutes", "Agenda items"):
        assert f">{label}</a> (" in text, label
    assert "<mark>" in text and 'class="govuk-pagination"' in text and "type=meetings" in text


def test_the_page_filters_by_kind_and_pages_on(client_as):
    c = client_as("office")
    page = c.get("/search?q=safeguarding&type=minutes&order=relevance&page=2")
    assert page.status_code == 200 and "<strong>Minutes</strong>" in page.text


def test_an_empty_search_says_what_to_do(client_as):
    page = client_as("viewer").get("/search")
    assert page.status_code == 200 and "Enter a word or two to search for" in page.text


def test_a_viewer_is_offered_only_the_kinds_they_may_open(client_as):
    text = client_as("viewer").get("/search?q=board").text
    assert 'value="minutes"' in text and 'value="findings"' in text
    for kind in ("reviews", "letters", "disputes", "meetings", "papers", "people"):
        assert f'value="{kind}"' not in text, kind


@pytest.mark.parametrize(
    "query, field",
    [
        ("q=" + "x" * 201, "q"),
        ("q=board&type=spaceships", "type"),
        ("q=board&area=east", "area"),
        ("q=board&from=2026-02-30", "from"),
        ("q=board&from=2026-02-01&to=2026-01-01", "to"),
        ("q=board&order=random", "order"),
        ("q=board&page=abc", None),
    ],
)
def test_bad_input_on_the_page_is_said_and_dropped(client_as, query, field):
    page = client_as("office").get(f"/search?{query}")
    assert page.status_code == 200
    if field:
        assert "govuk-error-summary" in page.text and f'href="#search-{field}"' in page.text


def test_the_api_answers_counts_items_and_page_info(api_as):
    body = api_as("office").get("/api/v1/search?q=safeguarding&per_page=5").get_json()
    assert body["q"] == "safeguarding" and body["page"] == 1 and body["per_page"] == 5
    assert body["total"] == sum(body["counts"].values()) and len(body["items"]) == 5
    item = body["items"][0]
    assert set(item) == {"type", "record_type", "record_id", "title", "snippet", "occurred_on", "area", "url"}
    only = api_as("office").get("/api/v1/search?q=safeguarding&type=minutes&type=papers").get_json()
    assert {i["type"] for i in only["items"]} <= {"minutes", "papers"}
    assert only["total"] == body["counts"]["minutes"] + body["counts"]["papers"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("q=" + "x" * 201, "q"),
        ("q=board&type=spaceships", "type"),
        ("q=board&area=east", "area"),
        ("q=board&from=yesterday", "from"),
        ("q=board&from=2026-02-01&to=2026-01-01", "to"),
        ("q=board&order=random", "order"),
        ("q=board&per_page=1000", "per_page"),
    ],
)
def test_bad_input_to_the_api_is_a_problem(api_as, query, field):
    r = api_as("office").get(f"/api/v1/search?{query}")
    assert r.status_code == 422 and r.content_type.startswith("application/problem+json")
    assert field in str(r.get_json()["errors"])


def test_the_api_for_an_empty_search(api_as):
    body = api_as("chair").get("/api/v1/search").get_json()
    assert body["items"] == [] and body["total"] == 0 and set(body["counts"].values()) == {0}
