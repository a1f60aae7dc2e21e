"""Factories for the core model (factory_boy), flushing into the test's session."""

from __future__ import annotations

from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory

from safeguarding.extensions import db
from safeguarding.models import (
    Area,
    Arm,
    Group,
    GroupKind,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    PartnershipState,
    Person,
    Role,
    User,
    UserRole,
)


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class OrganisationFactory(_Base):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.Sequence(lambda n: f"Org {n}")
    kind = OrganisationKind.other
    area = Area.both
    state = PartnershipState.active
    joined_on = date(2020, 4, 1)
    chief_executive_name = factory.Sequence(lambda n: f"Chief Executive {n}")
    chief_executive_email = factory.Sequence(lambda n: f"ce{n}@org.example")


class PersonFactory(_Base):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    job_title = "Safeguarding lead"
    email = factory.Sequence(lambda n: f"person{n}@people.example")
    organisation = factory.SubFactory(OrganisationFactory)
    active = True


class GroupFactory(_Base):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    short_name = factory.Sequence(lambda n: f"G{n}")
    kind = GroupKind.subgroup
    arm = Arm.both
    area = Area.both
    active = True


class MembershipFactory(_Base):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda m: m.person.organisation)
    role = MembershipRole.member
    start_date = date(2020, 4, 1)


class UserFactory(_Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@users.example")
    password_hash = "not-a-hash"
    active = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or [Role.viewer]:
            self.role_rows.append(UserRole(role=role))
        if create:
            db.session.flush()
