"""Subject access requests (UK GDPR Art. 15; domain.md, "Information governance").

**The due date** is counted as the regulator (ICO) counts "one month" (Art. 12(3)): from the
day of receipt — or, when later, the day the requester's identity was checked — to the same
date next month; where next month has no such date, its last day; where that day is a
weekend or a bank holiday in England, the next working day (the office's own closure days
do not stop the clock). Received 25 Nov 2026 → Tue 29 Dec 2026; 31 Jan 2027 → Mon 1 Mar
2027; 31 Jan 2028 → Tue 29 Feb 2028. A request whose identity has not been checked (none
asked for yet) runs from receipt; recording the check moves the date.

**An extension** by two further months, for a complex or numerous request, is possible
once, while the first month runs, with the reason and the date the person was told (also
within the first month): the new date is three months from the same start, by the same
rules.

Only the business office sees these requests (they name the requester); pages, URLs and
emails use the reference (DSAR-2026-001)."""

from __future__ import annotations

import calendar as pycal
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding import validation
from safeguarding.calendar import WorkingDays, today
from safeguarding.extensions import db
from safeguarding.models import AccessRequest, AccessRequestState, Role
from safeguarding.services.errors import Conflict, Forbidden, NotFound, StaleVersion, ValidationFailed
from safeguarding.services.numbering import insert_numbered, next_number

OFFICE = (Role.business_office,)
EXTENSION_MONTHS = 2
# Weekends and bank holidays only: the ICO's rule knows nothing of an office's closures.
_STATUTORY_DAYS = WorkingDays()


def add_months(d: date, months: int) -> date:
    """The same date `months` later; the month's last day where it has no such date."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, pycal.monthrange(year, month)[1]))


def due_after(start: date, months: int = 1) -> date:
    """`months` calendar months after `start` by the ICO's rule, rolled on to a working day."""
    return _STATUTORY_DAYS.add(add_months(start, months), 0)


def clock_start(received_on: date, identity_checked_on: date | None) -> date:
    return max(received_on, identity_checked_on or received_on)


def require_office(user: Any) -> None:
    if user is None or not user.has_role(*OFFICE):
        raise Forbidden("Only the business office handles subject access requests")


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    deadline: date
    days_left: int  # working days (weekends and bank holidays excepted); negative when late
    late: bool


def working_days_left(deadline: date, on: date) -> int:
    """Working days from `on` to `deadline` (0 on the day; negative once it has passed), as
    the office's home page counts its other deadlines."""
    if deadline >= on:
        return _STATUTORY_DAYS.between(on, deadline)
    return -_STATUTORY_DAYS.between(deadline, on)


def clock(r: AccessRequest, on: date | None = None) -> Clock:
    on = on or today()
    end = r.answered_on if r.answered_on is not None else on
    return Clock(r.deadline, working_days_left(r.deadline, on), end > r.deadline)


