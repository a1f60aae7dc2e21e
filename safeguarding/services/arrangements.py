"""The children's safeguarding arrangements as published (Children Act 2004 ss16E–16K;
Working Together 2023): the safeguarding partners (each council for its area, the ICB and
the police for both), each one's lead safeguarding partner (LSP) and any delegated
safeguarding partner (DSP) with the date of delegation, the partnership chair (one of the
DSPs), the independent scrutineer, the relevant agencies and where the arrangements are
published. Only the business office changes them; every change leaves an
`ArrangementsChange` row (office-holders' names are public in published arrangements, so
the descriptions name them) and is audited on flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import (
    Area,
    Arm,
    Arrangements,
    ArrangementsChange,
    Organisation,
    OrganisationKind,
    Person,
    SafeguardingPartner,
)
from safeguarding.services import audit
from safeguarding.services.errors import NotFound, StaleVersion, ValidationFailed

PARTNER_KINDS = (OrganisationKind.local_authority, OrganisationKind.icb, OrganisationKind.police)
MAX_AGENCIES = 200
MAX_AGENCY_LENGTH = 300


@dataclass
class Published:
    """What the page and the API show: the arrangements of one arm."""

    arrangements: Arrangements | None
    partners: list[SafeguardingPartner]
    changes: list[ArrangementsChange]

    @property
    def chair(self) -> SafeguardingPartner | None:
        return next((p for p in self.partners if p.chairs_partnership), None)


# --- reading ------------------------------------------------------------------------------------


def list_partners(arm: Arm = Arm.children) -> list[SafeguardingPartner]:
    """The arm's safeguarding partners, by organisation name (one query)."""
    return list(
        db.session.scalars(
            sa.select(SafeguardingPartner)
            .join(Organisation, Organisation.id == SafeguardingPartner.organisation_id)
            .where(SafeguardingPartner.arm == arm)
            .order_by(Organisation.name)
        ).unique()
    )


def get_partner(partner_id: int) -> SafeguardingPartner:
    row = db.session.get(SafeguardingPartner, partner_id)
    if row is None:
        raise NotFound("No such safeguarding partner")
    return row


def get_arrangements(arm: Arm = Arm.children) -> Arrangements | None:
    return db.session.scalar(sa.select(Arrangements).where(Arrangements.arm == arm))


def changes_of(arm: Arm = Arm.children) -> list[ArrangementsChange]:
    """The history of changes, newest first."""
    return list(
        db.session.scalars(
            sa.select(ArrangementsChange)
            .where(ArrangementsChange.arm == arm)
            .order_by(ArrangementsChange.changed_on.desc(), ArrangementsChange.id.desc())
        )
    )


def published(arm: Arm = Arm.children) -> Published:
    return Published(get_arrangements(arm), list_partners(arm), changes_of(arm))


def candidate_organisations() -> list[Organisation]:
    """Organisations that may be a children's safeguarding partner (councils, ICBs, police)."""
    return list(
        db.session.scalars(
            sa.select(Organisation).where(Organisation.kind.in_(PARTNER_KINDS)).order_by(Organisation.name)
        )
    )


def candidate_people() -> list[Person]:
    """Active people of those organisations (for the lead and delegate lists)."""
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(Organisation, Organisation.id == Person.organisation_id)
            .where(Person.active.is_(True), Organisation.kind.in_(PARTNER_KINDS))
            .order_by(Person.name)
        )
    )


def independent_people() -> list[Person]:
    """Active people who could be the scrutineer: no safeguarding partner's staff."""
    partner_orgs = sa.select(SafeguardingPartner.organisation_id).where(SafeguardingPartner.arm == Arm.children)
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(
                Person.active.is_(True),
                sa.or_(Person.organisation_id.is_(None), Person.organisation_id.not_in(partner_orgs)),
            )
            .order_by(Person.name)
        )
    )


# --- helpers ------------------------------------------------------------------------------------


def _check_version(row: Any, version: int | None) -> None:
    if version is None:
        raise ValidationFailed(errors={"version": "Send the version of the record you read"})
    if version != row.version:
        raise StaleVersion()


