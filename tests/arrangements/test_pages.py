"""The arrangements page (read by every partnership role, viewers included) and the
business office's forms, with GOV.UK error summaries."""

from __future__ import annotations

import html as html_lib
import re
from datetime import datetime

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import ArrangementsChange, SafeguardingPartner


def _summary_links(text: str) -> list[tuple[str, str]]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', text, re.S).group(1)
    return [(href, html_lib.unescape(t.strip())) for href, t in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)]


def _partner(demo, key: str) -> SafeguardingPartner:
    return db.session.scalar(
        sa.select(SafeguardingPartner).where(SafeguardingPartner.organisation_id == demo.org(key).id)
    )


def test_the_page_shows_the_arrangements_as_published(client_as):
    page = html_lib.unescape(client_as("viewer").get("/arrangements").text)
    for text in (
        "North Council",
        "County Police",
        "Rachel Kingsley, Chief Executive",  # North's LSP
        "Fiona Grant, Director of Children's Services",  # North's DSP, the chair
        "Fiona Grant, delegated safeguarding partner for North Council",
        "Professor Alan Hart",
        "Probation Service (County)",
        "childrens-arrangements.pdf",
        "History of changes",
    ):
        assert text in page, text
    # Readers see no office actions.
    assert "Add a safeguarding partner" not in page and "/arrangements/edit" not in page


def test_the_history_is_newest_first(client_as):
    page = client_as("scrutineer").get("/arrangements").text
    rows = re.findall(r'app-nowrap">(\d+ \w+ \d{4})</td>', page)
    assert len(rows) == 6
    dates = [datetime.strptime(r, "%d %B %Y").date() for r in rows]
    assert dates == sorted(dates, reverse=True)


def test_navigation_entry_for_readers_only(client_as):
    # The header's Partnership section, and its row of pages, lead a partner to the
    # arrangements; the administrator has no way there.
    partner = client_as("northdcs")
    assert 'href="/arrangements"' in partner.get("/home").text + partner.get("/organisations").text
    assert 'href="/arrangements"' not in client_as("admin").get("/home").text


def test_other_roles_cannot_change_them(client_as, demo):
    p = _partner(demo, "west")
    for who in ("chair", "northdcs", "scrutineer", "viewer"):
        c = client_as(who)
        assert c.get("/arrangements/edit").status_code == 403
        assert c.post(f"/arrangements/partners/{p.id}/edit", data={"version": p.version}).status_code == 403
        assert c.post("/arrangements/partners/new", data={}).status_code == 403
    assert client_as("admin").get("/arrangements").status_code == 403


def test_change_a_delegate_with_errors_then_correctly(client_as, demo):
    c = client_as("office")
    p = _partner(demo, "west")
    assert "Change West Council" in html_lib.unescape(c.get(f"/arrangements/partners/{p.id}/edit").text)
    form = {
        "version": p.version,
        "lead_person_id": p.lead_person_id,
        "delegate_person_id": demo.person("north_deputy").id,
        "delegated_on": ["1", "1", "2027"],
    }
    r = c.post(f"/arrangements/partners/{p.id}/edit", data=form)
    assert ("#delegated_on-day", "The date of delegation must be today or in the past") in _summary_links(r.text)
    form["delegated_on"] = ["1", "12", "2026"]
    r = c.post(f"/arrangements/partners/{p.id}/edit", data=form)
    assert ("#delegate_person_id", "The delegated safeguarding partner must be someone from West Council") in (
        _summary_links(r.text)
    )
    form["delegate_person_id"] = demo.person("west_deputy").id
    r = c.post(f"/arrangements/partners/{p.id}/edit", data=form)
    assert r.status_code == 302
    db.session.refresh(p)
    assert p.delegate_person_id == demo.person("west_deputy").id
    # The same version again: stale.
    r = c.post(f"/arrangements/partners/{p.id}/edit", data=form)
    assert "changed by someone else" in r.text
    page = c.get("/arrangements").text
    assert "West Council: delegate Sarah Quinn" in html_lib.unescape(page)


def test_make_another_delegate_the_chair(client_as, demo):
    c = client_as("office")
    p = _partner(demo, "police")
    r = c.post(
        f"/arrangements/partners/{p.id}/edit",
        data={
            "version": p.version,
            "lead_person_id": p.lead_person_id,
            "delegate_person_id": "",
            "chairs_partnership": "y",
        },
    )
    assert any("must be a delegated safeguarding partner" in t for _, t in _summary_links(r.text))
    r = c.post(
        f"/arrangements/partners/{p.id}/edit",
        data={
            "version": p.version,
            "lead_person_id": p.lead_person_id,
            "delegate_person_id": p.delegate_person_id,
            "delegated_on": [str(p.delegated_on.day), str(p.delegated_on.month), str(p.delegated_on.year)],
            "chairs_partnership": "y",
        },
    )
    assert r.status_code == 302
    chairs = db.session.scalars(
        sa.select(SafeguardingPartner.organisation_id).where(SafeguardingPartner.chairs_partnership)
    )
    assert list(chairs) == [demo.org("police").id]


def test_new_partner_refuses_other_organisations(client_as, demo):
    c = client_as("office")
    assert c.get("/arrangements/partners/new").status_code == 200
    r = c.post("/arrangements/partners/new", data={"organisation_id": "", "lead_person_id": ""})
    links = _summary_links(r.text)
    assert ("#organisation_id", "Select the organisation") in links
    assert ("#lead_person_id", "Select the lead safeguarding partner") in links
    r = c.post(
        "/arrangements/partners/new",
        data={"organisation_id": demo.org("police").id, "lead_person_id": demo.person("chief_constable").id},
    )
    assert ("#organisation_id", "County Police is already a safeguarding partner") in _summary_links(r.text)


def test_edit_the_scrutineer_agencies_and_publication(client_as):
    c = client_as("office")
    page = c.get("/arrangements/edit").text
    assert "Probation Service (County)" in page
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'name="version" value="(\d+)"', page
    )
    scrutineer = re.search(r'<option selected value="(\d+)">Professor Alan Hart', page) or re.search(
        r'<option value="(\d+)" selected>Professor Alan Hart', page
    )
    data = {
        "version": version.group(1),
        "scrutineer_person_id": scrutineer.group(1) if scrutineer else "",
        "relevant_agencies": "Schools\r\nCounty Hospice\r\n",
        "published_on": ["3", "12", "2026"],
        "publication_url": "not a link",
        "summary": "",
    }
    r = c.post("/arrangements/edit", data=data)
    assert (
        "#publication_url",
        "Enter the link in the correct format, like https://www.example.org/arrangements",
    ) in _summary_links(r.text)
    data["publication_url"] = "https://example.org/arrangements-2026.pdf"
    assert c.post("/arrangements/edit", data=data).status_code == 302
    change = db.session.scalar(sa.select(ArrangementsChange).order_by(ArrangementsChange.id.desc()).limit(1))
    assert "Relevant agencies (2)" in change.description and "Published on 3 December 2026." in change.description
    page = c.get("/arrangements").text
    assert "County Hospice" in page and "Probation Service (County)" not in page.split("History of changes")[0]
