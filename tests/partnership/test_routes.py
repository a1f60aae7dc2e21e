"""The directory's pages: lists, forms with GOV.UK error summaries, confirmations."""

from __future__ import annotations

import html as html_lib
import re

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Membership, Organisation, Person


def _summary_links(html: str) -> list[tuple[str, str]]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S).group(1)
    return [
        (href, html_lib.unescape(text.strip())) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)
    ]


def test_organisations_list_and_detail(client_as, demo):
    c = client_as("office")
    page = c.get("/organisations").text
    assert "County Police" in page and "North Council" in page
    org = demo.org("police")
    detail = c.get(f"/organisations/{org.id}").text
    assert "Nicola Brannigan" in detail and "Safeguarding Partnership Board" in detail


def test_partner_member_can_read_but_not_change_the_directory(client_as, demo):
    c = client_as("police")
    assert c.get("/organisations").status_code == 200
    assert "Add an organisation" not in c.get("/organisations").text
    assert c.get(f"/organisations/{demo.org('police').id}/edit").status_code == 403
    assert c.post("/organisations/new", data={"name": "x"}).status_code == 403


def test_viewer_cannot_open_the_directory(client_as):
    assert client_as("viewer").get("/organisations").status_code == 403


def test_new_organisation_with_errors_then_correctly(client_as):
    c = client_as("office")
    r = c.post("/organisations/new", data={"name": "", "short_name": "", "kind": "", "chief_executive_email": "nope"})
    links = _summary_links(r.text)
    assert ("#name", "Enter the organisation's name") in links
    assert ("#kind", "Select the type of organisation") in links
    assert ("#area", "Select the area the organisation serves") in links
    assert ("#chief_executive_email", "Enter an email address in the correct format, like name@example.com") in links
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name == "")) == 0
    r = c.post(
        "/organisations/new",
        data={
            "name": "Schools Forum",
            "short_name": "Schools",
            "kind": "education",
            "area": "north",
            "statutory_adults": "",
            "chief_executive_name": "Ann Lee",
            "chief_executive_email": "ann@schools.example",
        },
    )
    assert r.status_code == 302
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Schools Forum"))
    assert org.state.value == "proposed" and org.area.value == "north"


def test_duplicate_name_is_shown_on_the_field(client_as):
    r = client_as("office").post(
        "/organisations/new", data={"name": "County Police", "short_name": "P", "kind": "police", "area": "both"}
    )
    assert ("#name", "An organisation with this name already exists") in _summary_links(r.text)


def test_edit_organisation_with_a_stale_version(client_as, demo):
    org = demo.org("fire")
    r = client_as("office").post(
        f"/organisations/{org.id}/edit",
        data={
            "version": org.version - 1,
            "name": org.name,
            "short_name": "Changed",
            "kind": "fire_rescue",
            "area": "both",
        },
    )
    assert "changed by someone else" in r.text
    assert org.short_name == "Fire and Rescue"


def test_people_pages(client_as, demo):
    c = client_as("office")
    assert "Margaret Ellison" in c.get("/people").text
    assert "Margaret Ellison" in c.get("/people?q=marg").text
    assert "Anita Desai" not in c.get("/people?q=marg").text
    assert c.get("/people?page=abc").status_code == 400
    r = c.post("/people/new", data={"name": "", "organisation_id": "999999"})
    assert "Enter the person&#39;s full name" in r.text or "Enter the person's full name" in r.text
    r = c.post("/people/new", data={"name": "Jo Bloggs", "organisation_id": str(demo.org("police").id)})
    assert r.status_code == 302
    assert (
        db.session.scalar(sa.select(Person).where(Person.name == "Jo Bloggs")).organisation_id == demo.org("police").id
    )


def test_deactivating_a_person_asks_first(client_as, demo):
    person = demo.person("fire_lead")
    c = client_as("office")
    page = c.get(f"/people/{person.id}/deactivate").text
    assert "Are you sure you want to deactivate Andrew Price?" in page
    assert "Safeguarding Partnership Board" in page
    assert person.active  # nothing happened yet
    r = c.post(f"/people/{person.id}/deactivate", data={"version": person.version})
    assert r.status_code == 302
    assert not person.active


def test_membership_form_errors_link_to_the_date_boxes(client_as, demo):
    group = demo.group("qp")
    r = client_as("office").post(
        f"/groups/{group.id}/memberships/new",
        data={"person_id": str(demo.person("fire_lead").id), "role": "member", "start_date": ["31", "2", "2026"]},
    )
    assert ("#start_date-day", "The start date must be a real date") in _summary_links(r.text)
    r = client_as("office").post(
        f"/groups/{group.id}/memberships/new",
        data={"person_id": str(demo.person("fire_lead").id), "role": "member", "start_date": ["", "4", "2026"]},
    )
    assert ("#start_date-day", "The start date must include a day") in _summary_links(r.text)


def test_add_and_end_a_membership(client_as, demo):
    group = demo.group("qp")
    c = client_as("office")
    r = c.post(
        f"/groups/{group.id}/memberships/new",
        data={"person_id": str(demo.person("fire_lead").id), "role": "member", "start_date": ["1", "4", "2026"]},
    )
    assert r.status_code == 302
    m = db.session.scalar(
        sa.select(Membership).where(
            Membership.group_id == group.id, Membership.person_id == demo.person("fire_lead").id
        )
    )
    assert "End the membership of Andrew Price" in c.get(f"/memberships/{m.id}/end").text
    r = c.post(f"/memberships/{m.id}/end", data={"version": m.version, "end_date": ["30", "11", "2026"]})
    assert r.status_code == 302
    assert str(m.end_date) == "2026-11-30"


def test_membership_service_errors_show_on_the_page(client_as, demo):
    group = demo.group("board")
    member = demo.person("police_lead")
    r = client_as("office").post(
        f"/groups/{group.id}/memberships/new",
        data={
            "person_id": str(member.id),
            "role": "chair",
            "deputy_person_id": str(member.id),
            "start_date": ["1", "4", "2026"],
        },
    )
    links = dict(_summary_links(r.text))
    assert links["#deputy_person_id"] == "The deputy must be a different person from the member"
    assert links["#role"] == "This group already has a chair for these dates"


def test_group_pages(client_as, demo):
    c = client_as("chair")
    page = c.get(f"/groups/{demo.group('board').id}").text
    assert "Margaret Ellison" in page and "Signed" in page and "Not signed" in page  # Healthwatch has not signed
    assert "Stand down this group" not in page
    office = client_as("office")
    assert "Stand down this group" in office.get(f"/groups/{demo.group('board').id}").text
    confirm = office.get(f"/groups/{demo.group('ce').id}/deactivate").text
    assert "Are you sure you want to stand down" in confirm


def test_missing_records_are_404(client_as):
    c = client_as("office")
    for url in ("/organisations/999999", "/people/999999", "/groups/999999", "/memberships/999999/edit"):
        r = c.get(url)
        assert r.status_code == 404 and "Page not found" in r.text
