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
    assert _current(page) == ["Minutes"]
    assert " – Minutes – Safeguarding Partnership" in _title(page)
    assert _current(c.get("/meetings").text) == ["Meetings"]
