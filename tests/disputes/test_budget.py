"""The dispute pages stay within the query budget for the people who use them most —
a party's partner member and the Independent Chair — as disputes accumulate (the office
is covered by tests/test_query_budget.py)."""

from __future__ import annotations

import pytest

from tests.test_query_budget import BUDGET, _dispute_pages, _grow


@pytest.mark.parametrize("who", ["police", "chair"])
def test_dispute_pages_stay_within_the_budget(client_as, demo, count_queries, who):
    c = client_as(who)
    counts: dict[str, list[int]] = {}
    for size in (0, 15):
        if size:
            _grow(demo, size)
        for url in [*_dispute_pages(demo), "/home"]:
            with count_queries() as q:
                r = c.get(url)
            if r.status_code in (403, 404):  # not theirs to see
                continue
            assert r.status_code == 200, url
            counts.setdefault(url, []).append(q.count)
    assert len(counts) >= 6
    for url, (small, large) in counts.items():
        assert large <= BUDGET, f"{url}: {large} queries"
        assert large == small, f"{url}: {small} queries with the demo, {large} with 15 more disputes"
