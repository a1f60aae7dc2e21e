"""Kinds of the partnership's directory: organisations; people with their memberships
and deputies. Organisations match by name, people by email address (both compared
case-folded), memberships by group, person and start date. Blank cells keep what is
recorded; a row changes a record through the same services the pages use."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.extensions import db
from safeguarding.models import (
    Area,
    Group,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    PartnershipState,
    Person,
)
from safeguarding.services import partnership
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.imports import values
from safeguarding.services.imports.engine import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Context,
    Kind,
    Row,
    register,
)
from safeguarding.workflows.partnership import partnership_lifecycle

YES_NO = "yes or no (also y/n, true/false, 1/0); blank is no"
DATE = "A date: 23/11/2026, 23 Nov 2026, 2026-11-23 or a date cell"


def _changes(row: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if v is not None and getattr(row, k) != v}


def _organisations(ctx: Context) -> dict[str, Organisation]:
    if "organisations" not in ctx.cache:
        ctx.cache["organisations"] = {
            validation.name_key(o.name): o for o in db.session.scalars(sa.select(Organisation))
        }
    return ctx.cache["organisations"]


def _find_organisation(ctx: Context, name: str | None, field: str) -> Organisation | None:
    if name is None:
        return None
    org = _organisations(ctx).get(validation.name_key(name))
    if org is None:
        raise ValidationFailed(
            errors={field: f"There is no organisation called ‘{name}’: add it first (import organisations)"}
        )
    return org


# --- organisations -------------------------------------------------------------------------------

ORGANISATION_COLUMNS = (
    Column(
        "name", "Name", "The organisation's full name; matches an existing organisation", "County Police", required=True
    ),
    Column("short_name", "Short name", "Used in tables; the name when blank (first 60 characters)", "Police"),
    Column(
        "kind",
        "Kind",
        "What sort of organisation it is",
        "police",
        values.choice(OrganisationKind),
        required=True,
        allowed=values.allowed_values(OrganisationKind),
    ),
    Column(
        "area",
        "Area",
        "The council area it serves; blank is both",
        "both",
        values.choice(Area),
        allowed="north, west, both",
    ),
    Column(
        "statutory_adults",
        "Statutory adults",
        "A statutory partner of the adults' board",
        "yes",
        values.yes_no,
        allowed=YES_NO,
    ),
    Column(
        "statutory_children",
        "Statutory children",
        "A safeguarding partner for children",
        "yes",
        values.yes_no,
        allowed=YES_NO,
    ),
    Column("chief_executive_name", "Chief executive name", "Escalation letters go to them", "Jane Smith"),
    Column("chief_executive_title", "Chief executive title", "Their title", "Chief Constable"),
    Column(
        "chief_executive_email",
        "Chief executive email",
        "Their email address",
        "ce@police.example",
        values.email,
        allowed="An email address",
    ),
    Column(
        "chief_executive_address",
        "Chief executive address",
        "Postal address (lines separated by commas)",
        "1 High St, Town",
    ),
    Column("safeguarding_lead_name", "Safeguarding lead name", "The organisation's safeguarding lead", "Sam Lee"),
    Column(
        "safeguarding_lead_email",
        "Safeguarding lead email",
        "Their email address",
        "lead@police.example",
        values.email,
        allowed="An email address",
    ),
    Column(
        "joined_on",
        "Joined on",
        "The date it joined the partnership: admits a proposed organisation (needs the chief executive's name and "
        "email); blank leaves it proposed",
        "01/04/2020",
        values.a_date,
        allowed=DATE,
    ),
)


def _organisation_step(row: Row, ctx: Context) -> str:
    v = dict(row.values)
    joined_on: date | None = v.pop("joined_on", None)
    if v.get("chief_executive_address"):
        v["chief_executive_address"] = "\n".join(p.strip() for p in v["chief_executive_address"].split(","))
    orgs = _organisations(ctx)
    org = orgs.get(validation.name_key(v["name"]))
    outcome = UNCHANGED
    if org is None:
        v["short_name"] = v.get("short_name") or v["name"][:60]
        v["area"] = v.get("area") or Area.both
        v["statutory_adults"] = bool(v.get("statutory_adults"))
        v["statutory_children"] = bool(v.get("statutory_children"))
        org = partnership.create_organisation(**{k: x for k, x in v.items() if x is not None})
        orgs[validation.name_key(org.name)] = org
        outcome = CREATED
    else:
        changes = _changes(org, {k: x for k, x in v.items() if k != "name"})
        if changes:
            partnership.update_organisation(org, version=None, **changes)
            outcome = UPDATED
    if joined_on is not None:
        if org.state == PartnershipState.proposed:
            partnership_lifecycle.fire(
                org,
                "admit",
                user=ctx.user,
                version=org.version,
                system=ctx.user is None,
                params={"joined_on": joined_on},
            )
            outcome = outcome if outcome == CREATED else UPDATED
        elif org.joined_on != joined_on:
            raise ValidationFailed(
                errors={"joined_on": "The organisation has already joined on another date: change it on its page"}
            )
    return outcome


ORGANISATIONS = register(
    Kind(
        "organisations",
        "Organisations",
        "The partnership's member organisations, their chief executives and safeguarding leads",
        ORGANISATION_COLUMNS,
        (_organisation_step,),
    )
)


# --- people, memberships, deputies --------------------------------------------------------------

PEOPLE_COLUMNS = (
    Column("name", "Name", "The person's full name", "Alex Morgan", required=True),
    Column(
        "email",
        "Email",
        "Their email address; matches an existing person",
        "alex.morgan@police.example",
        values.email,
        required=True,
        allowed="An email address",
    ),
    Column("job_title", "Job title", "Their job title", "Detective Superintendent"),
    Column("phone", "Phone", "Their phone number", "01234 567890"),
    Column(
        "organisation",
        "Organisation",
        "The organisation they work for, by its name (already recorded)",
        "County Police",
    ),
    Column(
        "group", "Group", "A group they sit on, by its name (already recorded); one row per group", "Partnership Board"
    ),
    Column(
        "role",
        "Role",
        "Their role on the group; blank is member",
        "member",
        values.choice(MembershipRole),
        allowed=values.allowed_values(MembershipRole),
    ),
    Column(
        "start_date",
        "Start date",
        "When the membership started (needed with a group)",
        "01/04/2024",
        values.a_date,
        allowed=DATE,
    ),
    Column("end_date", "End date", "When it ended or ends; blank while it runs", "", values.a_date, allowed=DATE),
    Column(
        "deputy_email",
        "Deputy email",
        "Their named deputy, by email: a person in this file or already recorded, of the same organisation",
        "sam.patel@police.example",
        values.email,
        allowed="An email address",
    ),
)


def _people(ctx: Context) -> dict[str, Person]:
    if "people" not in ctx.cache:
        ctx.cache["people"] = {
            validation.name_key(p.email): p
            for p in db.session.scalars(sa.select(Person).where(Person.email.is_not(None)).order_by(Person.id.desc()))
        }
    return ctx.cache["people"]


def _person_step(row: Row, ctx: Context) -> str:
    v = row.values
    org = _find_organisation(ctx, v.get("organisation"), "organisation")
    wanted = {"name": v["name"], "job_title": v.get("job_title"), "phone": v.get("phone")}
    if org is not None:
        wanted["organisation_id"] = org.id
    people = _people(ctx)
    person = people.get(validation.name_key(v["email"]))
    if person is None:
        person = partnership.create_person(email=v["email"], **{k: x for k, x in wanted.items() if x is not None})
        people[validation.name_key(v["email"])] = person
        return CREATED
    changes = _changes(person, wanted)
    if changes:
        partnership.update_person(person, version=None, **changes)
        return UPDATED
    return UNCHANGED


def _groups(ctx: Context) -> dict[str, Group]:
    if "groups" not in ctx.cache:
        ctx.cache["groups"] = {validation.name_key(g.name): g for g in db.session.scalars(sa.select(Group))}
    return ctx.cache["groups"]


def _membership_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v.get("group") is None:
        for name in ("role", "start_date", "end_date", "deputy_email"):
            if v.get(name) is not None:
                raise ValidationFailed(errors={"group": "Enter the group this membership is of"})
        return UNCHANGED
    group = _groups(ctx).get(validation.name_key(v["group"]))
    if group is None:
        raise ValidationFailed(errors={"group": f"There is no group called ‘{v['group']}’: add it first"})
    if v.get("start_date") is None:
        raise ValidationFailed(errors={"start_date": "Enter the date the membership started"})
    people = _people(ctx)
    person = people[validation.name_key(v["email"])]
    deputy = None
    if v.get("deputy_email"):
        deputy = people.get(validation.name_key(v["deputy_email"]))
        if deputy is None:
            raise ValidationFailed(errors={"deputy_person_id": "There is no person with this deputy's email address"})
    role = v.get("role") or MembershipRole.member
    existing = db.session.scalar(
        sa.select(Membership).where(
            Membership.group_id == group.id, Membership.person_id == person.id, Membership.start_date == v["start_date"]
        )
    )
    if existing is None:
        partnership.add_membership(
            group=group, person=person, role=role, start_date=v["start_date"], deputy=deputy, end_date=v.get("end_date")
        )
        return CREATED
    deputy_id = deputy.id if deputy else None
    end_date = v.get("end_date") or existing.end_date
    if existing.role == role and existing.deputy_person_id == deputy_id and existing.end_date == end_date:
        return UNCHANGED
    partnership.update_membership(
        existing, version=None, role=role, deputy=deputy, start_date=existing.start_date, end_date=end_date
    )
    return UPDATED


PEOPLE = register(
    Kind(
        "people",
        "People and memberships",
        "People, the organisation each works for, the groups they sit on (one row per group) and their deputies",
        PEOPLE_COLUMNS,
        (_person_step, _membership_step),
        error_columns={
            "organisation_id": "organisation",
            "person_id": "email",
            "deputy_person_id": "deputy_email",
            "group_id": "group",
        },
    )
)

__all__ = ["ORGANISATIONS", "PEOPLE"]
