"""Case reviews: Safeguarding Adults Reviews (Care Act 2014 s44) and Child Safeguarding
Practice Reviews (Working Together). The only writer of reviews, their information
requests, pauses, events and recommendations; the state column changes only through
workflows/reviews.py, which calls back into the checks here.

Need-to-know: the business office, the independent chair and the members (or deputies)
of the review's sub-group see a review in full; partner members of an agency named on a
review see only their own information requests and actions ("agency" access); everyone
else is told the review does not exist (`NotFound`). `view_review` records every view.

For the annual report: `timeliness(financial_year, area=None)` gives the year's figures
(see its docstring), `concluded_reviews` and `ongoing_at` the reviews behind them.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from safeguarding.calendar import (
    LONDON,
    WorkingDays,
    financial_year_bounds,
    financial_year_label,
    today,
    working_days,
)
from safeguarding.extensions import db
from safeguarding.models import (
    Action,
    ActionSource,
    ActionStatus,
    AgeBand,
    AlertKind,
    Area,
    DeadlineKind,
    Group,
    GroupKind,
    InformationRequest,
    Membership,
    Methodology,
    Organisation,
    ParallelProcess,
    RequestStatus,
    Review,
    ReviewAgency,
    ReviewDeadlineAlert,
    ReviewEvent,
    ReviewEventKind,
    ReviewKind,
    ReviewOutcome,
    ReviewPause,
    ReviewRecommendation,
    ReviewState,
    Role,
    S44Harm,
    ScreeningOutcome,
    StoredFile,
    User,
    WorkflowHistory,
)
from safeguarding.models.actions import OPEN_STATUSES as ACTION_OPEN
from safeguarding.models.reviews import CLOSED_STATES, OPEN_STATES
from safeguarding.services import audit
from safeguarding.services.errors import (
    Conflict,
    Forbidden,
    NotFound,
    StaleVersion,
    ValidationFailed,
)
from safeguarding.services.numbering import insert_numbered, next_number

# --- settings ------------------------------------------------------------------------------

# Defaults (ours, configurable through the app config / instance/config.py).
DEFAULTS: dict[str, int] = {
    "REVIEW_REQUEST_WORKING_DAYS": 20,  # an information request is due this many working days after sending
    "SAR_REPORT_TARGET_MONTHS": 6,  # a SAR's final report target, in months from the decision to commission
    "REVIEW_WARNING_WORKING_DAYS": 3,  # warn the office and the chair this many working days before a deadline
    "REVIEW_CHASE_EVERY_WORKING_DAYS": 5,  # chase an overdue information request again after this many
}
# Statutory (Working Together to Safeguard Children): not ours to change.
NOTIFY_PANEL_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
LCSPR_REPORT_MONTHS = 6
MAX_CHILDREN_PER_NOTIFICATION = 4

LCSPR_CRITERIA = {
    "improvements_needed": "The case highlights improvements needed to safeguard and promote the welfare of children",
    "recurrent_themes": "The case highlights recurrent themes in the safeguarding of children",
    "agencies_working_together": "There are concerns about two or more agencies working together",
    "panel_suggested": "The national panel has suggested a local review",
}
FAMILY_INFORMED = {"yes": "The family has been told", "no_family": "There is no family to tell"}

FULL_ROLES = (Role.business_office, Role.independent_chair)
MEMBER_ROLES = (Role.partner_member, Role.subgroup_chair)


def setting(name: str) -> int:
    from flask import current_app, has_app_context

    if has_app_context():
        return int(current_app.config.get(name, DEFAULTS[name]))
    return DEFAULTS[name]


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


def _check_version(row: Any, version: int | None) -> None:
    if version is not None and version != row.version:
        raise StaleVersion()


def _require_office(user: Any) -> None:
    if user is None or not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can do this")


def _require_worker(review: Review, user: Any) -> None:
    if not may_work_on(review, user):
        raise Forbidden("Only the business office and the review's sub-group can do this")


def _require_open(review: Review) -> None:
    if review.state in CLOSED_STATES:
        raise Conflict(f"{review.reference} is closed: it cannot be changed")


def _require_state(review: Review, states: Iterable[ReviewState], what: str) -> None:
    if review.state not in tuple(states):
        raise Conflict(f"You cannot {what} when the review is {review.state.label.lower()}")


# --- referral and notification -------------------------------------------------------------

INITIALS_RE = re.compile(r"^[A-Z]{1,4}$")


def _clean_initials(raw: str | None, errors: dict[str, str], who: str) -> str:
    text = re.sub(r"[\s.]", "", raw or "").upper()
    if not text:
        errors["initials"] = f"Enter the {who}'s initials"
    elif not INITIALS_RE.match(text):
        errors["initials"] = "Initials must be 1 to 4 letters, like JS (never a name)"
    return text


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


def reference_for(kind: ReviewKind, year: int, sequence: int) -> str:
    return f"{kind.short}-{year}-{sequence:03d}"


def _insert_with_reference(review: Review) -> Review:
    """Give the review the next reference of its kind and year, and insert it."""

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


def _organisation(org_id: int | None, field_name: str, errors: dict[str, str], message: str) -> Organisation | None:
    if org_id is None:
        return None
    org = db.session.get(Organisation, org_id)
    if org is None:
        errors[field_name] = message
    return org


def _check_dates(errors: dict[str, str], on: date, **dates: tuple[date | None, str]) -> None:
    for name, (value, what) in dates.items():
        if value is not None and value > on:
            errors[name] = f"{what} must be today or in the past"


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
) -> Review:
    """A SAR referral. Anyone with an account may refer; the business office may enter a
    referral received by email (with the date it arrived)."""
    on = today()
    office = user is not None and user.has_role(Role.business_office)
    if not office and (received_by_email or (received_on is not None and received_on != on)):
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
    _insert_with_reference(review)
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
) -> Review:
    """Record a serious incident notification (CSPR): the date the local authority became
    aware (the panel must be notified within 5 working days) and, when sent, the date of
    the notification."""
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
    group = default_group(ReviewKind.cspr)
    if group is None:
        errors["_"] = "There is no CSPR group: the business office must set one up"
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
    )
    _insert_with_reference(review)
    _name_agencies(review, agency_ids, on)
    return review


def _enum(enum_cls: Any, value: Any, name: str, errors: dict[str, str], message: str) -> Any:
    if value is None or value == "":
        errors[name] = message
        return None
    try:
        return enum_cls(value)
    except ValueError:
        errors[name] = message
        return None


CASE_FIELDS = {
    "initials",
    "age_band",
    "area",
    "harm_date",
    "summary",
    "referral_source",
    "referrer_organisation_id",
    "group_id",
    "period_from",
    "period_to",
    "family_invited",
    "family_notes",
    "parallel_processes",
    "parallel_notes",
    "delay_explanation",
    "children_count",
    "looked_after",
    "notified_on",
}


def update_case_details(review: Review, user: Any, *, version: int | None, **values: Any) -> Review:
    """The business office corrects or completes a review's details: what the national
    analysis asks every report to state (referral source, period in scope, family
    invited, parallel processes) and explanations of delay."""
    _require_office(user)
    _check_version(review, version)
    _require_open(review)
    unknown = set(values) - CASE_FIELDS
    if unknown:
        raise ValidationFailed(errors={k: "This field cannot be changed here" for k in sorted(unknown)})
    errors: dict[str, str] = {}
    on = today()
    clean: dict[str, Any] = {}
    if "initials" in values:
        clean["initials"] = _clean_initials(
            values["initials"], errors, "adult" if review.kind == ReviewKind.sar else "child"
        )
    if "age_band" in values:
        band = _enum(AgeBand, values["age_band"], "age_band", errors, "Select the age band")
        if band is not None and band.adult != (review.kind == ReviewKind.sar):
            errors["age_band"] = (
                "Select an adult's age band" if review.kind == ReviewKind.sar else "Select a child's age band"
            )
        clean["age_band"] = band
    if "area" in values:
        clean["area"] = _enum(Area, values["area"], "area", errors, "Select the area")
    for name, message in (("summary", "Enter what happened"), ("referral_source", "Enter who made the referral")):
        if name in values:
            text = (values[name] or "").strip()
            if not text:
                errors[name] = message
            clean[name] = text
    if "referrer_organisation_id" in values:
        org = _organisation(
            values["referrer_organisation_id"],
            "referrer_organisation_id",
            errors,
            "Select the referring organisation from the list",
        )
        clean["referrer_organisation_id"] = org.id if org else None
    if "group_id" in values:
        group = db.session.get(Group, values["group_id"]) if values["group_id"] else None
        if group is None or not group.active:
            errors["group_id"] = "Select the sub-group that handles the review"
        clean["group_id"] = group.id if group else None
    for name in ("harm_date", "period_from", "period_to", "notified_on"):
        if name in values:
            clean[name] = values[name]
    if "harm_date" in values and values["harm_date"] is None:
        errors["harm_date"] = "Enter the date of death or serious harm"
    _check_dates(
        errors,
        on,
        harm_date=(clean.get("harm_date"), "The date of death or serious harm"),
        notified_on=(clean.get("notified_on"), "The date of the notification"),
    )
    period_from = clean.get("period_from", review.period_from)
    period_to = clean.get("period_to", review.period_to)
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = "The end of the period in scope must be the same as or after its start"
    if "notified_on" in values:
        if review.kind != ReviewKind.cspr:
            errors["notified_on"] = "Only a CSPR has a notification date"
        elif clean["notified_on"] and clean["notified_on"] < review.received_on:
            errors["notified_on"] = "The notification must be on or after the date the local authority became aware"
    if "parallel_processes" in values:
        processes = []
        for p in values["parallel_processes"] or []:
            try:
                processes.append(ParallelProcess(p).value)
            except ValueError:
                errors["parallel_processes"] = "Select parallel processes from the list"
        clean["parallel_processes"] = sorted(set(processes))
    if "children_count" in values and review.kind == ReviewKind.cspr:
        n = values["children_count"]
        if n is None or not 1 <= n <= MAX_CHILDREN_PER_NOTIFICATION:
            errors["children_count"] = "One notification covers between 1 and 4 children"
    for name in (
        "family_invited",
        "family_notes",
        "parallel_notes",
        "delay_explanation",
        "looked_after",
        "children_count",
    ):
        if name in values:
            v = values[name]
            clean[name] = (v.strip() or None) if isinstance(v, str) else v
    if errors:
        raise ValidationFailed(errors=errors)
    for k, v in clean.items():
        setattr(review, k, v)
    db.session.flush()
    return review


# --- SAR screening (s44) -----------------------------------------------------------------------


def derive_screening(needs: bool | None, harm: S44Harm | str | None, concern: bool | None) -> ScreeningOutcome:
    """Care Act 2014 s44: mandatory when the adult has needs for care and support AND
    (died with abuse or neglect known or suspected, OR alive with serious abuse or
    neglect) AND there is reasonable cause for concern about how agencies worked
    together; discretionary in any other case involving an adult with care and support
    needs; otherwise the criteria are not met."""
    if not needs:
        return ScreeningOutcome.criteria_not_met
    harmed = harm is not None and S44Harm(harm) in (S44Harm.died, S44Harm.serious_abuse)
    if harmed and concern:
        return ScreeningOutcome.mandatory
    return ScreeningOutcome.discretionary


SCREENABLE = (ReviewState.screening, ReviewState.information_gathering, ReviewState.awaiting_decision)


def record_screening(
    review: Review,
    user: Any,
    *,
    version: int | None,
    needs: bool | None,
    needs_reason: str | None,
    harm: S44Harm | str | None,
    harm_reason: str | None,
    concern: bool | None,
    concern_reason: str | None,
    screened_on: date | None = None,
) -> Review:
    """The sub-group (or the office) answers each s44 criterion with a reason; the route
    is derived from the answers. It may be revised until the chair decides.
    `screened_on` is the date of the sub-group's screening (default today)."""
    _require_worker(review, user)
    _check_version(review, version)
    if review.kind != ReviewKind.sar:
        raise Conflict("Only a SAR is screened against the s44 criteria")
    _require_state(review, SCREENABLE, "record the screening")
    errors: dict[str, str] = {}
    if needs is None:
        errors["needs"] = "Select whether the adult has needs for care and support"
    harm_value = _enum(S44Harm, harm, "harm", errors, "Select what happened to the adult")
    if concern is None:
        errors["concern"] = "Select whether there is reasonable cause for concern about how agencies worked together"
    for name, text in (
        ("needs_reason", needs_reason),
        ("harm_reason", harm_reason),
        ("concern_reason", concern_reason),
    ):
        if not (text or "").strip():
            errors[name] = "Enter the reason for this answer"
    _check_dates(errors, today(), screened_on=(screened_on, "The date of the screening"))
    if errors:
        raise ValidationFailed(errors=errors)
    review.s44_needs, review.s44_needs_reason = needs, needs_reason.strip()
    review.s44_harm, review.s44_harm_reason = harm_value, harm_reason.strip()
    review.s44_concern, review.s44_concern_reason = concern, concern_reason.strip()
    review.screening_outcome = derive_screening(needs, harm_value, concern)
    review.screened_on = screened_on or today()
    audit.mark_action(review, "screening")
    db.session.flush()
    return review


