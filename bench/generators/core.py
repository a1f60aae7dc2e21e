"""Organisations, people, groups, memberships, MoU signatures and the bench accounts."""

from __future__ import annotations

from datetime import date, timedelta

from safeguarding.models import (
    Area,
    Arm,
    Group,
    GroupKind,
    Membership,
    MembershipRole,
    MouSignature,
    Organisation,
    OrganisationKind,
    Person,
    Role,
    User,
    UserRole,
)
from safeguarding.models.base import utcnow
from safeguarding.services import accounts

ORDER = 0
PASSWORD = "bench-password-2026"


def generate(ctx) -> None:
    from bench.generate import FIRST_YEAR

    rng = ctx.rng
    now = utcnow()
    start = date(FIRST_YEAR, 4, 1)
    kinds = [OrganisationKind.local_authority, OrganisationKind.police, OrganisationKind.icb] + [
        k
        for k in OrganisationKind
        if k
        not in (
            OrganisationKind.local_authority,
            OrganisationKind.police,
            OrganisationKind.icb,
            OrganisationKind.independent,
        )
    ]
    orgs = []
    for i in range(ctx.n(60)):
        kind = kinds[i] if i < 3 else rng.choice(kinds[3:])
        orgs.append(
            {
                "id": i + 1,
                "name": f"Bench organisation {i + 1}",
                "short_name": f"Org {i + 1}",
                "kind": kind.value,
                "area": rng.choice(list(Area)).value,
                "statutory_adults": i < 3,
                "statutory_children": i < 3,
                "chief_executive_name": f"Chief Executive {i + 1}",
                "chief_executive_email": f"ce{i + 1}@bench.example",
                "chief_executive_title": "Chief Executive",
                "chief_executive_address": "1 Bench Street",
                "state": "active",
                "joined_on": start,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    ctx.insert(Organisation.__table__, orgs, "organisations")
    org_ids = [o["id"] for o in orgs]
    ctx.ids["organisations"] = org_ids

    people = [
        {
            "id": i + 1,
            "name": f"Person {i + 1}",
            "job_title": "Safeguarding lead",
            "email": f"p{i + 1}@bench.example",
            "organisation_id": org_ids[i % len(org_ids)],
            "active": True,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(ctx.n(1500))
    ]
    ctx.insert(Person.__table__, people, "people")
    ctx.ids["people"] = [p["id"] for p in people]

    groups = [
        {
            "id": 1,
            "name": "Safeguarding Partnership Board",
            "short_name": "Board",
            "kind": GroupKind.board.value,
            "arm": Arm.both.value,
            "area": Area.both.value,
            "active": True,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    ]
    groups.append(
        {
            **groups[0],
            "id": 2,
            "name": "Partnership Executive",
            "short_name": "Executive",
            "kind": GroupKind.executive.value,
        }
    )
    for i in range(3, ctx.n(40) + 1):
        groups.append(
            {
                **groups[0],
                "id": i,
                "name": f"Sub-group {i}",
                "short_name": f"SG {i}",
                "kind": GroupKind.subgroup.value,
                "arm": rng.choice(list(Arm)).value,
            }
        )
    ctx.insert(Group.__table__, groups, "groups")
    ctx.ids["groups"] = [g["id"] for g in groups]

    # Each group: a seat per organisation for a sample of organisations, with people
    # changing every few years (ended memberships accumulate history).
    memberships = []
    by_org: dict[int, list[int]] = {}
    for p in people:
        by_org.setdefault(p["organisation_id"], []).append(p["id"])
    mid = 0
    for g in groups:
        seats = org_ids[:3] + rng.sample(org_ids[3:], k=min(len(org_ids) - 3, rng.randint(12, 24)))
        for j, org_id in enumerate(seats):
            staff = by_org[org_id]
            begin = start
            for term in range(3):
                mid += 1
                end = begin + timedelta(days=365 * 4 - 1) if term < 2 else None
                memberships.append(
                    {
                        "id": mid,
                        "group_id": g["id"],
                        "person_id": staff[(term + j) % len(staff)],
                        "organisation_id": org_id,
                        "role": (MembershipRole.chair if j == 0 and term == 2 else MembershipRole.member).value,
                        "deputy_person_id": staff[(term + j + 1) % len(staff)] if len(staff) > 1 else None,
                        "start_date": begin,
                        "end_date": end,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                if end is None:
                    break
                begin = end + timedelta(days=1)
    ctx.insert(Membership.__table__, memberships, "memberships")
    ctx.ids["memberships"] = [m["id"] for m in memberships]
    ctx.insert(
        MouSignature.__table__,
        [
            {"person_id": pid, "document_version": "FNSPP MoU 2020", "signed_on": start, "recorded_at": now}
            for pid in ctx.ids["people"][::2]
        ],
        "mou signatures",
    )

    # Bench accounts, one per role (password hashed once).
    password_hash = accounts.hash_password(PASSWORD)
    users, roles = [], []
    for i, role in enumerate(Role, start=1):
        users.append(
            {
                "id": i,
                "email": f"{role.value}@bench.example",
                "password_hash": password_hash,
                "organisation_id": org_ids[1] if role in (Role.partner_member, Role.subgroup_chair) else None,
                "person_id": ctx.ids["people"][i],
                "active": True,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        roles.append({"user_id": i, "role": role.value})
    ctx.insert(User.__table__, users, "users")
    ctx.insert(UserRole.__table__, roles, "user roles")
    ctx.ids["users"] = [u["id"] for u in users]
