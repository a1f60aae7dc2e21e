"""Information requests to named agencies (for a SAR, under Care Act s45): sending,
who sees and answers them, their returns and chronologies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from safeguarding.calendar import WorkingDays, today, working_days
from safeguarding.extensions import db
from safeguarding.models import (
    InformationRequest,
    Organisation,
    RequestStatus,
    Review,
    ReviewKind,
    ReviewState,
    Role,
    StoredFile,
)
from safeguarding.services import audit
from safeguarding.services.errors import Forbidden, NotFound, ValidationFailed
from safeguarding.services.reviews.agencies import _name_agencies
from safeguarding.services.reviews.alerts import agency_emails
from safeguarding.services.reviews.checks import _check_dates, _require_state, _require_worker
from safeguarding.services.reviews.queries import _group_ids, agency_organisation_id, sees_everything
from safeguarding.services.reviews.rules import setting
from safeguarding.workflows.reviews import request_lifecycle

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