def route_refusal(review: Review, outcome: ReviewOutcome | str | None) -> str | None:
    """Why `outcome` cannot be recommended or decided for this review, or None.

    A SAR's route must follow its s44 screening (SCIE quality marker 2: the route and why);
    a CSPR is commissioned as a local review or not at all."""
    if outcome is None:
        return None
    outcome = ReviewOutcome(outcome)
    if review.kind == ReviewKind.cspr:
        if outcome in (ReviewOutcome.mandatory, ReviewOutcome.discretionary):
            return "A child safeguarding practice review is commissioned as a local review (LCSPR), not as a SAR"
        return None
    if outcome is ReviewOutcome.lcspr:
        return "A SAR is commissioned as mandatory or discretionary, not as a local child safeguarding practice review"
    screened = review.screening_outcome
    if screened is None:
        return "Record the screening against the s44 criteria first"
    if outcome is ReviewOutcome.mandatory and screened is not ScreeningOutcome.mandatory:
        return (
            "The screening does not meet the s44 criteria for a mandatory review: commission a discretionary "
            "review or revise the screening"
        )
    if outcome is ReviewOutcome.discretionary and screened is ScreeningOutcome.mandatory:
        return "The screening meets the s44 criteria for a mandatory review: the Board must commission it as mandatory"
    if outcome is ReviewOutcome.discretionary and screened is ScreeningOutcome.criteria_not_met:
        return "A discretionary review needs an adult with needs for care and support: the screening found none"
    if outcome is ReviewOutcome.not_commissioned and screened is ScreeningOutcome.mandatory:
        return (
            "The screening meets the s44 criteria for a mandatory review: the Board must arrange one. Revise the "
            "screening if the facts have changed"
        )
    return None


# --- CSPR rapid review -------------------------------------------------------------------------

RAPID_REVIEW_STATES = (
    ReviewState.rapid_review,
    ReviewState.awaiting_decision,
    ReviewState.lcspr_commissioned,
    ReviewState.no_lcspr,
    ReviewState.in_review,
    ReviewState.paused,
)


def record_rapid_review(
    review: Review,
    user: Any,
    *,
    version: int | None,
    criteria: Sequence[str],
    reasons: str | None,
    sent_on: date | None,
    panel_response: str | None = None,
    panel_response_on: date | None = None,
) -> Review:
    """The rapid review: which LCSPR criteria apply and why, the date it was sent to the
    national panel, and the panel's response when it comes."""
    _require_worker(review, user)
    _check_version(review, version)
    if review.kind != ReviewKind.cspr:
        raise Conflict("Only a CSPR has a rapid review")
    _require_state(review, RAPID_REVIEW_STATES, "record the rapid review")
    errors: dict[str, str] = {}
    unknown = [c for c in criteria if c not in LCSPR_CRITERIA]
    if unknown:
        errors["criteria"] = "Select criteria from the list"
    if not (reasons or "").strip():
        errors["reasons"] = "Enter the rapid review's findings and reasons"
    on = today()
    _check_dates(
        errors,
        on,
        sent_on=(sent_on, "The date the rapid review was sent"),
        panel_response_on=(panel_response_on, "The date of the panel's response"),
    )
    if sent_on and review.notified_on and sent_on < review.notified_on and "sent_on" not in errors:
        errors["sent_on"] = "The rapid review must be sent on or after the notification"
    if (panel_response or "").strip() and panel_response_on is None:
        errors["panel_response_on"] = "Enter the date of the panel's response"
    if errors:
        raise ValidationFailed(errors=errors)
    review.lcspr_criteria = sorted(set(criteria))
    review.rapid_review_reasons = reasons.strip()
    review.rapid_review_sent_on = sent_on
    review.panel_response = (panel_response or "").strip() or None
    review.panel_response_on = panel_response_on
    audit.mark_action(review, "rapid_review")
    db.session.flush()
    return review


