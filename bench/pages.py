"""The URLs the benchmark times, as (role, url). Features add theirs here."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.models import Complaint, Dispute, DisputeState, Group, Organisation, Person, Role

OFFICE = Role.business_office
CHAIR = Role.independent_chair
PARTNER = Role.partner_member


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
        *_disputes(session),
    ]


def _disputes(session) -> list[tuple[Role, str]]:
    dispute = session.scalar(sa.select(Dispute.id).where(Dispute.state == DisputeState.meeting_convened)
                             .order_by(Dispute.id)) or 1
    held = session.scalar(sa.select(Dispute.id).where(Dispute.state == DisputeState.resolved).order_by(Dispute.id)) or 1
    complaint = session.scalar(sa.select(Complaint.id).order_by(Complaint.id)) or 1
    return [
        (OFFICE, "/disputes"),
        (OFFICE, "/disputes?status=all"),
        (OFFICE, "/disputes?status=all&page=5"),
        (PARTNER, "/disputes?status=all"),
        (OFFICE, f"/disputes/{dispute}"),
        (CHAIR, f"/disputes/{dispute}/meeting"),
        (OFFICE, f"/disputes/{held}"),
        (OFFICE, "/complaints?status=all"),
        (OFFICE, f"/complaints/{complaint}"),
        (OFFICE, "/api/v1/disputes?all=true&per_page=100"),
        (PARTNER, "/api/v1/disputes?all=true&per_page=100"),
        (OFFICE, f"/api/v1/disputes/{dispute}/agenda-agreements"),
        (OFFICE, "/api/v1/complaints?all=true&per_page=100"),
        (CHAIR, "/home"),
    ]
