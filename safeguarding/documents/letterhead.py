"""The partnership's letterhead and who signs its letters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app, has_app_context

STRAPLINE = "Safeguarding Adults Board and Safeguarding Children Partnership for North and West"
BUSINESS_OFFICE_ADDRESS = (
    "Partnership Business Office",
    "Civic Centre, Market Street",
    "Northtown NT1 1AA",
)
BUSINESS_OFFICE_EMAIL = "business.office@safeguarding-partnership.example"

# When no one chairs the Board (between appointments), letters are signed for the Board.
DEFAULT_SIGNATORY = ("Independent Chair", "Safeguarding Partnership")


@dataclass(frozen=True)
class Letterhead:
    name: str
    strapline: str
    address_lines: tuple[str, ...]
    email: str


def letterhead() -> Letterhead:
    """The letterhead: PARTNERSHIP_NAME, and PARTNERSHIP_ADDRESS / PARTNERSHIP_EMAIL when
    a deployment sets them."""
    config = current_app.config if has_app_context() else {}
    return Letterhead(
        name=config.get("PARTNERSHIP_NAME", "Safeguarding Partnership"),
        strapline=STRAPLINE,
        address_lines=tuple(config.get("PARTNERSHIP_ADDRESS") or BUSINESS_OFFICE_ADDRESS),
        email=config.get("PARTNERSHIP_EMAIL") or BUSINESS_OFFICE_EMAIL,
    )


def partnership_signatory(on: date | None = None) -> tuple[str, str]:
    """(name, title) of the current chair of the Board (the group of kind `board`,
    membership role `chair`) on `on` (default today), or DEFAULT_SIGNATORY."""
    from safeguarding.calendar import today
    from safeguarding.extensions import db
    from safeguarding.models import Group, GroupKind, Membership, MembershipRole

    on = on or today()
    membership = db.session.scalar(
        sa.select(Membership)
        .join(Group, Membership.group_id == Group.id)
        .where(
            Group.kind == GroupKind.board,
            Group.active.is_(True),
            Membership.role == MembershipRole.chair,
            Membership.start_date <= on,
            sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
        )
        .order_by(Group.id, Membership.start_date.desc())
        .limit(1)
    )
    if membership is None:
        return DEFAULT_SIGNATORY
    return membership.person.name, membership.person.job_title or "Independent Chair"


def signature_lines(name: str, title: str, partnership: str) -> list[str]:
    """Name, title and the partnership (unless the title already names it)."""
    lines = [name, title]
    if partnership.lower() not in title.lower():
        lines.append(partnership)
    return [line for line in lines if line]