# --- commissioning, events, reports, quality check -----------------------------------------------

COMMISSIONING_STATES = (
    ReviewState.commissioned,
    ReviewState.lcspr_commissioned,
    ReviewState.in_review,
    ReviewState.paused,
)


def record_commissioning(
    review: Review,
    user: Any,
    *,
    version: int | None,
    terms_of_reference: str | None,
    methodology: Methodology | str | None,
    reviewer: str | None,
    contract_value_pence: int | None,
    period_from: date | None = None,
    period_to: date | None = None,
) -> Review:
    """Terms of reference, methodology, the independent reviewer and the contract value
    (charged to "Safeguarding Adult Reviews – Independent Authors" when the review
    starts), and the period the review covers."""
    _require_office(user)
    _check_version(review, version)
    _require_state(review, COMMISSIONING_STATES, "record the commissioning")
    errors: dict[str, str] = {}
    if not (terms_of_reference or "").strip():
        errors["terms_of_reference"] = "Enter the terms of reference"
    method = _enum(Methodology, methodology, "methodology", errors, "Select the methodology")
    if not (reviewer or "").strip():
        errors["reviewer"] = "Enter the independent reviewer"
    if contract_value_pence is None:
        errors["contract_value_pence"] = "Enter the contract value"
    elif contract_value_pence < 0:
        errors["contract_value_pence"] = "The contract value must be £0 or more"
    if review.commitment_recorded and contract_value_pence != review.contract_value_pence:
        errors["contract_value_pence"] = "The contract value is already committed in the budget: change it there"
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = "The end of the period in scope must be the same as or after its start"
    if errors:
        raise ValidationFailed(errors=errors)
    review.terms_of_reference = terms_of_reference.strip()
    review.methodology = method
    review.reviewer = reviewer.strip()[:200]
    review.contract_value_pence = contract_value_pence
    if period_from is not None:
        review.period_from = period_from
    if period_to is not None:
        review.period_to = period_to
    audit.mark_action(review, "commissioning")
    db.session.flush()
    return review


def commitment_due(review: Review) -> bool:
    """A started SAR whose reviewer's contract is not yet committed in the budget."""
    return bool(
        review.kind == ReviewKind.sar
        and review.review_started_on is not None
        and (review.contract_value_pence or 0) > 0
        and not review.commitment_recorded
    )


def commit_contract_value(review: Review, user: Any, *, on: date | None = None) -> Any:
    """Commit the independent reviewer's contract value against "Safeguarding Adult
    Reviews – Independent Authors" in the budget of the financial year the review
    started. Raises `ValidationFailed` with the budget's reason (no budget for that year,
    a closed budget, no such line); the review is not held up by it and the office can
    try again from the review's page once the budget is in place."""
    from safeguarding.calendar import financial_year_start
    from safeguarding.models import SAR_AUTHORS_LINE
    from safeguarding.services import budget

    if user is not None and not user.has_role(Role.business_office):
        raise Forbidden("Only the business office can do this")
    if not commitment_due(review):
        raise Conflict("There is no contract value waiting to be committed for this review")
    started = review.review_started_on
    commitment = budget.record_commitment(
        financial_year=financial_year_start(started),
        line_name=SAR_AUTHORS_LINE,
        amount_pence=review.contract_value_pence,
        supplier=review.reviewer or "Independent reviewer",
        reference=review.reference,
        committed_on=on or started,
        description=f"Independent reviewer's contract for {review.reference}",
        source_type="review",
        source_id=review.id,
        recorded_by_id=user.id if user is not None else None,
    )
    review.commitment_recorded = True
    audit.mark_action(review, "budget_commitment")
    db.session.flush()
    return commitment


def add_event(
    review: Review, user: Any, *, kind: ReviewEventKind | str | None, held_on: date | None, notes: str | None = None
) -> ReviewEvent:
    """Record a panel meeting, practitioner event or family involvement."""
    _require_worker(review, user)
    _require_open(review)
    errors: dict[str, str] = {}
    event_kind = _enum(ReviewEventKind, kind, "kind", errors, "Select what happened")
    if held_on is None:
        errors["held_on"] = "Enter the date it took place"
    if errors:
        raise ValidationFailed(errors=errors)
    event = ReviewEvent(
        review_id=review.id,
        kind=event_kind,
        held_on=held_on,
        notes=(notes or "").strip() or None,
        recorded_by_id=user.id,
    )
    db.session.add(event)
    if event_kind is ReviewEventKind.family_involvement and review.family_invited is None:
        review.family_invited = True
    db.session.flush()
    return event


def events_of(review: Review) -> list[ReviewEvent]:
    return list(
        db.session.scalars(
            sa.select(ReviewEvent)
            .where(ReviewEvent.review_id == review.id)
            .order_by(ReviewEvent.held_on, ReviewEvent.id)
        )
    )


REPORT_STATES = {
    "draft": (ReviewState.in_review, ReviewState.draft_report),
    "final": (ReviewState.draft_report, ReviewState.signed_off),
}


def attach_report(review: Review, user: Any, stored: StoredFile, *, which: str, version: int | None) -> Review:
    """Attach the draft report (before it is submitted) or the final report (before
    publication)."""
    _require_office(user)
    _check_version(review, version)
    if which not in REPORT_STATES:
        raise ValidationFailed(errors={"which": "Choose the draft or the final report"})
    _require_state(review, REPORT_STATES[which], f"attach the {which} report")
    if which == "draft":
        review.draft_report_file_id = stored.id
    else:
        review.final_report_file_id = stored.id
    audit.mark_action(review, f"{which}_report")
    db.session.flush()
    return review


def report_file(review: Review, which: str) -> StoredFile:
    """The draft or final report, for a user already checked to see the review in full;
    the download is recorded."""
    file_id = {"draft": review.draft_report_file_id, "final": review.final_report_file_id}.get(which)
    stored = db.session.get(StoredFile, file_id) if file_id else None
    if stored is None:
        raise NotFound("No report has been uploaded")
    audit.record("download", "reviews", review.id, {"file": f"{which}_report"})
    return stored


BOARD_SUBJECT = "review"  # subject_type of the Board's agenda items and decisions on a review


def board_sign_off(review: Review) -> Any:
    """The Board's standing decision signing off the review (made at a quorate meeting;
    an interim one once validated), the latest if several; None without one."""
    from safeguarding.services import meetings

    standing = [d for d in meetings.decisions_for(BOARD_SUBJECT, review.id) if meetings.decision_stands(d)]
    return standing[-1] if standing else None


def put_on_board_agenda(review: Review, user: Any | None = None, *, after: date | None = None) -> date | None:
    """Put the review's sign-off on the agenda of the next Board meeting (once: the
    meetings feature keeps one item per subject until the Board decides it). Returns the
    date of that meeting, or None when no Board meeting is scheduled yet (the item then
    goes on the next one scheduled)."""
    from safeguarding.models import Meeting
    from safeguarding.services import meetings

    if user is not None:
        _require_office(user)
    _require_state(review, (ReviewState.draft_report,), "put the review on the Board's agenda")
    item = meetings.add_to_next_board_agenda(
        f"Sign-off of case review {review.reference}",
        subject_type=BOARD_SUBJECT,
        subject_id=review.id,
        after=after or today(),
    )
    return db.session.get(Meeting, item.meeting_id).meeting_date if item is not None else None