def _log(arm: Arm, description: str, user: Any) -> ArrangementsChange:
    change = ArrangementsChange(
        arm=arm, changed_on=today(), description=description, changed_by_id=getattr(user, "id", None)
    )
    db.session.add(change)
    return change


def _who(person: Person | None) -> str:
    if person is None:
        return "none"
    return f"{person.name} ({person.job_title})" if person.job_title else person.name


def _person_of(person_id: int | None, organisation: Organisation, field: str, what: str) -> Person | None:
    if person_id is None:
        return None
    person = db.session.get(Person, person_id)
    if person is None or not person.active:
        raise ValidationFailed(errors={field: f"Select the {what} from the list"})
    if person.organisation_id != organisation.id:
        raise ValidationFailed(errors={field: f"The {what} must be someone from {organisation.name}"})
    return person


def _area_of(organisation: Organisation) -> Area:
    """A council is a partner for its own area; the ICB and the police for both."""
    if organisation.kind == OrganisationKind.local_authority:
        if organisation.area == Area.both:
            raise ValidationFailed(
                errors={"organisation_id": f"Record the area {organisation.name} serves (North or West) first"}
            )
        return Area(organisation.area)
    return Area.both


def _check_people(
    organisation: Organisation,
    lead_person_id: int | None,
    delegate_person_id: int | None,
    delegated_on: date | None,
) -> tuple[Person, Person | None, date | None]:
    errors: dict[str, str] = {}
    if lead_person_id is None:
        errors["lead_person_id"] = "Select the lead safeguarding partner"
    if delegate_person_id is not None:
        if delegate_person_id == lead_person_id:
            errors["delegate_person_id"] = "The delegated safeguarding partner must be someone other than the lead"
        if delegated_on is None:
            errors["delegated_on"] = "Enter the date of delegation"
        elif delegated_on > today():
            errors["delegated_on"] = "The date of delegation must be today or in the past"
    if errors:
        raise ValidationFailed(errors=errors)
    lead = _person_of(lead_person_id, organisation, "lead_person_id", "lead safeguarding partner")
    delegate = _person_of(delegate_person_id, organisation, "delegate_person_id", "delegated safeguarding partner")
    assert lead is not None
    return lead, delegate, (delegated_on if delegate is not None else None)


def _delegation(delegate: Person | None, delegated_on: date | None) -> str:
    if delegate is None:
        return "no delegate"
    return f"delegate {_who(delegate)} from {long_date(delegated_on)}" if delegated_on else f"delegate {_who(delegate)}"


# --- the partners -------------------------------------------------------------------------------


