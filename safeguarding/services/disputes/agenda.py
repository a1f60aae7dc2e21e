"""Disputes: the joint meeting's agenda, drafted by the business office and agreed by every
party."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defaultload

from safeguarding.extensions import db
from safeguarding.models import (
    AgendaResponse,
    AgendaResponseKind,
    Dispute,
    DisputeParty,
    DisputeState,
    Organisation,
    Role,
    User,
)
from safeguarding.models.base import utcnow
from safeguarding.services import audit
from safeguarding.services.disputes.common import AGENDA_OPEN_STATES
from safeguarding.services.disputes.queries import is_party_representative, parties_of
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from safeguarding.workflows.disputes import dispute_lifecycle


def _draft(dispute: Dispute, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(errors={"agenda": "Enter the agenda"})
    if dispute.state not in AGENDA_OPEN_STATES:
        raise Conflict("The agenda can be drafted once the dispute is determined and until it is agreed")
    if text == dispute.agenda:
        return
    dispute.agenda = text
    # A new revision: agreements to earlier drafts no longer count.
    dispute.agenda_revision += 1
    dispute.agenda_drafted_at = utcnow()
    audit.mark_action(dispute, "draft_agenda")


def draft_agenda(dispute: Dispute, user: Any, *, version: int | None, text: str) -> Dispute:
    """The business office drafts (or redrafts) the meeting's agenda. A redraft clears the
    parties' earlier agreements: each must agree the new draft."""
    if not user.has_role(Role.business_office):
        raise Forbidden("Only the business office drafts the agenda")
    if version is not None and version != dispute.version:
        raise StaleVersion()
    _draft(dispute, text)
    db.session.flush()
    return dispute


@dataclass
class PartyAgenda:
    """One party and its response to the current draft (None: not yet answered)."""

    party: DisputeParty
    response: AgendaResponse | None

    @property
    def agreed(self) -> bool:
        return self.response is not None and self.response.response == AgendaResponseKind.agreed


# Responses name who gave them; the responder's roles are not needed.
_RESPONDER = defaultload(AgendaResponse.by).lazyload(User.role_rows)


def agenda_status(dispute: Dispute) -> list[PartyAgenda]:
    latest: dict[int, AgendaResponse] = {}
    if dispute.agenda_revision:
        for r in db.session.scalars(
            sa.select(AgendaResponse)
            .where(AgendaResponse.dispute_id == dispute.id, AgendaResponse.agenda_revision == dispute.agenda_revision)
            .options(_RESPONDER)
            .order_by(AgendaResponse.id)
        ):
            latest[r.party_id] = r
    return [PartyAgenda(p, latest.get(p.id)) for p in parties_of(dispute)]


def parties_not_agreed(dispute: Dispute) -> list[Organisation]:
    return [s.party.organisation for s in agenda_status(dispute) if not s.agreed]


def changes_proposed(dispute: Dispute) -> list[PartyAgenda]:
    return [
        s
        for s in agenda_status(dispute)
        if s.response is not None and s.response.response == AgendaResponseKind.changes_proposed
    ]


def agenda_history(dispute: Dispute) -> list[AgendaResponse]:
    """Every response to every draft, oldest first."""
    return list(
        db.session.scalars(
            sa.select(AgendaResponse)
            .where(AgendaResponse.dispute_id == dispute.id)
            .options(_RESPONDER)
            .order_by(AgendaResponse.id)
        )
    )


def record_agenda_response(
    dispute: Dispute,
    user: Any,
    *,
    agenda_revision: int | None,
    response: AgendaResponseKind | str,
    changes: str | None = None,
) -> AgendaResponse:
    """A party's representative (a partner member of that organisation) agrees the current
    draft or proposes changes. When the last party agrees and the meeting is convened,
    the agenda is agreed."""
    if not is_party_representative(dispute, user):
        raise Forbidden("Only a representative of a party to the dispute can respond to its agenda")
    if dispute.state not in AGENDA_OPEN_STATES:
        raise Conflict(f"The agenda cannot be answered when the dispute is {dispute.state.label.lower()}")
    if not dispute.agenda_revision:
        raise Conflict("The business office has not drafted the agenda yet")
    errors = {}
    try:
        kind = AgendaResponseKind(response)
    except ValueError:
        kind = None
        errors["response"] = "Select whether you agree the agenda or propose changes"
    changes = (changes or "").strip() or None
    if kind == AgendaResponseKind.changes_proposed and not changes:
        errors["changes"] = "Enter the changes you propose to the agenda"
    if errors:
        raise ValidationFailed(errors=errors)
    if agenda_revision is None or agenda_revision != dispute.agenda_revision:
        raise StaleVersion("The agenda has been redrafted since you read it. Read the new draft and respond again.")
    party = db.session.scalar(
        sa.select(DisputeParty).where(
            DisputeParty.dispute_id == dispute.id, DisputeParty.organisation_id == user.organisation_id
        )
    )
    row = AgendaResponse(
        dispute_id=dispute.id,
        party_id=party.id,
        agenda_revision=dispute.agenda_revision,
        response=kind,
        changes=changes if kind == AgendaResponseKind.changes_proposed else None,
        by_user_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    if (
        kind == AgendaResponseKind.agreed
        and dispute.state == DisputeState.meeting_convened
        and not parties_not_agreed(dispute)
    ):
        dispute_lifecycle.fire(
            dispute, "agree_agenda", user=user, version=dispute.version, comment="Every party has agreed the agenda"
        )
    return row
