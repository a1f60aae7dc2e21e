"""WCAG 1.4.10 reflow: at 320 CSS pixels wide no page scrolls sideways; a wide table
scrolls inside its own box, which can be reached and scrolled with the keyboard (axe's
`scrollable-region-focusable` runs on every page visited)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# What sticks out past the right edge, outside a table's own scroll box.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.app-table-scroll')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1) out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' ' + Math.round(r.right));
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
}"""

PAGES = {
    "office": [
        "/home",
        "/meetings",
        "/workplans",
        "/reviews",
        "/reviews/requests",
        "/reviews/timeliness",
        "/actions",
        "/disputes",
        "/budget",
        "/annual-reports",
        "/attendance/report",
        "/attendance/escalations",
        "/organisations",
        "/audit",
        "/outbox",
        "/jobs",
        "/risks",
        "/forward-plan",
        "/minutes",
        "/joint-decisions",
        "/arrangements",
        "/findings",
        "/reaudits",
    ],
    "admin": ["/home", "/admin/users"],
    "police": ["/home", "/actions", "/reviews/requests", "/findings"],
    "chair": ["/home", "/reviews", "/disputes"],
    "viewer": ["/home", "/minutes"],
}

# Status tags and references that break inside a word ("Informatio/n", "DSP-2026-/003"):
# a tag may wrap only between words, and a reference in a table never wraps.
BROKEN_WORDS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.govuk-tag')) {
    if (getComputedStyle(el).overflowWrap !== 'normal' || el.scrollWidth > el.clientWidth + 1) out.push('tag ' + el.textContent.trim());
  }
  for (const el of document.querySelectorAll('td.app-nowrap, th.app-nowrap')) {
    if (getComputedStyle(el).whiteSpace !== 'nowrap') out.push('reference ' + el.textContent.trim());
  }
  return out;
}"""


@pytest.mark.parametrize("who", sorted(PAGES))
def test_no_page_scrolls_sideways_at_320_pixels(browse, who):
    b = browse(who)
    b.page.set_viewport_size({"width": 320, "height": 640})
    problems = []
    for path in PAGES[who]:
        b.goto(path)
        found = b.page.evaluate(OVERFLOW)
        if found["scroll"] > found["width"] + 1:
            problems.append(f"{path}: {found['scroll']}px wide: {found['out']}")
        if broken := b.page.evaluate(BROKEN_WORDS):
            problems.append(f"{path}: words broken: {broken[:5]}")
    assert not problems, "\n".join(problems)
