"""axe-core (WCAG 2.2 A/AA) on a learning briefing's page (its preview and dissemination
table), reached from the briefings list as a partner member would, and the source pages
as the office."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_published_briefing_passes_axe(browse):
    b = browse("police")
    b.goto("/briefings")
    hrefs = b.page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    briefing = next(h for h in hrefs if re.fullmatch(r"/briefings/\d+", h))
    b.goto(briefing)
    assert "Dissemination" in b.page.content()
    office = browse("office")
    office.goto("/audits")
    office.goto("/learning-reviews/new")
    assert len(b.checked) >= 2 and len(office.checked) >= 2
