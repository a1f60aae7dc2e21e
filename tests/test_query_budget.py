"""Pages and API lists use a bounded number of SQL queries whatever the data size
(the benchmark, bench/, measures time at scale; here we pin the query counts)."""

from __future__ import annotations

import pytest

from tests.support.factories import MembershipFactory, OrganisationFactory, PersonFactory

BUDGET = 15


def _pages(demo):
    org, group, person = demo.org("police").id, demo.group("board").id, demo.person("chair").id
    membership = demo.membership("board", "police_lead").id
    return [
        "/home", "/organisations", f"/organisations/{org}", f"/organisations/{org}/edit", "/people",
        f"/people/{person}", "/groups", f"/groups/{group}", f"/groups/{group}/memberships/new",
        f"/memberships/{membership}/edit", "/admin/users",
        "/api/v1/organisations", f"/api/v1/organisations/{org}", "/api/v1/people", "/api/v1/groups",
        f"/api/v1/groups/{group}/memberships", f"/api/v1/organisations/{org}/history",
        "/actions", "/actions?status=all&overdue=1", f"/actions/{demo.id('actions', 'icb_progress')}",
        "/api/v1/actions?status=open", "/audit",
    ]


def _grow(demo, n: int) -> None:
    """Add n more organisations, people, board memberships and actions with progress."""
    from datetime import date

    from safeguarding.models import ActionSource
    from safeguarding.services import actions

    board = demo.group("board")
    for _ in range(n):
        org = OrganisationFactory()
        person = PersonFactory(organisation=org)
        MembershipFactory(group=board, person=person, organisation=org,
                          deputy=PersonFactory(organisation=org))
        a = actions.create_action(title="Grown action", owner_organisation_id=org.id, due_date=date(2026, 1, 1),
                                  source_type=ActionSource.meeting, group_id=board.id)
        actions.add_update(a, demo.user("office"), text="Progress", progress=10)


@pytest.mark.parametrize("who", ["office", "admin"])
def test_pages_stay_within_the_query_budget_as_data_grows(client_as, demo, count_queries, who):
    c = client_as(who)
    counts: dict[str, list[int]] = {}
    for size in (0, 25):
        if size:
            _grow(demo, size)
        for url in _pages(demo):
            with count_queries() as q:
                r = c.get(url)
            if r.status_code == 403:
                continue
            assert r.status_code == 200, url
            counts.setdefault(url, []).append(q.count)
    for url, (small, large) in counts.items():
        assert large <= BUDGET, f"{url}: {large} queries"
        assert large == small, f"{url}: {small} queries with the demo, {large} with 25 more organisations"
