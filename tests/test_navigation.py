"""Navigation and page titles: each page is in one section of the navigation (the one
marked current) and its title reads "Page – Section – Service" (GOV.UK), without
repeating the section on the section's own page."""

from __future__ import annotations

import re

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Minutes, MinutesState


def _title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()


def _current(page: str) -> list[str]:
    """The navigation entries marked as the current section."""
    nav = re.search(r"<nav[^>]*govuk-service-navigation__wrapper.*?</nav>", page, re.S).group(0)
    return re.findall(r'aria-current="(?:page|true)"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+?)\s*<', nav)


def _section(page: str) -> list[tuple[str, bool]]:
    """The "In this section" links under the header: (label, current)."""
    nav = re.search(r'<nav class="app-section-navigation".*?</nav>', page, re.S)
    if nav is None:
        return []
    return [
        (label.strip(), bool(current))
        for current, label in re.findall(r'<a [^>]*?( aria-current="page")?>([^<]+)</a>', nav.group(0))
    ]


def test_page_titles_name_the_page_its_section_and_the_service(client_as):
    c = client_as("office")
    assert _title(c.get("/reviews/requests").text) == "Information requests – Case reviews – Safeguarding Partnership"
    assert _title(c.get("/reviews").text) == "Case reviews – Safeguarding Partnership"
    assert _title(c.get("/home").text).endswith("– Safeguarding Partnership")
    assert " – Home – " not in _title(c.get("/home").text)


def test_a_minutes_page_is_in_minutes_not_meetings(client_as):
    c = client_as("office")
    ratified = db.session.scalar(sa.select(Minutes.id).where(Minutes.state == MinutesState.ratified).limit(1))
    page = c.get(f"/minutes/{ratified}").text
    assert _current(page) == ["Meetings"]
    assert ("Minutes", True) in _section(page)
    assert " – Minutes – Safeguarding Partnership" in _title(page)
    meetings = c.get("/meetings").text
    assert _current(meetings) == ["Meetings"]
    assert [label for label, current in _section(meetings) if current] == ["Meetings"]


# Written from the design, not from nav.py: the header's sections, and which pages are
# under which. Each role sees at most eight sections (issue: 13 items wrapped onto two rows).
SECTIONS = {
    "Reviews and learning": {"/reviews", "/findings", "/briefings"},
    "Meetings": {"/meetings", "/minutes", "/joint-decisions", "/forward-plan", "/attendance"},
    "Plans and actions": {"/actions", "/workplans", "/risks", "/strategic-plans"},
    "Partnership": {"/organisations", "/arrangements"},
    "Reports and budget": {"/annual-reports", "/budget"},
    "Administration": {"/outbox", "/admin/users", "/audit", "/subject-access-requests", "/retention", "/disposals"},
}


def _header(page: str) -> list[tuple[str, str]]:
    """The header's sections (label, link), without "Your account" and "Sign out"."""
    nav = re.search(r"<nav[^>]*govuk-service-navigation__wrapper.*?</nav>", page, re.S).group(0)
    links = re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(.*?)</a>', nav, re.S)
    out = [(re.sub(r"<[^>]+>", "", label).strip(), href) for href, label in links]
    return [(label, href) for label, href in out if label != "Your account"]


def test_each_role_sees_at_most_eight_sections_and_the_sections_pages_under_them(client_as):
    for role in ("office", "chair", "police", "north", "sarchair", "viewer", "admin", "northdcs", "scrutineer"):
        c = client_as(role)
        header = _header(c.get("/home").text)
        assert 2 <= len(header) <= 8, (role, header)
        assert header[0][0] == "Home"
        for label, href in header:
            if label in SECTIONS:
                assert href.split("?")[0] in SECTIONS[label], (role, label, href)
    office = _header(client_as("office").get("/home").text)
    assert [label for label, _ in office] == [
        "Home",
        "Reviews and learning",
        "Meetings",
        "Plans and actions",
        "Disputes",
        "Partnership",
        "Reports and budget",
        "Administration",
    ]


def test_a_section_with_one_page_for_the_user_has_no_row_under_the_header(client_as):
    office = client_as("office")
    assert [label for label, _ in _section(office.get("/risks").text)] == [
        "Actions",
        "Strategic plans",
        "Work plans",
        "Risks",
    ]
    assert _section(office.get("/disputes").text) == []