def record_quality_check(
    review: Review,
    user: Any,
    *,
    version: int | None,
    passed: bool | None,
    notes: str | None,
    checked_on: date | None = None,
) -> Review:
    """The sub-group's quality check of the draft report (`checked_on`: the date of the
    sub-group's meeting, default today). When it passes, the review goes on the next Board
    agenda for sign-off."""
    _require_worker(review, user)
    _check_version(review, version)
    _require_state(review, (ReviewState.draft_report,), "record the quality check")
    errors: dict[str, str] = {}
    if passed is None:
        errors["passed"] = "Select whether the draft report meets the quality markers"
    if not (notes or "").strip():
        errors["notes"] = "Enter the sub-group's findings"
    _check_dates(errors, today(), checked_on=(checked_on, "The date of the quality check"))
    if errors:
        raise ValidationFailed(errors=errors)
    review.quality_check_passed = passed
    review.quality_check_notes = notes.strip()
    review.quality_checked_on = checked_on or today()
    audit.mark_action(review, "quality_check")
    db.session.flush()
    if passed:
        put_on_board_agenda(review, after=review.quality_checked_on)
    return review


# --- agencies and information requests -----------------------------------------------------------


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


REQUEST_STATES = (
    ReviewState.information_gathering,
    ReviewState.awaiting_decision,
    ReviewState.rapid_review,
    ReviewState.commissioned,
    ReviewState.lcspr_commissioned,
    ReviewState.in_review,
    ReviewState.paused,
)


def s45_refusal(conditions: Iterable[int]) -> str | None:
    """Care Act s45: the Board may require information when conditions 1 and 2 apply and
    either condition 3 or condition 4 does."""
    c = set(conditions)
    if {1, 2} <= c and c & {3, 4}:
        return None
    return "A request under section 45 needs conditions 1 and 2, and condition 3 or 4"


def send_information_request(
    review: Review,
    user: Any,
    *,
    organisation_id: int | None,
    request: str | None,
    conditions: Iterable[int] = (),
    sent_on: date | None = None,
    due_on: date | None = None,
    cal: WorkingDays | None = None,
) -> InformationRequest:
    """Ask a named agency for information (for a SAR, under s45 with the conditions that
    apply). Due 20 working days (default) after sending unless a date is given."""
    _require_worker(review, user)
    _require_state(review, REQUEST_STATES, "send an information request")
    errors: dict[str, str] = {}
    on = today()
    sent_on = sent_on or on
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if org is None:
        errors["organisation_id"] = "Select the agency the request is for"
    if not (request or "").strip():
        errors["request"] = "Enter the information requested"
    conds = sorted({int(c) for c in conditions if str(c).isdigit() and 1 <= int(c) <= 4})
    if review.kind == ReviewKind.sar and (reason := s45_refusal(conds)):
        errors["conditions"] = reason
    _check_dates(errors, on, sent_on=(sent_on, "The date the request was sent"))
    if due_on is None:
        due_on = (cal or working_days()).add(sent_on, setting("REVIEW_REQUEST_WORKING_DAYS"))
    elif due_on < sent_on:
        errors["due_on"] = "The due date must be on or after the date the request was sent"
    if errors:
        raise ValidationFailed(errors=errors)
    req = InformationRequest(
        review_id=review.id,
        organisation_id=org.id,
        request=request.strip(),
        sent_on=sent_on,
        due_on=due_on,
        status=RequestStatus.sent,
        created_by_id=user.id,
        **{f"condition_{n}": (n in conds and review.kind == ReviewKind.sar) for n in (1, 2, 3, 4)},
    )
    db.session.add(req)
    db.session.flush()
    _name_agencies(review, [org.id], on)
    _after_request_sent(req)
    return req


def _after_request_sent(req: InformationRequest) -> None:
    """Tell the agency's partner members (case reference and a link only)."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email, service_url

    to = agency_emails(req.organisation_id)
    if not to:
        return
    review = db.session.get(Review, req.review_id)
    queue_email(
        to,
        f"Information request for case review {review.reference}",
        "review_information_request",
        {
            "reference": review.reference,
            "organisation": req.organisation.name,
            "board": "Safeguarding Adults Board"
            if review.kind == ReviewKind.sar
            else "Safeguarding Children Partnership",
            "conditions": ", ".join(str(c) for c in req.conditions),
            "due": long_date(req.due_on),
            "link": service_url("reviews.information_request", review_id=review.id, request_id=req.id),
        },
        kind="review_information_request",
        dedupe_key=f"review-request-sent:{req.id}",
    )


def request_visibility(user: Any) -> sa.ColumnElement[bool]:
    """Requests the user may see: all of the reviews they see in full, plus their own
    organisation's (partner members of the agency)."""
    if sees_everything(user):
        return sa.true()
    clauses = []
    groups = _group_ids(user)
    if groups:
        clauses.append(InformationRequest.review_id.in_(sa.select(Review.id).where(Review.group_id.in_(groups))))
    org_id = agency_organisation_id(user)
    if org_id:
        clauses.append(InformationRequest.organisation_id == org_id)
    return sa.or_(*clauses) if clauses else sa.false()


def get_request(request_id: int, user: Any) -> InformationRequest:
    req = db.session.scalar(
        sa.select(InformationRequest).where(InformationRequest.id == request_id, request_visibility(user))
    )
    if req is None:
        raise NotFound("Information request not found")
    return req


def may_answer(req: InformationRequest, user: Any) -> bool:
    """The agency's partner members answer; the office enters a return received by email."""
    if user is None:
        return False
    if user.has_role(Role.business_office):
        return True
    return bool(user.has_role(Role.partner_member) and user.organisation_id == req.organisation_id)


def count_requests(
    user: Any,
    *,
    status: str | None = None,
    overdue: bool = False,
    organisation_id: int | None = None,
    on: date | None = None,
) -> int:
    stmt = sa.select(sa.func.count()).select_from(InformationRequest).where(request_visibility(user))
    if status:
        stmt = stmt.where(InformationRequest.status == RequestStatus(status))
    if overdue:
        stmt = stmt.where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < (on or today()))
    if organisation_id:
        stmt = stmt.where(InformationRequest.organisation_id == organisation_id)
    return db.session.scalar(stmt) or 0


def list_requests(
    user: Any,
    *,
    review: Review | None = None,
    status: str | None = None,
    overdue: bool = False,
    organisation_id: int | None = None,
    page: int = 1,
    per_page: int = 50,
    on: date | None = None,
) -> tuple[list[InformationRequest], int]:
    stmt = sa.select(InformationRequest).where(request_visibility(user))
    if review is not None:
        stmt = stmt.where(InformationRequest.review_id == review.id)
    if status:
        stmt = stmt.where(InformationRequest.status == RequestStatus(status))
    if overdue:
        stmt = stmt.where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < (on or today()))
    if organisation_id:
        stmt = stmt.where(InformationRequest.organisation_id == organisation_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(InformationRequest.due_on, InformationRequest.id).limit(per_page).offset((page - 1) * per_page)
    )
    return list(rows), total


def requests_of(review: Review, user: Any) -> list[InformationRequest]:
    """A review's requests as the user may see them (an agency sees only its own)."""
    return list(
        db.session.scalars(
            sa.select(InformationRequest)
            .where(InformationRequest.review_id == review.id, request_visibility(user))
            .order_by(InformationRequest.sent_on, InformationRequest.id)
        )
    )


def return_information(
    req: InformationRequest,
    user: Any,
    *,
    version: int | None,
    response: str | None,
    chronology: StoredFile | None = None,
    returned_on: date | None = None,
) -> InformationRequest:
    """The agency answers (text, and its chronology as an upload); `returned_on` for a
    return the office enters after it arrived by email (default today)."""
    from safeguarding.workflows.reviews import request_lifecycle

    if not may_answer(req, user):
        raise Forbidden("Only the agency the request was sent to can answer it")
    if chronology is not None:
        req.chronology_file_id = chronology.id
    if returned_on is not None and returned_on > today():
        raise ValidationFailed(
            errors={"returned_on": "The date the information was returned must be today or in the past"}
        )
    request_lifecycle.fire(req, "respond", user=user, version=version, params={"response": response}, as_of=returned_on)
    return req


def chronology_file(req: InformationRequest) -> StoredFile:
    """A request's chronology, for a user already checked to see the request; the
    download is recorded."""
    stored = db.session.get(StoredFile, req.chronology_file_id) if req.chronology_file_id else None
    if stored is None:
        raise NotFound("No chronology has been uploaded")
    audit.record("download", "review_information_requests", req.id, {"file": "chronology"})
    return stored


