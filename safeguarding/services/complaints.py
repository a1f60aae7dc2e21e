"""Complaints (constitution): a complaint about the operation of the partnership goes to
the Chair, who investigates and attempts to reach a satisfactory resolution; a complaint
from the public about a member organisation's service is referred to that organisation's
own complaints handling process.

The complainant's personal details are kept to a name and a contact, shown only on the
complaint's own page to the business office and the Chair — never in lists, email subjects
or logs (the reference, CMP-2026-001, names a complaint everywhere else)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import (
    Complaint,
    ComplaintKind,
    ComplaintState,
    Organisation,
    PartnershipState,
    Role,
    User,
    UserRole,
)
from safeguarding.models.base import utcnow
from safeguarding.services import audit
from safeguarding.services.dispute_letters import send_referral_notice
from safeguarding.services.disputes import insert_with_reference
from safeguarding.services.errors import Forbidden, NotFound, ValidationFailed
from safeguarding.workflows.base import TransitionContext
from safeguarding.workflows.disputes import NOTIFY_REFERRAL, complaint_lifecycle, sends_now

HANDLERS = (Role.business_office, Role.independent_chair)
OPEN_COMPLAINT_STATES = (ComplaintState.received, ComplaintState.investigating, ComplaintState.responded)


def visibility(user: Any) -> sa.ColumnElement[bool]:
    """Only the business office and the Chair see complaints (they hold personal data)."""
    return sa.true() if user.has_role(*HANDLERS) else sa.false()


def get_complaint(complaint_id: int, user: Any) -> Complaint:
    complaint = db.session.scalar(sa.select(Complaint).where(Complaint.id == complaint_id, visibility(user)))
    if complaint is None:
        raise NotFound("Complaint not found")
    return complaint


complaint_lifecycle.serve(loader=get_complaint)


def record_view(complaint: Complaint) -> None:
    """The complainant's details were shown: keep a record of who saw them."""
    audit.record_view("complaints", complaint.id)


@dataclass
class ComplaintFilters:
    status: str | None = "open"  # "open", "closed" (a state), or None for all
    kind: str | None = None
    page: int = 1
    per_page: int = 50


def list_complaints(user: Any, filters: ComplaintFilters) -> tuple[list[Complaint], int]:
    stmt = sa.select(Complaint).where(visibility(user))
    if filters.status == "open":
        stmt = stmt.where(Complaint.state.in_(OPEN_COMPLAINT_STATES))
    elif filters.status:
        stmt = stmt.where(Complaint.state == ComplaintState(filters.status))
    if filters.kind:
        stmt = stmt.where(Complaint.kind == ComplaintKind(filters.kind))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Complaint.received_on.desc(), Complaint.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(rows), total


def open_count_select(user: Any) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Complaint)
        .where(visibility(user), Complaint.state.in_(OPEN_COMPLAINT_STATES))
    )


def open_count(user: Any) -> int:
    return db.session.scalar(open_count_select(user)) or 0


def chair_user() -> User | None:
    return db.session.scalar(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.independent_chair, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def log_complaint(
    user: Any,
    *,
    kind: ComplaintKind | str | None,
    received_on: date | None,
    complainant_name: str,
    complainant_contact: str,
    summary: str,
    organisation_id: int | None = None,
) -> Complaint:
    """Log a complaint. One about the partnership is assigned to the Chair; one about a
    member organisation's service names that organisation (and is then referred)."""
    if not user.has_role(*HANDLERS):
        raise Forbidden("Only the business office or the Chair logs complaints")
    errors: dict[str, str] = {}
    try:
        kind = ComplaintKind(kind) if kind else None
    except ValueError:
        kind = None
    if kind is None:
        errors["kind"] = "Select what the complaint is about"
    if received_on is None:
        errors["received_on"] = "Enter the date the complaint was received"
    elif received_on > today():
        errors["received_on"] = "The date the complaint was received must be today or in the past"
    name = (complainant_name or "").strip()
    contact = (complainant_contact or "").strip()
    summary = (summary or "").strip()
    if not name:
        errors["complainant_name"] = "Enter the complainant's name"
    elif len(name) > 200:
        errors["complainant_name"] = "The complainant's name must be 200 characters or fewer"
    if not contact:
        errors["complainant_contact"] = "Enter how to contact the complainant"
    elif len(contact) > 320:
        errors["complainant_contact"] = "The contact must be 320 characters or fewer"
    if not summary:
        errors["summary"] = "Enter what the complaint is about"
    org = None
    if kind == ComplaintKind.member_service:
        org = db.session.get(Organisation, organisation_id) if organisation_id else None
        if org is None or org.state == PartnershipState.left:
            errors["organisation_id"] = "Select the organisation whose service the complaint is about"
    if errors:
        raise ValidationFailed(errors=errors)
    assigned = chair_user() if kind == ComplaintKind.partnership else None
    complaint = Complaint(
        kind=kind,
        received_on=received_on,
        complainant_name=name,
        complainant_contact=contact,
        summary=summary,
        organisation_id=org.id if org else None,
        assigned_to_id=assigned.id if assigned else None,
        logged_by_id=user.id,
        state=ComplaintState.received,
    )
    insert_with_reference(complaint, received_on.year)
    return complaint


def referral_recipient(complaint: Complaint) -> str | None:
    """The organisation's safeguarding lead, or else its chief executive."""
    org = complaint.organisation
    if org is None:
        return None
    return org.safeguarding_lead_email or org.chief_executive_email


def notify_referral(complaint: Complaint) -> None:
    """Tell the organisation (its safeguarding lead, or else its chief executive) that
    its complaints process has been handed the complaint."""
    to = referral_recipient(complaint)
    if to is None:  # the refer trigger's guard asks for an address first
        raise ValidationFailed(reasons=["The organisation has no email address to tell it of the referral"])
    send_referral_notice(complaint, to)
    complaint.organisation_notified_at = utcnow()


@complaint_lifecycle.effect(NOTIFY_REFERRAL)
def _notify_referral(ctx: TransitionContext) -> None:
    # A referral recorded with an earlier date was made at the time, outside the service.
    if sends_now(ctx, "send_notice", "referred_on"):
        notify_referral(ctx.row)