def record_partner(
    *,
    organisation_id: int | None,
    lead_person_id: int | None,
    delegate_person_id: int | None = None,
    delegated_on: date | None = None,
    chairs_partnership: bool = False,
    user: Any = None,
    arm: Arm = Arm.children,
) -> SafeguardingPartner:
    """Record an organisation as one of the arm's safeguarding partners, with its lead and
    any delegate."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id is not None else None
    if organisation is None:
        raise ValidationFailed(errors={"organisation_id": "Select the organisation"})
    if organisation.kind not in PARTNER_KINDS:
        raise ValidationFailed(
            errors={
                "organisation_id": "A safeguarding partner must be a local authority, an integrated care board "
                "or a police force"
            }
        )
    exists = db.session.scalar(
        sa.select(SafeguardingPartner.id).where(
            SafeguardingPartner.arm == arm, SafeguardingPartner.organisation_id == organisation.id
        )
    )
    if exists is not None:
        raise ValidationFailed(errors={"organisation_id": f"{organisation.name} is already a safeguarding partner"})
    area = _area_of(organisation)
    lead, delegate, delegated_on = _check_people(organisation, lead_person_id, delegate_person_id, delegated_on)
    partner = SafeguardingPartner(
        arm=arm,
        organisation_id=organisation.id,
        area=area,
        lead_person_id=lead.id,
        delegate_person_id=delegate.id if delegate else None,
        delegated_on=delegated_on,
        chairs_partnership=False,
    )
    partner.organisation = organisation
    partner.lead, partner.delegate = lead, delegate
    db.session.add(partner)
    _log(
        arm,
        f"{organisation.name} recorded as a safeguarding partner for {area.label}: lead {_who(lead)}; "
        f"{_delegation(delegate, delegated_on)}.",
        user,
    )
    db.session.flush()
    if chairs_partnership:
        set_chair(partner, user=user)
    return partner


def update_partner(
    partner: SafeguardingPartner,
    *,
    version: int | None,
    user: Any = None,
    **values: Any,
) -> SafeguardingPartner:
    """Change a partner's lead, delegate or date of delegation (fields left out keep their
    values); `chairs_partnership=True` makes its delegate the partnership chair."""
    _check_version(partner, version)
    unknown = set(values) - {"lead_person_id", "delegate_person_id", "delegated_on", "chairs_partnership"}
    if unknown:
        raise ValidationFailed(errors={name: "This cannot be changed" for name in sorted(unknown)})
    lead_id = values.get("lead_person_id", partner.lead_person_id)
    delegate_id = values.get("delegate_person_id", partner.delegate_person_id)
    on = values.get("delegated_on", partner.delegated_on)
    chairs = values.get("chairs_partnership", partner.chairs_partnership)
    if partner.chairs_partnership and (delegate_id is None or chairs is False):
        field = "delegate_person_id" if delegate_id is None else "chairs_partnership"
        raise ValidationFailed(
            errors={field: "The partnership must have a chair: make another partner's delegate the chair first"}
        )
    lead, delegate, on = _check_people(partner.organisation, lead_id, delegate_id, on)
    said = []
    if lead.id != partner.lead_person_id:
        said.append(f"lead changed from {_who(partner.lead)} to {_who(lead)}")
    if (delegate.id if delegate else None) != partner.delegate_person_id or on != partner.delegated_on:
        said.append(f"{_delegation(delegate, on)} (was {_delegation(partner.delegate, partner.delegated_on)})")
    if said:
        partner.lead_person_id, partner.lead = lead.id, lead
        partner.delegate_person_id, partner.delegate = (delegate.id if delegate else None), delegate
        partner.delegated_on = on
        audit.mark_action(partner, "arrangements:partner")
        if partner.chairs_partnership:
            said.append(f"{_who(delegate)} chairs the partnership")
        _log(partner.arm, f"{partner.organisation.name}: " + "; ".join(said) + ".", user)
        db.session.flush()
    if chairs and not partner.chairs_partnership:
        set_chair(partner, user=user)
    return partner


def set_chair(partner: SafeguardingPartner, *, user: Any = None) -> SafeguardingPartner:
    """Make this partner's delegate the partnership chair: one of the DSPs, exactly one."""
    if partner.delegate_person_id is None:
        raise ValidationFailed(
            errors={
                "chairs_partnership": "The partnership chair must be a delegated safeguarding partner: "
                f"record {partner.organisation.name}'s delegate first"
            }
        )
    if partner.chairs_partnership:
        return partner
    for other in db.session.scalars(
        sa.select(SafeguardingPartner).where(
            SafeguardingPartner.arm == partner.arm, SafeguardingPartner.chairs_partnership.is_(True)
        )
    ):
        other.chairs_partnership = False
        audit.mark_action(other, "arrangements:chair")
    partner.chairs_partnership = True
    audit.mark_action(partner, "arrangements:chair")
    _log(
        partner.arm,
        f"Partnership chair: {_who(partner.delegate)}, delegated safeguarding partner for {partner.organisation.name}.",
        user,
    )
    db.session.flush()
    return partner


# --- the arrangements document ------------------------------------------------------------------


def agencies_from_text(text: str | None) -> list[str]:
    """One relevant agency per line; blank lines and repeats left out."""
    out: list[str] = []
    for line in (text or "").splitlines():
        name = line.strip()
        if name and name.casefold() not in {a.casefold() for a in out}:
            out.append(name)
    return out


def _clean_agencies(agencies: list[str] | None) -> list[str]:
    cleaned = agencies_from_text("\n".join(a for a in (agencies or []) if a))
    if len(cleaned) > MAX_AGENCIES:
        raise ValidationFailed(errors={"relevant_agencies": f"List {MAX_AGENCIES} relevant agencies or fewer"})
    if any(len(a) > MAX_AGENCY_LENGTH for a in cleaned):
        raise ValidationFailed(
            errors={"relevant_agencies": f"Each relevant agency must be {MAX_AGENCY_LENGTH} characters or fewer"}
        )
    return cleaned


