"""axe-core (WCAG 2.2 A/AA) on the search: the header's box, the results grouped by kind,
a kind's results, and the page with its error summary — as the office and as a viewer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_searching_from_the_header_passes_axe(browse):
    b = browse("office")
    b.page.get_by_label("Search records").fill("safeguarding")
    b.page.locator("form[role=search] button").click()
    b.page.wait_for_url("**/search?q=safeguarding")
    b.check()
    assert b.page.locator("#counts").is_visible() and b.page.locator("mark").count() > 0
    b.page.locator("#counts").get_by_role("link", name="Minutes").click()
    b.check()
    b.goto("/search?q=board&from=2026-02-30")
    assert b.page.locator(".govuk-error-summary").is_visible()
    viewer = browse("viewer")
    viewer.goto("/search?q=board")
    assert len(b.checked) >= 4 and len(viewer.checked) >= 1
