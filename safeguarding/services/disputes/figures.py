"""Disputes: figures for reports and the home page's counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import AgendaResponse, Dispute, DisputeParty, DisputeState, Role
from safeguarding.models.disputes import AWAITING_MEETING_STATES, OPEN_DISPUTE_STATES
from safeguarding.services.disputes.common import AGENDA_OPEN_STATES


@dataclass
class DeadlineSummary:
    determined: int
    breached: int


def deadline_summary(start: date, end: date) -> DeadlineSummary:
    """Disputes determined between `start` and `end` and how many broke the 28-day rule
    (reports count a meeting on a date after the deadline as a breach)."""
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(Dispute.breach_recorded_on),
        ).where(Dispute.determined_on.between(start, end), Dispute.state != DisputeState.withdrawn)
    ).one()
    return DeadlineSummary(determined=row[0], breached=row[1])


@dataclass
class Upcoming:
    count: int
    nearest: date | None  # the nearest deadline among them


def needing_meeting() -> Upcoming:
    """Determined disputes with no meeting convened (one query, for the home page)."""
    count, nearest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Dispute.deadline)).where(Dispute.state == DisputeState.determined)
    ).one()
    return Upcoming(count or 0, nearest)


def deadlines_between(start: date, end: date) -> Upcoming:
    """Disputes whose meeting is still to be held and whose deadline falls between the dates."""
    count, nearest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Dispute.deadline)).where(
            Dispute.state.in_(AWAITING_MEETING_STATES), Dispute.deadline.between(start, end)
        )
    ).one()
    return Upcoming(count or 0, nearest)


def home_needing_meeting(user: Any) -> tuple[sa.Select, sa.Select]:
    """(count, nearest deadline) of determined disputes with no meeting convened, as
    selects for the home page."""
    where = Dispute.state == DisputeState.determined
    return sa.select(sa.func.count()).select_from(Dispute).where(where), sa.select(sa.func.min(Dispute.deadline)).where(
        where
    )


def home_deadlines_this_week(user: Any) -> tuple[sa.Select, sa.Select]:
    """(count, nearest deadline) of disputes whose meeting is still to be held and whose
    deadline falls in the next 7 days or has passed."""
    on = today()
    where = sa.and_(Dispute.state.in_(AWAITING_MEETING_STATES), Dispute.deadline <= on + timedelta(days=6))
    return sa.select(sa.func.count()).select_from(Dispute).where(where), sa.select(sa.func.min(Dispute.deadline)).where(
        where
    )


def open_for_organisation_select(organisation_id: int) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Dispute)
        .where(
            Dispute.state.in_(OPEN_DISPUTE_STATES),
            Dispute.id.in_(sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == organisation_id)),
        )
    )


def agendas_awaiting_select(user: Any) -> sa.Select | None:
    """Drafted agendas of the user's organisation's disputes that it has not yet answered."""
    if not (user.has_role(Role.partner_member) and user.organisation_id):
        return None
    answered = (
        sa.select(AgendaResponse.id)
        .join(DisputeParty, DisputeParty.id == AgendaResponse.party_id)
        .where(
            AgendaResponse.dispute_id == Dispute.id,
            AgendaResponse.agenda_revision == Dispute.agenda_revision,
            DisputeParty.organisation_id == user.organisation_id,
        )
    )
    return (
        sa.select(sa.func.count())
        .select_from(Dispute)
        .where(
            Dispute.state.in_(AGENDA_OPEN_STATES),
            Dispute.agenda_revision > 0,
            Dispute.id.in_(
                sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == user.organisation_id)
            ),
            ~sa.exists(answered),
        )
    )


def open_for_organisation(organisation_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Dispute)
            .where(
                Dispute.state.in_(OPEN_DISPUTE_STATES),
                Dispute.id.in_(
                    sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == organisation_id)
                ),
            )
        )
        or 0
    )


def agendas_awaiting(user: Any) -> int:
    """Drafted agendas of the user's organisation's disputes that it has not yet answered."""
    if not (user.has_role(Role.partner_member) and user.organisation_id):
        return 0
    answered = (
        sa.select(AgendaResponse.id)
        .join(DisputeParty, DisputeParty.id == AgendaResponse.party_id)
        .where(
            AgendaResponse.dispute_id == Dispute.id,
            AgendaResponse.agenda_revision == Dispute.agenda_revision,
            DisputeParty.organisation_id == user.organisation_id,
        )
    )
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Dispute)
            .where(
                Dispute.state.in_(AGENDA_OPEN_STATES),
                Dispute.agenda_revision > 0,
                Dispute.id.in_(
                    sa.select(DisputeParty.dispute_id).where(DisputeParty.organisation_id == user.organisation_id)
                ),
                ~sa.exists(answered),
            )
        )
        or 0
    )
