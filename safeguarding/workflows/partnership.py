"""An organisation's membership of the partnership: proposed → active → leaving → left."""

from __future__ import annotations

import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import Membership, Organisation, PartnershipState, Role
from safeguarding.workflows.base import Lifecycle, Param, Transition, TransitionContext

OFFICE = {Role.business_office}
OFFICE_OR_CHAIR = {Role.business_office, Role.independent_chair}


def _chief_executive_recorded(ctx: TransitionContext) -> str | None:
    org: Organisation = ctx.row
    if not (org.chief_executive_name and org.chief_executive_email):
        return (
            "Record the chief executive's name and email address first: the chair's letters about attendance go to them"
        )
    return None


def _leaving_after_notice(ctx: TransitionContext) -> str | None:
    notice, leaving = ctx.params.get("notice_given_on"), ctx.params.get("leaving_on")
    if notice and leaving and leaving < notice:
        return "The leaving date must be the same as or after the date notice was given"
    return None


def _leaving_date_reached(ctx: TransitionContext) -> str | None:
    org: Organisation = ctx.row
    if org.leaving_on and ctx.as_of < org.leaving_on:
        return f"The organisation is not due to leave until {long_date(org.leaving_on)}"
    return None


def _no_current_seats(ctx: TransitionContext) -> str | None:
    org: Organisation = ctx.row
    on = ctx.as_of
    seats = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == org.id,
            Membership.start_date <= on,
            sa.or_(Membership.end_date.is_(None), Membership.end_date > on),
        )
    )
    if seats:
        return (
            f"{seats} {'person still sits' if seats == 1 else 'people still sit'} on groups for this "
            "organisation: end those memberships first"
        )
    return None


def _set_joined(ctx: TransitionContext) -> None:
    ctx.row.joined_on = ctx.params["joined_on"]


def _set_notice(ctx: TransitionContext) -> None:
    ctx.row.notice_given_on = ctx.params["notice_given_on"]
    ctx.row.leaving_on = ctx.params["leaving_on"]


def _clear_notice(ctx: TransitionContext) -> None:
    ctx.row.notice_given_on = None
    ctx.row.leaving_on = None


def _set_left(ctx: TransitionContext) -> None:
    ctx.row.left_on = ctx.as_of


partnership_lifecycle = Lifecycle(
    "organisation",
    Organisation,
    PartnershipState,
    [
        Transition(
            "admit",
            "proposed",
            "active",
            OFFICE_OR_CHAIR,
            "Admit to the partnership",
            guards=[_chief_executive_recorded],
            params=[Param("joined_on", "date", "Date the organisation joined")],
            apply=_set_joined,
        ),
        Transition(
            "give_notice",
            "active",
            "leaving",
            OFFICE,
            "Record notice of leaving",
            params=[
                Param("notice_given_on", "date", "Date notice was given"),
                Param("leaving_on", "date", "Date the organisation will leave"),
            ],
            guards=[_leaving_after_notice],
            comment="required",
            comment_label="Reason for leaving",
            apply=_set_notice,
        ),
        Transition(
            "withdraw_notice",
            "leaving",
            "active",
            OFFICE,
            "Withdraw notice of leaving",
            apply=_clear_notice,
            confirm="The organisation will stay in the partnership.",
        ),
        Transition(
            "complete_leaving",
            "leaving",
            "left",
            OFFICE,
            "Record that the organisation has left",
            guards=[_leaving_date_reached, _no_current_seats],
            apply=_set_left,
            destructive=True,
            confirm="The organisation will be shown as having left. Its history is kept.",
        ),
    ],
    initial="proposed",
    noun="organisation",
)