def record_request_view(req: InformationRequest) -> None:
    audit.record_view("review_information_requests", req.id)


def outstanding_requests(review: Review) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(InformationRequest)
            .where(InformationRequest.review_id == review.id, InformationRequest.status == RequestStatus.sent)
        )
        or 0
    )


# --- recommendations and their actions -------------------------------------------------------------

RECOMMENDATION_STATES = (
    ReviewState.draft_report,
    ReviewState.signed_off,
    ReviewState.published,
    ReviewState.action_monitoring,
)


def add_recommendation(review: Review, user: Any, *, text: str | None) -> ReviewRecommendation:
    _require_office(user)
    _require_state(review, RECOMMENDATION_STATES, "add a recommendation")
    if not (text or "").strip():
        raise ValidationFailed(errors={"text": "Enter the recommendation"})
    number = (
        db.session.scalar(
            sa.select(sa.func.max(ReviewRecommendation.number)).where(ReviewRecommendation.review_id == review.id)
        )
        or 0
    ) + 1
    rec = ReviewRecommendation(review_id=review.id, number=number, text=text.strip(), created_by_id=user.id)
    db.session.add(rec)
    db.session.flush()
    return rec


def get_recommendation(review: Review, recommendation_id: int) -> ReviewRecommendation:
    rec = db.session.get(ReviewRecommendation, recommendation_id)
    if rec is None or rec.review_id != review.id:
        raise NotFound("Recommendation not found")
    return rec


def recommendations_of(review: Review) -> list[ReviewRecommendation]:
    return list(
        db.session.scalars(
            sa.select(ReviewRecommendation)
            .where(ReviewRecommendation.review_id == review.id)
            .order_by(ReviewRecommendation.number)
        )
    )


def add_action(
    review: Review,
    rec: ReviewRecommendation,
    user: Any,
    *,
    title: str | None,
    owner_organisation_id: int | None,
    due_date: date | None,
    owner_person_id: int | None = None,
    description: str | None = None,
) -> Action:
    """An action for a named agency in the shared log: restricted (need-to-know), seen by
    the review's sub-group and the owning agency."""
    from safeguarding.services import actions

    _require_office(user)
    _require_state(review, RECOMMENDATION_STATES, "add an action")
    if rec.review_id != review.id:
        raise NotFound("Recommendation not found")
    action = actions.create_action(
        title=title or "",
        owner_organisation_id=owner_organisation_id,
        due_date=due_date,
        source_type=ActionSource.review,
        source_id=rec.id,
        source_label=review.reference,
        description=description,
        owner_person_id=owner_person_id,
        group_id=review.group_id,
        area=review.area,
        arm=review.arm,
        restricted=True,
        created_by_id=user.id,
    )
    _name_agencies(review, [action.owner_organisation_id], today())
    return action


def _review_actions_stmt(review_ids: Any) -> sa.Select:
    return (
        sa.select(Action, ReviewRecommendation.review_id)
        .join(ReviewRecommendation, ReviewRecommendation.id == Action.source_id)
        .where(Action.source_type == ActionSource.review, ReviewRecommendation.review_id.in_(review_ids))
    )


def actions_of(review: Review, user: Any | None = None) -> dict[int, list[Action]]:
    """The review's actions by recommendation id (an agency sees only its own)."""
    stmt = _review_actions_stmt([review.id]).order_by(Action.id)
    if user is not None and access_to(review, user) == "agency":
        stmt = stmt.where(Action.owner_organisation_id == agency_organisation_id(user))
    out: dict[int, list[Action]] = {}
    for action, _ in db.session.execute(stmt):
        out.setdefault(action.source_id, []).append(action)
    return out


def recommendations_with_actions(
    review: Review, user: Any | None = None
) -> list[tuple[ReviewRecommendation, list[Action]]]:
    """The review's recommendations, each with its actions (an agency sees only its own
    actions), in one query."""
    join = sa.and_(Action.source_type == ActionSource.review, Action.source_id == ReviewRecommendation.id)
    if user is not None and access_to(review, user) == "agency":
        join = sa.and_(join, Action.owner_organisation_id == agency_organisation_id(user))
    stmt = (
        sa.select(ReviewRecommendation, Action)
        .outerjoin(Action, join)
        .where(ReviewRecommendation.review_id == review.id)
        .order_by(ReviewRecommendation.number, Action.id)
    )
    out: dict[int, tuple[ReviewRecommendation, list[Action]]] = {}
    for rec, action in db.session.execute(stmt):
        entry = out.setdefault(rec.id, (rec, []))
        if action is not None:
            entry[1].append(action)
    return list(out.values())


def open_action_count(review: Review) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(
                _review_actions_stmt([review.id]).where(Action.status.in_(ACTION_OPEN)).subquery()
            )
        )
        or 0
    )


# --- pauses and elapsed time ----------------------------------------------------------------------


def pauses_of(review_ids: Sequence[int]) -> dict[int, list[ReviewPause]]:
    out: dict[int, list[ReviewPause]] = {}
    if not review_ids:
        return out
    for p in db.session.scalars(
        sa.select(ReviewPause).where(ReviewPause.review_id.in_(list(review_ids))).order_by(ReviewPause.started_on)
    ):
        out.setdefault(p.review_id, []).append(p)
    return out


def paused_days(pauses: Iterable[ReviewPause], start: date, end: date) -> int:
    """Calendar days of [start, end) during which the review was paused."""
    total = 0
    for p in pauses:
        lo, hi = max(start, p.started_on), min(end, p.ended_on or end)
        if hi > lo:
            total += (hi - lo).days
    return total


def elapsed_days(start: date, end: date, pauses: Iterable[ReviewPause] = ()) -> int:
    """Calendar days from start to end, leaving out the days the review was paused."""
    return (end - start).days - paused_days(pauses, start, end)


# --- deadlines --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_on: date
    met_on: date | None
    status: str  # on_track, due_soon, breached, met, met_late, paused
    remaining: int  # days left (working days for working-day deadlines); negative when overdue
    working: bool

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def is_open(self) -> bool:
        return self.status in ("on_track", "due_soon", "breached")

    @property
    def status_label(self) -> str:
        return {
            "on_track": "On track",
            "due_soon": "Due soon",
            "breached": "Breached",
            "met": "Met",
            "met_late": "Met late",
            "paused": "Paused",
        }[self.status]

    @property
    def colour(self) -> str:
        return {
            "on_track": "green",
            "due_soon": "yellow",
            "breached": "red",
            "met": "grey",
            "met_late": "orange",
            "paused": "blue",
        }[self.status]

    @property
    def remaining_text(self) -> str:
        if not self.is_open:
            return ""
        unit = "working day" if self.working else "day"
        n = abs(self.remaining)
        words = f"{n} {unit}{'' if n == 1 else 's'}"
        if self.remaining > 0:
            return f"{words} left"
        if self.remaining == 0:
            return "due today"
        return f"{words} overdue"


STATUS_RANK = {"breached": 3, "due_soon": 2, "on_track": 1, "paused": 0}


class LazyWorkingDays:
    """The partnership's working-day calendar, read from the database only when a
    deadline actually needs it (most SAR pages never do)."""

    def __init__(self) -> None:
        self._cal: WorkingDays | None = None

    def _get(self) -> WorkingDays:
        if self._cal is None:
            self._cal = working_days()
        return self._cal

    def add(self, start: date, days: int) -> date:
        return self._get().add(start, days)

    def between(self, start: date, end: date) -> int:
        return self._get().between(start, end)

    def is_working_day(self, d: date) -> bool:
        return self._get().is_working_day(d)


def report_due(review: Review, on: date) -> date | None:
    """The final report's due date, moved on by the days the review has been paused
    (ended pauses, and the one under way up to `on`)."""
    if review.report_due_on is None:
        return None
    ongoing = (on - review.paused_since).days if review.paused_since and on > review.paused_since else 0
    return review.report_due_on + timedelta(days=(review.paused_days or 0) + ongoing)


def _deadline(
    kind: DeadlineKind, due: date, met: date | None, on: date, cal: Any, working: bool, warn: int
) -> Deadline:
    if met is not None:
        return Deadline(kind, due, met, "met" if met <= due else "met_late", 0, working)
    if working:
        remaining = cal.between(on, due) if due >= on else -cal.between(due, on)
        left = remaining
    else:
        remaining = (due - on).days
        # Months away needs no day-by-day count.
        left = cal.between(on, due) if 0 <= remaining <= 3 * warn + 14 else (remaining if remaining > 0 else -1)
    if on > due:
        status = "breached"
    elif left <= warn:
        status = "due_soon"
    else:
        status = "on_track"
    return Deadline(kind, due, None, status, remaining, working)