def _check_publication(published_on: date | None, publication_url: str | None) -> None:
    errors: dict[str, str] = {}
    if publication_url:
        parts = urlsplit(publication_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in publication_url:
            errors["publication_url"] = (
                "Enter the link in the correct format, like https://www.example.org/arrangements"
            )
        elif len(publication_url) > 500:
            errors["publication_url"] = "The link must be 500 characters or fewer"
    if published_on is not None and published_on > today():
        errors["published_on"] = "The date of publication must be today or in the past"
    if published_on is not None and not publication_url and "publication_url" not in errors:
        errors["publication_url"] = "Enter the link to the published arrangements"
    if publication_url and published_on is None:
        errors["published_on"] = "Enter the date the arrangements were published"
    if errors:
        raise ValidationFailed(errors=errors)


def _check_scrutineer(person_id: int | None, arm: Arm) -> Person | None:
    if person_id is None:
        return None
    person = db.session.get(Person, person_id)
    if person is None or not person.active:
        raise ValidationFailed(errors={"scrutineer_person_id": "Select the independent scrutineer from the list"})
    partner_orgs = set(
        db.session.scalars(sa.select(SafeguardingPartner.organisation_id).where(SafeguardingPartner.arm == arm))
    )
    if person.organisation_id in partner_orgs:
        raise ValidationFailed(
            errors={"scrutineer_person_id": "The scrutineer must be independent of the safeguarding partners"}
        )
    return person


def update_arrangements(
    *,
    version: int | None,
    scrutineer_person_id: int | None,
    relevant_agencies: list[str] | None,
    published_on: date | None,
    publication_url: str | None,
    summary: str | None,
    user: Any = None,
    arm: Arm = Arm.children,
) -> Arrangements:
    """Set the scrutineer, the relevant agencies, the publication and the summary (all of
    them: a missing value clears it). The first call creates the arm's record."""
    row = get_arrangements(arm)
    if row is not None:
        _check_version(row, version)
    publication_url = (publication_url or "").strip() or None
    summary = (summary or "").strip() or None
    agencies = _clean_agencies(relevant_agencies)
    _check_publication(published_on, publication_url)
    scrutineer = _check_scrutineer(scrutineer_person_id, arm)
    said = _describe(row, scrutineer, agencies, published_on, publication_url, summary)
    if row is None:
        row = Arrangements(arm=arm, relevant_agencies=[])
        db.session.add(row)
    if not said:
        return row
    row.scrutineer_person_id, row.scrutineer = (scrutineer.id if scrutineer else None), scrutineer
    row.relevant_agencies = agencies
    row.published_on, row.publication_url, row.summary = published_on, publication_url, summary
    audit.mark_action(row, "arrangements:update")
    _log(arm, " ".join(said), user)
    db.session.flush()
    return row


def _describe(
    row: Arrangements | None,
    scrutineer: Person | None,
    agencies: list[str],
    published_on: date | None,
    publication_url: str | None,
    summary: str | None,
) -> list[str]:
    said = []
    if (row.scrutineer_person_id if row else None) != (scrutineer.id if scrutineer else None):
        said.append(f"Independent scrutineer: {_who(scrutineer)}.")
    before = list(row.relevant_agencies or []) if row else []
    if before != agencies:
        added = [a for a in agencies if a not in before]
        removed = [a for a in before if a not in agencies]
        parts = [f"added {', '.join(added)}" if added else "", f"removed {', '.join(removed)}" if removed else ""]
        detail = "; ".join(p for p in parts if p) or "reordered"
        said.append(f"Relevant agencies ({len(agencies)}): {detail}.")
    if (row.published_on if row else None) != published_on or (row.publication_url if row else None) != publication_url:
        said.append(f"Published on {long_date(published_on)}." if published_on else "Publication removed.")
    if (row.summary if row else None) != summary:
        said.append("Summary changed.")
    return said
