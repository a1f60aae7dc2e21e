"""Disputes: raising a dispute, correcting it, and the actions agreed at its meeting."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    Dispute,
    DisputeParty,
    DisputeState,
    Organisation,
    PartnershipState,
    Role,
)
from safeguarding.models.disputes import CLOSED_DISPUTE_STATES
from safeguarding.services import actions
from safeguarding.services.disputes.agenda import _draft
from safeguarding.services.disputes.common import ACTION_STATES
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.services.numbering import insert_numbered, next_number

# --- raising a dispute ---------------------------------------------------------------------


def insert_with_reference(row: Any, year: int) -> None:
    """Give `row` (a dispute or a complaint) the next number of `year` and insert it."""
    model = type(row)

    def number() -> None:
        row.ref_year = year
        row.ref_number = next_number(model.ref_number, model.ref_year == year, series=model.__tablename__, year=year)

    insert_numbered(row, number)


def raise_dispute(
    user: Any,
    *,
    subject: str,
    summary: str,
    party_organisation_ids: list[int],
    raised_on: date | None = None,
    as_of: date | None = None,
    system: bool = False,
) -> Dispute:
    """The business office or a partner member raises a dispute between two or more
    partner organisations (a partner member's own organisation must be one of them).

    `raised_on` is the day it was raised, today by default: a dispute raised earlier (at a
    meeting last week, or last year's brought in) keeps its own date, and its reference
    the year of that date (DSP-2025-…). `as_of` is the day it is entered (today; jobs and
    tests may give another, as for a lifecycle's `fire`). With `system`, the service raises
    it (a safeguarding partner's disagreement with a joint decision): no role check."""
    if not system and not user.has_role(Role.business_office, Role.partner_member):
        raise Forbidden("Only the business office or a partner member can raise a dispute")
    errors: dict[str, str] = {}
    subject = (subject or "").strip()
    summary = (summary or "").strip()
    if not subject:
        errors["subject"] = "Enter what the dispute is about"
    elif len(subject) > 300:
        errors["subject"] = "The subject must be 300 characters or fewer"
    if not summary:
        errors["summary"] = "Enter a summary of the dispute"
    ids = list(dict.fromkeys(int(i) for i in (party_organisation_ids or [])))
    orgs = list(db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
    if len(orgs) != len(ids) or any(o.state == PartnershipState.left for o in orgs):
        errors["party_organisation_ids"] = "Select organisations from the list"
    elif len(ids) < 2:
        errors["party_organisation_ids"] = "Select at least two organisations in dispute"
    elif not system and not user.has_role(Role.business_office) and user.organisation_id not in ids:
        errors["party_organisation_ids"] = "Your organisation must be one of the parties to the dispute"
    entered = as_of or today()
    on = raised_on or entered
    if on > entered:
        errors["raised_on"] = "The date the dispute was raised must be today or in the past"
    if errors:
        raise ValidationFailed(errors=errors)
    dispute = Dispute(
        subject=subject,
        summary=summary,
        raised_on=on,
        raised_by_id=user.id,
        state=DisputeState.raised,
        parties=[DisputeParty(organisation_id=org_id) for org_id in ids],  # inserted with it
    )
    insert_with_reference(dispute, on.year)
    return dispute


def update_dispute(
    dispute: Dispute,
    user: Any,
    *,
    version: int | None,
    subject: str | None = None,
    summary: str | None = None,
    agenda: str | None = None,
) -> Dispute:
    """The business office corrects the subject or summary, or drafts the agenda."""
    if not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can change a dispute's details")
    if version is None:
        raise ValidationFailed(errors={"version": "Give the version of the record you are changing"})
    if version != dispute.version:
        raise StaleVersion()
    if dispute.state in CLOSED_DISPUTE_STATES:
        raise Conflict(f"A {dispute.state.label.lower()} dispute cannot be changed")
    errors = {}
    if subject is not None and not subject.strip():
        errors["subject"] = "Enter what the dispute is about"
    if summary is not None and not summary.strip():
        errors["summary"] = "Enter a summary of the dispute"
    if errors:
        raise ValidationFailed(errors=errors)
    if subject is not None:
        dispute.subject = subject.strip()
    if summary is not None:
        dispute.summary = summary.strip()
    if agenda is not None:
        _draft(dispute, agenda)
    db.session.flush()
    return dispute


# --- the meeting and after ------------------------------------------------------------------


def add_agreed_action(
    dispute: Dispute,
    user: Any,
    *,
    title: str,
    owner_organisation_id: int,
    due_date: date,
    owner_person_id: int | None = None,
    description: str | None = None,
) -> Action:
    """An action agreed at the dispute meeting, into the shared action log (named by the
    dispute's reference, never by people)."""
    if not user.has_role(Role.business_office, Role.independent_chair):
        raise Forbidden("Only the business office or the chair records agreed actions")
    if dispute.state not in ACTION_STATES:
        raise Conflict("Agreed actions are recorded once the meeting has been held")
    return actions.create_action(
        title=title,
        description=description,
        owner_organisation_id=owner_organisation_id,
        owner_person_id=owner_person_id,
        due_date=due_date,
        source_type=ActionSource.dispute,
        source_id=dispute.id,
        source_label=dispute.reference,
        created_by_id=user.id,
    )