def deadlines(review: Review, on: date, cal: Any = None) -> list[Deadline]:
    """The review's deadlines as of `on`: a CSPR's notification to the national panel (5
    working days after the local authority became aware) and rapid review (15 working
    days after the notification), and the final report (6 calendar months after the
    decision for an LCSPR; the configured target for a SAR; moved on by any pause)."""
    cal = cal or LazyWorkingDays()
    warn = setting("REVIEW_WARNING_WORKING_DAYS")
    out: list[Deadline] = []
    if review.kind == ReviewKind.cspr:
        out.append(
            _deadline(
                DeadlineKind.notify_panel,
                cal.add(review.received_on, NOTIFY_PANEL_WORKING_DAYS),
                review.notified_on,
                on,
                cal,
                True,
                warn,
            )
        )
        if review.notified_on is not None:
            out.append(
                _deadline(
                    DeadlineKind.rapid_review,
                    cal.add(review.notified_on, RAPID_REVIEW_WORKING_DAYS),
                    review.rapid_review_sent_on,
                    on,
                    cal,
                    True,
                    warn,
                )
            )
    due = report_due(review, on)
    if due is not None and review.decision is not None and review.decision.commissions:
        d = _deadline(DeadlineKind.report, due, review.signed_off_on, on, cal, False, warn)
        if review.state == ReviewState.paused and d.is_open:
            d = Deadline(d.kind, d.due_on, None, "paused", d.remaining, False)
        out.append(d)
    if review.state in CLOSED_STATES:
        out = [d for d in out if not d.is_open]
    return out


def worst(deadline_list: Iterable[Deadline]) -> Deadline | None:
    candidates = [d for d in deadline_list if d.is_open or d.status == "paused"]
    if not candidates:
        return None
    return max(candidates, key=lambda d: (STATUS_RANK[d.status], -d.due_on.toordinal()))


def report_target_months(kind: ReviewKind) -> int:
    return LCSPR_REPORT_MONTHS if kind == ReviewKind.cspr else setting("SAR_REPORT_TARGET_MONTHS")


def report_due_after(kind: ReviewKind, decided_on: date) -> date:
    """Calendar months after the decision, month-end safe (31 August + 6 months = 28 or
    29 February)."""
    return decided_on + relativedelta(months=report_target_months(kind))


# --- lists and the dashboard ----------------------------------------------------------------------


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


@dataclass
class DashboardRow:
    review: Review
    deadlines: list[Deadline]
    worst: Deadline | None


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    decisions: list[Review]
    by_state: list[tuple[ReviewState, int, int]]  # state, SARs, CSPRs
    by_area: list[tuple[Area, int, int]]
    by_status: dict[str, int]
    upcoming: list[tuple[Review, Deadline]] = field(default_factory=list)


def open_reviews_with_deadlines(user: Any, on: date, cal: Any = None) -> list[DashboardRow]:
    rows = list(
        db.session.scalars(
            sa.select(Review)
            .where(visibility(user), Review.state.in_(OPEN_STATES))
            .order_by(Review.received_on, Review.id)
        )
    )
    cal = cal or LazyWorkingDays()
    out = []
    for r in rows:
        ds = deadlines(r, on, cal)
        out.append(DashboardRow(r, ds, worst(ds)))
    return out


def dashboard(user: Any, on: date | None = None) -> Dashboard:
    """Every open review the user may see, by state, area and arm, with its deadlines;
    the chair's queue of decisions; the deadlines coming up."""
    on = on or today()
    rows = open_reviews_with_deadlines(user, on)
    by_state = []
    for state in ReviewState:
        if state in CLOSED_STATES:
            continue
        sar = sum(1 for r in rows if r.review.state == state and r.review.kind == ReviewKind.sar)
        cspr = sum(1 for r in rows if r.review.state == state and r.review.kind == ReviewKind.cspr)
        if sar or cspr:
            by_state.append((state, sar, cspr))
    by_area = [
        (
            a,
            sum(1 for r in rows if r.review.area == a and r.review.kind == ReviewKind.sar),
            sum(1 for r in rows if r.review.area == a and r.review.kind == ReviewKind.cspr),
        )
        for a in Area
    ]
    status = Counter(r.worst.status if r.worst else "none" for r in rows)
    decisions = sorted(
        (r.review for r in rows if r.review.state == ReviewState.awaiting_decision),
        key=lambda r: (r.recommended_on or r.received_on, r.id),
    )
    upcoming = sorted(
        ((r.review, d) for r in rows for d in r.deadlines if d.is_open), key=lambda x: (x[1].due_on, x[0].id)
    )
    return Dashboard(rows, decisions, by_state, by_area, dict(status), upcoming)


@dataclass(frozen=True)
class Attention:
    deadlines_this_week: int  # open deadlines due within 5 working days, or passed
    overdue_requests: int


def office_attention(user: Any, on: date | None = None) -> Attention:
    """What the business office's home page counts: open deadlines due within 5 working
    days (or passed) and overdue information requests — the reviews and the count in one
    query (plus the closure days when a deadline is near), cached for the request."""
    on = on or today()
    return _per_request(("review_attention", getattr(user, "id", None), on), lambda: _office_attention(user, on))


def _office_attention(user: Any, on: date) -> Attention:
    from safeguarding.models import ClosureDay

    overdue = (
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(
            request_visibility(user), InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < on
        )
        .scalar_subquery()
    )
    # The office's closure days ride along as one string, so the calendar costs no query.
    closures = (
        sa.select(sa.func.aggregate_strings(sa.cast(ClosureDay.day, sa.String), ","))
        .where(ClosureDay.active.is_(True))
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Review, overdue.label("overdue"), closures.label("closures")).where(
            visibility(user), Review.state.in_(OPEN_STATES)
        )
    ).all()
    if not rows:
        return Attention(0, count_requests(user, overdue=True, on=on))
    requests = rows[0].overdue
    cal = WorkingDays(date.fromisoformat(d[:10]) for d in (rows[0].closures or "").split(",") if d)
    due = 0
    week_end: date | None = None
    for row in rows:
        for d in deadlines(row.Review, on, cal):
            if not d.is_open:
                continue
            if d.due_on < on + timedelta(days=5):  # within 5 working days for sure
                due += 1
                continue
            if d.due_on > on + timedelta(days=31):  # beyond 5 working days whatever the closures
                continue
            week_end = week_end or cal.add(on, 5)
            due += d.due_on <= week_end
    return Attention(due, requests)


@dataclass(frozen=True)
class AgencyWaiting:
    requests: int  # information requests awaiting the organisation's return
    actions: int  # open case review actions the organisation owns


def agency_waiting(user: Any) -> AgencyWaiting:
    """What a partner member's home page counts for their organisation, in one query."""
    return _per_request(("agency_waiting", getattr(user, "id", None)), lambda: _agency_waiting(user))


def agency_waiting_selects(user: Any) -> tuple[sa.Select, sa.Select]:
    """(information requests awaiting the organisation's return, open case review actions
    it owns) as count selects (the user must have an agency organisation)."""
    org_id = agency_organisation_id(user)
    requests = (
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(InformationRequest.organisation_id == org_id, InformationRequest.status == RequestStatus.sent)
    )
    actions = (
        sa.select(sa.func.count())
        .select_from(Action)
        .where(
            Action.owner_organisation_id == org_id,
            Action.source_type == ActionSource.review,
            Action.status.in_(ACTION_OPEN),
        )
    )
    return requests, actions


def _agency_waiting(user: Any) -> AgencyWaiting:
    if not agency_organisation_id(user):
        return AgencyWaiting(0, 0)
    requests, actions = agency_waiting_selects(user)
    row = db.session.execute(sa.select(requests.scalar_subquery(), actions.scalar_subquery())).one()
    return AgencyWaiting(row[0] or 0, row[1] or 0)


def overdue_requests_select(user: Any, on: date | None = None) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(InformationRequest)
        .where(
            request_visibility(user),
            InformationRequest.status == RequestStatus.sent,
            InformationRequest.due_on < (on or today()),
        )
    )


