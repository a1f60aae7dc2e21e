"""The partnership's directory: organisations, people, groups, memberships and
memorandum of understanding signatures. Nothing here is hard-deleted: people and groups
are deactivated, memberships ended, organisations leave through their lifecycle."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Group,
    Membership,
    MembershipRole,
    MouSignature,
    Organisation,
    Person,
)
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from safeguarding.workflows.partnership import partnership_lifecycle

MOU_VERSION = "FNSPP MoU 2020"


def _check_version(row: Any, version: int | None) -> None:
    if version is not None and version != row.version:
        raise StaleVersion()


def _apply(row: Any, values: dict[str, Any], allowed: set[str]) -> None:
    for key, value in values.items():
        if key in allowed:
            setattr(row, key, value)


# --- organisations ----------------------------------------------------------------------

ORGANISATION_FIELDS = {
    "name",
    "short_name",
    "kind",
    "area",
    "statutory_adults",
    "statutory_children",
    "chief_executive_name",
    "chief_executive_title",
    "chief_executive_email",
    "chief_executive_address",
    "safeguarding_lead_name",
    "safeguarding_lead_email",
}


def get_organisation(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound("Organisation not found")
    return org


partnership_lifecycle.serve(loader=lambda org_id, user: get_organisation(org_id))


def list_organisations(*, include_left: bool = True) -> list[Organisation]:
    stmt = sa.select(Organisation).order_by(Organisation.name)
    if not include_left:
        stmt = stmt.where(Organisation.state != "left")
    return list(db.session.scalars(stmt))


def _check_organisation_name(name: str, exclude_id: int | None = None) -> None:
    if validation.name_taken(db.session.execute(sa.select(Organisation.id, Organisation.name)), name, exclude_id):
        raise ValidationFailed(errors={"name": "An organisation with this name already exists"})


def create_organisation(**values: Any) -> Organisation:
    _check_organisation_name(values["name"])
    org = Organisation()
    _apply(org, values, ORGANISATION_FIELDS)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, *, version: int | None, **values: Any) -> Organisation:
    _check_version(org, version)
    if "name" in values:
        _check_organisation_name(values["name"], exclude_id=org.id)
    _apply(org, values, ORGANISATION_FIELDS)
    db.session.flush()
    return org


# --- people ------------------------------------------------------------------------------

PERSON_FIELDS = {"name", "job_title", "email", "phone", "organisation_id"}


def get_person(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound("Person not found")
    return person


def list_people(
    *,
    organisation_id: int | None = None,
    include_inactive: bool = False,
    page: int = 1,
    per_page: int = 50,
    search: str | None = None,
) -> tuple[list[Person], int]:
    stmt = sa.select(Person)
    if organisation_id is not None:
        stmt = stmt.where(Person.organisation_id == organisation_id)
    if not include_inactive:
        stmt = stmt.where(Person.active.is_(True))
    if search:
        stmt = stmt.where(sa.func.lower(Person.name).contains(search.strip().lower()))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Person.name, Person.id).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def _check_organisation_exists(org_id: int | None) -> None:
    if org_id is not None and db.session.get(Organisation, org_id) is None:
        raise ValidationFailed(errors={"organisation_id": "Select an organisation from the list"})


def create_person(**values: Any) -> Person:
    _check_organisation_exists(values.get("organisation_id"))
    person = Person(active=True)
    _apply(person, values, PERSON_FIELDS)
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, *, version: int | None, **values: Any) -> Person:
    _check_version(person, version)
    _check_organisation_exists(values.get("organisation_id"))
    _apply(person, values, PERSON_FIELDS)
    db.session.flush()
    return person


def deactivate_person(person: Person, *, version: int | None, on: date | None = None) -> Person:
    """Deactivate a person and end their current memberships (and deputyships)."""
    _check_version(person, version)
    if not person.active:
        raise Conflict("This person is already deactivated")
    on = on or today()
    person.active = False
    audit.mark_action(person, "deactivate")
    for m in db.session.scalars(
        sa.select(Membership).where(
            Membership.person_id == person.id, sa.or_(Membership.end_date.is_(None), Membership.end_date > on)
        )
    ):
        m.end_date = max(on, m.start_date)
    for m in db.session.scalars(
        sa.select(Membership).where(
            Membership.deputy_person_id == person.id, sa.or_(Membership.end_date.is_(None), Membership.end_date > on)
        )
    ):
        m.deputy_person_id = None
    db.session.flush()
    return person


def reactivate_person(person: Person, *, version: int | None) -> Person:
    _check_version(person, version)
    if person.active:
        raise Conflict("This person is already active")
    person.active = True
    audit.mark_action(person, "reactivate")
    db.session.flush()
    return person


# --- groups ------------------------------------------------------------------------------

GROUP_FIELDS = {
    "name",
    "short_name",
    "kind",
    "arm",
    "area",
    "terms_of_reference",
    "tor_last_reviewed_on",
    "tor_review_due_on",
    "minutes_restricted",
    "each_council_required",
}


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound("Group not found")
    return group


def list_groups(*, include_inactive: bool = False) -> list[Group]:
    stmt = sa.select(Group).order_by(Group.kind, Group.name)
    if not include_inactive:
        stmt = stmt.where(Group.active.is_(True))
    return list(db.session.scalars(stmt))


def _check_group_name(name: str, exclude_id: int | None = None) -> None:
    if validation.name_taken(db.session.execute(sa.select(Group.id, Group.name)), name, exclude_id):
        raise ValidationFailed(errors={"name": "A group with this name already exists"})


def create_group(**values: Any) -> Group:
    _check_group_name(values["name"])
    group = Group(active=True)
    _apply(group, values, GROUP_FIELDS)
    db.session.add(group)
    db.session.flush()
    return group


def update_group(group: Group, *, version: int | None, **values: Any) -> Group:
    _check_version(group, version)
    if "name" in values:
        _check_group_name(values["name"], exclude_id=group.id)
    _apply(group, values, GROUP_FIELDS)
    db.session.flush()
    return group


def deactivate_group(group: Group, *, version: int | None, on: date | None = None) -> Group:
    """Stand a group down: it keeps its history; its current memberships end."""
    _check_version(group, version)
    if not group.active:
        raise Conflict("This group is already inactive")
    on = on or today()
    group.active = False
    audit.mark_action(group, "deactivate")
    for m in db.session.scalars(
        sa.select(Membership).where(
            Membership.group_id == group.id, sa.or_(Membership.end_date.is_(None), Membership.end_date > on)
        )
    ):
        m.end_date = max(on, m.start_date)
    db.session.flush()
    return group


# --- memberships -------------------------------------------------------------------------


def current_memberships(group_id: int, on: date | None = None) -> list[Membership]:
    on = on or today()
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(
                Membership.group_id == group_id,
                Membership.start_date <= on,
                sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            )
            .order_by(Membership.role, Membership.id)
        )
    )


def memberships_of_group(group_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.group_id == group_id)
            .order_by(Membership.end_date.is_not(None), Membership.role, Membership.id)
        )
    )


def memberships_of_person(person_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(sa.or_(Membership.person_id == person_id, Membership.deputy_person_id == person_id))
            .order_by(Membership.start_date.desc())
        )
    )


def get_membership(membership_id: int) -> Membership:
    m = db.session.get(Membership, membership_id)
    if m is None:
        raise NotFound("Membership not found")
    return m


def _deputy_problem(person: Person, deputy: Person | None) -> str | None:
    if deputy is None:
        return None
    if deputy.id == person.id:
        return "The deputy must be a different person from the member"
    if not deputy.active:
        return "The deputy is deactivated"
    if person.organisation_id is not None and deputy.organisation_id != person.organisation_id:
        return "The deputy must work for the same organisation as the member"
    return None


def _overlapping_membership(
    group: Group, start_date: date, end_date: date | None, exclude_id: int | None, *where: Any
) -> bool:
    """Whether a membership of `group` matching `where` runs on any day of these dates."""
    query = sa.select(Membership.id).where(
        Membership.group_id == group.id,
        *where,
        sa.or_(Membership.end_date.is_(None), Membership.end_date >= start_date),
    )
    if end_date is not None:
        query = query.where(Membership.start_date <= end_date)
    if exclude_id is not None:
        query = query.where(Membership.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def _validate_membership(
    group: Group,
    person: Person,
    deputy: Person | None,
    role: MembershipRole,
    start_date: date,
    end_date: date | None,
    exclude_id: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if not group.active:
        errors["group_id"] = "This group is no longer active"
    if not person.active:
        errors["person_id"] = "This person is deactivated"
    if problem := _deputy_problem(person, deputy):
        errors["deputy_person_id"] = problem
    if end_date is not None and end_date < start_date:
        errors["end_date"] = "The end date must be the same as or after the start date"
    if _overlapping_membership(group, start_date, end_date, exclude_id, Membership.person_id == person.id):
        errors["person_id"] = "This person is already a member of this group for these dates"
    if role in (MembershipRole.chair, MembershipRole.vice_chair) and _overlapping_membership(
        group, start_date, end_date, exclude_id, Membership.role == role
    ):
        errors["role"] = f"This group already has a {role.label.lower()} for these dates"
    if errors:
        raise ValidationFailed(errors=errors)


def add_membership(
    *,
    group: Group,
    person: Person,
    role: MembershipRole,
    start_date: date,
    deputy: Person | None = None,
    end_date: date | None = None,
    organisation_id: int | None = None,
) -> Membership:
    _validate_membership(group, person, deputy, role, start_date, end_date)
    m = Membership(
        group_id=group.id,
        person_id=person.id,
        role=role,
        start_date=start_date,
        end_date=end_date,
        deputy_person_id=deputy.id if deputy else None,
        organisation_id=organisation_id if organisation_id is not None else person.organisation_id,
    )
    db.session.add(m)
    db.session.flush()
    return m


def update_membership(
    m: Membership,
    *,
    version: int | None,
    role: MembershipRole,
    deputy: Person | None,
    start_date: date,
    end_date: date | None,
) -> Membership:
    _check_version(m, version)
    _validate_membership(m.group, m.person, deputy, role, start_date, end_date, exclude_id=m.id)
    m.role = role
    m.deputy_person_id = deputy.id if deputy else None
    m.start_date = start_date
    m.end_date = end_date
    db.session.flush()
    return m


def end_membership(
    m: Membership, *, version: int | None, end_date: date, notice_given_on: date | None = None
) -> Membership:
    _check_version(m, version)
    if m.end_date is not None and m.end_date <= end_date:
        raise Conflict("This membership has already ended")
    if end_date < m.start_date:
        raise ValidationFailed(errors={"end_date": "The end date must be the same as or after the start date"})
    m.end_date = end_date
    m.notice_given_on = notice_given_on
    audit.mark_action(m, "end")
    db.session.flush()
    return m


# --- memorandum of understanding ---------------------------------------------------------


def record_mou_signature(
    person: Person, signed_on: date, *, recorded_by_id: int | None, document_version: str = MOU_VERSION
) -> MouSignature:
    if signed_on > today():
        raise ValidationFailed(errors={"signed_on": "The date signed must be today or in the past"})
    existing = db.session.scalar(
        sa.select(MouSignature).where(
            MouSignature.person_id == person.id, MouSignature.document_version == document_version
        )
    )
    if existing is not None:
        raise ValidationFailed(errors={"signed_on": "This person has already signed this memorandum"})
    sig = MouSignature(
        person_id=person.id, signed_on=signed_on, document_version=document_version, recorded_by_id=recorded_by_id
    )
    db.session.add(sig)
    db.session.flush()
    return sig


def mou_signed_person_ids(person_ids: list[int], document_version: str = MOU_VERSION) -> set[int]:
    if not person_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(MouSignature.person_id).where(
                MouSignature.person_id.in_(person_ids), MouSignature.document_version == document_version
            )
        )
    )


def organisation_counts() -> dict[int, dict[str, int]]:
    """People and current seats per organisation, in two queries (for list pages)."""
    on = today()
    people = dict(
        db.session.execute(
            sa.select(Person.organisation_id, sa.func.count())
            .where(Person.active.is_(True))
            .group_by(Person.organisation_id)
        ).all()
    )
    seats = dict(
        db.session.execute(
            sa.select(Membership.organisation_id, sa.func.count())
            .where(Membership.start_date <= on, sa.or_(Membership.end_date.is_(None), Membership.end_date >= on))
            .group_by(Membership.organisation_id)
        ).all()
    )
    return {oid: {"people": people.get(oid, 0), "seats": seats.get(oid, 0)} for oid in set(people) | set(seats)}


def group_member_counts() -> dict[int, int]:
    on = today()
    return dict(
        db.session.execute(
            sa.select(Membership.group_id, sa.func.count())
            .where(Membership.start_date <= on, sa.or_(Membership.end_date.is_(None), Membership.end_date >= on))
            .group_by(Membership.group_id)
        ).all()
    )
