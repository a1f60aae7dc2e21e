"""Need-to-know holds in the search: a result, its snippet and even its count appear only
to someone who may open the record itself. The expectations are written by hand from
domain.md ("Who uses it", the case-review need-to-know rule, "Confidential business"),
never read from the code:

- a case review's text (here: the subject's name) is for the business office, the
  independent chair and the review's sub-group; an agency named in the review sees its
  reference and kind (its requests and actions), not its text; viewers, the scrutineer
  and the safeguarding partners' own role see nothing of it;
- a restricted (Part B) item's minutes: the group's members, the office and the chair;
  never viewers, who read the ratified minutes of groups whose minutes are not restricted;
- drafts never reach viewers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import AgendaItem, Minutes, MinutesSection, Role
from safeguarding.services import search
from safeguarding.services.search.kinds import BY_KEY
from tests.reviews.helpers import new_sar
from tests.support.factories import PersonFactory, UserFactory

NAME = "Wolstenholme"  # the subject of a SAR: a name in the case's text
PUBLIC = "quokkavale"  # a word of an unrestricted section of ratified Board minutes
PRIVATE = "marmosetfell"  # a word of a restricted (Part B) section of the same minutes


@pytest.fixture
def case(demo):
    """Two SARs of the SAR sub-group: one naming the police as an agency involved, the
    other the acute trust; the subject's name in the first one's summary."""
    police_sar = new_sar(demo, summary=f"Mr {NAME} died at home", agency_ids=[demo.org("police").id])
    other_sar = new_sar(demo, summary="Died in hospital", agency_ids=[demo.org("acute").id])
    db.session.flush()
    return police_sar, other_sar


@pytest.fixture
def minutes(demo):
    """The ratified Board minutes: one section says PUBLIC, one of a restricted item says
    PRIVATE (written under the services: ratified minutes are immutable to them)."""
    m = db.session.get(Minutes, demo.id("minutes", "ratified"))
    sections = list(db.session.scalars(sa.select(MinutesSection).where(MinutesSection.minutes_id == m.id)))
    public, private = sections[0], sections[1]
    t = MinutesSection.__table__
    db.session.execute(sa.update(t).where(t.c.id == public.id).values(text=f"Agreed the {PUBLIC} plan"))
    db.session.execute(sa.update(t).where(t.c.id == private.id).values(text=f"Discussed the {PRIVATE} case"))
    items = AgendaItem.__table__
    db.session.execute(sa.update(items).where(items.c.id == private.agenda_item_id).values(restricted=True))
    search.write(db.session.connection(), BY_KEY["minutes"], [public.id, private.id])
    db.session.expire_all()
    return m


def counts(user, q):
    found = search.find(q, user)
    return {k: n for k, n in found.counts.items() if n}


def outsider(demo):
    """A partner member of the fire service who sits on no group."""
    person = PersonFactory(organisation=demo.org("fire"))
    return UserFactory(roles=[Role.partner_member], person_id=person.id, organisation_id=demo.org("fire").id)


# who -> what a search for the subject's name finds (by kind)
NAME_FOUND = {
    "office": {"reviews": 1},
    "chair": {"reviews": 1},
    "sarchair": {"reviews": 1},  # sits on the SAR sub-group
    "police": {},  # a named agency: the reference, not the case's text
    "north": {},  # not on the SAR sub-group (and North Council is not named)
    "viewer": {},
    "scrutineer": {},
    "northdcs": {},
}


@pytest.mark.parametrize("who", sorted(NAME_FOUND))
def test_the_subjects_name_is_found_only_by_those_who_need_to_know(demo, case, who):
    assert counts(demo.user(who), NAME) == NAME_FOUND[who]


def test_a_viewers_search_for_a_sar_subjects_name_finds_nothing_in_any_count(demo, case, client_as, api_as):
    viewer = demo.user("viewer")
    found = search.find(NAME, viewer)
    assert found.items == [] and set(found.counts.values()) == {0}
    page = client_as("viewer").get(f"/search?q={NAME}").text
    assert "0 results for" in page and "govuk-summary-card" not in page
    assert page.count(NAME) == 2  # the box holding the query, and "0 results for ‘…’"
    body = api_as("viewer").get(f"/api/v1/search?q={NAME}").get_json()
    assert body["items"] == [] and set(body["counts"].values()) == {0}


def test_the_police_find_the_sar_naming_the_police_and_not_the_other(demo, case):
    police_sar, other_sar = case
    police = demo.user("police")
    found = search.find(police_sar.reference, police, types=["reviews"])
    assert [(r.record_type, r.record_id) for r in found.items] == [("review", police_sar.id)]
    assert NAME not in str(found.items[0].snippet)  # the title only: reference and kind
    assert search.find(other_sar.reference, police).counts["reviews"] == 0
    # The office finds both, with the text.
    office = demo.user("office")
    assert search.find(other_sar.reference, office).counts["reviews"] == 1
    hit = search.find(NAME, office).items[0]
    assert hit.record_id == police_sar.id and f"<mark>{NAME}</mark>" in str(hit.snippet)


# who -> (minutes sections found for PUBLIC, for PRIVATE)
MINUTES_FOUND = {
    "office": (1, 1),
    "chair": (1, 1),
    "police": (1, 1),  # sits on the Board: sees its confidential business
    "sarchair": (1, 1),  # sits on the Board too
    "viewer": (1, 0),  # ratified, and the Board's minutes are not restricted: not Part B
    "scrutineer": (0, 0),  # reads no minutes
}


@pytest.mark.parametrize("who", sorted(MINUTES_FOUND))
def test_a_restricted_items_minutes_are_found_only_by_the_groups_members_office_and_chair(demo, minutes, who):
    user = demo.user(who)
    assert (
        search.find(PUBLIC, user).counts.get("minutes", 0),
        search.find(PRIVATE, user).counts.get("minutes", 0),
    ) == (MINUTES_FOUND[who])


def test_a_partner_on_no_group_finds_no_minutes(demo, minutes):
    user = outsider(demo)
    assert counts(user, PUBLIC) == {} and counts(user, PRIVATE) == {}


def test_draft_minutes_are_never_found_by_a_viewer(demo):
    draft = db.session.get(Minutes, demo.id("minutes", "draft"))
    section = db.session.scalars(sa.select(MinutesSection).where(MinutesSection.minutes_id == draft.id)).first()
    section.text = "Drafted the ocelotmere wording"
    db.session.flush()  # the index follows the flush
    assert search.find("ocelotmere", demo.user("office")).counts["minutes"] == 1
    assert counts(demo.user("viewer"), "ocelotmere") == {}


def test_letters_and_disputes_are_never_found_by_a_viewer(demo):
    office, viewer = demo.user("office"), demo.user("viewer")
    assert search.find("attendance letter", office).counts["letters"] >= 1
    assert "letters" not in search.find("attendance letter", viewer).counts
    assert search.find("DSP", office).counts["disputes"] == 5
    assert "disputes" not in search.find("DSP", viewer).counts


def test_a_partner_finds_only_the_disputes_of_their_organisation(demo):
    """The demo's five disputes; the police are a party to some of them (written here by
    hand from the demo's parties, not from the rule)."""
    from safeguarding.models import DisputeParty

    police = demo.org("police").id
    theirs = set(db.session.scalars(sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == police)))
    found = search.find("DSP", demo.user("police"), types=["disputes"], per_page=50)
    assert {r.record_id for r in found.items} == theirs and found.counts["disputes"] == len(theirs)


def test_the_administrator_and_the_signed_out_cannot_search(demo, client_as, api_as, client):
    from safeguarding.services.errors import Forbidden

    with pytest.raises(Forbidden):
        search.find("board", demo.user("admin"))
    assert client_as("admin").get("/search?q=board").status_code == 403
    assert api_as("admin").get("/api/v1/search?q=board").status_code == 403
    assert client.get("/search?q=board").status_code == 302
    assert client.get("/api/v1/search?q=board").status_code == 401