def decisions_waiting_select(user: Any) -> sa.Select:
    return (
        sa.select(sa.func.count())
        .select_from(Review)
        .where(visibility(user), Review.state == ReviewState.awaiting_decision)
    )


def decisions_waiting(user: Any) -> int:
    return db.session.scalar(decisions_waiting_select(user)) or 0


# --- the daily job: deadline warnings and breaches, chasing requests -------------------------------


def _alert_exists(review_id: int, deadline: DeadlineKind, kind: AlertKind, due_on: date) -> bool:
    return (
        db.session.scalar(
            sa.select(ReviewDeadlineAlert.id).where(
                ReviewDeadlineAlert.review_id == review_id,
                ReviewDeadlineAlert.deadline == deadline,
                ReviewDeadlineAlert.kind == kind,
                ReviewDeadlineAlert.due_on == due_on,
            )
        )
        is not None
    )


def check_deadlines(as_of: date) -> dict[str, int]:
    """Warn the office and the chair before each open deadline (default 3 working days)
    and record a breach the day after it passes — each once per review, deadline and due
    date, however often this runs."""
    cal = working_days()
    reviews = list(db.session.scalars(sa.select(Review).where(Review.state.in_(OPEN_STATES)).order_by(Review.id)))
    existing = (
        {
            (a.review_id, a.deadline, a.kind, a.due_on)
            for a in db.session.scalars(
                sa.select(ReviewDeadlineAlert).where(ReviewDeadlineAlert.review_id.in_([r.id for r in reviews]))
            )
        }
        if reviews
        else set()
    )
    counts = {"warnings": 0, "breaches": 0}
    for review in reviews:
        for d in deadlines(review, as_of, cal):
            kind = {"due_soon": AlertKind.warning, "breached": AlertKind.breach}.get(d.status)
            if kind is None or (review.id, d.kind, kind, d.due_on) in existing:
                continue
            db.session.add(
                ReviewDeadlineAlert(review_id=review.id, deadline=d.kind, kind=kind, due_on=d.due_on, recorded_on=as_of)
            )
            existing.add((review.id, d.kind, kind, d.due_on))
            counts["warnings" if kind is AlertKind.warning else "breaches"] += 1
            _after_alert(review, d, kind, as_of)
    db.session.flush()
    return counts


def _after_alert(review: Review, deadline: Deadline, kind: AlertKind, as_of: date) -> None:
    """Email the business office and the chair (once: the dedupe key)."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email, service_url

    to = office_and_chair_emails()
    if not to:
        return
    breach = kind is AlertKind.breach
    subject = (
        f"Deadline missed for case review {review.reference}: {deadline.label.lower()}"
        if breach
        else f"Deadline coming for case review {review.reference}: {deadline.label.lower()}"
    )
    queue_email(
        to,
        subject,
        "review_deadline",
        {
            "reference": review.reference,
            "deadline": deadline.label.lower(),
            "due": long_date(deadline.due_on),
            "remaining": deadline.remaining_text,
            "breach": breach,
            "link": service_url("reviews.review", review_id=review.id),
        },
        kind=f"review_deadline_{kind.value}",
        dedupe_key=f"review-deadline:{review.id}:{deadline.kind.value}:{kind.value}:{deadline.due_on}",
    )


def alerts_of(review: Review) -> list[ReviewDeadlineAlert]:
    return list(
        db.session.scalars(
            sa.select(ReviewDeadlineAlert)
            .where(ReviewDeadlineAlert.review_id == review.id)
            .order_by(ReviewDeadlineAlert.recorded_on, ReviewDeadlineAlert.id)
        )
    )


def chase_information_requests(as_of: date) -> dict[str, int]:
    """Chase each overdue request on the first day it is overdue, then every 5 working
    days (default) while it stays unanswered."""
    cal = working_days()
    every = setting("REVIEW_CHASE_EVERY_WORKING_DAYS")
    overdue = db.session.scalars(
        sa.select(InformationRequest)
        .where(InformationRequest.status == RequestStatus.sent, InformationRequest.due_on < as_of)
        .order_by(InformationRequest.id)
    )
    chased = 0
    for req in overdue:
        if req.last_chased_on is not None and (
            req.last_chased_on >= as_of or cal.between(req.last_chased_on, as_of) < every
        ):
            continue
        req.last_chased_on = as_of
        req.chase_count += 1
        chased += 1
        _after_chase(req, as_of)
    db.session.flush()
    return {"chased": chased}


def _after_chase(req: InformationRequest, as_of: date) -> None:
    """Email the agency's partner members (once per chase)."""
    from safeguarding.formatting import long_date
    from safeguarding.notify import queue_email, service_url

    to = agency_emails(req.organisation_id)
    if not to:
        return
    reference = req.review.reference
    queue_email(
        to,
        f"Overdue information request for case review {reference}",
        "review_request_chase",
        {
            "reference": reference,
            "organisation": req.organisation.name,
            "due": long_date(req.due_on),
            "link": service_url("reviews.information_request", review_id=req.review_id, request_id=req.id),
        },
        kind="review_request_chase",
        dedupe_key=f"review-request-chase:{req.id}:{as_of.isoformat()}",
    )


def tell_chair_decision_waiting(review: Review) -> None:
    """Email the independent chair that a review waits for a decision (once per review)."""
    from safeguarding.models import UserRole
    from safeguarding.notify import queue_email, service_url

    to = sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole)
                .where(User.active.is_(True), UserRole.role == Role.independent_chair)
            )
        )
    )
    if not to:
        return
    queue_email(
        to,
        f"Case review {review.reference} is waiting for your decision",
        "review_decision_waiting",
        {
            "reference": review.reference,
            "group": review.group.name,
            "recommendation": review.recommendation.label if review.recommendation else "no recommendation",
            "link": service_url("reviews.decide", review_id=review.id),
        },
        kind="review_decision_waiting",
        dedupe_key=f"review-decision-waiting:{review.id}",
    )


# --- timeliness: the figures the annual report needs ------------------------------------------------


