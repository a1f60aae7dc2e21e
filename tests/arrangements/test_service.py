"""The children's safeguarding arrangements: each rule of the service, and the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Area, ArrangementsChange, OrganisationKind, SafeguardingPartner
from safeguarding.services import arrangements as svc
from safeguarding.services.errors import StaleVersion, ValidationFailed
from tests.support.factories import OrganisationFactory, PersonFactory


@pytest.fixture
def office_user(demo):
    return demo.user("office")


def _partner(demo, key: str) -> SafeguardingPartner:
    return db.session.scalar(
        sa.select(SafeguardingPartner).where(SafeguardingPartner.organisation_id == demo.org(key).id)
    )


def _errors(exc_info) -> dict[str, str]:
    return exc_info.value.errors


def _latest_change() -> ArrangementsChange:
    return db.session.scalar(sa.select(ArrangementsChange).order_by(ArrangementsChange.id.desc()).limit(1))


def test_the_demo_arrangements_are_built_through_the_service(demo):
    view = svc.published()
    assert [p.organisation.name for p in view.partners] == sorted(p.organisation.name for p in view.partners)
    assert len(view.partners) == 4
    assert view.chair.organisation_id == demo.org("north").id
    assert view.chair.delegate_person_id == demo.person("north_dcs").id
    areas = {p.organisation_id: p.area for p in view.partners}
    assert areas[demo.org("north").id] is Area.north and areas[demo.org("west").id] is Area.west
    assert areas[demo.org("icb").id] is Area.both and areas[demo.org("police").id] is Area.both
    assert view.arrangements.scrutineer_person_id == demo.person("scrutineer").id
    assert len(view.arrangements.relevant_agencies) == 8
    # The history carries the story's dates, newest first.
    dates = [c.changed_on for c in view.changes]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6
    assert all(d < today() for d in dates)
    assert any("Partnership chair: Fiona Grant" in c.description for c in view.changes)


def test_a_change_of_delegate_is_recorded_with_history_and_version(demo, office_user):
    p = _partner(demo, "west")
    deputy = demo.person("west_deputy")
    before = p.version
    svc.update_partner(p, version=before, user=office_user, delegate_person_id=deputy.id, delegated_on=today())
    assert p.delegate_person_id == deputy.id and p.version == before + 1
    change = _latest_change()
    assert change.changed_on == today() and change.changed_by_id == office_user.id
    assert (
        change.description.startswith("West Council: delegate Sarah Quinn")
        and "was delegate David Osei" in change.description
    )
    with pytest.raises(StaleVersion):
        svc.update_partner(p, version=before, user=office_user, delegated_on=today())


def test_the_delegate_must_be_of_the_partners_organisation(demo, office_user):
    p = _partner(demo, "west")
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(
            p, version=p.version, delegate_person_id=demo.person("north_deputy").id, delegated_on=today()
        )
    assert _errors(e) == {"delegate_person_id": "The delegated safeguarding partner must be someone from West Council"}
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(p, version=p.version, lead_person_id=demo.person("chief_constable").id)
    assert _errors(e) == {"lead_person_id": "The lead safeguarding partner must be someone from West Council"}


def test_the_date_of_delegation_is_required_and_not_in_the_future(demo):
    p = _partner(demo, "icb")
    deputy = demo.person("icb_deputy").id
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(p, version=p.version, delegate_person_id=deputy, delegated_on=None)
    assert _errors(e) == {"delegated_on": "Enter the date of delegation"}
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(p, version=p.version, delegate_person_id=deputy, delegated_on=today() + timedelta(days=1))
    assert _errors(e) == {"delegated_on": "The date of delegation must be today or in the past"}


def test_the_delegate_is_not_the_lead(demo):
    p = _partner(demo, "icb")
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(p, version=p.version, delegate_person_id=p.lead_person_id)
    assert "someone other than the lead" in _errors(e)["delegate_person_id"]


def test_a_lead_can_act_without_a_delegate(demo):
    p = _partner(demo, "police")
    svc.update_partner(p, version=p.version, delegate_person_id=None)
    assert p.delegate_person_id is None and p.delegated_on is None


def test_the_chair_is_one_of_the_delegates_and_exactly_one(demo, office_user):
    police, north = _partner(demo, "police"), _partner(demo, "north")
    svc.update_partner(police, version=police.version, delegate_person_id=None)
    with pytest.raises(ValidationFailed) as e:
        svc.set_chair(police, user=office_user)
    assert "must be a delegated safeguarding partner" in _errors(e)["chairs_partnership"]
    west = _partner(demo, "west")
    svc.set_chair(west, user=office_user)
    chairs = db.session.scalars(sa.select(SafeguardingPartner).where(SafeguardingPartner.chairs_partnership)).all()
    assert [c.id for c in chairs] == [west.id]
    db.session.refresh(north)
    assert not north.chairs_partnership
    assert _latest_change().description.startswith("Partnership chair: David Osei")
    # The chair cannot simply be dropped, nor its delegate removed: choose another first.
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(west, version=west.version, chairs_partnership=False)
    assert "must have a chair" in _errors(e)["chairs_partnership"]
    with pytest.raises(ValidationFailed) as e:
        svc.update_partner(west, version=west.version, delegate_person_id=None)
    assert "must have a chair" in _errors(e)["delegate_person_id"]


def test_only_a_council_icb_or_police_is_a_partner_and_a_council_for_its_area(demo, office_user):
    fire = demo.org("fire")
    with pytest.raises(ValidationFailed) as e:
        svc.record_partner(organisation_id=fire.id, lead_person_id=demo.person("fire_lead").id)
    assert "local authority, an integrated care board or a police force" in _errors(e)["organisation_id"]
    with pytest.raises(ValidationFailed) as e:
        svc.record_partner(organisation_id=demo.org("north").id, lead_person_id=demo.person("north_ce").id)
    assert _errors(e) == {"organisation_id": "North Council is already a safeguarding partner"}
    council = OrganisationFactory(kind=OrganisationKind.local_authority, area=Area.west, name="East Borough Council")
    chief = PersonFactory(organisation=council, name="Pat Chief", job_title="Chief Executive")
    db.session.flush()
    with pytest.raises(ValidationFailed) as e:
        svc.record_partner(organisation_id=council.id, lead_person_id=None)
    assert _errors(e) == {"lead_person_id": "Select the lead safeguarding partner"}
    p = svc.record_partner(organisation_id=council.id, lead_person_id=chief.id, user=office_user)
    assert p.area is Area.west and p.delegate_person_id is None
    assert _latest_change().description == (
        "East Borough Council recorded as a safeguarding partner for West: lead Pat Chief (Chief Executive); "
        "no delegate."
    )


def test_the_scrutineer_is_independent_of_the_partners(demo, office_user):
    row = svc.get_arrangements()
    with pytest.raises(ValidationFailed) as e:
        svc.update_arrangements(
            version=row.version,
            scrutineer_person_id=demo.person("icb_lead").id,
            relevant_agencies=row.relevant_agencies,
            published_on=row.published_on,
            publication_url=row.publication_url,
            summary=row.summary,
        )
    assert _errors(e) == {"scrutineer_person_id": "The scrutineer must be independent of the safeguarding partners"}


def test_agencies_and_publication(demo, office_user):
    row = svc.get_arrangements()
    version = row.version
    common = {"scrutineer_person_id": row.scrutineer_person_id, "summary": row.summary, "user": office_user}
    with pytest.raises(ValidationFailed) as e:
        svc.update_arrangements(
            version=version,
            relevant_agencies=[],
            published_on=today() + timedelta(days=1),
            publication_url="nope",
            **common,
        )
    assert _errors(e) == {
        "published_on": "The date of publication must be today or in the past",
        "publication_url": "Enter the link in the correct format, like https://www.example.org/arrangements",
    }
    with pytest.raises(ValidationFailed) as e:
        svc.update_arrangements(
            version=version, relevant_agencies=[], published_on=today(), publication_url=None, **common
        )
    assert _errors(e) == {"publication_url": "Enter the link to the published arrangements"}
    agencies = svc.agencies_from_text("Schools\n\n  Probation Service  \nschools\nCounty Hospice\n")
    assert agencies == ["Schools", "Probation Service", "County Hospice"]
    svc.update_arrangements(
        version=version,
        relevant_agencies=agencies,
        published_on=today(),
        publication_url="https://example.org/2026.pdf",
        **common,
    )
    assert row.relevant_agencies == agencies and row.version == version + 1
    change = _latest_change()
    assert change.changed_on == today()
    assert change.description.startswith(
        "Relevant agencies (3): added Schools, Probation Service, County Hospice; removed "
    )
    assert change.description.endswith(f"Published on {today().day} December 2026.")
    with pytest.raises(StaleVersion):
        svc.update_arrangements(
            version=version, relevant_agencies=agencies, published_on=None, publication_url=None, **common
        )
    # Nothing changed: no history row.
    count = db.session.scalar(sa.select(sa.func.count()).select_from(ArrangementsChange))
    svc.update_arrangements(
        version=row.version,
        relevant_agencies=agencies,
        published_on=today(),
        publication_url="https://example.org/2026.pdf",
        **common,
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ArrangementsChange)) == count


def test_a_council_must_have_its_own_area(demo):
    council = OrganisationFactory(kind=OrganisationKind.local_authority, area=Area.both, name="Shire Council")
    chief = PersonFactory(organisation=council)
    db.session.flush()
    with pytest.raises(ValidationFailed) as e:
        svc.record_partner(organisation_id=council.id, lead_person_id=chief.id)
    assert _errors(e) == {"organisation_id": "Record the area Shire Council serves (North or West) first"}


def test_the_icb_and_police_are_partners_for_both_areas(demo):
    police = OrganisationFactory(kind=OrganisationKind.police, area=Area.north, name="Transport Police")
    chief = PersonFactory(organisation=police)
    db.session.flush()
    assert svc.record_partner(organisation_id=police.id, lead_person_id=chief.id).area is Area.both
