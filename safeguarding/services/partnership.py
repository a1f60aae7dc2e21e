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
    MouVersion,
    Organisation,
    Person,
)
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, NotFound, StaleVersion, ValidationFailed
from safeguarding.workflows.partnership import partnership_lifecycle


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


def mou_versions() -> list[MouVersion]:
    """Every recorded version, the newest first."""
    return list(
        db.session.scalars(sa.select(MouVersion).order_by(MouVersion.in_force_from.desc(), MouVersion.id.desc()))
    )


def mou_in_force(on: date | None = None) -> MouVersion | None:
    """The version in force on `on` (default today): the latest that has come into force."""
    return db.session.scalar(
        sa.select(MouVersion)
        .where(MouVersion.in_force_from <= (on or today()))
        .order_by(MouVersion.in_force_from.desc(), MouVersion.id.desc())
        .limit(1)
    )


def record_mou_version(
    *, name: str | None, in_force_from: date | None, summary: str | None, recorded_by_id: int | None
) -> MouVersion:
    """The office records a new version of the memorandum and the date it comes into force;
    from that date only those who have signed it vote."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Enter the name of the version, for example ‘MoU 2027’"
    elif len(name) > 40:
        errors["name"] = "The name must be 40 characters or fewer"
    elif db.session.scalar(sa.select(MouVersion.id).where(MouVersion.name == name)) is not None:
        errors["name"] = "A version with this name has already been recorded"
    if in_force_from is None:
        errors["in_force_from"] = "Enter the date the version comes into force"
    if errors:
        raise ValidationFailed(errors=errors)
    version = MouVersion(
        name=name, in_force_from=in_force_from, summary=(summary or "").strip() or None, recorded_by_id=recorded_by_id
    )
    db.session.add(version)
    db.session.flush()
    return version


def record_mou_signature(
    person: Person, signed_on: date, *, recorded_by_id: int | None, document_version: str | None = None
) -> MouSignature:
    """`person` signed a recorded version of the memorandum (default: the one in force, or
    the newest recorded when none is in force yet)."""
    if document_version is None:
        version = mou_in_force() or next(iter(mou_versions()), None)
        if version is None:
            raise ValidationFailed(errors={"document_version": "Record a version of the memorandum first"})
        document_version = version.name
    elif db.session.scalar(sa.select(MouVersion.id).where(MouVersion.name == document_version)) is None:
        raise ValidationFailed(errors={"document_version": "Select a recorded version of the memorandum"})
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


def mou_signed_person_ids(person_ids: list[int], document_version: str | None = None) -> set[int]:
    """Who among `person_ids` signed `document_version` (default: the version in force;
    nobody when no version is in force — voting then waits for one)."""
    if not person_ids:
        return set()
    if document_version is None:
        version = mou_in_force()
        if version is None:
            return set()
        document_version = version.name
    return set(
        db.session.scalars(
            sa.select(MouSignature.person_id).where(
                MouSignature.person_id.in_(person_ids), MouSignature.document_version == document_version
            )
        )
    )


def mou_signature_counts() -> dict[str, int]:
    """Signatures per version name (one query)."""
    return dict(
        db.session.execute(
            sa.select(MouSignature.document_version, sa.func.count()).group_by(MouSignature.document_version)
        ).all()
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