def _stats(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median_days": None, "min_days": None, "max_days": None}
    median = statistics.median(values)
    return {
        "count": len(values),
        "median_days": int(median) if float(median).is_integer() else round(median, 1),
        "min_days": min(values),
        "max_days": max(values),
    }


def _in(d: date | None, start: date, end: date) -> bool:
    return d is not None and start <= d <= end


def _area_clause(area: Area | str | None) -> sa.ColumnElement[bool]:
    return Review.area == Area(area) if area else sa.true()


def timeliness(financial_year: int, area: Area | str | None = None) -> dict[str, Any]:
    """The year's case review figures, for the timeliness report and the annual report.

    `financial_year` is the calendar year the financial year starts in (2020 for 2020/21,
    1 April 2020 – 31 March 2021); `area` limits the figures to reviews recorded for that
    area (north, west or both: exact match, so the three areas add up to the whole).
    Elapsed times are calendar days with paused time left out. Returns::

        {"financial_year": 2020, "label": "2020-21", "area": "north" | None,
         "from": date, "to": date,
         "referrals_received": {"sar": n, "cspr": n},        # received in the year
         "decisions": {"sar": {"mandatory": n, "discretionary": n, "not_commissioned": n},
                       "cspr": {"lcspr": n, "not_commissioned": n}},   # decided in the year
         "sars_commissioned": {"mandatory": n, "discretionary": n, "total": n},
         "lcsprs_commissioned": n,
         "reviews_completed": {"sar": n, "cspr": n},   # publication decided in the year
         "ongoing_at_year_end": {"sar": n, "cspr": n},  # commissioned, not completed by 31 March
         "timeliness": {"referral_to_decision" | "decision_to_draft" | "draft_to_publication":
                         {"sar": stats, "cspr": stats}},
             # stats = {"count", "median_days", "min_days", "max_days"}; a review counts in the
             # year its later event happened (a SAR's referral is the date it was received, a
             # CSPR's the date the local authority became aware)
         "actions": {"implemented": n, "not_implemented": n,   # closed in the year
                     "not_implemented_reasons": [{"reference", "action_id", "title",
                                                  "organisation", "reason", "closed_on"}]}}
    """
    key = Area(area) if area else None
    return timeliness_by_area(financial_year, [key])[key]


def timeliness_by_area(
    financial_year: int, areas: Sequence[Area | None] = (None, *Area)
) -> dict[Area | None, dict[str, Any]]:
    """`timeliness` for several areas at once (None: all areas), from one set of queries."""
    start, end = financial_year_bounds(financial_year)
    rows = list(
        db.session.execute(
            sa.select(
                Review.id,
                Review.kind,
                Review.area,
                Review.received_on,
                Review.decision,
                Review.decided_on,
                Review.draft_received_on,
                Review.publication_decided_on,
                Review.published_on,
            ).where(Review.received_on <= end)
        )
    )
    pauses = pauses_of([r.id for r in rows])
    actions = _action_outcomes(start, end)
    return {
        area: _figures(
            financial_year,
            start,
            end,
            area,
            [r for r in rows if area is None or Area(r.area) == area],
            pauses,
            [a for a in actions if area is None or a["area"] == area],
        )
        for area in areas
    }


def _figures(
    financial_year: int,
    start: date,
    end: date,
    area: Area | None,
    rows: list[Any],
    pauses: dict[int, list[ReviewPause]],
    actions: list[dict[str, Any]],
) -> dict[str, Any]:
    kinds = ("sar", "cspr")
    received = dict.fromkeys(kinds, 0)
    completed = dict.fromkeys(kinds, 0)
    ongoing = dict.fromkeys(kinds, 0)
    decisions = {
        "sar": {"mandatory": 0, "discretionary": 0, "not_commissioned": 0},
        "cspr": {"lcspr": 0, "not_commissioned": 0},
    }
    measures: dict[str, dict[str, list[int]]] = {
        m: {k: [] for k in kinds} for m in ("referral_to_decision", "decision_to_draft", "draft_to_publication")
    }
    for r in rows:
        k = ReviewKind(r.kind).value
        p = pauses.get(r.id, [])
        if _in(r.received_on, start, end):
            received[k] += 1
        if _in(r.decided_on, start, end) and r.decision is not None:
            decisions[k][ReviewOutcome(r.decision).value] += 1
            measures["referral_to_decision"][k].append(elapsed_days(r.received_on, r.decided_on, p))
        if _in(r.draft_received_on, start, end) and r.decided_on:
            measures["decision_to_draft"][k].append(elapsed_days(r.decided_on, r.draft_received_on, p))
        if _in(r.publication_decided_on, start, end):
            completed[k] += 1
            if r.draft_received_on:
                concluded = r.published_on or r.publication_decided_on
                measures["draft_to_publication"][k].append(elapsed_days(r.draft_received_on, concluded, p))
        commissioned = r.decision is not None and ReviewOutcome(r.decision).commissions
        if (
            commissioned
            and r.decided_on
            and r.decided_on <= end
            and not (r.publication_decided_on and r.publication_decided_on <= end)
        ):
            ongoing[k] += 1
    sar = decisions["sar"]
    reasons = [
        {k: v for k, v in a.items() if k not in ("area", "status")}
        for a in actions
        if a["status"] == ActionStatus.not_implemented
    ]
    return {
        "financial_year": financial_year,
        "label": financial_year_label(financial_year),
        "area": area.value if area else None,
        "from": start,
        "to": end,
        "referrals_received": received,
        "decisions": decisions,
        "sars_commissioned": {
            "mandatory": sar["mandatory"],
            "discretionary": sar["discretionary"],
            "total": sar["mandatory"] + sar["discretionary"],
        },
        "lcsprs_commissioned": decisions["cspr"]["lcspr"],
        "reviews_completed": completed,
        "ongoing_at_year_end": ongoing,
        "timeliness": {m: {k: _stats(v) for k, v in by_kind.items()} for m, by_kind in measures.items()},
        "actions": {
            "implemented": sum(1 for a in actions if a["status"] == ActionStatus.completed),
            "not_implemented": len(reasons),
            "not_implemented_reasons": reasons,
        },
    }


def _action_outcomes(start: date, end: date) -> list[dict[str, Any]]:
    """Review actions completed, or accepted as not implemented, in [start, end]: the
    completed ones counted per area, the others with their reasons."""
    start_at = datetime.combine(start, time.min, LONDON).astimezone(UTC)
    end_at = datetime.combine(end + timedelta(days=1), time.min, LONDON).astimezone(UTC)
    base = (
        sa.select(Review.area)
        .select_from(Action)
        .join(ReviewRecommendation, ReviewRecommendation.id == Action.source_id)
        .join(Review, Review.id == ReviewRecommendation.review_id)
        .where(Action.source_type == ActionSource.review)
    )
    out: list[dict[str, Any]] = []
    for area, n in db.session.execute(
        base.add_columns(sa.func.count())
        .where(Action.status == ActionStatus.completed, Action.completed_on.between(start, end))
        .group_by(Review.area)
    ):
        out += [{"area": Area(area), "status": ActionStatus.completed}] * n
    closed_at = (
        sa.select(sa.func.max(WorkflowHistory.at))
        .where(
            WorkflowHistory.lifecycle == "action",
            WorkflowHistory.entity_id == Action.id,
            WorkflowHistory.to_state == ActionStatus.not_implemented.value,
        )
        .scalar_subquery()
    )
    stmt = (
        base.add_columns(
            Action.id,
            Action.title,
            Action.closure_reason,
            Organisation.short_name,
            Review.reference,
            closed_at.label("closed_at"),
        )
        .join(Organisation, Organisation.id == Action.owner_organisation_id)
        .where(Action.status == ActionStatus.not_implemented, closed_at >= start_at, closed_at < end_at)
        .order_by(Review.reference, Action.id)
    )
    for row in db.session.execute(stmt):
        at = row.closed_at if row.closed_at.tzinfo else row.closed_at.replace(tzinfo=UTC)
        out.append(
            {
                "reference": row.reference,
                "action_id": row.id,
                "title": row.title,
                "organisation": row.short_name,
                "reason": row.closure_reason,
                "closed_on": at.astimezone(LONDON).date(),
                "area": Area(row.area),
                "status": ActionStatus.not_implemented,
            }
        )
    return out


def concluded_reviews(
    financial_year: int, area: Area | str | None = None, kind: ReviewKind | str | None = None
) -> list[Review]:
    """Reviews whose publication was decided in the year (the annual report's "SARs
    concluded in the year")."""
    start, end = financial_year_bounds(financial_year)
    stmt = sa.select(Review).where(_area_clause(area), Review.publication_decided_on.between(start, end))
    if kind:
        stmt = stmt.where(Review.kind == ReviewKind(kind))
    return list(db.session.scalars(stmt.order_by(Review.publication_decided_on, Review.id)))


def ongoing_at(on: date, area: Area | str | None = None, kind: ReviewKind | str | None = None) -> list[Review]:
    """Reviews commissioned on or before `on` whose publication was not yet decided (the
    annual report's "SARs ongoing at year end")."""
    stmt = sa.select(Review).where(
        _area_clause(area),
        Review.decision.in_([ReviewOutcome.mandatory, ReviewOutcome.discretionary, ReviewOutcome.lcspr]),
        Review.decided_on <= on,
        sa.or_(Review.publication_decided_on.is_(None), Review.publication_decided_on > on),
    )
    if kind:
        stmt = stmt.where(Review.kind == ReviewKind(kind))
    return list(db.session.scalars(stmt.order_by(Review.decided_on, Review.id)))


# --- people to tell --------------------------------------------------------------------------------


def office_and_chair_emails() -> list[str]:
    from safeguarding.models import UserRole

    return sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole)
                .where(User.active.is_(True), UserRole.role.in_([Role.business_office, Role.independent_chair]))
            )
        )
    )


def agency_emails(organisation_id: int) -> list[str]:
    """The agency's partner members, or its safeguarding lead when it has none."""
    from safeguarding.models import UserRole

    emails = sorted(
        set(
            db.session.scalars(
                sa.select(User.email)
                .join(UserRole)
                .where(
                    User.active.is_(True), User.organisation_id == organisation_id, UserRole.role == Role.partner_member
                )
            )
        )
    )
    if not emails:
        org = db.session.get(Organisation, organisation_id)
        if org is not None and org.safeguarding_lead_email:
            emails = [org.safeguarding_lead_email]
    return emails
