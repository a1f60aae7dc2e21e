"""The budget's pages stay within the query budget for partners and the chair too, as the
data grows (tests/test_query_budget.py covers the office and the administrator)."""

from __future__ import annotations

import pytest

from tests.test_query_budget import BUDGET, _budget_pages, _grow


@pytest.mark.parametrize("who", ["west", "chair", "viewer"])
def test_budget_pages_stay_within_the_query_budget(client_as, demo, count_queries, who):
    c = client_as(who)
    counts: dict[str, list[int]] = {}
    for size in (0, 25):
        if size:
            _grow(demo, size)
        for url in _budget_pages(demo):
            with count_queries() as q:
                r = c.get(url)
            if r.status_code in (403, 404):
                continue
            assert r.status_code == 200, url
            counts.setdefault(url, []).append(q.count)
    assert counts, "the role should see some budget pages"
    for url, (small, large) in counts.items():
        assert large <= BUDGET, f"{url}: {large} queries"
        assert large == small, f"{url}: {small} queries with the demo, {large} with 25 more partners"
