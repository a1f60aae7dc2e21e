"""The agencies named on a review (their partner members see their own information
requests and actions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Organisation, Review, ReviewAgency
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.reviews.checks import _require_open, _require_worker


def _name_agencies(review: Review, organisation_ids: Iterable[int], on: date) -> None:
    ids = {int(i) for i in organisation_ids}
    if not ids:
        return
    existing = set(
        db.session.scalars(
            sa.select(ReviewAgency.organisation_id).where(
                ReviewAgency.review_id == review.id, ReviewAgency.organisation_id.in_(ids)
            )
        )
    )
    known = set(db.session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(ids))))
    if ids - known:
        raise ValidationFailed(errors={"agency_ids": "Select agencies from the list"})
    for org_id in sorted(ids - existing):
        db.session.add(ReviewAgency(review_id=review.id, organisation_id=org_id, added_on=on))
    db.session.flush()


def agencies_of(review: Review) -> list[ReviewAgency]:
    return list(
        db.session.scalars(
            sa.select(ReviewAgency)
            .join(Organisation)
            .where(ReviewAgency.review_id == review.id)
            .order_by(Organisation.name)
        )
    )


def name_agency(review: Review, user: Any, organisation_id: int | None) -> None:
    """Name an agency involved in the review (its partner members then see their own
    requests and actions)."""
    _require_worker(review, user)
    _require_open(review)
    if organisation_id is None or db.session.get(Organisation, organisation_id) is None:
        raise ValidationFailed(errors={"organisation_id": "Select the agency"})
    _name_agencies(review, [organisation_id], today())
