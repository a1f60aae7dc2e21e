"""How a review starts: a SAR referral (anyone may refer) or a serious incident
notification (CSPR, entered by the business office), numbered by kind and year."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import AgeBand, Area, Group, GroupKind, Review, ReviewKind, ReviewState, Role
from safeguarding.services import meetings
from safeguarding.services.errors import Forbidden, ValidationFailed
from safeguarding.services.numbering import insert_numbered, next_number
from safeguarding.services.reviews.agencies import _name_agencies
from safeguarding.services.reviews.checks import _check_dates, _clean_initials, _enum, _organisation, _require_office
from safeguarding.services.reviews.notification import NOTIFICATION_FIELDS, clean_notification, tell_partners
from safeguarding.services.reviews.rules import MAX_CHILDREN_PER_NOTIFICATION

# --- referral and notification -------------------------------------------------------------


def default_group(kind: ReviewKind) -> Group | None:
    """The sub-group that handles reviews of this kind: the active review sub-group of
    the matching arm (the SAR sub-group, the CSPR group)."""
    arm = kind.arm
    groups = list(
        db.session.scalars(
            sa.select(Group)
            .where(Group.active.is_(True), Group.kind == GroupKind.subgroup, Group.arm == arm)
            .order_by(Group.id)
        )
    )
    for g in groups:
        if "review" in g.name.lower():
            return g
    return groups[0] if groups else None


@meetings.case_groups
def _review_groups() -> set[int]:
    """The groups that discuss cases, whose minutes are restricted as a whole (registered
    with the meetings service): any group a review has been given to, and the sub-groups
    case reviews go to."""
    ids = set(db.session.scalars(sa.select(Review.group_id).distinct()))
    for kind in ReviewKind:
        group = default_group(kind)
        if group is not None:
            ids.add(group.id)
    return ids


def reference_for(kind: ReviewKind, year: int, sequence: int) -> str:
    return f"{kind.short}-{year}-{sequence:03d}"


REFERENCE_RE = re.compile(r"^(SAR|CSPR)-(\d{4})-(\d{1,6})$")


def kept_reference(kind: ReviewKind, reference: str | None, errors: dict[str, str]) -> tuple[int, int] | None:
    """The year and number of a reference the office gave the case before the service
    (an imported tracker keeps its references): `SAR-2024-002` for a SAR, `CSPR-…` for
    a CSPR, not in the future, not already used."""
    if reference is None:
        return None
    m = REFERENCE_RE.match(reference.strip().upper())
    if m is None or m.group(1) != kind.short:
        errors["reference"] = f"The reference must be like {kind.short}-2024-002"
        return None
    year, sequence = int(m.group(2)), int(m.group(3))
    if not 2000 <= year <= today().year or sequence < 1:
        errors["reference"] = f"The reference's year must be from 2000 to {today().year}, and its number 1 or more"
        return None
    if db.session.scalar(sa.select(Review.id).where(Review.reference == reference_for(kind, year, sequence))):
        errors["reference"] = "Another review already has this reference"
        return None
    return year, sequence


def _insert_with_reference(review: Review, kept: tuple[int, int] | None = None) -> Review:
    """Give the review the next reference of its kind and year (or the one it kept), and
    insert it."""
    if kept is not None:
        review.year, review.sequence = kept
        review.reference = reference_for(review.kind, *kept)
        db.session.add(review)
        db.session.flush()
        return review

    def number() -> None:
        review.sequence = next_number(
            Review.sequence,
            Review.kind == review.kind,
            Review.year == review.year,
            series=f"reviews:{review.kind.value}",
            year=review.year,
        )
        review.reference = reference_for(review.kind, review.year, review.sequence)

    insert_numbered(review, number)
    return review


def refer_sar(
    user: Any,
    *,
    initials: str,
    age_band: AgeBand | str | None,
    area: Area | str | None,
    harm_date: date | None,
    summary: str,
    referral_source: str | None = None,
    referrer_organisation_id: int | None = None,
    agency_ids: Iterable[int] = (),
    received_on: date | None = None,
    received_by_email: bool = False,
    reference: str | None = None,
) -> Review:
    """A SAR referral. Anyone with an account may refer; the business office may enter a
    referral received by email (with the date it arrived), or one received before the
    service with the reference it was given then (`reference`)."""
    on = today()
    office = user is not None and user.has_role(Role.business_office)
    if not office and (received_by_email or reference is not None or (received_on is not None and received_on != on)):
        raise Forbidden("Only the business office can enter a referral received by email")
    received_on = received_on or on
    errors: dict[str, str] = {}
    clean = _clean_initials(initials, errors, "adult")
    band = _enum(AgeBand, age_band, "age_band", errors, "Select the adult's age band")
    if band is not None and not band.adult:
        errors["age_band"] = "Select an adult's age band: a SAR is about an adult (18 or over)"
    where = _enum(Area, area, "area", errors, "Select the area")
    if not (summary or "").strip():
        errors["summary"] = "Enter what happened"
    org = _organisation(
        referrer_organisation_id, "referrer_organisation_id", errors, "Select the referring organisation from the list"
    )
    source = (referral_source or "").strip() or (org.name if org else "")
    if not source:
        errors["referral_source"] = "Enter who made the referral"
    if harm_date is None:
        errors["harm_date"] = "Enter the date of death or serious harm"
    _check_dates(
        errors,
        on,
        harm_date=(harm_date, "The date of death or serious harm"),
        received_on=(received_on, "The date the referral was received"),
    )
    if harm_date and received_on and harm_date > received_on and "harm_date" not in errors:
        errors["harm_date"] = "The date of death or serious harm must be on or before the date of the referral"
    group = default_group(ReviewKind.sar)
    if group is None:
        errors["_"] = "There is no SAR sub-group to screen referrals: the business office must set one up"
    kept = kept_reference(ReviewKind.sar, reference, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    review = Review(
        kind=ReviewKind.sar,
        year=received_on.year,
        state=ReviewState.referred,
        group_id=group.id,
        area=where,
        initials=clean,
        age_band=band,
        harm_date=harm_date,
        summary=summary.strip(),
        received_on=received_on,
        referral_source=source[:300],
        referrer_organisation_id=org.id if org else None,
        received_by_email=bool(received_by_email),
        referred_by_id=user.id if user else None,
    )
    _insert_with_reference(review, kept)
    _name_agencies(review, agency_ids, on)
    return review


def notify_serious_incident(
    user: Any,
    *,
    initials: str,
    age_band: AgeBand | str | None,
    area: Area | str | None,
    harm_date: date | None,
    summary: str,
    la_aware_on: date | None,
    notified_on: date | None = None,
    children_count: int | None = 1,
    looked_after: bool = False,
    referral_source: str | None = None,
    agency_ids: Iterable[int] = (),
    reference: str | None = None,
    **facts: Any,
) -> Review:
    """Record a serious incident notification (CSPR): the date the local authority became
    aware (the panel must be notified within 5 working days) and, when sent, the date of
    the notification; the notification's facts (`notification.NOTIFICATION_FIELDS`:
    death or serious harm, abuse or neglect, Ofsted and the Secretary of State told for a
    looked-after child, harmed siblings). The safeguarding partners of the child's area
    are emailed (`notification.tell_partners`). A notification recorded before the
    service keeps the reference it was given then (`reference`)."""
    _require_office(user)
    on = today()
    errors: dict[str, str] = {}
    clean = _clean_initials(initials, errors, "child")
    band = _enum(AgeBand, age_band, "age_band", errors, "Select the child's age band")
    if band is not None and band.adult:
        errors["age_band"] = "Select a child's age band: a CSPR is about a child (under 18)"
    where = _enum(Area, area, "area", errors, "Select the area")
    if not (summary or "").strip():
        errors["summary"] = "Enter what happened"
    if la_aware_on is None:
        errors["la_aware_on"] = "Enter the date the local authority became aware of the incident"
    if harm_date is None:
        errors["harm_date"] = "Enter the date of death or serious harm"
    if children_count is None or not 1 <= children_count <= MAX_CHILDREN_PER_NOTIFICATION:
        errors["children_count"] = "One notification covers between 1 and 4 children"
    _check_dates(
        errors,
        on,
        harm_date=(harm_date, "The date of death or serious harm"),
        la_aware_on=(la_aware_on, "The date the local authority became aware"),
        notified_on=(notified_on, "The date of the notification"),
    )
    if la_aware_on and notified_on and notified_on < la_aware_on and "notified_on" not in errors:
        errors["notified_on"] = "The notification must be on or after the date the local authority became aware"
    unknown = sorted(set(facts) - set(NOTIFICATION_FIELDS))
    if unknown:
        raise TypeError(f"unexpected arguments: {', '.join(unknown)}")
    fact_values = clean_notification(
        ReviewKind.cspr,
        facts,
        errors,
        aware_on=la_aware_on,
        looked_after=bool(looked_after),
        notified_on=notified_on,
        children_count=children_count,
    )
    group = default_group(ReviewKind.cspr)
    if group is None:
        errors["_"] = "There is no CSPR group: the business office must set one up"
    kept = kept_reference(ReviewKind.cspr, reference, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    review = Review(
        kind=ReviewKind.cspr,
        year=la_aware_on.year,
        state=ReviewState.notified,
        group_id=group.id,
        area=where,
        initials=clean,
        age_band=band,
        harm_date=harm_date,
        summary=summary.strip(),
        received_on=la_aware_on,
        notified_on=notified_on,
        referral_source=(referral_source or "").strip()[:300] or "Local authority notification",
        children_count=children_count,
        looked_after=bool(looked_after),
        referred_by_id=user.id,
        partners_told=[],
        **fact_values,
    )
    _insert_with_reference(review, kept)
    _name_agencies(review, agency_ids, on)
    tell_partners(review)
    return review
