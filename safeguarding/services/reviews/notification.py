"""A CSPR's statutory facts and dates (Working Together to Safeguard Children 2023): the
serious incident notification's facts, telling the safeguarding partners of the child's
area, and the LCSPR's final report sent to the Panel and the Secretary of State at least
7 working days before publication."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from safeguarding.calendar import today, working_days
from safeguarding.extensions import db
from safeguarding.formatting import long_date
from safeguarding.models import AbuseOrNeglect, Arm, IncidentKind, Review, ReviewKind, ReviewState
from safeguarding.models.arrangements import SafeguardingPartner
from safeguarding.notify import queue_email, service_url
from safeguarding.notify.outbox import is_quiet
from safeguarding.services import audit
from safeguarding.services.errors import Conflict, ValidationFailed
from safeguarding.services.reviews.checks import _check_version, _enum, _require_office
from safeguarding.services.reviews.rules import NOTIFY_PANEL_WORKING_DAYS

# Statutory: the final report reaches the Panel and the Secretary of State at least this
# many working days before publication; it stays published for at least a year.
REPORT_TO_PANEL_WORKING_DAYS = 7
PUBLISHED_FOR_MONTHS = 12
MAX_SIBLINGS = 20

NOTIFICATION_FIELDS = (
    "incident",
    "abuse_or_neglect",
    "ofsted_notified_on",
    "secretary_of_state_notified_on",
    "partners_told_on",
    "siblings_harmed",
    "siblings_note",
)

# --- the notification's facts ------------------------------------------------------------------


def clean_notification(
    kind: ReviewKind,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    aware_on: date | None,
    looked_after: bool | None,
    notified_on: date | None,
    children_count: int | None,
    current: Review | None = None,
) -> dict[str, Any]:
    """The notification's facts in `values` (those given), checked against each other and
    the review's other facts (`current`, when they are changed on an existing review).
    Returns the clean values; what is wrong goes in `errors`, keyed by field."""
    given = {k: values[k] for k in NOTIFICATION_FIELDS if k in values}
    if kind != ReviewKind.cspr:
        for k in given:
            errors[k] = "Only a CSPR has a serious incident notification"
        return {}

    def now(name: str) -> Any:
        return given[name] if name in given else (getattr(current, name) if current is not None else None)

    clean: dict[str, Any] = {}
    if "incident" in given:
        clean["incident"] = (
            _enum(
                IncidentKind,
                given["incident"],
                "incident",
                errors,
                "Select whether the child died or was seriously harmed",
            )
            if given["incident"] not in (None, "")
            else None
        )
    if "abuse_or_neglect" in given:
        clean["abuse_or_neglect"] = (
            _enum(
                AbuseOrNeglect,
                given["abuse_or_neglect"],
                "abuse_or_neglect",
                errors,
                "Select whether abuse or neglect is known or suspected",
            )
            if given["abuse_or_neglect"] not in (None, "")
            else None
        )
    for name in ("ofsted_notified_on", "secretary_of_state_notified_on", "partners_told_on"):
        if name in given:
            clean[name] = given[name]
    if "siblings_harmed" in given:
        n = given["siblings_harmed"]
        if n is not None and not 0 <= n <= MAX_SIBLINGS:
            errors["siblings_harmed"] = f"Enter the number of harmed siblings, from 0 to {MAX_SIBLINGS}"
        clean["siblings_harmed"] = n
    if "siblings_note" in given:
        note = given["siblings_note"]
        clean["siblings_note"] = (note.strip() or None) if isinstance(note, str) else note
    incident = clean.get("incident", now("incident"))
    abuse = clean.get("abuse_or_neglect", now("abuse_or_neglect"))
    _check_facts(errors, incident, abuse, looked_after, children_count)
    _check_fact_dates(errors, now, aware_on=aware_on, looked_after=looked_after, notified_on=notified_on)
    return clean


def _check_facts(
    errors: dict[str, str],
    incident: IncidentKind | None,
    abuse: AbuseOrNeglect | None,
    looked_after: bool | None,
    children_count: int | None,
) -> None:
    """What makes an incident notifiable, and one notification per child who died."""
    looked_after_death = incident is IncidentKind.death and looked_after
    if abuse is AbuseOrNeglect.not_suspected and "abuse_or_neglect" not in errors and not looked_after_death:
        errors["abuse_or_neglect"] = (
            "A serious incident is notified when abuse or neglect is known or suspected; only the death of a "
            "looked-after child is notified whether or not it is"
        )
    if incident is IncidentKind.death and children_count is not None and children_count > 1:
        errors.setdefault(
            "children_count",
            "One notification per child who died: notify each child's death separately and record harmed "
            "siblings with it",
        )


def _check_fact_dates(errors: dict[str, str], now: Any, *, aware_on, looked_after, notified_on) -> None:
    """Not in the future, not before the council became aware; for a looked-after child,
    Ofsted and the Secretary of State are notified with the Panel."""
    on = today()
    names = {
        "ofsted_notified_on": "The date Ofsted was notified",
        "secretary_of_state_notified_on": "The date the Secretary of State was notified",
        "partners_told_on": "The date the safeguarding partners were told",
    }
    for name, what in names.items():
        value = now(name)
        if value is None or name in errors:
            continue
        if value > on:
            errors[name] = f"{what} must be today or in the past"
        elif aware_on is not None and value < aware_on:
            errors[name] = f"{what} must be on or after the date the local authority became aware"
    if looked_after and notified_on is not None:
        for name, what in (
            ("ofsted_notified_on", "the date Ofsted was notified"),
            ("secretary_of_state_notified_on", "the date the Secretary of State was notified"),
        ):
            if now(name) is None:
                errors.setdefault(name, f"Enter {what}: a looked-after child's case is notified to them too")


def partners_due_on(review: Review) -> date | None:
    """The safeguarding partners are told within 5 working days of the council becoming
    aware, like the Panel."""
    if review.kind != ReviewKind.cspr:
        return None
    return working_days().add(review.received_on, NOTIFY_PANEL_WORKING_DAYS)


# --- telling the safeguarding partners -----------------------------------------------------------


def partners_of(review: Review) -> list[SafeguardingPartner]:
    """The children's safeguarding partners of the child's area (the council of that
    area, the ICB, the police)."""
    rows = db.session.scalars(
        sa.select(SafeguardingPartner).where(SafeguardingPartner.arm == Arm.children).order_by(SafeguardingPartner.id)
    )
    return [p for p in rows if p.covers(review.area)]


def tell_partners(review: Review) -> int:
    """Email each safeguarding partner of the child's area (its delegate, else its lead)
    that the notification is recorded: once per partner (the dedupe key and the record in
    `partners_told`). Partners without anyone to email are skipped. Returns how many
    were emailed now (or, for a notification of the past, recorded as told then)."""
    if review.kind != ReviewKind.cspr:
        return 0
    # A notification of the past entered now (the import: `quiet()`, nothing is emailed):
    # the partners were told when it happened, on the date the office gives; with no date
    # nothing is recorded (the deadline shows it), rather than "told today" by an email
    # that was never sent.
    past = is_quiet()
    if past and review.partners_told_on is None:
        return 0
    on = review.partners_told_on if past and review.partners_told_on else today()
    told = list(review.partners_told or [])
    already = {t.get("organisation_id") for t in told}
    sent = 0
    for partner in partners_of(review):
        person = partner.delegate or partner.lead
        email = person.email if person is not None else None
        if not email or partner.organisation_id in already:
            continue
        queue_email(
            [email],
            f"Serious incident notification {review.reference}",
            "review_partner_told",
            {
                "reference": review.reference,
                "area": review.area.label,
                "incident": review.incident.label if review.incident else "Not yet recorded",
                "aware_on": long_date(review.received_on),
                "notified_on": long_date(review.notified_on) if review.notified_on else "not yet sent",
                "organisation": partner.organisation.name,
                "link": service_url("reviews.review", review_id=review.id),
            },
            kind="review_partner_told",
            dedupe_key=f"review-partner-told:{review.id}:{partner.organisation_id}",
        )
        told.append(
            {
                "organisation_id": partner.organisation_id,
                "organisation": partner.organisation.name,
                "on": on.isoformat(),
            }
        )
        sent += 1
    if sent:
        review.partners_told = told
        if review.partners_told_on is None:
            review.partners_told_on = on
    return sent


# --- the final report to the Panel, and publication ------------------------------------------------

REPORT_SENT_STATES = (ReviewState.signed_off, ReviewState.published, ReviewState.action_monitoring)


def record_report_sent(review: Review, user: Any, *, version: int | None, sent_on: date | None) -> Review:
    """The business office records the date an LCSPR's final report was sent to the Panel
    and the Secretary of State (publication is at least 7 working days later)."""
    _require_office(user)
    _check_version(review, version)
    if review.kind != ReviewKind.cspr:
        raise Conflict("Only a local child safeguarding practice review's report goes to the Panel")
    if review.state not in REPORT_SENT_STATES:
        raise Conflict(f"You cannot record this when the review is {review.state.label.lower()}")
    if review.final_report_file_id is None:
        raise Conflict("Upload the final report first")
    errors: dict[str, str] = {}
    if sent_on is None:
        errors["sent_on"] = "Enter the date the report was sent to the Panel and the Secretary of State"
    elif sent_on > today():
        errors["sent_on"] = "The date the report was sent must be today or in the past"
    elif review.published_on is not None and sent_on > review.published_on:
        errors["sent_on"] = "The report is sent before it is published"
    if errors:
        raise ValidationFailed(errors=errors)
    review.report_sent_to_panel_on = sent_on
    audit.mark_action(review, "report_sent_to_panel")
    db.session.flush()
    return review


def earliest_publication(review: Review) -> date | None:
    """7 working days after the report went to the Panel and the Secretary of State."""
    if review.kind != ReviewKind.cspr or review.report_sent_to_panel_on is None:
        return None
    return working_days().add(review.report_sent_to_panel_on, REPORT_TO_PANEL_WORKING_DAYS)


def publication_refusal(review: Review, publish: Any, published_on: date | None) -> str | None:
    """Why an LCSPR's report cannot be published on `published_on`, or None."""
    if review.kind != ReviewKind.cspr or publish is not True:
        return None
    if review.report_sent_to_panel_on is None:
        return (
            "Record the date the final report was sent to the Panel and the Secretary of State first: it is "
            "published at least 7 working days after"
        )
    earliest = earliest_publication(review)
    if published_on is not None and earliest is not None and published_on < earliest:
        return (
            f"The report cannot be published before {long_date(earliest)}: 7 working days after it was sent to "
            f"the Panel and the Secretary of State on {long_date(review.report_sent_to_panel_on)}"
        )
    return None


def published_until(review: Review) -> date | None:
    """A published LCSPR stays published for at least a year."""
    if review.kind != ReviewKind.cspr or not review.published or review.published_on is None:
        return None
    return review.published_on + relativedelta(months=PUBLISHED_FOR_MONTHS)


def statutory_report_target(review: Review) -> date | None:
    """An LCSPR's statutory target, 6 months from the decision, whatever pauses moved."""
    if review.kind != ReviewKind.cspr:
        return None
    return review.report_due_on
