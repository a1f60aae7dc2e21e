"""The directory's rules: unique names, deputies, memberships, deactivation, the MoU."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import AuditEntry, MembershipRole, OrganisationKind
from safeguarding.services import partnership as svc
from safeguarding.services.errors import Conflict, StaleVersion, ValidationFailed
from tests.support.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)


def test_organisation_names_are_unique_ignoring_case(demo):
    with pytest.raises(ValidationFailed) as exc:
        svc.create_organisation(name="county police", short_name="Dup", kind=OrganisationKind.police)
    assert exc.value.errors == {"name": "An organisation with this name already exists"}


def test_update_organisation_checks_the_version(demo):
    org = demo.org("fire")
    with pytest.raises(StaleVersion):
        svc.update_organisation(org, version=org.version + 1, short_name="F&R")
    svc.update_organisation(org, version=org.version, short_name="F&R")
    assert org.short_name == "F&R"


def test_deactivating_a_person_ends_memberships_and_deputyships(demo):
    person = demo.person("police_deputy")
    member_of = svc.memberships_of_person(person.id)
    assert any(m.deputy_person_id == person.id for m in member_of)
    svc.deactivate_person(person, version=person.version, on=date(2026, 11, 23))
    assert not person.active
    for m in svc.memberships_of_person(person.id):
        if m.person_id == person.id:
            assert m.end_date == date(2026, 11, 23)
    assert all(m.deputy_person_id != person.id for m in svc.current_memberships(demo.group("board").id))
    with pytest.raises(Conflict):
        svc.deactivate_person(person, version=person.version)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.entity_type == "people", AuditEntry.entity_id == str(person.id))
    ).all()
    assert "deactivate" in actions


def test_deputy_must_be_someone_else_from_the_same_organisation(demo):
    group = GroupFactory()
    member = PersonFactory()
    other_org_person = PersonFactory()
    with pytest.raises(ValidationFailed) as exc:
        svc.add_membership(
            group=group, person=member, role=MembershipRole.member, deputy=member, start_date=date(2026, 1, 1)
        )
    assert exc.value.errors["deputy_person_id"] == "The deputy must be a different person from the member"
    with pytest.raises(ValidationFailed) as exc:
        svc.add_membership(
            group=group, person=member, role=MembershipRole.member, deputy=other_org_person, start_date=date(2026, 1, 1)
        )
    assert exc.value.errors["deputy_person_id"] == "The deputy must work for the same organisation as the member"
    colleague = PersonFactory(organisation=member.organisation)
    m = svc.add_membership(
        group=group, person=member, role=MembershipRole.member, deputy=colleague, start_date=date(2026, 1, 1)
    )
    assert m.deputy_person_id == colleague.id and m.organisation_id == member.organisation_id


def test_no_overlapping_memberships_and_one_chair_at_a_time():
    group = GroupFactory()
    m = MembershipFactory(group=group, role=MembershipRole.chair, start_date=date(2025, 4, 1))
    with pytest.raises(ValidationFailed) as exc:
        svc.add_membership(group=group, person=m.person, role=MembershipRole.member, start_date=date(2026, 1, 1))
    assert "already a member" in exc.value.errors["person_id"]
    with pytest.raises(ValidationFailed) as exc:
        svc.add_membership(group=group, person=PersonFactory(), role=MembershipRole.chair, start_date=date(2026, 1, 1))
    assert exc.value.errors["role"] == "This group already has a chair for these dates"
    svc.end_membership(m, version=m.version, end_date=date(2025, 12, 31))
    new_chair = svc.add_membership(
        group=group, person=PersonFactory(), role=MembershipRole.chair, start_date=date(2026, 1, 1)
    )
    assert new_chair.role == MembershipRole.chair


def test_end_membership_rules():
    m = MembershipFactory(start_date=date(2025, 4, 1))
    with pytest.raises(ValidationFailed):
        svc.end_membership(m, version=m.version, end_date=date(2025, 1, 1))
    svc.end_membership(m, version=m.version, end_date=date(2026, 3, 31), notice_given_on=date(2026, 1, 5))
    assert (m.end_date, m.notice_given_on) == (date(2026, 3, 31), date(2026, 1, 5))
    with pytest.raises(Conflict):
        svc.end_membership(m, version=m.version, end_date=date(2026, 6, 30))


def test_standing_a_group_down_ends_its_memberships():
    m = MembershipFactory(start_date=date(2025, 4, 1))
    group = m.group
    svc.deactivate_group(group, version=group.version, on=date(2026, 11, 23))
    assert not group.active and m.end_date == date(2026, 11, 23)
    with pytest.raises(ValidationFailed) as exc:
        svc.add_membership(
            group=group, person=PersonFactory(), role=MembershipRole.member, start_date=date(2026, 12, 1)
        )
    assert exc.value.errors["group_id"] == "This group is no longer active"


def test_mou_signature_once_per_version_and_not_in_the_future():
    person = PersonFactory()
    with pytest.raises(ValidationFailed):
        svc.record_mou_signature(person, date(2999, 1, 1), recorded_by_id=None)
    svc.record_mou_signature(person, date(2026, 1, 1), recorded_by_id=None)
    with pytest.raises(ValidationFailed):
        svc.record_mou_signature(person, date(2026, 2, 1), recorded_by_id=None)
    assert svc.mou_signed_person_ids([person.id]) == {person.id}


def test_demo_board_has_the_statutory_partners_with_deputies(demo):
    board = svc.current_memberships(demo.group("board").id, today())
    kinds = {m.organisation.kind for m in board if m.organisation}
    assert {OrganisationKind.local_authority, OrganisationKind.police, OrganisationKind.icb} <= kinds
    assert sum(1 for m in board if m.deputy_person_id) >= 4
    assert any(m.role == MembershipRole.chair and m.person.name == "Margaret Ellison" for m in board)


def test_people_list_is_paginated_and_searchable(demo):
    rows, total = svc.list_people(search="ruth", per_page=10)
    assert [p.name for p in rows] == ["Dr Ruth Adeyemi"] and total == 1
    OrganisationFactory()
    rows, total = svc.list_people(per_page=5, page=2)
    assert len(rows) == 5 and total >= 20
