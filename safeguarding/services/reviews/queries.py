"""Need-to-know and lookups: which reviews a user may see (in full, or as a named
agency), finding one (NotFound for the others, every view recorded) and the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Area, Membership, Review, ReviewAgency, ReviewKind, ReviewState, Role
from safeguarding.models.reviews import CLOSED_STATES, OPEN_STATES
from safeguarding.services import audit
from safeguarding.services.errors import NotFound
from safeguarding.services.reviews.rules import FULL_ROLES, MEMBER_ROLES

# --- need to know ----------------------------------------------------------------------------


def _group_ids(user: Any) -> list[int]:
    """Groups the user sits on today, as member or named deputy (cached per request)."""
    if user is None or not getattr(user, "person_id", None) or not user.has_role(*MEMBER_ROLES):
        return []
    from flask import g, has_request_context

    key = ("review_groups", user.id)
    if has_request_context() and key in g.get("_review_cache", {}):
        return g._review_cache[key]
    on = today()
    ids = list(
        db.session.scalars(
            sa.select(Membership.group_id).where(
                sa.or_(Membership.person_id == user.person_id, Membership.deputy_person_id == user.person_id),
                Membership.start_date <= on,
                sa.or_(Membership.end_date.is_(None), Membership.end_date >= on),
            )
        )
    )
    if has_request_context():
        if "_review_cache" not in g:
            g._review_cache = {}
        g._review_cache[key] = ids
    return ids


def _per_request(key: tuple, compute: Any) -> Any:
    """`compute()` once per request for `key` (home panels share their counts)."""
    from flask import g, has_request_context

    if not has_request_context():
        return compute()
    cache = g.setdefault("_review_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def sees_everything(user: Any) -> bool:
    return bool(user is not None and user.has_role(*FULL_ROLES))


def visibility(user: Any) -> sa.ColumnElement[bool]:
    """The reviews `user` may see in full: all for the office and the chair; those of
    the groups they sit on for partner members and sub-group chairs; none otherwise."""
    if sees_everything(user):
        return sa.true()
    groups = _group_ids(user)
    return Review.group_id.in_(groups) if groups else sa.false()


def is_subgroup_member(review: Review, user: Any) -> bool:
    return review.group_id in _group_ids(user)


def agency_organisation_id(user: Any) -> int | None:
    """The organisation whose requests and actions a partner member sees."""
    if user is not None and user.has_role(Role.partner_member) and user.organisation_id:
        return user.organisation_id
    return None


def access_to(review: Review, user: Any) -> str | None:
    """ "full", "agency" (a partner of a named agency: their requests and actions only) or
    None (the user may not know the review exists)."""
    if sees_everything(user) or is_subgroup_member(review, user):
        return "full"
    org_id = agency_organisation_id(user)
    if org_id and db.session.scalar(
        sa.select(ReviewAgency.id).where(ReviewAgency.review_id == review.id, ReviewAgency.organisation_id == org_id)
    ):
        return "agency"
    return None


def may_work_on(review: Review, user: Any) -> bool:
    """The office and the review's sub-group screen, gather information, recommend and
    quality-check."""
    return bool(
        user is not None
        and (user.has_role(Role.business_office) or (user.has_role(*MEMBER_ROLES) and is_subgroup_member(review, user)))
    )


def _not_found() -> NotFound:
    return NotFound("Review not found")


def get_review(review_id: int, user: Any) -> Review:
    """A review the user may see in full, or NotFound."""
    review = db.session.scalar(sa.select(Review).where(Review.id == review_id, visibility(user)))
    if review is None:
        raise _not_found()
    return review


def find_review(review_id: int, user: Any) -> tuple[Review, str]:
    """A review and the user's access to it ("full" or "agency"), or NotFound."""
    review = db.session.get(Review, review_id)
    level = access_to(review, user) if review is not None else None
    if level is None:
        raise _not_found()
    return review, level


def view_review(review_id: int, user: Any) -> tuple[Review, str]:
    """Open a review's page or resource: the view is recorded in the audit log."""
    review, level = find_review(review_id, user)
    audit.record_view("reviews", review.id)
    return review, level


def record_review_view(review: Review) -> None:
    """Record a read of a review's detail (the API's; pages use `view_review`)."""
    audit.record_view("reviews", review.id)


# --- the list -------------------------------------------------------------------------------------


@dataclass
class ReviewFilters:
    kind: str | None = None
    state: str | None = None
    area: str | None = None
    status: str | None = "open"  # open, closed or None for all
    q: str | None = None
    page: int = 1
    per_page: int = 50


def list_reviews(user: Any, filters: ReviewFilters) -> tuple[list[Review], int]:
    stmt = sa.select(Review).where(visibility(user))
    if filters.kind:
        stmt = stmt.where(Review.kind == ReviewKind(filters.kind))
    if filters.state:
        stmt = stmt.where(Review.state == ReviewState(filters.state))
    if filters.area:
        stmt = stmt.where(Review.area == Area(filters.area))
    if filters.status == "open":
        stmt = stmt.where(Review.state.in_(OPEN_STATES))
    elif filters.status == "closed":
        stmt = stmt.where(Review.state.in_(CLOSED_STATES))
    if filters.q:
        stmt = stmt.where(Review.reference.ilike(f"%{filters.q.strip()}%"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Review.received_on.desc(), Review.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(rows), total
