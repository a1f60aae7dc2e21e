"""The writers' shared checks: who may change a review, its version and state, and the
cleaning of submitted values (initials, choices, organisations, dates)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from safeguarding.extensions import db
from safeguarding.models import Organisation, Review, ReviewState, Role
from safeguarding.models.reviews import CLOSED_STATES
from safeguarding.services.errors import Conflict, Forbidden, StaleVersion
from safeguarding.services.reviews.queries import may_work_on


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


INITIALS_RE = re.compile(r"^[A-Z]{1,4}$")


def _clean_initials(raw: str | None, errors: dict[str, str], who: str) -> str:
    text = re.sub(r"[\s.]", "", raw or "").upper()
    if not text:
        errors["initials"] = f"Enter the {who}'s initials"
    elif not INITIALS_RE.match(text):
        errors["initials"] = "Initials must be 1 to 4 letters, like JS (never a name)"
    return text


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


def _enum(enum_cls: Any, value: Any, name: str, errors: dict[str, str], message: str) -> Any:
    if value is None or value == "":
        errors[name] = message
        return None
    try:
        return enum_cls(value)
    except ValueError:
        errors[name] = message
        return None
