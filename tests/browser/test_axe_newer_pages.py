"""axe-core (WCAG 2.2 A/AA) on the pages added since the first browser tests: the risk
register, the forward plan, the agenda pack's cover sheets, information requests to anyone,
the budgets per arm and the combined monitoring, the annual report's distribution list,
the children's arrangements and the partners' joint decisions — each as the role that
uses it, reached by following the links a user would follow."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _first_link(b, pattern: str) -> str:
    """The first link on the page now shown whose path matches `pattern`."""
    hrefs = b.page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = next((h for h in hrefs if re.fullmatch(pattern, h.split("?")[0])), None)
    assert found, f"no link like {pattern} on {b.page.url}"
    return found


def _visit(b, path: str, *patterns: str) -> None:
    """Open `path`, then follow a link like each pattern in turn (each page checked by axe)."""
    b.goto(path)
    for pattern in patterns:
        b.goto(_first_link(b, pattern))


def test_the_offices_newer_pages_pass_axe(browse):
    b = browse("office")
    _visit(b, "/risks", r"/risks/\d+")
    _visit(b, "/risks/new")
    _visit(b, "/forward-plan", r"/forward-plan/\d+/edit")
    _visit(b, "/annual-reports/distribution-list", r"/annual-reports/distribution-list/\d+/\w+")
    _visit(b, "/reviews/requests", r"/information-requests/\d+")
    _visit(b, "/budget", r"/budget/\d{4}-\d{2}-children")
    _visit(b, "/arrangements")
    _visit(b, "/joint-decisions", r"/joint-decisions/\d+")
    _visit(b, "/meetings", r"/meetings/\d+", r"/meetings/\d+/papers/\d+/cover-sheet")
    assert len(b.checked) >= 15


def test_a_safeguarding_partner_and_the_scrutineer_pass_axe(browse):
    partner = browse("northdcs")
    _visit(partner, "/home")
    _visit(partner, "/joint-decisions", r"/joint-decisions/\d+")
    _visit(partner, "/arrangements")
    scrutineer = browse("scrutineer")
    _visit(scrutineer, "/home")
    _visit(scrutineer, "/arrangements")
    assert len(partner.checked) >= 4 and len(scrutineer.checked) >= 2


def test_subject_access_find_what_we_hold_passes_axe(browse):
    """The office's path through a subject access request: the list, the request, what we
    hold, and the decision on one record (its error summary too)."""
    b = browse("office")
    _visit(
        b,
        "/subject-access-requests",
        r"/subject-access-requests/\d+",
        r"/subject-access-requests/\d+/items",
        r"/subject-access-requests/\d+/items/\d+",
    )
    b.page.click("button:has-text('Save the decision')")  # nothing chosen: the error summary
    summary = b.page.locator(".govuk-error-summary")
    summary.wait_for(state="visible")  # the form's answer is a new page: wait for it
    assert "Select" in summary.inner_text()
    b.check()
    assert len(b.checked) >= 5
