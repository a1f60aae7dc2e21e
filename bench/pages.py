"""The URLs the benchmark times, as (role, url). Features add theirs here."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.models import Group, Organisation, Person, Role

OFFICE = Role.business_office


def pages(session) -> list[tuple[Role, str]]:
    org = session.scalar(sa.select(Organisation.id).order_by(Organisation.id))
    group = session.scalar(sa.select(Group.id).order_by(Group.id))
    person = session.scalar(sa.select(Person.id).order_by(Person.id))
    return [
        (OFFICE, "/home"),
        (OFFICE, "/organisations"),
        (OFFICE, f"/organisations/{org}"),
        (OFFICE, "/people"),
        (OFFICE, "/people?page=20"),
        (OFFICE, f"/people/{person}"),
        (OFFICE, "/groups"),
        (OFFICE, f"/groups/{group}"),
        (OFFICE, "/api/v1/organisations"),
        (OFFICE, "/api/v1/people?per_page=100"),
        (OFFICE, "/api/v1/groups"),
        (OFFICE, f"/api/v1/groups/{group}/memberships"),
        (OFFICE, "/actions"),
        (OFFICE, "/actions?status=all"),
        (OFFICE, "/api/v1/actions?status=all&per_page=100"),
    ]
