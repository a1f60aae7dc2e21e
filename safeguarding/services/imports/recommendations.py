"""Recommendations of case reviews and their actions: one row per action (a row with no
action is the recommendation alone). Recommendations match by review reference and
number, actions by recommendation and title; an action's status is reached through the
action's lifecycle (started; reported and accepted as complete on its date; accepted as
not implemented or cancelled with the note as the reason)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import today
from safeguarding.extensions import db
from safeguarding.models import Action, ActionSource, ActionStatus, Review, ReviewRecommendation
from safeguarding.services import reviews
from safeguarding.services.errors import ValidationFailed
from safeguarding.services.imports import values
from safeguarding.services.imports.directory import DATE, _find_organisation, _people
from safeguarding.services.imports.engine import CREATED, UNCHANGED, UPDATED, Column, Context, Kind, Row, register
from safeguarding.workflows.actions import action_lifecycle

STATUSES = (
    ActionStatus.open,
    ActionStatus.in_progress,
    ActionStatus.completed,
    ActionStatus.not_implemented,
    ActionStatus.cancelled,
)


def _number(value: Any) -> int | None:
    text = values.text(value)
    if text is None:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise values.CellProblem("must be a whole number, like 1")
    return int(text)


COLUMNS = (
    Column(
        "review", "Review reference", "The review's case reference (already recorded)", "SAR-2025-01", required=True
    ),
    Column(
        "number",
        "Recommendation number",
        "1, 2, 3 … in the report's order",
        "1",
        _number,
        required=True,
        allowed="A whole number",
    ),
    Column(
        "recommendation",
        "Recommendation",
        "The recommendation's text",
        "Fire risk is assessed for everyone using home oxygen",
        required=True,
    ),
    Column(
        "title",
        "Action",
        "What is to be done; blank for the recommendation alone",
        "Refer new home oxygen patients for a fire safety visit",
    ),
    Column(
        "organisation", "Owner organisation", "The agency that owns the action, by name", "County Integrated Care Board"
    ),
    Column(
        "owner_email",
        "Owner email",
        "The person who owns it, by email (optional)",
        "",
        values.email,
        allowed="An email address",
    ),
    Column("due_date", "Due date", "When it is due", "31/03/2027", values.a_date, allowed=DATE),
    Column(
        "status",
        "Status",
        "Where it is; blank is open",
        "open",
        values.choice(ActionStatus),
        allowed=", ".join(s.value for s in STATUSES),
    ),
    Column(
        "completed_on",
        "Completed on",
        "The day it was accepted as complete (completed only)",
        "",
        values.a_date,
        allowed=DATE,
    ),
    Column("note", "Note", "What was done (completed), or the reason (not_implemented, cancelled)", ""),
)


def _review(ctx: Context, reference: str) -> Review:
    cache = ctx.cache.setdefault("reviews", {})
    key = validation.name_key(reference)
    if key not in cache:
        cache[key] = db.session.scalar(
            sa.select(Review).where(sa.func.upper(Review.reference) == reference.strip().upper())
        )
    if cache[key] is None:
        raise ValidationFailed(errors={"review": f"There is no review with the reference ‘{reference}’"})
    return cache[key]


def _recommendation(review: Review, number: int) -> ReviewRecommendation | None:
    return db.session.scalar(
        sa.select(ReviewRecommendation).where(
            ReviewRecommendation.review_id == review.id, ReviewRecommendation.number == number
        )
    )


def _recommendation_step(row: Row, ctx: Context) -> str:
    v = row.values
    review = _review(ctx, v["review"])
    rec = _recommendation(review, v["number"])
    if rec is not None:
        if rec.text.strip() != v["recommendation"].strip():
            raise ValidationFailed(
                errors={
                    "recommendation": f"Recommendation {rec.number} of {review.reference} has other text: change it on the review's page"
                }
            )
        return UNCHANGED
    rec = reviews.add_recommendation(review, ctx.user, text=v["recommendation"])
    if rec.number != v["number"]:
        raise ValidationFailed(
            errors={"number": f"Recommendations are numbered in order: the next for {review.reference} is {rec.number}"}
        )
    return CREATED


def _existing_action(rec: ReviewRecommendation, title: str) -> Action | None:
    key = validation.name_key(title)
    rows = db.session.scalars(
        sa.select(Action).where(Action.source_type == ActionSource.review, Action.source_id == rec.id)
    )
    return next((a for a in rows if validation.name_key(a.title) == key), None)


def _action_step(row: Row, ctx: Context) -> str:
    v = row.values
    if v.get("title") is None:
        for name in ("organisation", "owner_email", "due_date", "status", "completed_on", "note"):
            if v.get(name) is not None:
                raise ValidationFailed(errors={"title": "Enter the action"})
        return UNCHANGED
    review = _review(ctx, v["review"])
    rec = _recommendation(review, v["number"])
    assert rec is not None  # the first step made it
    org = _find_organisation(ctx, v.get("organisation"), "organisation")
    owner = None
    if v.get("owner_email"):
        owner = _people(ctx).get(validation.name_key(v["owner_email"]))
        if owner is None:
            raise ValidationFailed(errors={"owner_email": "There is no person with this email address"})
    action = _existing_action(rec, v["title"])
    outcome = UNCHANGED
    if action is None:
        if org is None:
            raise ValidationFailed(errors={"organisation": "Enter the organisation that owns the action"})
        action = reviews.add_action(
            review,
            rec,
            ctx.user,
            title=v["title"],
            owner_organisation_id=org.id,
            due_date=v.get("due_date"),
            owner_person_id=owner.id if owner else None,
        )
        outcome = CREATED
    if _reach(action, v, ctx):
        outcome = outcome if outcome == CREATED else UPDATED
    return outcome


def _reach(action: Action, v: dict[str, Any], ctx: Context) -> bool:
    """Take the action to the row's status through its lifecycle; False when it is there."""
    wanted: ActionStatus = v.get("status") or ActionStatus.open
    if wanted not in STATUSES:
        raise ValidationFailed(errors={"status": f"Status must be one of: {', '.join(s.value for s in STATUSES)}"})
    if action.status == wanted:
        return False
    if action.status not in (ActionStatus.open, ActionStatus.in_progress) or wanted == ActionStatus.open:
        raise ValidationFailed(
            errors={"status": f"The action is {action.status.value}: change its status on the action's page"}
        )
    note = v.get("note")
    on: date = v.get("completed_on") or today()
    fire = action_lifecycle.fire
    system = ctx.user is None
    if wanted == ActionStatus.in_progress:
        fire(action, "start", user=ctx.user, version=action.version, system=system)
    elif wanted == ActionStatus.completed:
        if on > today():
            raise ValidationFailed(errors={"completed_on": "The date it was completed must be today or in the past"})
        fire(
            action,
            "claim_complete",
            user=ctx.user,
            version=action.version,
            comment=note or "Recorded by import",
            as_of=on,
            system=system,
        )
        fire(action, "accept_completion", user=ctx.user, version=action.version, as_of=on, system=system)
    else:
        if not note:
            raise ValidationFailed(errors={"note": "Enter the reason in the note"})
        trigger = "close_not_implemented" if wanted == ActionStatus.not_implemented else "cancel"
        fire(action, trigger, user=ctx.user, version=action.version, comment=note, system=system)
    return True


RECOMMENDATIONS = register(
    Kind(
        "recommendations",
        "Recommendations and actions",
        "Case reviews' recommendations and their actions with owners, due dates and status (one row per action)",
        COLUMNS,
        (_recommendation_step, _action_step),
        error_columns={
            "text": "recommendation",
            "owner_organisation_id": "organisation",
            "owner_person_id": "owner_email",
            "comment": "note",
        },
    )
)
