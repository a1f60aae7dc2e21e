"""The business office corrects or completes a review's case details."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import AgeBand, Area, Group, ParallelProcess, Review, ReviewKind
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.reviews.checks import (
    _check_dates,
    _check_version,
    _clean_initials,
    _enum,
    _organisation,
    _require_office,
    _require_open,
)
from safeguarding.services.reviews.notification import NOTIFICATION_FIELDS, clean_notification, tell_partners
from safeguarding.services.reviews.rules import MAX_CHILDREN_PER_NOTIFICATION

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
    *NOTIFICATION_FIELDS,
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
    _clean_subject(review, values, clean, errors)
    _clean_texts(values, clean, errors)
    _clean_referrer_and_group(values, clean, errors)
    _clean_dates(review, values, clean, errors, on)
    _check_notification_date(review, values, clean, errors)
    _clean_parallel_processes(values, clean, errors)
    _check_children_count(review, values, errors)
    _clean_notes(values, clean)
    clean.update(
        clean_notification(
            review.kind,
            values,
            errors,
            aware_on=review.received_on,
            looked_after=clean.get("looked_after", review.looked_after),
            notified_on=clean.get("notified_on", review.notified_on),
            children_count=clean.get("children_count", review.children_count),
            current=review,
        )
    )
    if errors:
        raise ValidationFailed(errors=errors)
    first_facts = review.incident is None and clean.get("incident") is not None
    for k, v in clean.items():
        setattr(review, k, v)
    if first_facts:
        # The notification's facts recorded for the first time: the partners are told
        # (each once: a partner already emailed is not emailed again).
        tell_partners(review)
    db.session.flush()
    return review


# Each helper below cleans some of the submitted `values` into `clean` and records what is
# wrong in `errors`, in the order `update_case_details` has always checked them.


def _clean_subject(review: Review, values: dict[str, Any], clean: dict[str, Any], errors: dict[str, str]) -> None:
    """The adult's or child's initials and age band, and the area."""
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


def _clean_texts(values: dict[str, Any], clean: dict[str, Any], errors: dict[str, str]) -> None:
    """What happened and who referred: required texts."""
    for name, message in (("summary", "Enter what happened"), ("referral_source", "Enter who made the referral")):
        if name in values:
            text = (values[name] or "").strip()
            if not text:
                errors[name] = message
            clean[name] = text


def _clean_referrer_and_group(values: dict[str, Any], clean: dict[str, Any], errors: dict[str, str]) -> None:
    """The referring organisation (optional) and the sub-group that handles the review."""
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


def _clean_dates(
    review: Review, values: dict[str, Any], clean: dict[str, Any], errors: dict[str, str], on: date
) -> None:
    """The date of death or serious harm (required), neither it nor the notification date
    in the future, and the period in scope (its end not before its start)."""
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


def _check_notification_date(
    review: Review, values: dict[str, Any], clean: dict[str, Any], errors: dict[str, str]
) -> None:
    """Only a CSPR has a notification date, on or after the local authority became aware."""
    if "notified_on" in values:
        if review.kind != ReviewKind.cspr:
            errors["notified_on"] = "Only a CSPR has a notification date"
        elif clean["notified_on"] and clean["notified_on"] < review.received_on:
            errors["notified_on"] = "The notification must be on or after the date the local authority became aware"


def _clean_parallel_processes(values: dict[str, Any], clean: dict[str, Any], errors: dict[str, str]) -> None:
    if "parallel_processes" in values:
        processes = []
        for p in values["parallel_processes"] or []:
            try:
                processes.append(ParallelProcess(p).value)
            except ValueError:
                errors["parallel_processes"] = "Select parallel processes from the list"
        clean["parallel_processes"] = sorted(set(processes))


def _check_children_count(review: Review, values: dict[str, Any], errors: dict[str, str]) -> None:
    """A CSPR notification covers 1 to 4 children (the count is kept as given for a SAR)."""
    if "children_count" in values and review.kind == ReviewKind.cspr:
        n = values["children_count"]
        if n is None or not 1 <= n <= MAX_CHILDREN_PER_NOTIFICATION:
            errors["children_count"] = "One notification covers between 1 and 4 children"


def _clean_notes(values: dict[str, Any], clean: dict[str, Any]) -> None:
    """Free text (blank is None) and the values taken as given."""
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