def list_requests(
    user: Any, *, state: str | None = "open", page: int = 1, per_page: int = 50
) -> tuple[list[AccessRequest], int]:
    """One page of the requests in `state` (None: all), the soonest due first, and how many
    there are."""
    require_office(user)
    where = [AccessRequest.state == AccessRequestState(state)] if state in {s.value for s in AccessRequestState} else []
    total = db.session.scalar(sa.select(sa.func.count(AccessRequest.id)).where(*where)) or 0
    rows = db.session.scalars(
        sa.select(AccessRequest)
        .where(*where)
        .order_by(sa.func.coalesce(AccessRequest.extended_to, AccessRequest.due_on), AccessRequest.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return list(rows), total


def get_request(request_id: int, user: Any) -> AccessRequest:
    require_office(user)
    r = db.session.get(AccessRequest, request_id)
    if r is None:
        raise NotFound("Subject access request not found")
    return r


def open_select(user: Any) -> sa.Select:
    """Home page: the open requests (one scalar SELECT)."""
    return sa.select(sa.func.count(AccessRequest.id)).where(AccessRequest.state == AccessRequestState.open)


def nearest_select(user: Any) -> sa.Select:
    return sa.select(sa.func.min(sa.func.coalesce(AccessRequest.extended_to, AccessRequest.due_on))).where(
        AccessRequest.state == AccessRequestState.open
    )


# --- writing ---------------------------------------------------------------------------------


def _dates(received_on: date | None, identity_checked_on: date | None, errors: dict[str, str]) -> None:
    now = today()
    if received_on is None:
        errors["received_on"] = "Enter the date the request was received"
    elif received_on > now:
        errors["received_on"] = "The date the request was received must be today or in the past"
    if identity_checked_on is not None:
        if identity_checked_on > now:
            errors["identity_checked_on"] = "The date the identity was checked must be today or in the past"
        elif received_on is not None and identity_checked_on < received_on:
            errors["identity_checked_on"] = "The date the identity was checked must be on or after the date received"


def _texts(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    name = (values.get("requester_name") or "").strip()
    if not name:
        errors["requester_name"] = "Enter the name of the person asking"
    email = (values.get("requester_email") or "").strip() or None
    if email and (problem := validation.email_problem(email)):
        errors["requester_email"] = problem
    emails = [e.strip() for e in (values.get("search_emails") or "").replace(",", "\n").splitlines() if e.strip()]
    bad = next((e for e in emails if validation.email_problem(e)), None)
    if bad:
        errors["search_emails"] = "Enter each email address to look for in the correct format, like name@example.com"
    names = [n.strip() for n in (values.get("search_names") or "").splitlines() if n.strip()]
    if not names and name:
        names = [name]
    return {
        "requester_name": name,
        "requester_email": email,
        "search_names": "\n".join(names),
        "search_emails": "\n".join(emails),
    }


def log_request(
    *,
    user: Any,
    requester_name: str,
    received_on: date | None,
    requester_email: str | None = None,
    identity_checked_on: date | None = None,
    search_names: str = "",
    search_emails: str = "",
) -> AccessRequest:
    """The office logs a request; its due date follows from the dates."""
    require_office(user)
    errors: dict[str, str] = {}
    texts = _texts(
        {
            "requester_name": requester_name,
            "requester_email": requester_email,
            "search_names": search_names,
            "search_emails": search_emails,
        },
        errors,
    )
    _dates(received_on, identity_checked_on, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    assert received_on is not None
    r = AccessRequest(
        received_on=received_on,
        identity_checked_on=identity_checked_on,
        due_on=due_after(clock_start(received_on, identity_checked_on)),
        recorded_by_id=getattr(user, "id", None),
        **texts,
    )
    year = received_on.year

    def number() -> None:
        r.year = year
        r.number = next_number(AccessRequest.number, AccessRequest.year == year, series="access_requests", year=year)
        r.reference = f"DSAR-{year}-{r.number:03d}"

    insert_numbered(r, number)
    return r


def _check(r: AccessRequest, version: int | None) -> None:
    if version is not None and version != r.version:
        raise StaleVersion()


def update_request(r: AccessRequest, *, user: Any, version: int | None, **values: Any) -> AccessRequest:
    """Correct the request's details or record the identity check; the due date follows
    (an extension already granted keeps its three months from the new start)."""
    require_office(user)
    _check(r, version)
    if r.state != AccessRequestState.open:
        raise Conflict("An answered or withdrawn request cannot be changed")
    errors: dict[str, str] = {}
    texts = _texts(values, errors)
    received_on = values.get("received_on", r.received_on)
    identity = values.get("identity_checked_on", r.identity_checked_on)
    _dates(received_on, identity, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    for k, v in texts.items():
        setattr(r, k, v)
    r.received_on, r.identity_checked_on = received_on, identity
    start = clock_start(received_on, identity)
    r.due_on = due_after(start)
    if r.extended_to is not None:
        r.extended_to = due_after(start, 1 + EXTENSION_MONTHS)
    db.session.flush()
    return r


def extend(
    r: AccessRequest,
    *,
    user: Any,
    version: int | None,
    reason: str | None,
    person_told_on: date | None,
    on: date | None = None,
) -> AccessRequest:
    """Extend by two further months: once, while the first month runs, with the reason and
    the date the person was told (within the first month too)."""
    require_office(user)
    _check(r, version)
    on = on or today()
    if r.state != AccessRequestState.open:
        raise Conflict("Only an open request can be extended")
    if r.extended_to is not None:
        raise Conflict("The request has been extended already: it can be extended only once")
    if on > r.due_on:
        raise Conflict(f"The first month ended on {r.due_on:%d %B %Y}: it is too late to extend the request")
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Enter why the request needs more time (it is complex, or there are many requests)"
    if person_told_on is None:
        errors["person_told_on"] = "Enter the date the person was told of the extension and why"
    elif person_told_on > on:
        errors["person_told_on"] = "The date the person was told must be today or in the past"
    elif person_told_on < r.received_on or person_told_on > r.due_on:
        errors["person_told_on"] = "The person must be told within the first month, before it ends"
    if errors:
        raise ValidationFailed(errors=errors)
    r.extended_on, r.extension_reason, r.person_told_on = on, reason, person_told_on
    r.extended_to = due_after(clock_start(r.received_on, r.identity_checked_on), 1 + EXTENSION_MONTHS)
    db.session.flush()
    return r


def answer(
    r: AccessRequest, *, user: Any, version: int | None, answered_on: date | None, outcome: str | None
) -> AccessRequest:
    """Record the answer sent (on time or late: the clock says which)."""
    require_office(user)
    _check(r, version)
    if r.state != AccessRequestState.open:
        raise Conflict("The request is not open")
    errors: dict[str, str] = {}
    if answered_on is None:
        errors["answered_on"] = "Enter the date the answer was sent"
    elif answered_on > today():
        errors["answered_on"] = "The date the answer was sent must be today or in the past"
    elif answered_on < r.received_on:
        errors["answered_on"] = "The date the answer was sent must be on or after the date received"
    if not (outcome or "").strip():
        errors["outcome"] = "Enter what was disclosed, withheld or redacted, and why"
    if errors:
        raise ValidationFailed(errors=errors)
    r.answered_on, r.outcome, r.state = answered_on, (outcome or "").strip(), AccessRequestState.answered
    if r.bundle_file_id is not None:
        r.bundle_sent_on = answered_on  # the disclosure bundle goes with the answer
    db.session.flush()
    return r


def withdraw(r: AccessRequest, *, user: Any, version: int | None, reason: str | None) -> AccessRequest:
    require_office(user)
    _check(r, version)
    if r.state != AccessRequestState.open:
        raise Conflict("The request is not open")
    if not (reason or "").strip():
        raise ValidationFailed(errors={"reason": "Enter why the request was withdrawn"})
    r.state, r.outcome = AccessRequestState.withdrawn, (reason or "").strip()
    db.session.flush()
    return r
